"""An invoice changed in the database file after it was issued: opening it says so (in Japanese, naming it),
and its PDF is neither opened, saved nor printed."""

from __future__ import annotations

import sqlite3

from sqlalchemy import select

from tama_desk.db.models import Invoice
from tama_desk.ui.views.fee_dialogs import InvoiceDialog
from tests.ui.conftest import pump

from .conftest import show


def test_a_tampered_invoice_is_named_when_opened_and_its_pdf_refused(window, demo_db, dialogs, tmp_path):
    show(window, "fees")
    pump(window)
    view = window.views["fees"]
    with demo_db.reading() as session:
        invoice_id, number = session.execute(select(Invoice.id, Invoice.number).where(
            Invoice.kind == "invoice", Invoice.status == "issued").limit(1)).one()
    with sqlite3.connect(demo_db.engine.url.database) as raw:
        raw.execute("DROP TRIGGER invoice_frozen")
        raw.execute("UPDATE invoice SET recipient_name = '改ざん株式会社' WHERE id = ?", (invoice_id,))
    detail = InvoiceDialog(view, window, invoice_id, on_changed=view.refresh)
    pump(window)
    assert number in dialogs.messages[-1] and "発行時の記録（ハッシュ）と一致しません" in dialogs.messages[-1]
    shown = len(dialogs.messages)
    assert detail.documents.save_to(tmp_path / "x.pdf") is None and not (tmp_path / "x.pdf").exists()
    assert len(dialogs.messages) == shown + 1 and number in dialogs.messages[-1]
    detail.destroy()
