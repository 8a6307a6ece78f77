"""Batch PDFs of issued documents: one file per invoice (named for 電子帳簿保存法 search) plus one combined
file for printing. Used by the CLI and the window alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from tama_desk import atomic
from tama_desk.db.engine import Database
from tama_desk.db.models import Invoice
from tama_desk.documents import invoice as invoice_pdf
from tama_desk.domain.invoice import DocumentSnapshot
from tama_desk.fileio import write_atomic
from tama_desk.services import invoices

Progress = Callable[[int, int], object]


@dataclass
class PrintResult:
    files: list[Path]
    combined: Path | None


def year_documents(db: Database, fiscal_year: int, include_cancelled: bool = False
                   ) -> list[tuple[DocumentSnapshot, str | None]]:
    """(snapshot, cancellation reason) of every invoice and credit note of the year, in number order."""
    with db.reading() as session:
        query = select(Invoice).where(Invoice.fiscal_year == fiscal_year).order_by(Invoice.sequence)
        if not include_cancelled:
            query = query.where(Invoice.status == "issued")
        return [(invoices.snapshot_of(session, invoice), invoice.cancel_reason or None)
                for invoice in session.scalars(query)]


def write_pdfs(documents: list[tuple[DocumentSnapshot, str | None]], out_dir: Path, combined: Path | None = None,
               progress: Progress | None = None) -> PrintResult:
    """One PDF per document in `out_dir` (and the combined one); `progress` may raise to stop between files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic.remove_stale(out_dir)  # what a killed batch left behind
    used: set[str] = set()
    files = []
    steps = len(documents) + (1 if combined else 0)
    for done, (snapshot, reason) in enumerate(documents, start=1):
        name = invoice_pdf.file_name(snapshot)
        if name in used:  # same day, same recipient, same amount: tell them apart by number
            name = name.removesuffix(".pdf") + f"_{snapshot.number}.pdf"
        used.add(name)
        path = out_dir / name
        write_atomic(path, invoice_pdf.render(snapshot, reason))
        files.append(path)
        if progress:
            progress(done, steps)
    if combined:
        write_atomic(combined, invoice_pdf.render_many(documents))
        if progress:
            progress(steps, steps)
    return PrintResult(files, combined)


def today_folder(base: Path, fiscal_year: int) -> Path:
    return base / f"{fiscal_year}年度" / f"{date.today():%Y%m%d}"


def receipt_snapshot(session, payment_id: int) -> DocumentSnapshot:
    """領収書 for a payment: the amount received and the invoices it settled, from their frozen snapshots."""
    from dataclasses import replace

    from tama_desk.db.models import Payment
    from tama_desk.errors import UserError

    payment = session.get(Payment, payment_id)
    if payment is None or payment.reversed:
        raise UserError("取り消された入金、または存在しない入金には領収書を発行できません")
    settled = [allocation.invoice for allocation in payment.allocations]
    if not settled:
        raise UserError(f"{payment.received_on:%Y-%m-%d} {payment.amount:,}円 の入金はどの請求書にも消し込まれていません")
    first = invoices.snapshot_of(session, settled[0])
    subject = first.subject.replace("のご請求", "") if first.subject else "会費"
    return replace(first, kind="receipt", number=f"R{payment.id:06d}", issue_date=payment.received_on,
                   lines=(), totals=(), amount=payment.amount, subject=f"{subject}として",
                   original_number="、".join(invoice.number for invoice in settled),
                   original_issue_date=settled[0].issue_date, due_date=None, notes="")


def dunning_snapshot(session, invoice_id: int, letter_date: date, new_due_date: date,
                     strong: bool = False) -> DocumentSnapshot:
    """お支払いのお願い (or 督促状 when `strong`) for an overdue invoice, with what is still open."""
    from dataclasses import replace

    from tama_desk.errors import UserError

    invoice = invoices.get_invoice(session, invoice_id)
    owed = invoices.balances(session, [invoice_id]).get(invoice_id)
    if invoice.status != "issued" or owed is None or owed.open <= 0:
        raise UserError(f"請求書 {invoice.number} には未入金額がありません")
    snapshot = invoices.snapshot_of(session, invoice)
    return replace(snapshot, kind="dunning", number=f"{invoice.number}-D", issue_date=letter_date,
                   subject="督促状" if strong else snapshot.subject, original_number=invoice.number,
                   original_issue_date=invoice.issue_date, transaction_date=invoice.due_date,
                   due_date=new_due_date, amount=owed.open, lines=(), totals=(), notes="")


def overdue_invoice_ids(session, as_of: date) -> list[int]:
    from tama_desk.services import payments

    return [row.invoice_id for row in payments.aging(session, as_of) if row.days_past_due > 0]
