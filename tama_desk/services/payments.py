"""Payments (入金) and reconciliation (消込): record, allocate to invoices, reverse; credit; aging."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tama_desk.db.engine import current_user
from tama_desk.db.models import Invoice, Member, Payment, PaymentAllocation
from tama_desk.domain.choices import PAYMENT_METHODS
from tama_desk.errors import UserError
from tama_desk.services import audit, invoices

# what a payment can be recorded as (the CHECK's list); a write-off is not money received (write_off below,
# a WriteOff row), shown beside the payments with the label of METHODS
ENTRY_METHODS = PAYMENT_METHODS
METHODS = {**PAYMENT_METHODS, "write_off": "差引（償却）"}
AGING_BUCKETS = (("not_due", "期限内"), ("0-30", "0〜30日"), ("31-60", "31〜60日"), ("61-90", "61〜90日"),
                 ("90+", "90日超"))


def open_invoices(session: Session, member_id: int) -> list[tuple[Invoice, int]]:
    """The member's issued invoices with something still open, oldest due first, with the open amount."""
    query = select(Invoice).where(Invoice.member_id == member_id, Invoice.kind == "invoice",
                                  Invoice.status == "issued").order_by(Invoice.due_date, Invoice.issue_date,
                                                                       Invoice.id)
    found = list(session.scalars(query))
    owed = invoices.balances(session, [invoice.id for invoice in found])
    return [(invoice, owed[invoice.id].open) for invoice in found if owed[invoice.id].open > 0]


def record_payment(
    session: Session,
    member_id: int | None,
    received_on: date,
    amount: int,
    method: str = "transfer",
    payer_name: str = "",
    allocations: Iterable[tuple[int, int]] | None = None,
    statement_ref: str | None = None,
    note: str = "",
    first_invoice_id: int | None = None,
    client_id: int | None = None,
    open_amounts: Mapping[int, int] | None = None,
) -> Payment:
    """Record money received and settle invoices with it: the given (invoice id, amount) pairs, or else the
    member's open invoices oldest first. What is left over stays on the member as credit. `open_amounts`: the
    invoices' open amounts as the caller keeps them (a statement run reads them once, not once per line)."""
    if amount <= 0:
        raise UserError("入金額は1円以上にしてください（{amount}円）", amount=amount)
    if method not in ENTRY_METHODS:
        raise UserError("入金方法が正しくありません: {method}", method=method)
    if statement_ref and session.scalar(select(Payment.id).where(Payment.statement_ref == statement_ref)):
        raise UserError("{date} {payer} {amount}円 は取込済みの明細です（二重入金を防ぎました）", date=f"{received_on:%Y-%m-%d}",
                        payer=payer_name, amount=f"{amount:,}")
    member = session.get(Member, member_id) if member_id else None
    if member_id and member is None:
        raise UserError("会員（id {id}）が見つかりません", id=member_id)
    if allocations is None:
        allocations = _oldest_first(session, member_id, amount, first_invoice_id) if member_id else []
    allocations = [(invoice_id, part) for invoice_id, part in allocations if part]
    if sum(part for _invoice, part in allocations) > amount:
        raise UserError("消込額の合計が入金額 {amount}円 を超えています", amount=f"{amount:,}")
    payment = Payment(member_id=member_id, client_id=client_id, received_on=received_on, amount=amount, method=method,
                      payer_name=payer_name, statement_ref=statement_ref, note=note)
    if open_amounts is None:
        open_amounts = {invoice_id: balance.open for invoice_id, balance in invoices.balances(
            session, [invoice_id for invoice_id, _part in allocations]).items()}
    used: dict[int, int] = {}
    for invoice_id, part in allocations:
        invoice = invoices.get_invoice(session, invoice_id)
        if invoice.status != "issued" or invoice.kind != "invoice":
            raise UserError("請求書 {number} は取消済みのため消し込めません", number=invoice.number)
        if member_id and invoice.member_id != member_id or client_id and invoice.client_id != client_id:
            raise UserError("請求書 {number} は別の会員の請求書です", number=invoice.number)
        used[invoice_id] = used.get(invoice_id, 0) + part
        if part < 0 or used[invoice_id] > open_amounts.get(invoice_id, 0):
            raise UserError("請求書 {number}: 消込額 {amount}円 が未入金額 {open}円 を超えています",
                            number=invoice.number, amount=f"{used[invoice_id]:,}",
                            open=f"{open_amounts.get(invoice_id, 0):,}")
        payment.allocations.append(PaymentAllocation(invoice_id=invoice_id, amount=part))
    session.add(payment)
    session.flush()
    settled = ", ".join(f"{invoices.get_invoice(session, i).number}:{p:,}" for i, p in allocations) or "消込なし"
    audit.record(session, "payment", "payment", payment.id,
                 f"{received_on:%Y-%m-%d} {amount:,}円 {METHODS[method]} {payer_name} → {settled}")
    return payment


