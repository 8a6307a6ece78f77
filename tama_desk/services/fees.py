"""Membership fees: the fee schedule per fiscal year and the annual billing run (年度会費一括請求)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tama_desk.db.guards import serialize
from tama_desk.db.models import Contact, FeeSchedule, Invoice, Member, MembershipType
from tama_desk.domain.fiscal import fiscal_year_bounds
from tama_desk.domain.invoice import Recipient
from tama_desk.domain.proration import PRORATIONS, prorated_fee
from tama_desk.domain.tax import RATES, Line
from tama_desk.errors import UserError
from tama_desk.i18n import Message
from tama_desk.services import audit, invoices, profile

DEFAULT_PAYMENT_DAYS = 30


def schedule_for(session: Session, year: int) -> dict[int, FeeSchedule]:
    """The fee of every membership type for `year`: the stored row, or one made from the type's current fee."""
    stored = {row.membership_type_id: row for row in
              session.scalars(select(FeeSchedule).where(FeeSchedule.fiscal_year == year))}
    for kind in profile.membership_types(session):
        if kind.id not in stored:
            stored[kind.id] = FeeSchedule(fiscal_year=year, membership_type_id=kind.id, membership_type=kind,
                                          annual_fee=kind.annual_fee, tax_category=kind.tax_category,
                                          admission_fee=0, proration="full")
    return stored


def set_fee(session: Session, year: int, type_name: str, annual_fee: int, tax_category: str = "out_of_scope",
            admission_fee: int = 0, proration: str = "full") -> FeeSchedule:
    kind = session.scalar(select(MembershipType).where(MembershipType.name == type_name))
    if kind is None:
        raise UserError("会員種別「{type}」がありません", type=type_name)
    if annual_fee < 0 or admission_fee < 0:
        raise UserError("{year}年度 {type}: 金額は0以上にしてください", year=year, type=type_name)
    if tax_category not in RATES or proration not in PRORATIONS:
        raise UserError("{year}年度 {type}: 税区分または按分方法が正しくありません", year=year, type=type_name)
    row = session.scalar(select(FeeSchedule).where(FeeSchedule.fiscal_year == year,
                                                   FeeSchedule.membership_type_id == kind.id))
    if row is None:
        row = FeeSchedule(fiscal_year=year, membership_type_id=kind.id)
        session.add(row)
    row.annual_fee, row.tax_category, row.admission_fee, row.proration = (annual_fee, tax_category,
                                                                          admission_fee, proration)
    session.flush()
    audit.record(session, "fee", "fee_schedule", row.id, f"{year}年度 {type_name} {annual_fee:,}円")
    return row


@dataclass(frozen=True)
class PlannedInvoice:
    member_id: int
    number: str
    name: str
    type_name: str
    lines: tuple[Line, ...]
    reason: str  # why this amount (e.g. 月割 9か月)

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True)
class Excluded:
    member_id: int
    number: str
    name: str
    reason: str


@dataclass
class BillingPlan:
    year: int
    to_bill: list[PlannedInvoice]
    excluded: list[Excluded]

    @property
    def total(self) -> int:
        return sum(item.amount for item in self.to_bill)


def plan_billing(session: Session, year: int) -> BillingPlan:
    """Who would be billed for `year`, how much and why; who is left out and why. Writes nothing."""
    return _plan(session, year)[0]


class _Facts(NamedTuple):
    """What the billing run needs of a member: plain columns, loaded in one query for 10,000 members."""

    id: int
    number: str
    name: str
    category: str
    membership_type_id: int
    join_date: date | None
    withdrawal_date: date | None
    status: str
    postal_code: str
    address: str


def _plan(session: Session, year: int) -> tuple[BillingPlan, dict[int, Recipient]]:
    start_month = profile.get_profile(session).fiscal_year_start_month
    year_start, year_end = fiscal_year_bounds(year, start_month)
    schedule = schedule_for(session, year)
    already = set(session.scalars(select(Invoice.member_id).where(
        Invoice.purpose == "annual_fee", Invoice.billed_year == year, Invoice.status == "issued",
        Invoice.kind == "invoice")))
    admitted = set(session.scalars(select(Invoice.member_id).where(
        Invoice.purpose == "admission_fee", Invoice.status == "issued")))
    contacts: dict[int, tuple[str, str]] = {}
    for member_id, department, name in session.execute(
            select(Contact.member_id, Contact.department, Contact.name)
            .order_by(Contact.member_id, Contact.is_primary.desc(), Contact.sort_order)):
        contacts.setdefault(member_id, (department, name))
    plan, recipients = BillingPlan(year, [], []), {}
    for member in map(_Facts._make, session.execute(select(*(getattr(Member, f) for f in _Facts._fields))
                                                    .order_by(Member.number))):
        reason = _exclusion(member, year_start, year_end, already)
        fee = schedule[member.membership_type_id]
        if reason is None and fee.annual_fee == 0:
            reason = Message("{type}は年会費0円", type=fee.membership_type.name)
        if reason:
            plan.excluded.append(Excluded(member.id, member.number, member.name, reason))
            continue
        amount = prorated_fee(fee.annual_fee, fee.proration, member.join_date, year_start)
        why = "年額" if amount == fee.annual_fee else Message("{rule}（{date}入会）", rule=PRORATIONS[fee.proration],
                                                                     date=f"{member.join_date:%Y-%m-%d}")
        lines = [Line(f"{year}年度 年会費（{fee.membership_type.name}）", 1, amount, fee.tax_category)]
        joined_this_year = member.join_date is not None and year_start <= member.join_date <= year_end
        if fee.admission_fee and joined_this_year and member.id not in admitted:
            lines.append(Line("入会金", 1, fee.admission_fee, fee.tax_category))
        plan.to_bill.append(PlannedInvoice(member.id, member.number, member.name, fee.membership_type.name,
                                           tuple(lines), why))
        recipients[member.id] = invoices.recipient_for(member.name, member.category, member.postal_code,
                                                       member.address, member.number, contacts.get(member.id))
    return plan, recipients


