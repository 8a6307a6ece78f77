"""委託事業: contracts, milestones, deliverables, 完了届 and 検査, invoices (through the invoice engine),
概算払い settlement, amendments, and the figures the list, the register and the reports show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tama_desk.db.guards import expect_version
from tama_desk.db.models import Invoice, Payment, PaymentAllocation
from tama_desk.db.models_contracts import (
    Amendment,
    AmendmentMilestone,
    Contract,
    ContractCost,
    Deliverable,
    Milestone,
)
from tama_desk.domain import contracts as rules
from tama_desk.domain.choices import CONTRACT_STAGES, TAX_CATEGORIES
from tama_desk.domain.contract_documents import ContractRow
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.domain.invoice import DocumentSnapshot, Recipient
from tama_desk.domain.tax import Line
from tama_desk.errors import UserError
from tama_desk.services import audit, clients, invoices, profile

# Invoice.contract_stage of contract invoices (their purpose is "other", the fee codes stay as they are).
STAGES = CONTRACT_STAGES  # domain.choices: the one list (a CHECK constraint too)


# --- contracts -----------------------------------------------------------------------------------


def create_contract(session: Session, *, party: clients.Party, title: str, signed_on: date | None,
                    period_start: date, period_end: date, amount: int, payment_terms: str, number: str = "",
                    kind: str = "準委任", reference: str = "", tax_amount: int | None = None,
                    management_fee_rate: str = "0", notes: str = "", tax_category: str = "standard_10") -> Contract:
    """A 委託契約. `tax_category` is an invoice-engine code (standard_10, reduced_8, exempt, out_of_scope): the
    contract's invoices, credit notes and 見積書 carry it; うち消費税額 defaults to the tax inside `amount`."""
    title = title.strip()
    if not title:
        raise UserError("件名を入力してください")
    if period_end < period_start:
        raise UserError("契約期間の終わり {end} が始まり {start} より前です", start=period_start, end=period_end)
    if amount < 0:
        raise UserError("契約金額は0円以上にしてください")
    if payment_terms not in rules.PAYMENT_TERMS:
        raise UserError("支払条件は completion・partial・advance のいずれかです")
    if kind not in rules.KINDS:
        raise UserError("契約の種類は 委任・準委任・請負 のいずれかです")
    if tax_category not in TAX_CATEGORIES:
        raise UserError("税区分 {code} は使えません（{codes} のいずれか）", code=tax_category,
                        codes="・".join(TAX_CATEGORIES))
    try:
        rules.parse_rate(management_fee_rate)
    except ValueError as error:
        raise UserError(str(error)) from None
    start_month = profile.get_profile(session).fiscal_year_start_month
    contract = Contract(
        client_id=party.client.id if party.client else None, member_id=party.member.id if party.member else None,
        title=title, number=number.strip(), reference=reference.strip(), signed_on=signed_on,
        fiscal_year=fiscal_year_of(signed_on or period_start, start_month), period_start=period_start,
        period_end=period_end, amount=amount,
        tax_amount=rules.tax_included_in(amount, tax_category) if tax_amount is None else tax_amount,
        tax_category=tax_category, kind=kind, payment_terms=payment_terms,
        management_fee_rate=management_fee_rate.strip() or "0",
        notes=notes)
    session.add(contract)
    session.flush()
    audit.record(session, "create", "contract", contract.id,
                 f"{party.name} {title} {amount:,}円 {rules.PAYMENT_TERMS[payment_terms]} {TAX_CATEGORIES[tax_category]}")
    return contract


def get_contract(session: Session, contract_id: int) -> Contract:
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise UserError("委託契約（id {id}）が見つかりません", id=contract_id)
    return contract


def _live(session: Session, contract_id: int, version: int | None = None) -> Contract:
    """`version`: the one the user was shown; an action over a change made since is refused (StaleEditError)."""
    contract = get_contract(session, contract_id)
    expect_version(contract, version)
    if contract.cancelled_on:
        raise UserError("{title} は中止されています", title=contract.title)
    return contract


def sign(session: Session, contract_id: int, on: date, version: int | None = None) -> Contract:
    """見積 → 契約済: the contract was signed."""
    contract = _live(session, contract_id, version)
    if contract.signed_on is not None:
        raise UserError("{title} は契約済みです（契約日 {date}）", title=contract.title, date=contract.signed_on)
    contract.signed_on = on
    contract.fiscal_year = fiscal_year_of(on, profile.get_profile(session).fiscal_year_start_month)
    audit.record(session, "sign", "contract", contract.id, f"契約日 {on:%Y-%m-%d}")
    return contract


def cancel_contract(session: Session, contract_id: int, on: date, reason: str,
                    version: int | None = None) -> Contract:
    contract = _live(session, contract_id, version)
    if not reason.strip():
        raise UserError("中止の理由を入力してください")
    if invoiced_total(session, contract.id):
        raise UserError("{title} には請求書があります。先に取り消すか返還請求書を発行してください", title=contract.title)
    contract.cancelled_on, contract.cancel_reason = on, reason.strip()
    audit.record(session, "cancel", "contract", contract.id, f"{on:%Y-%m-%d}: {reason.strip()}")
    return contract


