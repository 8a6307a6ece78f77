"""The fee-document services as the window uses them: receipts issued once, member warnings and versions,
the 手数料差引 / 収入印紙 settings, credit notes by tax rate."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import func, select

from tama_desk.db.models_receipts import Receipt
from tama_desk.services import invoices
from tama_desk.ui import desktop
from tama_desk.ui.views.fee_dialogs import InvoiceDialog, PaymentDialog
from tests.ui.conftest import pump


def fees_view(window):
    window.show_view("fees")
    pump(window)
    return window.views["fees"]


def paid_invoice_dialog(window, demo_db):
    view = fees_view(window)
    with demo_db.reading() as session:
        unpaid = next(row for row in invoices.list_invoices(session, view.year, "unpaid") if row.kind == "invoice")
    detail = InvoiceDialog(view, window, unpaid.id, on_changed=view.refresh)
    pump(window)
    payment = PaymentDialog(detail, window, unpaid.member_id, unpaid.id, unpaid.open, on_saved=detail.build)
    payment.vars["amount"].set(f"{unpaid.open:,}")
    payment.on_save()
    pump(window, until=lambda: not payment.winfo_exists())
    return detail


def test_receipt_button_issues_the_receipt_once_then_reprints_it(window, demo_db, monkeypatch):
    opened = []
    monkeypatch.setattr(desktop, "open_file", lambda path: opened.append(path.read_bytes()))
    detail = paid_invoice_dialog(window, demo_db)
    payment_id = detail.payment_table.keys()[0]
    with demo_db.reading() as session:
        before = session.scalar(select(func.count()).select_from(Receipt))
    detail.on_receipt()
    detail.on_receipt()
    pump(window)
    with demo_db.reading() as session:
        receipts = session.scalars(select(Receipt).where(Receipt.payment_id == payment_id)).all()
        assert session.scalar(select(func.count()).select_from(Receipt)) == before + 1
    assert len(receipts) == 1 and receipts[0].number.startswith("R")
    texts = ["".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages) for data in opened]
    assert len(texts) == 2 and texts[0] == texts[1]
    assert receipts[0].number in texts[0]
    detail.destroy()
