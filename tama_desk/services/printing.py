"""Batch PDFs of issued documents: one file per invoice (named for 電子帳簿保存法 search) plus one combined
file for printing. Used by the CLI and the window alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from tama_desk import atomic
from tama_desk.db.engine import Database
from tama_desk.db.models import Invoice
from tama_desk.documents import invoice as invoice_pdf
from tama_desk.documents import pool
from tama_desk.domain.invoice import DocumentSnapshot
from tama_desk.fileio import write_atomic
from tama_desk.services import audit, invoices

Progress = Callable[[int, int], object]


@dataclass
class PrintResult:
    files: list[Path]
    combined: Path | None


def year_documents(db: Database, fiscal_year: int, include_cancelled: bool = False
                   ) -> list[tuple[DocumentSnapshot, str | None, date | None]]:
    """(snapshot, cancellation reason, cancellation date) of every invoice and credit note of the year, in
    number order."""
    with db.reading() as session:
        query = select(Invoice).where(Invoice.fiscal_year == fiscal_year).order_by(Invoice.sequence)
        if not include_cancelled:
            query = query.where(Invoice.status == "issued")
        found = list(session.scalars(query))
        audit.refuse_tampered(session, invoices=[invoice.id for invoice in found])
        return [(invoices.snapshot_of(session, invoice), invoice.cancel_reason or None,
                 invoice.cancelled_at.date() if invoice.cancelled_at else None)
                for invoice in found]


def numbered_documents(db: Database, numbers: list[str]) -> list[tuple[DocumentSnapshot, str | None, date | None]]:
    """(snapshot, cancellation reason, cancellation date) of the invoices with these numbers (fees or contracts),
    in the order given; an unknown number is an error naming it."""
    with db.reading() as session:
        found = [invoices.find_by_number(session, number) for number in numbers]
        audit.refuse_tampered(session, invoices=[invoice.id for invoice in found])
        return [(invoices.snapshot_of(session, invoice), invoice.cancel_reason or None,
                 invoice.cancelled_at.date() if invoice.cancelled_at else None) for invoice in found]


def write_pdfs(documents: list[tuple], out_dir: Path, combined: Path | None = None,
               progress: Progress | None = None, workers: int | None = None) -> PrintResult:
    """One PDF per document in `out_dir` (and the combined one); `documents` holds (snapshot, cancellation
    reason[, cancellation date]) tuples; `progress` may raise to stop between files. A large batch is rendered
    by a process pool of `workers` (default: one per core), with the same bytes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic.remove_stale(out_dir)  # what a killed batch left behind
    used: set[str] = set()
    files = []
    steps = len(documents) + (1 if combined else 0)
    with pool.Batch(documents, combined=combined is not None, workers=workers) as batch:
        for done, ((snapshot, *_rest), data) in enumerate(zip(documents, batch.files(), strict=True), start=1):
            name = invoice_pdf.file_name(snapshot)
            if name in used:  # same day, same recipient, same amount: tell them apart by number
                name = name.removesuffix(".pdf") + f"_{snapshot.number}.pdf"
            used.add(name)
            path = out_dir / name
            write_atomic(path, data)
            files.append(path)
            if progress:
                progress(done, steps)
        if combined:
            write_atomic(combined, batch.combined())
            if progress:
                progress(steps, steps)
    return PrintResult(files, combined)


def today_folder(base: Path, fiscal_year: int) -> Path:
    return base / f"{fiscal_year}年度" / f"{date.today():%Y%m%d}"


# --- 領収書 ----------------------------------------------------------------------------------------------


RATE_ORDER = ("standard_10", "reduced_8", "exempt", "out_of_scope")
DEPOSIT_NOTE = "上記のほか、{deposit}円を預り金としてお預かりしております（今後のご請求に充当いたします）。"