def add_milestone(session: Session, contract_id: int, name: str, due: date, amount: int) -> Milestone:
    contract = _live(session, contract_id)
    if not name.strip():
        raise UserError("履行段階の名称を入力してください")
    if amount < 0:
        raise UserError("金額は0円以上にしてください")
    planned = sum(milestone.amount for milestone in contract.milestones)
    if planned + amount > contract.amount:
        raise UserError("履行段階の金額の合計 {total}円 が契約金額 {amount}円 を超えます",
                        total=f"{planned + amount:,}", amount=f"{contract.amount:,}")
    position = max((m.position for m in contract.milestones), default=0) + 1  # an amendment may have removed one
    milestone = Milestone(position=position, name=name.strip(), due_date=due, amount=amount)
    contract.milestones.append(milestone)
    session.flush()
    audit.record(session, "milestone", "contract", contract.id,
                 f"第{milestone.position}回 {milestone.name} {due:%Y-%m-%d} {amount:,}円")
    return milestone


def add_deliverable(session: Session, contract_id: int, name: str, due: date) -> Deliverable:
    contract = _live(session, contract_id)
    if not name.strip():
        raise UserError("成果物の名称を入力してください")
    deliverable = Deliverable(name=name.strip(), due_date=due)
    contract.deliverables.append(deliverable)
    session.flush()
    audit.record(session, "deliverable", "contract", contract.id, f"{deliverable.name} 期限 {due:%Y-%m-%d}")
    return deliverable


def submit_deliverable(session: Session, deliverable_id: int, on: date) -> Deliverable:
    deliverable = session.get(Deliverable, deliverable_id)
    if deliverable is None:
        raise UserError("成果物（id {id}）が見つかりません", id=deliverable_id)
    deliverable.submitted_on = on
    audit.record(session, "submit", "contract", deliverable.contract_id, f"{deliverable.name} 提出 {on:%Y-%m-%d}")
    return deliverable


def milestone_of(contract: Contract, position: int) -> Milestone:
    for milestone in contract.milestones:
        if milestone.position == position:
            return milestone
    raise UserError("{title} に第{n}回の履行段階はありません", title=contract.title, n=position)


def complete(session: Session, contract_id: int, on: date, milestone: int | None = None) -> Contract:
    """完了届: the whole contract, or one milestone."""
    contract = _live(session, contract_id)
    if contract.signed_on is None:
        raise UserError("{title} はまだ契約されていません（見積）", title=contract.title)
    if on < contract.period_start:
        raise UserError("完了日 {date} が契約期間の前です", date=on)
    target = milestone_of(contract, milestone) if milestone else contract
    target.completed_on = on
    audit.record(session, "complete", "contract", contract.id,
                 f"完了届 {on:%Y-%m-%d}" + (f"（第{milestone}回）" if milestone else ""))
    return contract


def inspect(session: Session, contract_id: int, on: date, milestone: int | None = None,
            passed: bool = True) -> Contract:
    """検査: after the completion notice; a failed inspection is recorded and must be repeated."""
    contract = _live(session, contract_id)
    target = milestone_of(contract, milestone) if milestone else contract
    if target.completed_on is None:
        raise UserError("完了届の前に検査は記録できません")
    if on < target.completed_on:
        raise UserError("検査日 {date} が完了届 {completed} より前です", date=on, completed=target.completed_on)
    target.inspected_on, target.inspection_passed = on, passed
    audit.record(session, "inspect", "contract", contract.id,
                 f"検査 {on:%Y-%m-%d} {'合格' if passed else '不合格'}" + (f"（第{milestone}回）" if milestone else ""))
    return contract


