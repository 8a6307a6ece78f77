"""What the dashboard shows, as plain values: the window asks this, never the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tama_desk.db.models import AuditLog, Member
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.services import grants, invoices, members, profile


@dataclass(frozen=True)
class Activity:
    at: datetime
    user: str
    action: str  # a code: the window shows its label
    summary: str


@dataclass(frozen=True)
class Dashboard:
    fiscal_year: int
    by_status: dict[str, int]  # member status code → count
    active_by_category: dict[str, int]  # member category code → active members
    billed_total: int  # this fiscal year's live invoices
    billed_count: int
    paid_total: int
    overdue_total: int
    overdue_count: int
    grant_burn: list[tuple[str, int, int]]  # (grant name, budget after reallocation, spent)
    recent: list[Activity]


def dashboard(session: Session, today: date, recent_count: int = 15) -> Dashboard:
    year = fiscal_year_of(today, profile.get_profile(session).fiscal_year_start_month)
    by_category = dict(session.execute(select(Member.category, func.count()).where(Member.status == "active")
                                       .group_by(Member.category)).all())
    fee_rows = [row for row in invoices.list_invoices(session, year) if row.kind == "invoice"
                and row.status != "cancelled"]
    overdue = [row for row in fee_rows if row.open and row.due_date and row.due_date < today]
    recent = [Activity(entry.at, entry.user, entry.action, entry.summary) for entry in
              session.scalars(select(AuditLog).order_by(AuditLog.id.desc()).limit(recent_count))]
    return Dashboard(year, members.count_by_status(session), by_category, sum(r.total for r in fee_rows),
                     len(fee_rows), sum(r.paid for r in fee_rows), sum(r.open for r in overdue), len(overdue),
                     grants.burn_rows(session), recent)
