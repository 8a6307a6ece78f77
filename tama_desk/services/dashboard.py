"""The dashboard's figures, as SQL aggregates (fast with ten years of data); run off the Tk thread.

Each `*_cards(session, today)` is an area's card provider (see tama_desk.areas); the tables below them
(members by category, grant spending, recent activity) are the dashboard's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from tama_desk import areas
from tama_desk.areas import Card
from tama_desk.db.models import (
    AuditLog,
    BudgetChange,
    Expenditure,
    Grant,
    GrantBudget,
    Invoice,
    Member,
    Payment,
    PaymentAllocation,
)
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.i18n import t
from tama_desk.services import profile


def member_cards(session: Session, today: date) -> list[Card]:
    counts = dict(session.execute(select(Member.status, func.count()).group_by(Member.status)).all())
    return [Card(t("在籍会員"), f"{counts.get('active', 0):,}",
                 t("休会 {s}・退会 {w}", s=counts.get("suspended", 0), w=counts.get("withdrawn", 0)), "members")]


@dataclass(frozen=True)
class FeeFigures:
    year: int
    count: int
    billed: int
    paid: int
    overdue_count: int
    overdue: int


def fee_figures(session: Session, today: date) -> FeeFigures:
    """This fiscal year's live invoices (not cancelled): billed, paid, and what is open past its due date."""
    year = fiscal_year_of(today, profile.get_profile(session).fiscal_year_start_month)
    credit = aliased(Invoice)
    credited = (select(credit.original_invoice_id.label("invoice_id"), func.sum(credit.total).label("amount"))
                .where(credit.kind == "credit_note", credit.status == "issued")
                .group_by(credit.original_invoice_id).subquery())
    paid = (select(PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount).label("amount"))
            .join(Payment, PaymentAllocation.payment_id == Payment.id)
            .join(Invoice, PaymentAllocation.invoice_id == Invoice.id)
            .where(Payment.reversed.is_(False), Invoice.fiscal_year == year)
            .group_by(PaymentAllocation.invoice_id).subquery())
    rows = (select(Invoice.total.label("total"), Invoice.due_date.label("due"),
                   func.coalesce(credited.c.amount, 0).label("credited"), func.coalesce(paid.c.amount, 0).label("paid"))
            .outerjoin(credited, credited.c.invoice_id == Invoice.id).outerjoin(paid, paid.c.invoice_id == Invoice.id)
            .where(Invoice.fiscal_year == year, Invoice.kind == "invoice", Invoice.status != "cancelled",
                   Invoice.contract_id.is_(None))  # 委託事業 invoices have their own card
            .subquery())
    open_amount = rows.c.total - rows.c.credited - rows.c.paid
    overdue = and_(open_amount > 0, rows.c.due.is_not(None), rows.c.due < today)
    figures = session.execute(select(
        func.count(), func.coalesce(func.sum(rows.c.total), 0), func.coalesce(func.sum(rows.c.paid), 0),
        func.coalesce(func.sum(case((overdue, 1), else_=0)), 0),
        func.coalesce(func.sum(case((overdue, open_amount), else_=0)), 0))).one()
    return FeeFigures(year, *(int(value) for value in figures))


def fee_cards(session: Session, today: date) -> list[Card]:
    fees = fee_figures(session, today)
    return [
        Card(t("{year}年度 会費請求", year=fees.year), t("{amount}円", amount=f"{fees.billed:,}"), t("請求書 {n} 通", n=fees.count), "fees"),
        Card(t("入金済"), t("{amount}円", amount=f"{fees.paid:,}"), "", "fees"),
        Card(t("期限切れ未入金"), t("{amount}円", amount=f"{fees.overdue:,}"), t("請求書 {n} 通", n=fees.overdue_count), "fees"),
    ]