def _exclusion(member: _Facts, year_start: date, year_end: date, already: set[int]) -> str | None:
    if member.id in already:
        return "請求済み"
    if member.withdrawal_date and member.withdrawal_date < year_start:
        return Message("{date}に退会", date=f"{member.withdrawal_date:%Y-%m-%d}")
    if member.status == "withdrawn" and not member.withdrawal_date:
        return "退会"
    if member.status == "suspended":
        return "休会中"
    if member.join_date and member.join_date > year_end:
        return Message("{date}入会（年度後）", date=f"{member.join_date:%Y-%m-%d}")
    return None


def bill_fiscal_year(session: Session, year: int, issue_date: date, due_date: date | None = None,
                     progress=None) -> tuple[BillingPlan, list[int]]:
    """Create every missing annual-fee invoice for `year` in the caller's one transaction.

    Running it again creates only the missing ones. If anything fails, the caller's transaction rolls
    back and no invoice of the run remains. Returns the plan and the new invoices' ids.
    """
    serialize(session, "billing")  # two PCs at once: the second waits, then bills only who is missing
    plan, recipients = _plan(session, year)
    due_date = due_date or issue_date + timedelta(days=DEFAULT_PAYMENT_DAYS)
    if due_date < issue_date:
        raise UserError("お支払期限が発行日より前です")
    start_month = profile.get_profile(session).fiscal_year_start_month
    year_start, year_end = fiscal_year_bounds(year, start_month)
    items = []
    for done, planned in enumerate(plan.to_bill, start=1):
        if progress and done % 200 == 0:
            progress(done, len(plan.to_bill))
        values = dict(kind="invoice", issue_date=issue_date, due_date=due_date,
                      recipient=recipients[planned.member_id], lines=planned.lines,
                      subject=f"{year}年度 年会費のご請求", period_start=year_start, period_end=year_end)
        items.append(invoices.ToIssue(values, planned.member_id, "annual_fee", year))
    created = invoices.issue_many(session, items)
    audit.record(session, "billing_run", "invoice", None, f"{year}年度 会費請求 {len(created)} 件 {plan.total:,}円")
    return plan, created


@dataclass(frozen=True)
class LedgerRow:
    """One line of the 会費台帳: an annual-fee (or admission-fee) invoice and where it stands."""

    member_number: str
    member_name: str
    type_name: str
    invoice_number: str
    issue_date: date
    billed: int
    tax_category: str
    credited: int
    paid: int
    last_paid_on: date | None
    status: str
    written_off: int = 0  # 手数料差引


def ledger_rows(session: Session, year: int) -> list[LedgerRow]:
    """Every fee invoice of fiscal year `year` (billed_year for dues), cancelled ones included and marked."""
    query = (select(Invoice, Member.number, Member.name, MembershipType.name)
             .join(Member, Invoice.member_id == Member.id)
             .join(MembershipType, Member.membership_type_id == MembershipType.id)
             .where(Invoice.kind == "invoice", Invoice.purpose.in_(("annual_fee", "admission_fee")),
                    ((Invoice.billed_year == year) | (Invoice.billed_year.is_(None) & (Invoice.fiscal_year == year))))
             .order_by(Member.number, Invoice.number))
    found = session.execute(query).all()
    owed = invoices.balances(session, [row[0].id for row in found])
    categories = _first_tax_category(session, [row[0].id for row in found])
    result = []
    for invoice, number, name, type_name in found:
        balance = owed[invoice.id]
        cancelled = invoice.status == "cancelled"
        result.append(LedgerRow(number, name, type_name, invoice.number, invoice.issue_date,
                                0 if cancelled else invoice.total, categories.get(invoice.id, ""),
                                balance.credited, balance.paid, balance.last_paid_on,
                                invoices.status_of(invoice, balance), balance.written_off))
    return result


def _first_tax_category(session: Session, invoice_ids: list[int]) -> dict[int, str]:
    from tama_desk.db.models import InvoiceLine

    rows = session.execute(select(InvoiceLine.invoice_id, InvoiceLine.tax_category)
                           .where(InvoiceLine.invoice_id.in_(invoice_ids), InvoiceLine.position == 1))
    return dict(rows.all())