def amend(session: Session, contract_id: int, on: date, reason: str, amount: int | None = None,
          period_end: date | None = None, summary: str = "", *, period_start: date | None = None,
          milestones: Iterable[rules.MilestoneEdit] = (), version: int | None = None) -> Amendment:
    """変更契約: the contract's amount, period and milestones change (the milestone rows are updated, added or
    deleted); the amendment keeps every before and after. A milestone already invoiced can be renamed or
    moved, but not removed or changed in amount. `version`: the contract's as the user was shown it."""
    contract = _live(session, contract_id, version)
    if not reason.strip():
        raise UserError("変更の理由を入力してください")
    new_amount = contract.amount if amount is None else amount
    new_start, new_end = period_start or contract.period_start, period_end or contract.period_end
    if new_amount < invoiced_total(session, contract.id):
        raise UserError("変更後の契約金額が請求済みの額を下回ります")
    if new_end < new_start:
        raise UserError("契約期間の終わりが始まりより前です")
    amendment = Amendment(amended_on=on, reason=reason.strip(), amount_before=contract.amount,
                          amount_after=new_amount, period_start_before=contract.period_start,
                          period_start_after=new_start, period_end_before=contract.period_end,
                          period_end_after=new_end, summary=summary.strip())
    changes = _change_milestones(session, contract, list(milestones))
    planned = sum(milestone.amount for milestone in contract.milestones)
    if planned > new_amount:
        raise UserError("履行段階の金額の合計 {total}円 が契約金額 {amount}円 を超えます",
                        total=f"{planned:,}", amount=f"{new_amount:,}")
    amendment.milestone_changes = [AmendmentMilestone(**vars(change)) for change in changes]
    contract.amendments.append(amendment)
    if new_amount != contract.amount:
        contract.tax_amount = rules.tax_included_in(new_amount, contract.tax_category)
    contract.amount, contract.period_start, contract.period_end = new_amount, new_start, new_end
    session.flush()
    audit.record(session, "amend", "contract", contract.id,
                 f"変更契約 {on:%Y-%m-%d}: {amendment.amount_before:,}円→{new_amount:,}円 "
                 f"{amendment.period_start_before:%Y-%m-%d}〜{amendment.period_end_before:%Y-%m-%d}→"
                 f"{new_start:%Y-%m-%d}〜{new_end:%Y-%m-%d} {reason.strip()}"
                 + "".join(f"／{change.text()}" for change in changes))
    return amendment


def _change_milestones(session: Session, contract: Contract,
                       edits: list[rules.MilestoneEdit]) -> list[rules.MilestoneChange]:
    """Apply an amendment's milestone edits to the rows; refuse what an invoice has fixed."""
    issued = [i for i in session.scalars(select(Invoice).where(Invoice.contract_id == contract.id,
                                                                Invoice.milestone_id.is_not(None)))]
    changes, touched = [], set()
    next_position = max((m.position for m in contract.milestones), default=0) + 1
    for edit in edits:
        if edit.position is None:
            if not (edit.name or "").strip() or edit.due is None or edit.amount is None:
                raise UserError("追加する履行段階には名称・期限・金額が必要です")
            if edit.amount < 0:
                raise UserError("金額は0円以上にしてください")
            milestone = Milestone(position=next_position, name=edit.name.strip(), due_date=edit.due,
                                  amount=edit.amount)
            contract.milestones.append(milestone)
            changes.append(rules.MilestoneChange(next_position, "added", name_after=milestone.name,
                                                 due_after=edit.due, amount_after=edit.amount))
            next_position += 1
            continue
        milestone = milestone_of(contract, edit.position)
        if milestone.position in touched:
            raise UserError("第{n}回の履行段階が二度指定されています", n=milestone.position)
        touched.add(milestone.position)
        live = [i for i in issued if i.milestone_id == milestone.id and i.status == "issued" and i.kind == "invoice"]
        before = dict(name_before=milestone.name, due_before=milestone.due_date, amount_before=milestone.amount)
        if edit.remove:
            blocking = live or [i for i in issued if i.milestone_id == milestone.id]
            if blocking:
                raise UserError("第{n}回「{name}」は請求書 {number} があるため削除できません", n=milestone.position,
                                name=milestone.name, number=blocking[0].number)
            contract.milestones.remove(milestone)
            changes.append(rules.MilestoneChange(milestone.position, "removed", **before))
            continue
        if edit.amount is not None and edit.amount != milestone.amount:
            if live:
                raise UserError("第{n}回「{name}」は請求書 {number} で請求済みのため金額を変更できません",
                                n=milestone.position, name=milestone.name, number=live[0].number)
            if edit.amount < 0:
                raise UserError("金額は0円以上にしてください")
        name = (edit.name or "").strip() or milestone.name
        due = edit.due or milestone.due_date
        new_amount = milestone.amount if edit.amount is None else edit.amount
        if (name, due, new_amount) == (milestone.name, milestone.due_date, milestone.amount):
            continue
        milestone.name, milestone.due_date, milestone.amount = name, due, new_amount
        changes.append(rules.MilestoneChange(milestone.position, "changed", **before, name_after=name, due_after=due,
                                             amount_after=new_amount))
    session.flush()
    return changes


def change_of(row: AmendmentMilestone) -> rules.MilestoneChange:
    return rules.MilestoneChange(row.position, row.change, row.name_before, row.name_after, row.due_before,
                                 row.due_after, row.amount_before, row.amount_after)


