"""Migration 0011 (issue 12): the accounting area's payments of method write_off become WriteOff rows — one
record per write-off —, an already exported one stays exported, and one holding a receipt is kept reversed
with its receipt cancelled."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tama_desk.db import engine as engine_module
from tama_desk.db.models import Payment
from tama_desk.db.models_feedocs import WriteOff
from tama_desk.db.models_receipts import Receipt
from tama_desk.services import accounting, fees, invoices, payments
from tests.db.test_migration_0019 import insert_row, old_write_off_payment
from tests.factories import make_member


def test_old_write_off_payments_become_write_off_rows(db):
    with db.transaction() as session:
        for _ in range(3):
            make_member(session)
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10), date(2026, 5, 31))
        for invoice_id in (1, 2, 3):
            payments.record_payment(session, invoice_id, date(2026, 5, 20), 69560, allocations=[(invoice_id, 69560)])
    engine_module.downgrade(db.engine, "0010")
    with db.engine.begin() as connection:  # what `accounting write-off` recorded before 0011 (the CHECK refuses it now)
        exported = old_write_off_payment(connection, 1, 1, 440, date(2026, 5, 20), "振込手数料")
        batch = insert_row(connection, "accounting_export_batch", format="yayoi", period_start=date(2026, 5, 1),
                           period_end=date(2026, 5, 31), file_sha256="0" * 64)
        insert_row(connection, "accounting_export_mark", batch_id=batch, record_key=f"payment:{exported}")
        later = old_write_off_payment(connection, 2, 2, 440, date(2026, 6, 2), "振込手数料（6月）")
        held = old_write_off_payment(connection, 3, 3, 440, date(2026, 6, 3), "")
        insert_row(connection, "receipt", number="R2026-0099", fiscal_year=2026, sequence=99, payment_id=held,
                   member_id=3, issue_date=date(2026, 6, 3), amount=440, snapshot="{}")
        ids = (exported, later, held)
    engine_module.upgrade(db.engine, "head")
    with db.transaction() as session:
        rows = session.scalars(select(WriteOff).order_by(WriteOff.invoice_id)).all()
        assert [(r.invoice_id, r.amount, r.written_on, r.note, r.payment_id) for r in rows] == [
            (1, 440, date(2026, 5, 20), "振込手数料", None), (2, 440, date(2026, 6, 2), "振込手数料（6月）", None),
            (3, 440, date(2026, 6, 3), "", None)]
        assert session.get(Payment, ids[0]) is None and session.get(Payment, ids[1]) is None
        kept = session.get(Payment, ids[2])
        assert kept.reversed and kept.reversal_reason == "手数料差引へ移行"
        receipt = session.scalar(select(Receipt).where(Receipt.payment_id == ids[2]))
        assert receipt.cancelled_at is not None and receipt.cancel_reason == "手数料差引へ移行"
        assert all(balance.open == 0 for balance in invoices.balances(session, [1, 2, 3]).values())
        assert f"write_off:{rows[0].id}" in accounting.exported_keys(session, "yayoi")
        keys = [entry.key for entry in accounting.entries_for(session, date(2026, 5, 1), date(2026, 6, 30))]
        assert [key for key in keys if key.startswith("write_off")] == [f"write_off:{row.id}" for row in rows]
        assert not any(key.startswith(f"payment:{payment_id}") for key in keys for payment_id in ids)
        june = accounting.export(session, "yayoi", date(2026, 6, 1), date(2026, 6, 30))
    assert june.batch.entry_count == 2  # the June write-offs, once each (the receipt's payment adds nothing)