def receipt_snapshot(session, payment_id: int) -> DocumentSnapshot:
    """領収書 for a payment: the issued one, as frozen, when it has been issued; else a preview built now
    (nothing is stored: a read stays a read)."""
    from tama_desk.db.models_receipts import Receipt

    issued = session.scalar(select(Receipt).where(Receipt.payment_id == payment_id))
    if issued is not None:
        return _stored_receipt(session, issued)
    payment = _receipt_payment(session, payment_id)
    snapshot, _deposit = _build_receipt(session, payment, f"R{payment.id:06d}")
    return replace(snapshot, issuer=invoices.snapshot_seal(session, snapshot.issuer))


def issue_receipts(session, fiscal_year: int, member_number: str | None = None) -> list[DocumentSnapshot]:
    """Issue (number and freeze) a 領収書 for every payment received in `fiscal_year` that settled an invoice
    and has none yet (of one member when `member_number` is given); returns the new ones, in number order."""

    from tama_desk.db.models import Member, Payment, PaymentAllocation
    from tama_desk.db.models_receipts import Receipt
    from tama_desk.domain.fiscal import fiscal_year_bounds
    from tama_desk.errors import UserError
    from tama_desk.services import profile

    start, end = fiscal_year_bounds(fiscal_year, profile.get_profile(session).fiscal_year_start_month)
    query = (select(Payment).where(Payment.received_on.between(start, end), Payment.reversed.is_(False),
                                   Payment.id.in_(select(PaymentAllocation.payment_id)),
                                   Payment.id.not_in(select(Receipt.payment_id)))
             .order_by(Payment.received_on, Payment.id))
    if member_number is not None:
        member = session.scalar(select(Member).where(Member.number == member_number))
        if member is None:
            raise UserError("会員番号 {number} の会員が見つかりません", number=member_number)
        query = query.where(Payment.member_id == member.id)
    issued = [_issue_receipt(session, payment, fiscal_year) for payment in session.scalars(query).all()]
    session.flush()
    return issued


def issue_receipt(session, payment_id: int) -> DocumentSnapshot:
    """The 領収書 of one payment, issued (numbered, frozen, stored) now unless it already was: what the invoice
    window's 領収書 button prints."""
    from tama_desk.db.models_receipts import Receipt
    from tama_desk.domain.fiscal import fiscal_year_of
    from tama_desk.services import profile

    issued = session.scalar(select(Receipt).where(Receipt.payment_id == payment_id))
    if issued is not None:
        return _stored_receipt(session, issued)
    payment = _receipt_payment(session, payment_id)
    year = fiscal_year_of(payment.received_on, profile.get_profile(session).fiscal_year_start_month)
    snapshot = _issue_receipt(session, payment, year)
    session.flush()
    return snapshot


def _issue_receipt(session, payment, fiscal_year: int) -> DocumentSnapshot:
    from sqlalchemy import func

    from tama_desk.db.models_receipts import Receipt

    sequence = (session.scalar(select(func.max(Receipt.sequence)).where(Receipt.fiscal_year == fiscal_year)) or 0) + 1
    snapshot, deposit = _build_receipt(session, payment, f"R{fiscal_year}-{sequence:04d}")
    session.add(Receipt(number=snapshot.number, fiscal_year=fiscal_year, sequence=sequence,
                        payment_id=payment.id, member_id=payment.member_id, issue_date=snapshot.issue_date,
                        amount=snapshot.amount or 0, deposit=deposit, recipient_name=snapshot.recipient.name,
                        snapshot=snapshot.to_json()))
    session.flush()
    receipt_id = session.scalar(select(Receipt.id).where(Receipt.number == snapshot.number))
    audit.record(session, "issue", "receipt", receipt_id, snapshot.number)  # its hash is sealed at the commit
    return replace(snapshot, issuer=invoices.snapshot_seal(session, snapshot.issuer))


def year_receipts(session, fiscal_year: int, member_number: str | None = None) -> list[DocumentSnapshot]:
    """Every issued 領収書 of the fiscal year (of one member), as frozen, in number order."""
    return [snapshot for snapshot, _reason, _on in year_receipt_documents(session, fiscal_year, member_number)]