def settle(session: Session, contract_id: int, final_amount: int, on: date) -> rules.Settlement:
    """概算払いの精算: fix the 確定額. Allowed again (audited) until the final invoice is issued."""
    contract = _live(session, contract_id)
    if contract.payment_terms != "advance":
        raise UserError("{title} は概算払いの契約ではありません", title=contract.title)
    if contract.completed_on is None:
        raise UserError("精算は完了届（実績報告）の後に行います")
    if final_amount > contract.amount:
        raise UserError("確定額 {final}円 が契約金額 {amount}円 を超えています", final=f"{final_amount:,}",
                        amount=f"{contract.amount:,}")
    if any(_is_final(invoice) for invoice in contract_invoices(session, contract.id)):
        raise UserError("精算の請求書（または返還請求書）は発行済みです。確定額は変更できません")
    before = contract.final_amount
    contract.final_amount, contract.settled_on = final_amount, on
    result = rules.settlement(final_amount, invoiced_total(session, contract.id))
    audit.record(session, "settle", "contract", contract.id,
                 f"確定額 {final_amount:,}円（{on:%Y-%m-%d}）" + (f" 変更前 {before:,}円" if before is not None else ""))
    return result


def _is_final(invoice: Invoice) -> bool:
    return invoice.kind == "credit_note" or invoice.contract_stage == "final"


# --- invoices ------------------------------------------------------------------------------------


def contract_invoices(session: Session, contract_id: int, include_cancelled: bool = False) -> list[Invoice]:
    query = select(Invoice).where(Invoice.contract_id == contract_id).order_by(Invoice.issue_date, Invoice.id)
    if not include_cancelled:
        query = query.where(Invoice.status == "issued")
    return list(session.scalars(query))


def invoiced_total(session: Session, contract_id: int) -> int:
    """Everything invoiced for the contract, net of credit notes (live documents only)."""
    total = 0
    for invoice in contract_invoices(session, contract_id):
        total += -invoice.total if invoice.kind == "credit_note" else invoice.total
    return total


def recipient(contract: Contract) -> Recipient:
    if contract.client is not None:
        return clients.recipient_of(contract.client)
    return invoices.recipient_snapshot(contract.member)


def party_name(contract: Contract) -> str:
    return contract.client.name if contract.client else contract.member.name if contract.member else ""


def _references(contract: Contract) -> tuple[tuple[str, str], ...]:
    found = []
    if contract.number:
        found.append(("契約番号", contract.number))
    if contract.reference:
        found.append(("当会整理番号", contract.reference))
    return tuple(found)


def issue_invoice(session: Session, contract_id: int, issue_date: date, *, milestone: int | None = None,
                  advance: int | None = None, final: bool = False) -> Invoice:
    """One invoice of a contract (tax included, 10 %, tax rounded once on the invoice), or — when the advance
    exceeds the 確定額 — the credit note for the difference. Exactly one of milestone / advance / final."""
    if [milestone is not None, advance is not None, final].count(True) != 1:
        raise UserError("--milestone N、--advance YEN、--final のどれか一つを指定してください")
    contract = _live(session, contract_id)
    if contract.signed_on is None:
        raise UserError("{title} はまだ契約されていません（見積）", title=contract.title)
    invoiced = invoiced_total(session, contract.id)
    stage = milestone_of(contract, milestone) if milestone is not None else None
    if stage is not None and not (stage.inspected_on and stage.inspection_passed):
        raise UserError("第{n}回「{name}」は検査に合格していません（部分払いは検査の後に請求します）",
                        n=stage.position, name=stage.name)
    if stage is not None and any(i.milestone_id == stage.id and i.kind == "invoice"
                                 for i in contract_invoices(session, contract.id)):
        raise UserError("第{n}回の請求書は発行済みです", n=stage.position)
    if final and contract.payment_terms != "advance" and not _work_accepted(contract):
        raise UserError("{title} は検査に合格していません（完了払いは検査の後に請求します）", title=contract.title)
    try:
        amount = rules.next_invoice_amount(contract.payment_terms, contract.amount, invoiced,
                                           milestone_amount=stage.amount if stage else None, advance=advance,
                                           final_amount=contract.final_amount)
    except ValueError as error:
        raise UserError(str(error)) from None
    if amount < 0:
        return _refund(session, contract, -amount, issue_date, invoiced)
    description, notes = _describe(contract, stage, advance, amount, invoiced)
    values = dict(kind="invoice", issue_date=issue_date, due_date=rules.payment_due(issue_date),
                  recipient=recipient(contract), lines=[Line(description, 1, amount, contract.tax_category)],
                  subject=contract.title, period_start=contract.period_start, period_end=contract.period_end,
                  prices_include_tax=True, notes=notes, references=_references(contract))
    kind = ("milestone" if stage else "advance" if advance is not None
            else "final" if contract.payment_terms == "advance" else "completion")
    invoice = invoices.issue(session, values, member=contract.member, purpose="other",
                             links={"client_id": contract.client_id, "contract_id": contract.id,
                                    "milestone_id": stage.id if stage else None, "contract_stage": kind})
    audit.record(session, "invoice", "contract", contract.id, f"{invoice.number} {amount:,}円")
    return invoice


def _work_accepted(contract: Contract) -> bool:
    if contract.inspected_on and contract.inspection_passed:
        return True
    return bool(contract.milestones) and all(m.inspected_on and m.inspection_passed for m in contract.milestones)


