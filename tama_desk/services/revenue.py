"""The revenue picture for the board: where the money comes from, and how long without grants (自立化).

Per fiscal year: 会費 (annual and admission fees), 委託事業 (contract invoices and what contracts report),
補助金 (grant money received, else the decided amount of the year's grants), 事業収入 (seminar fees and other
invoices) — net of cancellations and credit notes. The runway: with the year's fixed costs (a setting), the
months dues and contracts alone pay for, this year and next year if each grant ends when it is scheduled to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from tama_desk.db.models import Grant, Invoice, Member
from tama_desk.db.models_accounting import GrantReceipt
from tama_desk.domain.fiscal import fiscal_year_bounds
from tama_desk.domain.journal import CONTRACT_PURPOSES, DUES_PURPOSES
from tama_desk.domain.revenue import (  # noqa: F401  (re-exported)
    SOURCES,
    YEARS_SHOWN,
    GrantIncome,
    PipelineItem,
    RevenuePicture,
    Runway,
    YearRevenue,
    months_covered,
)
from tama_desk.services import accounting, invoices, profile


def contract_revenue(session: Session, year: int) -> int:
    """委託事業 income of a year recorded outside the invoice table (contract invoices are counted already)."""
    return 0


def contract_pipeline(session: Session, year: int) -> list[PipelineItem]:
    """The year's live contracts: 契約済 (signed; the settled amount once known) and 見込み (an estimate)."""
    from tama_desk.db.models_contracts import Contract
    from tama_desk.services.contracts import party_name

    query = (select(Contract).where(Contract.fiscal_year == year, Contract.cancelled_on.is_(None))
             .order_by(Contract.signed_on.is_(None), Contract.period_start, Contract.id))
    return [PipelineItem(contract.title, party_name(contract), "契約済" if contract.signed_on else "見込み",
                         contract.final_amount if contract.final_amount is not None else contract.amount)
            for contract in session.scalars(query)]


# --- figures ------------------------------------------------------------------------------------------------------

def _invoice_sums(session: Session, years: Iterable[int]) -> dict[tuple[int, str], int]:
    """Σ issued invoices − Σ issued credit notes per (fiscal year, purpose); a contract's invoices count as
    purpose "contract"."""
    years = list(years)
    purpose = case((Invoice.contract_id.is_not(None), "contract"), else_=Invoice.purpose)
    rows = session.execute(select(Invoice.fiscal_year, purpose, Invoice.kind, func.sum(Invoice.total))
                           .where(Invoice.status == "issued", Invoice.fiscal_year.in_(years))
                           .group_by(Invoice.fiscal_year, purpose, Invoice.kind))
    sums: dict[tuple[int, str], int] = {}
    for year, purpose, kind, total in rows:
        sums[(year, purpose)] = sums.get((year, purpose), 0) + (-total if kind == "credit_note" else total)
    return sums


def grant_incomes(session: Session, years: Iterable[int]) -> list[GrantIncome]:
    years = list(years)
    received = dict(session.execute(select(GrantReceipt.grant_id, func.sum(GrantReceipt.amount))
                                    .group_by(GrantReceipt.grant_id)).all())
    result = []
    for grant in session.scalars(select(Grant).where(Grant.fiscal_year.in_(years), Grant.status != "applied")
                                 .order_by(Grant.fiscal_year, Grant.period_end, Grant.id)):
        next_start = fiscal_year_bounds(grant.fiscal_year + 1)[0]
        result.append(GrantIncome(grant.name, grant.grantor, grant.fiscal_year, grant.decided_amount,
                                  received.get(grant.id, 0), grant.period_end, grant.period_end >= next_start,
                                  grant.status in ("confirmed", "settled")))
    return result


