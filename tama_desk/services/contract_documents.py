"""The data of the contract documents, gathered from the database (the renderers take it as plain values)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tama_desk import settings
from tama_desk.db.models_contracts import Amendment, Contract, ContractCost
from tama_desk.domain import contracts as rules
from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.domain.contract_documents import (
    AmendmentLine,
    BalanceReport,
    ContractHeader,
    CostLine,
    LetterData,
    RegisterRow,
)
from tama_desk.errors import UserError
from tama_desk.services import contracts, invoices


def use_wareki() -> bool:
    """和暦で表示 (the user's setting): documents for municipalities follow it too."""
    return bool(getattr(settings.load(), "wareki", False))


def header_of(contract: Contract) -> ContractHeader:
    return ContractHeader(
        title=contract.title, client=contracts.party_name(contract), number=contract.number,
        reference=contract.reference, kind=contract.kind, payment_terms=rules.PAYMENT_TERMS[contract.payment_terms],
        signed_on=contract.signed_on, period_start=contract.period_start, period_end=contract.period_end,
        amount=contract.amount, tax_amount=contract.tax_amount, final_amount=contract.final_amount,
        tax_category=TAX_CATEGORIES[contract.tax_category], amendments=amendment_lines(contract.amendments, contract.period_start))


def amendment_lines(amendments: list[Amendment], start: date) -> tuple[AmendmentLine, ...]:
    """A contract's 変更契約 (in date order) as the documents print them, numbered 第1回, 第2回 …; `start`: the
    contract's period start, for amendments recorded before migration 0013 kept it."""
    ordered = sorted(amendments, key=lambda a: (a.amended_on, a.id))
    return tuple(AmendmentLine(
        number, a.amended_on, a.reason, a.amount_before, a.amount_after,
        a.period_start_before or start, a.period_end_before, a.period_start_after or start, a.period_end_after,
        tuple(contracts.change_of(row).text() for row in a.milestone_changes))
        for number, a in enumerate(ordered, start=1))


def cost_lines(session: Session, contract_id: int) -> tuple[CostLine, ...]:
    query = select(ContractCost).where(ContractCost.contract_id == contract_id).order_by(
        ContractCost.payment_date, ContractCost.voucher_number)
    return tuple(CostLine(c.voucher_number, c.payment_date, c.category, c.payee, c.description, c.amount, c.tax)
                 for c in session.scalars(query))


def balance_report(session: Session, contract_id: int, on: date, wareki: bool | None = None) -> BalanceReport:
    contract = contracts.get_contract(session, contract_id)
    margin = contracts.margin_of(session, contract)
    money = contracts.money_of(session, [contract.id]).get(contract.id, contracts.Money())
    billable = contract.final_amount if contract.final_amount is not None else contract.amount
    status = rules.STATUSES[rules.status_of(contracts.facts_of(contract, money), on)]
    return BalanceReport(
        date=on, issuer=invoices.issuer_snapshot(session), contract=header_of(contract), revenue=billable,
        revenue_net=margin.revenue, costs=margin.costs, management_fee_rate=_rate_text(contract.management_fee_rate),
        management_fee=margin.management_fee, invoiced=money.invoiced, paid=money.paid,
        lines=cost_lines(session, contract.id), wareki=use_wareki() if wareki is None else wareki, status=status)


def _rate_text(rate: str) -> str:
    value = rules.parse_rate(rate)
    return "0" if not value else f"{float(value * 100):g}%"


def letter_data(session: Session, kind: str, contract_id: int, on: date, wareki: bool | None = None) -> LetterData:
    """業務完了届 (kind "completion") or 委託料精算書 ("settlement")."""
    contract = contracts.get_contract(session, contract_id)
    wareki = use_wareki() if wareki is None else wareki
    common = dict(date=on, issuer=invoices.snapshot_seal(session, invoices.issuer_snapshot(session)),
                  recipient=contracts.recipient(contract), contract=header_of(contract), wareki=wareki)
    if kind == "completion":
        if contract.completed_on is None:
            raise UserError("{title} の完了届がまだ記録されていません（contracts complete）", title=contract.title)
        return LetterData(kind="completion", completed_on=contract.completed_on,
                          deliverables=tuple(d.name for d in contract.deliverables), **common)
    if contract.payment_terms != "advance" or contract.final_amount is None:
        raise UserError("{title} は精算（確定額の登録）がされていません", title=contract.title)
    advance = sum(i.total for i in contracts.contract_invoices(session, contract.id)
                  if i.contract_stage == "advance" and i.kind == "invoice")
    result = rules.settlement(contract.final_amount, advance)
    return LetterData(kind="settlement", advance=advance, balance=result.balance, refund=result.refund, **common)


def render_document(session: Session, which: str, contract_id: int, on: date) -> tuple[bytes, str]:
    """`estimate` (見積書), `letter` (業務完了届) or `statement` (委託料精算書) as PDF bytes, with what it is."""
    if which == "estimate":
        from tama_desk.documents import invoice as invoice_pdf

        snapshot = contracts.estimate_snapshot(session, contract_id, on)
        return invoice_pdf.render(snapshot), "見積書"
    from tama_desk.documents.contract_letter import render

    data = letter_data(session, "completion" if which == "letter" else "settlement", contract_id, on)
    return render(data), "業務完了届" if which == "letter" else "委託料精算書"


def register(session: Session, today: date, fiscal_year: int | None) -> list[RegisterRow]:
    """The 委託事業一覧 of a fiscal year: each contract's list row with its 変更契約 (one query for all of them)."""
    rows = contracts.list_contracts(session, today, fiscal_year)
    found: dict[int, list[Amendment]] = {}
    query = (select(Amendment).where(Amendment.contract_id.in_([row.id for row in rows]))
             .options(selectinload(Amendment.milestone_changes)))
    for amendment in session.scalars(query):
        found.setdefault(amendment.contract_id, []).append(amendment)
    return [RegisterRow(row, amendment_lines(found.get(row.id, []), row.period_start)) for row in rows]