def _describe(contract: Contract, stage: Milestone | None, advance: int | None, amount: int,
              invoiced: int) -> tuple[str, str]:
    """The line and the running totals (partial invoices carry both the increment and the total)."""
    running = invoiced + amount
    if stage is not None:
        line = f"{contract.title} 部分払い 第{stage.position}回（{stage.name}）"
        notes = (f"契約金額 {contract.amount:,}円（うち消費税額 {contract.tax_amount:,}円）／今回請求 {amount:,}円／"
                 f"請求累計 {running:,}円／残額 {contract.amount - running:,}円")
    elif advance is not None:
        line = f"{contract.title} 概算払"
        notes = (f"契約金額 {contract.amount:,}円（うち消費税額 {contract.tax_amount:,}円）に対する概算払です。"
                 f"確定額との差額は精算の際に請求または返還いたします。")
    elif contract.payment_terms == "advance":
        line = f"{contract.title} 精算額（確定額 {contract.final_amount:,}円 − 概算払額 {invoiced:,}円）"
        notes = (f"確定額 {contract.final_amount:,}円／概算払額（請求済み） {invoiced:,}円／"
                 f"差引請求額 {amount:,}円")
    elif invoiced:
        line = f"{contract.title} 業務委託料（残額）"
        notes = f"契約金額 {contract.amount:,}円／請求済み {invoiced:,}円／今回請求 {amount:,}円"
    else:
        line = f"{contract.title} 業務委託料"
        notes = f"契約金額 {contract.amount:,}円（うち消費税額 {contract.tax_amount:,}円）"
    return line, notes


def _refund(session: Session, contract: Contract, refund: int, issue_date: date, invoiced: int) -> Invoice:
    """概算払額 > 確定額: a credit note (適格返還請求書) against the advance invoice for the difference."""
    targets = [invoice for invoice in reversed(contract_invoices(session, contract.id)) if invoice.kind == "invoice"]
    owed = invoices.balances(session, [invoice.id for invoice in targets])
    for original in targets:
        room = owed[original.id].due
        if room >= refund:
            line = Line(f"{contract.title} 概算払額の返還（概算払額 {invoiced:,}円 − 確定額 "
                        f"{contract.final_amount:,}円）", 1, refund, contract.tax_category)
            note = invoices.credit_note(session, original.id, [line], issue_date,
                                        f"精算による返還: 確定額 {contract.final_amount:,}円／概算払額 {invoiced:,}円"
                                        f"／返還額 {refund:,}円")
            audit.record(session, "refund", "contract", contract.id, f"{note.number} 返還 {refund:,}円")
            return note
    raise UserError("返還額 {refund}円 を差し引ける請求書がありません", refund=f"{refund:,}")


ESTIMATE_VALID_DAYS = 30


def estimate_snapshot(session: Session, contract_id: int, issue_date: date, valid_until: date | None = None
                      ) -> DocumentSnapshot:
    """見積書 with the invoice engine's tax rules; not numbered in the invoice sequence and not stored."""
    contract = get_contract(session, contract_id)
    settings = profile.get_profile(session)
    lines = [Line(f"{contract.title} 第{m.position}回（{m.name}）", 1, m.amount, contract.tax_category)
             for m in contract.milestones if m.amount] if contract.payment_terms == "partial" else []
    rest = contract.amount - sum(line.amount for line in lines)
    if rest or not lines:
        lines.append(Line(f"{contract.title} 業務委託料", 1, rest, contract.tax_category))
    return DocumentSnapshot.build(
        kind="estimate", number=f"Q-{contract.id:05d}", issue_date=issue_date,
        issuer=invoices.snapshot_seal(session, invoices.issuer_snapshot(session)), recipient=recipient(contract),
        lines=lines,
        subject=contract.title, period_start=contract.period_start, period_end=contract.period_end,
        due_date=valid_until or issue_date + timedelta(days=ESTIMATE_VALID_DAYS), rounding=settings.tax_rounding,
        prices_include_tax=True,
        notes=f"契約の種類: {contract.kind}／支払条件: {rules.PAYMENT_TERMS[contract.payment_terms]}",
        references=_references(contract))


# --- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    invoiced: int = 0  # net of credit notes
    paid: int = 0
    open: int = 0


def money_of(session: Session, contract_ids: Iterable[int]) -> dict[int, Money]:
    return money_from(*live_invoices(session, list(contract_ids)))


def money_from(by_contract: dict[int, list[Invoice]], owed: dict) -> dict[int, Money]:
    """Invoiced (credit notes deducted), paid and open per contract, from `live_invoices`' issued invoices."""
    sums: dict[int, list[int]] = {}
    for contract_id, found in by_contract.items():
        row = sums.setdefault(contract_id, [0, 0, 0])
        for invoice in found:
            if invoice.kind == "credit_note":
                row[0] -= invoice.total
            else:
                balance = owed[invoice.id]
                row[0] += invoice.total
                row[1] += min(balance.paid, balance.due)
                row[2] += balance.open
    return {key: Money(*values) for key, values in sums.items()}