def year_revenues(session: Session, first: int, last: int) -> list[YearRevenue]:
    years = range(first, last + 1)
    sums = _invoice_sums(session, years)
    grants = grant_incomes(session, years)
    result = []
    for year in years:
        of_year = {purpose: amount for (y, purpose), amount in sums.items() if y == year}
        dues = sum(amount for purpose, amount in of_year.items() if purpose in DUES_PURPOSES)
        contracts = sum(amount for purpose, amount in of_year.items() if purpose in CONTRACT_PURPOSES)
        business = sum(of_year.values()) - dues - contracts
        grant_total = sum(grant.income for grant in grants if grant.fiscal_year == year)
        result.append(YearRevenue(year, dues, contracts + contract_revenue(session, year), grant_total, business))
    return result


def collection(session: Session, year: int) -> tuple[int, int]:
    """(billed, paid) of the year's issued invoices, net of credit notes."""
    ids = list(session.scalars(select(Invoice.id).where(Invoice.fiscal_year == year, Invoice.kind == "invoice",
                                                        Invoice.status == "issued")))
    owed = invoices.balances(session, ids)
    billed = sum(balance.due for balance in owed.values())
    paid = sum(min(balance.paid, balance.due) for balance in owed.values())
    return billed, paid


def member_count(session: Session, year: int) -> int:
    end = fiscal_year_bounds(year)[1]
    query = select(func.count()).select_from(Member).where(
        or_(Member.join_date.is_(None), Member.join_date <= end),
        or_(Member.withdrawal_date.is_(None), Member.withdrawal_date > end),
        or_(Member.status != "withdrawn", Member.withdrawal_date.is_not(None)))
    return session.scalar(query) or 0


def picture(session: Session, year: int) -> RevenuePicture:
    first = year - YEARS_SHOWN + 1
    years = year_revenues(session, first, year)
    billed, paid = collection(session, year)
    grants = grant_incomes(session, [year])
    pipeline = contract_pipeline(session, year)
    next_pipeline = contract_pipeline(session, year + 1)
    this = years[-1]
    # next year: dues stay as they are; contracts as signed or expected for next year, else as this year
    next_contracts = sum(item.amount for item in next_pipeline) or max(
        this.contracts, sum(item.amount for item in pipeline if item.status == "契約済"))
    continuing = sum(grant.income for grant in grants if grant.continues_next_year)
    signed = sum(item.amount for item in pipeline if item.status == "契約済")
    runway = Runway(accounting.settings(session).annual_fixed_costs, this.dues + max(this.contracts, signed),
                    this.dues + next_contracts, continuing)
    notes = []
    if not runway.fixed_costs:
        notes.append("年間固定費が設定されていません（設定 → 会計連携）")
    return RevenuePicture(year, profile.get_profile(session).name, tuple(years), billed, paid,
                          tuple((y, member_count(session, y)) for y in range(first, year + 1)),
                          tuple(pipeline), tuple(grants), runway, tuple(notes))


def dashboard_cards(session: Session, today: date) -> list:
    """The year's revenue by source and the months dues and contracts alone would pay for."""
    from tama_desk.areas import Card
    from tama_desk.domain.fiscal import fiscal_year_of
    from tama_desk.i18n import t

    year = fiscal_year_of(today, profile.get_profile(session).fiscal_year_start_month)
    shown = picture(session, year)
    this, runway = shown.this_year, shown.runway
    cards = [Card(t("{year}年度 収入", year=year), t("{amount}円", amount=f"{this.total:,}"),
                  t("会費 {dues}・委託 {contracts}・補助金 {grants}・事業 {business}（万円）",
                    **{key: f"{amount / 10000:,.0f}" for key, amount in this.by_source().items()}), "accounting")]
    if runway.months is None:
        cards.append(Card(t("補助金なしで"), "—", t("年間固定費を設定してください"), "accounting"))
    else:
        cards.append(Card(t("補助金なしで"), t("{months}か月", months=runway.months),
                          t("翌年度 {months}か月（補助金が予定どおり終わる場合）", months=runway.next_year_months),
                          "accounting"))
    return cards
