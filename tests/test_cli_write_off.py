"""`payments import`: a small shortfall written off as 振込手数料差引 (issue 12)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tama_desk.db.engine import open_database
from tama_desk.db.models_feedocs import WriteOff
from tama_desk.services import fees, invoices, payments, printing, profile
from tests.test_cli_fees import DEPOSITS, billed, db_path, run, statement  # noqa: F401


def test_a_new_database_writes_the_transfer_fee_off_and_never_duns_it(capsys, billed, tmp_path):  # noqa: F811
    file = statement(tmp_path / "meisai.csv", DEPOSITS)
    code, out, err = run(capsys, "--db", str(billed), "payments", "import", str(file), "--apply")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1].split("\t")[6] == "自動" and lines[1].endswith("\t手数料差引 660円")
    assert lines[-1] == "自動で消し込みました: 2 件（うち手数料差引 1 件）。画面で確認が必要: 1 件"
    database = open_database(str(billed))
    try:
        with database.reading() as session:
            [row] = session.scalars(select(WriteOff)).all()
            assert (row.amount, row.kind, row.account, row.invoice.number) == (660, "transfer_fee", "支払手数料",
                                                                              "2026-0002")
            invoice_id = invoices.find_by_number(session, "2026-0002").id
            balance = invoices.balances(session, [invoice_id])[invoice_id]
            assert (balance.paid, balance.written_off, balance.open) == (69340, 660, 0)
            ledger = {r.invoice_number: r for r in fees.ledger_rows(session, 2026)}
            assert (ledger["2026-0002"].written_off, ledger["2026-0002"].status) == (660, "paid")
            assert invoice_id not in printing.overdue_invoice_ids(session, date(2026, 12, 1))
    finally:
        database.close()


def test_no_write_off_for_one_run_and_the_limit(capsys, billed, tmp_path):  # noqa: F811
    file = statement(tmp_path / "meisai.csv", DEPOSITS)
    code, out, _err = run(capsys, "--db", str(billed), "payments", "import", str(file), "--apply", "--no-write-off")
    assert code == 0 and out.splitlines()[-1] == "自動で消し込みました: 1 件。画面で確認が必要: 2 件"
    database = open_database(str(billed))
    try:
        with database.reading() as session:
            assert session.scalars(select(WriteOff)).all() == []
        with database.transaction() as session:
            member_id = invoices.find_by_number(session, "2026-0003").member_id
            payment = payments.record_payment(session, member_id, date(2026, 6, 1), 29000)
            invoice_id = invoices.find_by_number(session, "2026-0003").id
            try:
                payments.write_off(session, invoice_id, 1000, date(2026, 6, 1), payment.id)
            except Exception as error:  # over the 880円 default limit
                assert "880" in error.text()
            else:
                raise AssertionError("a 1,000円 write-off was accepted over the limit")
    finally:
        database.close()


def test_an_upgraded_database_keeps_write_offs_off_until_the_office_turns_them_on(tmp_path):
    from tama_desk.db import engine

    path = tmp_path / "old.sqlite3"
    database = open_database(str(path))
    database.close()
    url = f"sqlite:///{path}"
    from sqlalchemy import create_engine, text

    raw = create_engine(url)
    engine.downgrade(raw, "0009")
    with raw.begin() as connection:
        connection.execute(text("UPDATE association_profile SET name = '多摩産業ネットワーク協会'"))
    engine.upgrade(raw, "head")
    raw.dispose()
    database = open_database(str(path))
    try:
        with database.reading() as session:
            assert payments.write_off_setting(session) == (False, 880)
            assert profile.get_profile(session).stamp_duty == "exempt"
    finally:
        database.close()