def costs_by_category(session: Session, contract_id: int) -> dict[str, int]:
    """費目 → cost tax excluded."""
    query = (select(ContractCost.category, func.sum(ContractCost.amount - ContractCost.tax))
             .where(ContractCost.contract_id == contract_id).group_by(ContractCost.category)
             .order_by(ContractCost.category))
    return {category: int(total) for category, total in session.execute(query)}


def cost_totals(session: Session, contract_ids: Iterable[int] | None = None) -> dict[int, int]:
    query = select(ContractCost.contract_id, func.sum(ContractCost.amount - ContractCost.tax)).group_by(
        ContractCost.contract_id)
    if contract_ids is not None:
        query = query.where(ContractCost.contract_id.in_(list(contract_ids)))
    return {contract_id: int(total) for contract_id, total in session.execute(query)}


def facts_of(contract: Contract, money: Money) -> rules.ContractFacts:
    completed, inspected, passed = contract.completed_on, contract.inspected_on, contract.inspection_passed
    if completed is None and contract.milestones and all(m.completed_on for m in contract.milestones):
        completed = max(m.completed_on for m in contract.milestones)
    if inspected is None and contract.milestones and all(m.inspected_on for m in contract.milestones):
        inspected = max(m.inspected_on for m in contract.milestones)
        passed = all(m.inspection_passed for m in contract.milestones)
    return rules.ContractFacts(
        signed_on=contract.signed_on, period_start=contract.period_start, period_end=contract.period_end,
        payment_terms=contract.payment_terms, amount=contract.amount, final_amount=contract.final_amount,
        completed_on=completed, inspected_on=inspected, inspection_passed=passed,
        cancelled=contract.cancelled_on is not None, invoiced=money.invoiced, open=money.open)


def deadlines_of(contract: Contract, invoices_: list[Invoice], owed: dict, today: date) -> list[rules.Deadline]:
    if contract.cancelled_on:
        return []
    completions = [rules.Completion(f"第{m.position}回 {m.name}", m.completed_on, m.inspected_on)
                   for m in contract.milestones if m.completed_on]
    if contract.completed_on:
        completions.append(rules.Completion(contract.title, contract.completed_on, contract.inspected_on))
    open_invoices = [rules.OpenInvoice(i.number, i.issue_date, owed[i.id].open)
                     for i in invoices_ if i.kind == "invoice" and i.id in owed]
    due = [rules.DueItem(d.name, d.due_date, d.submitted_on) for d in contract.deliverables]
    return rules.deadlines(completions, open_invoices, due, today)


def list_contracts(session: Session, today: date, fiscal_year: int | None = None,
                   client_id: int | None = None, contract_id: int | None = None) -> list[ContractRow]:
    # what each row reads of its contract in one query per relationship, not one per contract
    query = select(Contract).options(*(selectinload(relation) for relation in (
        Contract.client, Contract.member, Contract.milestones, Contract.deliverables))).order_by(
        Contract.fiscal_year, Contract.period_start, Contract.id)
    if fiscal_year is not None:
        query = query.where(Contract.fiscal_year == fiscal_year)
    if client_id is not None:
        query = query.where(Contract.client_id == client_id)
    if contract_id is not None:
        query = query.where(Contract.id == contract_id)
    found = list(session.scalars(query))
    ids = [contract.id for contract in found]
    by_contract, owed = live_invoices(session, ids)  # the issued invoices read once, for the sums and the deadlines
    money, costs = money_from(by_contract, owed), cost_totals(session, ids)
    rows = []
    for contract in found:
        figures = money.get(contract.id, Money())
        upcoming = deadlines_of(contract, by_contract.get(contract.id, []), owed, today)
        rows.append(ContractRow(
            contract.id, contract.fiscal_year, party_name(contract), contract.title, contract.number,
            contract.period_start, contract.period_end, contract.payment_terms, contract.amount,
            contract.final_amount, figures.invoiced, figures.paid, figures.open, costs.get(contract.id, 0),
            rules.status_of(facts_of(contract, figures), today), upcoming[0] if upcoming else None,
            any(deadline.overdue(today) for deadline in upcoming), contract.tax_category))
    return rows


@dataclass(frozen=True)
class PaymentLine:
    received_on: date
    amount: int
    invoice_number: str
    payer: str


@dataclass
class ContractDetail:
    contract: Contract
    row: ContractRow
    milestones: list[Milestone]
    deliverables: list[Deliverable]
    invoices: list[invoices.InvoiceRow]
    payments: list[PaymentLine]
    costs: list[ContractCost]
    amendments: list[Amendment]
    deadlines: list[rules.Deadline]
    margin: rules.Margin
    history: list = field(default_factory=list)