def grant_burn(session: Session) -> list[tuple[str, int, int]]:
    """(name, budget, spent) per grant, newest year first: the budget is the categories' plan after
    reallocations and approved changes (the decided amount when no budget was entered), spent is every
    expenditure as paid — the figures of services.grants.burn_rows, in three aggregate queries."""
    changes = (select(BudgetChange.grant_id.label("grant_id"),
                      (case((BudgetChange.to_category != "", BudgetChange.amount), else_=0)
                       - case((BudgetChange.from_category != "", BudgetChange.amount), else_=0)).label("planned"))
               .union_all(select(GrantBudget.grant_id, GrantBudget.planned)).subquery())
    planned = (select(changes.c.grant_id, func.sum(changes.c.planned).label("planned"))
               .group_by(changes.c.grant_id).subquery())
    spent = (select(Expenditure.grant_id, func.sum(Expenditure.amount).label("spent"))
             .group_by(Expenditure.grant_id).subquery())
    query = (select(Grant.name, func.coalesce(planned.c.planned, 0), Grant.decided_amount,
                    func.coalesce(spent.c.spent, 0))
             .outerjoin(planned, planned.c.grant_id == Grant.id).outerjoin(spent, spent.c.grant_id == Grant.id)
             .order_by(Grant.fiscal_year.desc(), Grant.id))
    return [(name, int(plan) or decided, int(used)) for name, plan, decided, used in session.execute(query)]


def grant_cards(session: Session, today: date) -> list[Card]:
    rows = grant_burn(session)
    if not rows:
        return []
    budget, spent = sum(row[1] for row in rows), sum(row[2] for row in rows)
    return [Card(t("補助金 支出済"), t("{amount}円", amount=f"{spent:,}"), t("{n} 事業・予算の {p}%", n=len(rows),
                                                      p=round(spent * 100 / budget) if budget else 0), "grants")]


@dataclass
class Overview:
    """Everything the dashboard shows, computed in one read session."""

    cards: list[Card] = field(default_factory=list)
    by_category: dict[str, int] = field(default_factory=dict)
    burn: list[tuple[str, int, int]] = field(default_factory=list)
    recent: list[tuple] = field(default_factory=list)  # (at, user, action, summary)
    empty: bool = False  # no member yet: the first-start guide instead
    has_profile: bool = False
    by_area: dict[str, list[Card]] = field(default_factory=dict)  # the cards per area key
    complete: bool = True  # False: only this module's own cards (the other areas' come with `with_cards`)

    def with_cards(self, more: dict[str, list[Card]]) -> Overview:
        """The overview with the other areas' cards added, every card in registry order."""
        by_area = {**self.by_area, **more}
        return replace(self, by_area=by_area, cards=[card for area in areas.AREAS for card in by_area.get(area.key, [])],
                       complete=True)


OWN = __name__ + ":"  # this module's card providers: plain SQL aggregates, shown first


def area_cards(session: Session, today: date, own: bool | None = None) -> dict[str, list[Card]]:
    """Each area's cards by area key: `own=True` only this module's providers, False only the other areas'
    (their figures may take longer at ten-year scale), None all of them."""
    found = {}
    for area in areas.AREAS:
        if area.cards and (own is None or area.cards.startswith(OWN) == own):
            found[area.key] = areas.load(area.cards)(session, today)
    return found


def overview(session: Session, today: date, own_cards_only: bool = False) -> Overview:
    """The dashboard's figures; `own_cards_only`: without the other areas' cards (`complete` False), so that
    the first look is shown at once and the rest added when computed (`area_cards(…, own=False)`)."""
    result = Overview()
    result.has_profile = bool(profile.get_profile(session).name)
    result.empty = not session.scalar(select(func.count()).select_from(Member))
    if result.empty:
        return result
    result.by_area = area_cards(session, today, True if own_cards_only else None)
    result.cards = [card for area in areas.AREAS for card in result.by_area.get(area.key, [])]
    result.complete = not own_cards_only
    active = select(Member.category, func.count()).where(Member.status == "active").group_by(Member.category)
    result.by_category = dict(session.execute(active).all())
    result.burn = grant_burn(session)
    result.recent = [tuple(row) for row in session.execute(
        select(AuditLog.at, AuditLog.user, AuditLog.action, AuditLog.summary).order_by(AuditLog.id.desc()).limit(15))]
    return result