def year_receipt_documents(session, fiscal_year: int, member_number: str | None = None) -> list[tuple]:
    """(snapshot, cancellation reason, cancellation date) of every 領収書 of the year, for write_pdfs: a receipt
    whose payment was reversed carries the 取消 stamp, its date and reason."""
    from tama_desk.db.models import Member
    from tama_desk.db.models_receipts import Receipt

    query = select(Receipt).where(Receipt.fiscal_year == fiscal_year).order_by(Receipt.sequence)
    if member_number is not None:
        query = query.join(Member, Receipt.member_id == Member.id).where(Member.number == member_number)
    found = list(session.scalars(query))
    audit.refuse_tampered(session, receipts=[receipt.id for receipt in found])
    return [_receipt_document(session, receipt, checked=True) for receipt in found]


def unchecked_receipts(session, *, payment_id: int | None = None, fiscal_year: int | None = None) -> list[str]:
    """The numbers of the receipts (of one payment, or of a year) issued before receipts were hashed: 発行時の
    記録なし — they cannot be checked for changes, and the window and `receipts pdf` say so."""
    from tama_desk.db.models_receipts import Receipt

    query = select(Receipt.id).where(Receipt.payment_id == payment_id) if payment_id is not None \
        else select(Receipt.id).where(Receipt.fiscal_year == fiscal_year)
    return audit.unrecorded(session, "receipt", session.scalars(query))


def receipt_document(session, payment_id: int) -> tuple:
    """The 領収書 of one payment as (snapshot, cancellation reason, date): issued now unless it already was
    (the invoice window's 領収書 button); a cancelled one as stored, with its 取消."""
    from tama_desk.db.models_receipts import Receipt

    issue_receipt(session, payment_id)
    return _receipt_document(session, session.scalar(select(Receipt).where(Receipt.payment_id == payment_id)))


def _receipt_document(session, receipt, checked: bool = False) -> tuple:
    cancelled = receipt.cancelled_at
    return (_stored_receipt(session, receipt, checked), (receipt.cancel_reason or "取消") if cancelled else None,
            cancelled.date() if cancelled else None)


def _stored_receipt(session, receipt, checked: bool = False) -> DocumentSnapshot:
    """The issued receipt as frozen, refused when it no longer matches its recorded hash."""
    if not checked:
        audit.refuse_tampered(session, receipts=[receipt.id])
    snapshot = DocumentSnapshot.from_json(receipt.snapshot)
    return replace(snapshot, issuer=invoices.snapshot_seal(session, snapshot.issuer))


def _receipt_payment(session, payment_id: int):
    from tama_desk.db.models import Payment
    from tama_desk.errors import UserError

    payment = session.get(Payment, payment_id)
    if payment is None or payment.reversed:
        raise UserError("取り消された入金、または存在しない入金には領収書を発行できません")
    if not payment.allocations:
        raise UserError("{date} {amount}円 の入金はどの請求書にも消し込まれていません",
                        date=payment.received_on.isoformat(), amount=f"{payment.amount:,}")
    return payment


