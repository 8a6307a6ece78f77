"""Migration 0005 on a database with invoices: new columns added in place, nothing lost (foreign keys on)."""

from __future__ import annotations

from datetime import date

from alembic import command
from sqlalchemy import inspect, text

from tama_desk.db import engine as engine_module
from tama_desk.db.engine import open_database
from tama_desk.domain.tax import Line
from tama_desk.services import invoices, members


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
            command.downgrade(config, "0003")
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