def detail(session: Session, contract_id: int, today: date) -> ContractDetail:
    contract = get_contract(session, contract_id)
    [row] = list_contracts(session, today, contract_id=contract.id)
    found = contract_invoices(session, contract.id, include_cancelled=True)
    owed_all = invoices.balances(session, [i.id for i in found if i.kind == "invoice"])
    invoice_rows = []
    for invoice in found:
        balance = owed_all.get(invoice.id)
        state = "credit_note" if invoice.kind == "credit_note" else invoices.status_of(invoice, balance)
        live = balance is not None and invoice.status == "issued"
        invoice_rows.append(invoices.InvoiceRow(
            invoice.id, invoice.number, invoice.kind, invoice.member_id, "", invoice.recipient_name,
            invoice.issue_date, invoice.due_date, invoice.total, balance.paid if balance else 0,
            balance.open if live else 0, state))
    payments = [PaymentLine(payment.received_on, allocation.amount, invoice.number, payment.payer_name)
                for allocation, payment, invoice in session.execute(
                    select(PaymentAllocation, Payment, Invoice)
                    .join(Payment, PaymentAllocation.payment_id == Payment.id)
                    .join(Invoice, PaymentAllocation.invoice_id == Invoice.id)
                    .where(Invoice.contract_id == contract.id, Payment.reversed.is_(False))
                    .order_by(Payment.received_on))]
    costs = list(session.scalars(select(ContractCost).where(ContractCost.contract_id == contract.id)
                                 .order_by(ContractCost.payment_date, ContractCost.voucher_number)))
    owed = invoices.balances(session, [i.id for i in found if i.kind == "invoice" and i.status == "issued"])
    live = [invoice for invoice in found if invoice.status == "issued"]
    return ContractDetail(contract, row, list(contract.milestones), list(contract.deliverables), invoice_rows,
                          payments, costs, list(contract.amendments), deadlines_of(contract, live, owed, today),
                          margin_of(session, contract), audit.history(session, "contract", contract.id))


def margin_of(session: Session, contract: Contract) -> rules.Margin:
    billable = contract.final_amount if contract.final_amount is not None else contract.amount
    return rules.margin(billable, costs_by_category(session, contract.id), contract.tax_category,
                        rules.parse_rate(contract.management_fee_rate))


@dataclass(frozen=True)
class DeadlineRow:
    contract_id: int
    title: str
    deadline: rules.Deadline
    overdue: bool


def attention(session: Session, today: date) -> list[DeadlineRow]:
    """Every deadline of every live contract that needs attention, soonest first (the dashboard)."""
    found = []
    contracts = list(session.scalars(select(Contract).where(Contract.cancelled_on.is_(None)).options(
        selectinload(Contract.milestones), selectinload(Contract.deliverables))))
    by_contract, owed = live_invoices(session, [contract.id for contract in contracts])
    for contract in contracts:
        for deadline in deadlines_of(contract, by_contract.get(contract.id, []), owed, today):
            found.append(DeadlineRow(contract.id, contract.title, deadline, deadline.overdue(today)))
    return sorted(found, key=lambda row: row.deadline.due)


def live_invoices(session: Session, contract_ids: list[int]) -> tuple[dict[int, list[Invoice]], dict]:
    """The issued invoices of these contracts (each contract's in issue order, as contract_invoices gives them)
    and the invoices' balances: a fixed number of queries, not a few per contract."""
    by_contract: dict[int, list[Invoice]] = {}
    query = select(Invoice).where(Invoice.contract_id.in_(contract_ids), invoices.is_issued()).order_by(
        Invoice.issue_date, Invoice.id)
    for invoice in session.scalars(query):
        by_contract.setdefault(invoice.contract_id, []).append(invoice)
    owed = invoices.balances(session, [invoice.id for found in by_contract.values() for invoice in found
                                       if invoice.kind == "invoice"])
    return by_contract, owed


def year_revenue(session: Session, fiscal_year: int, today: date) -> tuple[int, int, int]:
    """(契約額 or 確定額, invoiced, paid) of the year's signed live contracts, tax included (the dashboard card)."""
    rows = [row for row in list_contracts(session, today, fiscal_year) if row.status not in ("cancelled", "estimate")]
    return sum(r.billable for r in rows), sum(r.invoiced for r in rows), sum(r.paid for r in rows)


def dashboard_cards(session: Session, today: date) -> list:
    """One card beside the fees: the year's 委託事業 (契約額 or 確定額) and how many deadlines need attention,
    how many of them overdue (the list itself is in the area)."""
    from tama_desk.areas import Card
    from tama_desk.i18n import t

    year = fiscal_year_of(today, profile.get_profile(session).fiscal_year_start_month)
    amount, _invoiced, _paid = year_revenue(session, year, today)
    rows = attention(session, today)
    overdue = sum(row.overdue for row in rows)
    note = t("期限 {n} 件・うち超過 {overdue} 件", n=len(rows), overdue=overdue) if rows else t("期限の近いものなし")
    return [Card(t("{year}年度 委託事業", year=year), t("{amount}円", amount=f"{amount:,}"), note, "contracts")]