def _build_receipt(session, payment, number: str) -> tuple[DocumentSnapshot, int]:
    """(snapshot, 預り金) of a payment's 領収書: every invoice it settled is listed and named in the 但し書き,
    the amount is what went to invoices (the rest is 預り金, said apart), the per-rate breakdown is that of
    the invoices (a part payment of a one-rate invoice at that rate), the issuer is the association now."""
    from tama_desk.domain.tax import RateTotal
    from tama_desk.services import profile

    allocations = sorted(payment.allocations, key=lambda allocation: (allocation.invoice.issue_date,
                                                                     allocation.invoice.number))
    settled = [(invoices.snapshot_of(session, allocation.invoice), allocation.amount) for allocation in allocations]
    by_rate: dict[str, list[int]] = {}
    breakdown = True
    for invoice, amount in settled:
        if amount == invoice.total:
            parts = [(total.tax_category, total.net, total.tax) for total in invoice.totals]
        elif len(invoice.totals) == 1 and invoice.totals[0].gross:
            only = invoice.totals[0]
            tax = amount * only.tax // only.gross
            parts = [(only.tax_category, amount - tax, tax)]
        else:
            parts, breakdown = [], False
        for category, net, tax in parts:
            figures = by_rate.setdefault(category, [0, 0])
            figures[0] += net
            figures[1] += tax
    totals = tuple(RateTotal(category, *by_rate[category]) for category in
                   sorted(by_rate, key=lambda code: RATE_ORDER.index(code) if code in RATE_ORDER else 99)
                   ) if breakdown else ()
    received = sum(amount for _invoice, amount in settled)
    deposit = max(0, payment.amount - received)
    first = settled[0][0]
    lines = tuple(line for invoice, _amount in settled for line in invoice.lines)
    snapshot = DocumentSnapshot(
        kind="receipt", number=number, issue_date=payment.received_on, issuer=invoices.issuer_snapshot(session),
        recipient=first.recipient, lines=lines, totals=totals, amount=received,
        subject=receipt_purpose([invoice.subject for invoice, _amount in settled]),
        original_number="、".join(invoice.number for invoice, _amount in settled),
        original_issue_date=first.issue_date, rounding=first.rounding,
        prices_include_tax=first.prices_include_tax,
        stamp_duty=profile.get_profile(session).stamp_duty,
        notes=DEPOSIT_NOTE.format(deposit=f"{deposit:,}") if deposit else "")
    return snapshot, deposit


def receipt_purpose(subjects: list[str]) -> str:
    """但し書き over every settled invoice: 「2025年度・2026年度 年会費として」, or the subjects joined."""
    import re

    cleaned = list(dict.fromkeys(subject.replace("のご請求", "").strip() or "会費" for subject in subjects))
    years = [re.fullmatch(r"(\d{4}年度)\s*(.+)", subject) for subject in cleaned]
    if len(cleaned) > 1 and all(years) and len({match.group(2) for match in years}) == 1:
        text = "・".join(match.group(1) for match in years) + " " + years[0].group(2)
    else:
        text = "・".join(cleaned)
    return f"{text}として"


def dunning_snapshot(session, invoice_id: int, letter_date: date, new_due_date: date,
                     strong: bool = False, reminded_on: date | None = None) -> DocumentSnapshot:
    """お支払いのお願い (or 督促状 when `strong`) for an overdue invoice, with what is still open; `reminded_on`:
    the date of the お支払いのお願い sent before (a 督促状 mentions it only then)."""
    from tama_desk.errors import UserError

    invoice = invoices.get_invoice(session, invoice_id)
    owed = invoices.balances(session, [invoice_id]).get(invoice_id)
    if invoice.status != "issued" or owed is None or owed.open <= 0:
        raise UserError(f"請求書 {invoice.number} には未入金額がありません")
    audit.refuse_tampered(session, invoices=[invoice.id])
    snapshot = invoices.snapshot_of(session, invoice)
    # the invoice's totals stay on the letter: with `amount` (what is open) they give 請求額 / 入金済額
    totals = snapshot.totals if owed.paid and not owed.credited else ()
    notes = f"ご請求額{owed.total:,}円から返還（減額）{owed.credited:,}円を差し引いた額です。" if owed.credited else ""
    return replace(snapshot, kind="dunning", number=f"{invoice.number}-D", issue_date=letter_date,
                   subject="督促状" if strong else snapshot.subject, original_number=invoice.number,
                   original_issue_date=invoice.issue_date, transaction_date=invoice.due_date,
                   due_date=new_due_date, amount=owed.open, lines=(), totals=totals, notes=notes,
                   reminded_on=reminded_on)


def overdue_invoice_ids(session, as_of: date) -> list[int]:
    from tama_desk.services import payments

    return [row.invoice_id for row in payments.aging(session, as_of) if row.days_past_due > 0]
