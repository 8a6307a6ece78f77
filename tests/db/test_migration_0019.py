"""Migration 0019: the payment method's CHECK no longer admits `write_off`. A database of revision 0016 can
still hold such payments (0011 kept some reversed; a user reversed some before 0011; another program could
write one): each becomes WriteOff rows once — no yen lost or counted twice, what the accountant received
stays received and what is still owed to them (a reversal) is sent once."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tama_desk.db import engine as engine_module
from tama_desk.db.models import Payment
from tama_desk.db.models_feedocs import WriteOff
from tama_desk.db.models_receipts import Receipt
from tama_desk.services import accounting, fees, invoices, payments
from tests.db.test_migrations import row_counts
from tests.factories import make_member


def insert_row(connection, table: str, **values) -> int:
    """A raw row as an older program wrote it: NOT NULL columns not given get '' / 0 / now."""
    for _cid, name, kind, notnull, default, pk in connection.exec_driver_sql(f'PRAGMA table_info("{table}")'):
        if notnull and not pk and default is None and name not in values:
            kind = kind.upper()
            values[name] = datetime.now() if "DATE" in kind else 0 if "INT" in kind or "BOOL" in kind else ""
    names = ", ".join(values)
    result = connection.execute(text(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(":" + n for n in values)})'),
                                values)
    return result.lastrowid


def old_write_off_payment(connection, member_id: int, invoice_id: int, amount: int, on: date, note: str = "",
                          **payment) -> int:
    """What `accounting write-off` recorded before 0011: a payment of method write_off settling the invoice."""
    payment_id = insert_row(connection, "payment", member_id=member_id, received_on=on, amount=amount,
                            method="write_off", note=note, **{"reversed": False, **payment})
    insert_row(connection, "payment_allocation", payment_id=payment_id, invoice_id=invoice_id, amount=amount)
    return payment_id


def money(connection) -> dict[int, tuple[int, int]]:
    """Per invoice: (allocated by live payments, written off by live write-offs), straight from the tables."""
    paid = dict(connection.exec_driver_sql(
        "SELECT a.invoice_id, sum(a.amount) FROM payment_allocation a JOIN payment p ON p.id = a.payment_id "
        "WHERE NOT p.reversed AND p.method <> 'write_off' GROUP BY a.invoice_id").all())
    written = dict(connection.exec_driver_sql(
        "SELECT w.invoice_id, sum(w.amount) FROM write_off w LEFT JOIN payment p ON p.id = w.payment_id "
        "WHERE w.payment_id IS NULL OR NOT p.reversed GROUP BY w.invoice_id").all())
    old = dict(connection.exec_driver_sql(
        "SELECT a.invoice_id, sum(a.amount) FROM payment_allocation a JOIN payment p ON p.id = a.payment_id "
        "WHERE NOT p.reversed AND p.method = 'write_off' GROUP BY a.invoice_id").all())
    return {invoice: (paid.get(invoice, 0), written.get(invoice, 0) + old.get(invoice, 0))
            for invoice in set(paid) | set(written) | set(old)}


def test_upgrading_a_0016_database_with_write_off_payments_converts_each_once(db):
    with db.transaction() as session:
        for _ in range(4):
            make_member(session)
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10), date(2026, 5, 31))
        for invoice_id in (1, 2, 3, 4):
            payments.record_payment(session, invoice_id, date(2026, 5, 20), 69560, allocations=[(invoice_id, 69560)])
    engine_module.downgrade(db.engine, "0016")
    with db.engine.begin() as connection:
        # 1: written by another program after 0011, live, already exported in May
        live = old_write_off_payment(connection, 1, 1, 440, date(2026, 5, 20), "振込手数料")
        # 2: reversed by a user before 0011, its entry exported in May and its reversal not yet
        undone = old_write_off_payment(connection, 2, 2, 440, date(2026, 5, 21), "誤り", reversed=True,
                                       reversed_at=datetime(2026, 6, 5, 10), reversal_reason="入力誤り",
                                       reversed_by="office")
        # 3: reversed by a user and never exported
        unsent = old_write_off_payment(connection, 3, 3, 440, date(2026, 5, 22), reversed=True,
                                       reversed_at=datetime(2026, 6, 6, 10), reversal_reason="入力誤り")
        # 4: what 0011 kept to hold a receipt: its WriteOff row exists already
        husk = old_write_off_payment(connection, 4, 4, 440, date(2026, 5, 23), reversed=True,
                                     reversed_at=datetime(2026, 6, 1), reversal_reason="手数料差引へ移行",
                                     reversed_by="migration 0011")
        insert_row(connection, "write_off", invoice_id=4, payment_id=None, written_on=date(2026, 5, 23), amount=440,
                   kind="transfer_fee", account="支払手数料")
        receipt = insert_row(connection, "receipt", number="R2026-0099", fiscal_year=2026, sequence=99,
                             payment_id=live, member_id=1, issue_date=date(2026, 5, 20), amount=440, snapshot="{}")
        batch = insert_row(connection, "accounting_export_batch", format="yayoi", period_start=date(2026, 5, 1),
                           period_end=date(2026, 5, 31), file_sha256="0" * 64)
        for key in (f"payment:{live}", f"payment:{undone}"):
            insert_row(connection, "accounting_export_mark", batch_id=batch, record_key=key)
    with db.engine.connect() as connection:
        balances_before = money(connection)
    before = row_counts(db.engine)
    engine_module.upgrade(db.engine, "head")
    after = row_counts(db.engine)

    changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    assert changed == {"write_off": (1, 4),  # live, undone and unsent: one row each (the husk had its own)
                       "payment_allocation": (8, 4),  # the write-off payments' allocations: the rows settle now
                       "accounting_export_mark": (2, 4)}  # payment:<id> → write_off:<new> for live and undone
    with db.engine.connect() as connection:
        assert money(connection) == balances_before  # every invoice: the same yen paid and written off
        assert connection.exec_driver_sql("SELECT count(*) FROM payment WHERE method = 'write_off'").scalar() == 0
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        triggers = {name for (name,) in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'payment'")}
        assert triggers == {"payment_retention"}  # re-created after the rebuild
    with db.transaction() as session:
        rows = {row.invoice_id: row for row in session.scalars(select(WriteOff))}
        assert {invoice: (row.amount, row.written_on, row.payment_id) for invoice, row in rows.items()} == {
            1: (440, date(2026, 5, 20), None), 2: (440, date(2026, 5, 21), undone),
            3: (440, date(2026, 5, 22), unsent), 4: (440, date(2026, 5, 23), None)}
        assert [balance.open for _id, balance in sorted(invoices.balances(session, [1, 2, 3, 4]).items())] == \
            [0, 440, 440, 0]
        for payment_id in (live, undone, unsent, husk):
            kept = session.get(Payment, payment_id)
            assert (kept.method, kept.amount, kept.reversed, kept.allocations) == ("transfer", 0, True, [])
            assert "差引（償却）440円" in kept.note
        assert session.get(Receipt, receipt).cancel_reason == "手数料差引へ移行"
        exported = accounting.exported_keys(session, "yayoi")
        assert {f"write_off:{rows[1].id}", f"write_off:{rows[2].id}"} <= exported
        keys = [entry.key for entry in accounting.entries_for(session, date(2026, 5, 1), date(2026, 6, 30), exported)
                if entry.key not in exported]
        june = accounting.export(session, "yayoi", date(2026, 6, 1), date(2026, 6, 30))
    # still owed to the accountant: the four real payments, 0011's row, and the reversal of the May 21 write-off
    # (its entry went out in May) — once; nothing of the never-exported write-off undone, nor of the payments
    assert keys == [*(f"payment:{n}" for n in (1, 2, 3, 4)), f"write_off:{rows[4].id}",
                    f"write_off:{rows[2].id}:reverse"]
    assert june.batch.entry_count == 1


def test_after_0019_a_write_off_payment_is_refused_by_the_database(db):
    with db.transaction() as session:
        make_member(session)
    with pytest.raises(IntegrityError, match="ck_payment_method"), db.transaction() as session:
        session.add(Payment(member_id=1, received_on=date(2026, 5, 1), amount=440, method="write_off"))