def _oldest_first(session: Session, member_id: int, amount: int, first: int | None = None) -> list[tuple[int, int]]:
    """Settle `first` (the invoice the user had open) before the others, then oldest due first."""
    left, result = amount, []
    candidates = sorted(open_invoices(session, member_id), key=lambda pair: pair[0].id != first)
    for invoice, open_amount in candidates:
        if left <= 0:
            break
        part = min(left, open_amount)
        result.append((invoice.id, part))
        left -= part
    return result


def reverse_payment(session: Session, payment_id: int, reason: str) -> Payment:
    """A payment recorded by mistake is reversed (kept, marked, audited), never deleted."""
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise UserError("入金（id {id}）が見つかりません", id=payment_id)
    if payment.reversed:
        raise UserError("入金 {date} {amount}円 は既に取り消されています", date=f"{payment.received_on:%Y-%m-%d}",
                        amount=f"{payment.amount:,}")
    if not reason.strip():
        raise UserError("入金取消の理由を入力してください")
    payment.reversed, payment.reversal_reason = True, reason.strip()
    payment.reversed_at, payment.reversed_by = datetime.now(), current_user()
    audit.record(session, "reverse", "payment", payment.id, f"{payment.amount:,}円: {reason.strip()}")
    _cancel_receipt(session, payment)
    return payment


def _cancel_receipt(session: Session, payment: Payment) -> None:
    """The 領収書 issued for a reversed payment is cancelled (kept, re-rendered with 取消, date and reason;
    no longer counted as issued), and the audit says so."""
    from tama_desk.db.models_receipts import Receipt

    receipt = session.scalar(select(Receipt).where(Receipt.payment_id == payment.id, Receipt.cancelled_at.is_(None)))
    if receipt is not None:
        receipt.cancelled_at, receipt.cancel_reason = payment.reversed_at, payment.reversal_reason
        audit.record(session, "cancel", "receipt", receipt.id,
                     f"{receipt.number} 取消（入金取消）: {payment.reversal_reason}")


def member_credit(session: Session, member_id: int) -> int:
    """Money received from the member and not yet allocated to any invoice."""
    received = session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)).where(
        Payment.member_id == member_id, Payment.reversed.is_(False))) or 0
    allocated = session.scalar(select(func.coalesce(func.sum(PaymentAllocation.amount), 0))
                               .join(Payment, PaymentAllocation.payment_id == Payment.id)
                               .where(Payment.member_id == member_id, Payment.reversed.is_(False))) or 0
    return received - allocated


@dataclass(frozen=True)
class AgingRow:
    invoice_id: int
    number: str
    member_number: str
    name: str
    issue_date: date
    due_date: date | None
    open: int
    days_past_due: int
    bucket: str