@dataclass(frozen=True)
class MarginRow:
    client: str
    contracts: int
    revenue: int  # tax excluded: 確定額, or 契約金額 until settled
    cost: int  # tax excluded

    @property
    def margin(self) -> int:
        return self.revenue - self.cost


def margins_by_client(session: Session, today: date, fiscal_year: int | None = None) -> list[MarginRow]:
    """粗利 per client (live contracts of a fiscal year, or all), largest revenue first."""
    sums: dict[str, list[int]] = {}
    for row in list_contracts(session, today, fiscal_year):
        if row.status in ("cancelled", "estimate"):
            continue
        entry = sums.setdefault(row.client, [0, 0, 0])
        entry[0] += 1
        entry[1] += row.revenue
        entry[2] += row.cost
    return sorted((MarginRow(client, *values) for client, values in sums.items()), key=lambda r: -r.revenue)


# --- plain view data for the window (no ORM objects leave the session) ------------------------------


def choices_for_new(session: Session) -> dict[str, str]:
    """Who a new contract can be with: `C:id` → client name, `M:number` → member name (自治体 members first)."""
    from tama_desk.db.models import Member

    found = {f"C:{client.id}": client.name for client in clients.list_clients(session)}
    members = session.execute(select(Member.number, Member.name).where(Member.status == "active")
                              .order_by(Member.category != "municipality", Member.kana))  # columns: 10,000 members
    found.update({f"M:{number}": f"{name}（会員 {number}）" for number, name in members})
    return found


def detail_view(session: Session, contract_id: int, today: date) -> dict:
    """Everything the detail pane shows, as plain values."""
    data = detail(session, contract_id, today)
    contract, row = data.contract, data.row
    header = {
        "id": contract.id, "title": contract.title, "client": row.client, "number": contract.number,
        "reference": contract.reference, "kind": contract.kind, "payment_terms": contract.payment_terms,
        "signed_on": contract.signed_on, "period_start": contract.period_start, "period_end": contract.period_end,
        "amount": contract.amount, "tax_amount": contract.tax_amount, "tax_category": contract.tax_category,
        "final_amount": contract.final_amount,
        "completed_on": contract.completed_on, "inspected_on": contract.inspected_on,
        "inspection_passed": contract.inspection_passed, "status": row.status, "invoiced": row.invoiced,
        "paid": row.paid, "open": row.open, "cost": row.cost, "margin": row.margin, "revenue": row.revenue,
        "management_fee": data.margin.management_fee, "cancelled_on": contract.cancelled_on,
        "version": contract.version,
    }
    billed = {i.milestone_id for i in contract_invoices(session, contract.id) if i.kind == "invoice"}
    milestones = [{"id": m.id, "position": m.position, "name": m.name, "due_date": m.due_date, "amount": m.amount,
                   "invoiced": m.id in billed,
                   "completed_on": m.completed_on, "inspected_on": m.inspected_on,
                   "result": "" if m.inspected_on is None else "合格" if m.inspection_passed else "不合格"}
                  for m in data.milestones]
    deliverables = [{"id": d.id, "name": d.name, "due_date": d.due_date, "submitted_on": d.submitted_on}
                    for d in data.deliverables]
    costs = [{"id": c.id, "voucher_number": c.voucher_number, "payment_date": c.payment_date, "category": c.category,
              "payee": c.payee, "description": c.description, "amount": c.amount, "tax": c.tax,
              "net": c.amount - c.tax, "split": "按分" if c.split_total is not None else "",
              "file": "✔" if c.attachment_path else "", "attachment_name": c.attachment_name,
              "accounting_ref": c.accounting_ref, "split_total": c.split_total, "split_note": c.split_note,
              "version": c.version} for c in data.costs]
    amendments = [{"id": a.id, "amended_on": a.amended_on, "reason": a.reason, "amount_before": a.amount_before,
                   "amount_after": a.amount_after, "period_end_before": a.period_end_before,
                   "period_end_after": a.period_end_after,
                   "period_start_before": a.period_start_before or contract.period_start,
                   "period_start_after": a.period_start_after or contract.period_start, "summary": a.summary,
                   "changes": [change_of(row) for row in a.milestone_changes]} for a in data.amendments]
    history = [{"id": entry.id, "at": entry.at, "user": entry.user, "summary": audit.describe(entry.summary)}
               for entry in data.history]
    deadlines = [{"id": index, "kind": d.kind, "due": d.due, "label": d.label, "params": d.params,
                  "overdue": d.overdue(today)} for index, d in enumerate(data.deadlines)]
    return {"header": header, "milestones": milestones, "deliverables": deliverables, "invoices": data.invoices,
            "payments": data.payments, "costs": costs, "amendments": amendments, "history": history,
            "deadlines": deadlines, "costs_by_category": dict(data.margin.costs)}


def fiscal_years(session: Session) -> list[int]:
    return sorted(set(session.scalars(select(Contract.fiscal_year))), reverse=True)


