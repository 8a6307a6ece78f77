"""Migration 0005 on a database with invoices: new columns added in place, nothing lost (foreign keys on);
0013 on a database with an amendment."""

from __future__ import annotations

from datetime import date

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from tama_desk.db import engine as engine_module
from tama_desk.db.engine import open_database
from tama_desk.domain.tax import Line
from tama_desk.services import invoices, members

BEFORE = ScriptDirectory.from_config(engine_module._alembic_config()).get_revision("0005").down_revision


def test_upgrade_keeps_invoice_lines_and_payments(tmp_path):
    path = tmp_path / "old.sqlite3"
    database = open_database(str(path))
    with database.transaction() as session:
        member = members.save_member(session, {"name": "株式会社テスト", "kana": "テスト", "category": "企業",
                                               "membership_type": "正会員"})
        invoices.issue_adhoc(session, member.id, "event", "セミナー", date(2026, 6, 1), None,
                             [Line("参加費", 2, 5_000, "standard_10"), Line("資料代", 1, 1_000, "standard_10")])
    config = engine_module._alembic_config()
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # the test's own downgrade must not cascade
        connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.downgrade(config, BEFORE)
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    assert "client_id" not in {c["name"] for c in inspect(database.engine).get_columns("invoice")}
    database.close()

    again = open_database(str(path))  # upgrades with foreign keys on, as the app does
    with again.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM invoice_line")).scalar() == 2
        assert connection.execute(text("SELECT count(*) FROM invoice WHERE client_id IS NULL")).scalar() == 1
        assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    columns = {c["name"] for c in inspect(again.engine).get_columns("payment")}
    assert "client_id" in columns
    again.close()


def test_0013_gives_earlier_amendments_the_contract_start(tmp_path):
    from tama_desk.services import clients, contracts

    path = tmp_path / "amended.sqlite3"
    database = open_database(str(path))
    with database.transaction() as session:
        client = clients.add_client(session, {"name": "八王子市", "kana": "ハチオウジシ"})
        contract = contracts.create_contract(
            session, party=clients.Party(client=client), title="調査", signed_on=date(2026, 4, 20),
            period_start=date(2026, 5, 1), period_end=date(2027, 2, 28), amount=1_100_000, payment_terms="partial")
        contracts.add_milestone(session, contract.id, "報告", date(2027, 2, 28), 1_100_000)
        contracts.amend(session, contract.id, date(2026, 9, 1), "延長", period_end=date(2027, 3, 15))
    parent = ScriptDirectory.from_config(engine_module._alembic_config()).get_revision("0013").down_revision
    engine_module.downgrade(database.engine, parent)
    columns = {c["name"] for c in inspect(database.engine).get_columns("contract_amendment")}
    assert "period_start_before" not in columns
    assert "contract_amendment_milestone" not in inspect(database.engine).get_table_names()
    database.close()
    again = open_database(str(path))
    with again.engine.connect() as connection:
        assert connection.execute(text("SELECT period_start_before, period_start_after, period_end_after "
                                       "FROM contract_amendment")).one() == ("2026-05-01", "2026-05-01", "2027-03-15")
        assert connection.execute(text("SELECT count(*) FROM contract_milestone")).scalar() == 1
    again.close()