def bucket_for(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "not_due"
    if days_past_due <= 30:
        return "0-30"
    if days_past_due <= 60:
        return "31-60"
    return "61-90" if days_past_due <= 90 else "90+"


def aging(session: Session, as_of: date) -> list[AgingRow]:
    """売掛金年齢: every issued invoice with an open amount, by days past its due date as of `as_of`."""
    query = (select(Invoice, Member.number).outerjoin(Member, Invoice.member_id == Member.id)
             .where(Invoice.kind == "invoice", Invoice.status == "issued").order_by(Invoice.due_date, Invoice.id))
    rows = session.execute(query).all()
    owed = invoices.balances(session)
    result = []
    for invoice, member_number in rows:
        open_amount = owed[invoice.id].open
        if open_amount <= 0:
            continue
        days = (as_of - invoice.due_date).days if invoice.due_date else 0
        result.append(AgingRow(invoice.id, invoice.number, member_number or "", invoice.recipient_name,
                               invoice.issue_date, invoice.due_date, open_amount, days, bucket_for(days)))
    return result


def apply_credit(session: Session, member_id: int) -> int:
    """Use the member's credit (money received and not yet allocated) to settle open invoices, oldest first.
    Returns the amount applied."""
    applied = 0
    open_items = open_invoices(session, member_id)
    query = select(Payment).where(Payment.member_id == member_id, Payment.reversed.is_(False)).order_by(
        Payment.received_on, Payment.id)
    for payment in session.scalars(query):
        left = payment.amount - sum(allocation.amount for allocation in payment.allocations)
        while left > 0 and open_items:
            invoice, open_amount = open_items[0]
            part = min(left, open_amount)
            payment.allocations.append(PaymentAllocation(invoice_id=invoice.id, amount=part))
            left -= part
            applied += part
            if part == open_amount:
                open_items.pop(0)
            else:
                open_items[0] = (invoice, open_amount - part)
    if applied:
        session.flush()
        audit.record(session, "credit", "member", member_id, f"預り金 {applied:,}円 を充当")
    return applied


class PaymentRow(NamedTuple):
    payment: Payment
    member_number: str
    member_name: str
    settled: tuple[tuple[str, int], ...]  # (invoice number, amount)


def list_payments(session: Session, start: date, end: date) -> list[PaymentRow]:
    """Payments received between `start` and `end` (reversed ones included, marked), for the accountant."""
    from tama_desk.db.models_contracts import Client

    query = (select(Payment, Member.number, Member.name, Client.name).outerjoin(Member, Payment.member_id == Member.id)
             .outerjoin(Client, Payment.client_id == Client.id)  # a contract client (委託事業)
             .where(Payment.received_on >= start, Payment.received_on <= end)
             .order_by(Payment.received_on, Payment.id))
    rows = []
    for payment, number, name, client in session.execute(query):
        settled = tuple((allocation.invoice.number, allocation.amount) for allocation in payment.allocations)
        rows.append(PaymentRow(payment, number or "", name or client or "", settled))
    return rows


# --- 手数料差引: a small shortfall written off ---------------------------------------------------------


def write_off_setting(session: Session) -> tuple[bool, int]:
    """(手数料差引を自動で処理する, its limit in yen) from 設定."""
    from tama_desk.services import profile

    settings = profile.get_profile(session)
    return bool(settings.write_off_auto), int(settings.write_off_limit)


def write_off(session: Session, invoice_id: int, amount: int, written_on: date, payment_id: int | None = None,
              limit: int | None = None, note: str = ""):
    """Write off the rest of an invoice the payer's bank kept as its transfer fee (振込手数料差引): a settlement
    of kind `transfer_fee`, booked to 支払手数料 (db.models_feedocs.WriteOff); the invoice is then settled and
    never dunned. At most the setting's limit (or `limit`) and never more than is open."""
    from tama_desk.db.models_feedocs import WRITE_OFF_ACCOUNTS, WriteOff

    invoice = invoices.get_invoice(session, invoice_id)
    cap = write_off_setting(session)[1] if limit is None else limit
    open_amount = invoices.balances(session, [invoice_id])[invoice_id].open
    if invoice.kind != "invoice" or invoice.status != "issued":
        raise UserError("請求書 {number} は取消済みのため消し込めません", number=invoice.number)
    if not 0 < amount <= min(cap, open_amount):
        raise UserError("請求書 {number}: 手数料差引 {amount}円 は上限 {limit}円・未入金額 {open}円 以内にしてください",
                        number=invoice.number, amount=f"{amount:,}", limit=f"{cap:,}", open=f"{open_amount:,}")
    row = WriteOff(invoice_id=invoice_id, payment_id=payment_id, written_on=written_on, amount=amount,
                   kind="transfer_fee", account=WRITE_OFF_ACCOUNTS["transfer_fee"], note=note)
    session.add(row)
    session.flush()
    audit.record(session, "write_off", "invoice", invoice_id, f"{invoice.number} 手数料差引 {amount:,}円（支払手数料）")
    return row


def write_off_rows(session: Session, invoice_id: int) -> list[dict]:
    """The invoice's 手数料差引 for its window, beside the payments: date, amount, account, note; void when
    the payment it came with was reversed."""
    from tama_desk.db.models_feedocs import WRITE_OFF_KINDS, WriteOff

    query = select(WriteOff).where(WriteOff.invoice_id == invoice_id).order_by(WriteOff.written_on, WriteOff.id)
    return [{"id": f"write_off:{row.id}", "date": row.written_on, "amount": row.amount, "method": "write_off",
             "kind": WRITE_OFF_KINDS.get(row.kind, row.kind), "account": row.account, "note": row.note,
             "reversed": bool(row.payment and row.payment.reversed), "write_off": True}
            for row in session.scalars(query)]
