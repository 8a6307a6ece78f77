"""Every migration keeps every row: a demo-filled database is taken back to each revision's parent, then
upgraded to head, and each table's row count compared (SQLite; PostgreSQL too when TAMA_DESK_TEST_PG_URL is set).
And the CHECK constraints of 0004 and 0012 refuse a code outside its list."""

from __future__ import annotations

import os
import re
import uuid

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from tama_desk.db import engine as engine_module
from tama_desk.db import guards
from tama_desk.db.engine import current_revision, head_revision, open_database
from tama_desk.domain.choices import CHECKED_COLUMNS, check_condition
from tama_desk.services.demo import load_demo

PG_URL = os.environ.get("TAMA_DESK_TEST_PG_URL", "")


def revisions() -> list[tuple[str, str]]:
    """(revision, its parent) for every revision after the first, oldest first."""
    script = ScriptDirectory.from_config(engine_module._alembic_config())
    return [(r.revision, r.down_revision) for r in reversed(list(script.walk_revisions())) if r.down_revision]


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
                for table in inspect(connection).get_table_names() if table != "alembic_version"}


def upgrade_keeps_every_row(engine, parent: str) -> None:
    engine_module.downgrade(engine, parent)
    assert current_revision(engine) == parent
    before = row_counts(engine)
    assert sum(before.values()) > 1000  # really demo-filled (members, invoices, payments …)
    engine_module.upgrade(engine, "head")
    after = row_counts(engine)
    assert current_revision(engine) == head_revision()
    assert {table: after[table] for table in before} == before


@pytest.mark.parametrize(("revision", "parent"), revisions())
def test_sqlite_upgrade_from_the_previous_revision_keeps_every_row(demo_db, revision, parent):
    upgrade_keeps_every_row(demo_db.engine, parent)
    with demo_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # switched back on
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_sqlite_rebuild_keeps_indexes_and_constraints(demo_db):
    def schema(engine):
        with engine.connect() as connection:
            return dict(connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL").all())

    at_head = schema(demo_db.engine)
    assert "uq_invoice_annual_fee" in at_head
    engine_module.downgrade(demo_db.engine, "0003")
    engine_module.upgrade(demo_db.engine, "head")
    assert schema(demo_db.engine) == at_head
    with demo_db.engine.connect() as connection:
        sql = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'member'").scalar()
    assert "ck_member_status" in sql and "ck_member_category" in sql


@pytest.mark.parametrize(("parent", "revision"), [("0003", "0004"), ("0010", "0012")])
def test_a_rebuild_refuses_to_run_with_foreign_keys_on(tmp_path, parent, revision):
    """Run by hand with foreign keys on, the rebuild would cascade: it stops instead."""
    database = open_database(str(tmp_path / "a.sqlite3"))
    engine_module.downgrade(database.engine, parent)
    config = engine_module._alembic_config()
    with database.engine.begin() as connection, pytest.raises(RuntimeError, match="foreign keys"):
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    database.close()


def checks_in(engine) -> dict[tuple[str, str], str]:
    """(table, column) → the condition of its CHECK constraint `ck_<table>_<column>`, as the database has it."""
    found = {}
    with engine.connect() as connection:
        for table, sql in connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
            for name, condition in re.findall(r"CONSTRAINT (ck_\w+) CHECK \((.*?)\)(?:,|\s*\)$|\s*$)", sql, re.S):
                column = name.removeprefix(f"ck_{table}_")
                found[(table, column)] = condition
    return found


def test_a_migrated_database_carries_every_code_list_as_its_check(db):
    """The codes copied into 0004 and 0012 are the live lists (domain.choices.CHECKED_COLUMNS) and the models'
    constraints: a list changed without a migration fails here."""
    in_database = checks_in(db.engine)
    expected = {key: check_condition(key[1], codes) for key, codes in CHECKED_COLUMNS.items()}
    assert in_database == expected
    from tama_desk.db.models import Base

    in_models = {(table.name, c.name.removeprefix(f"ck_{table.name}_")): str(c.sqltext)
                 for table in Base.metadata.tables.values() for c in table.constraints
                 if c.__class__.__name__ == "CheckConstraint"}
    assert in_models == expected


@pytest.mark.parametrize(("table", "column", "values"), [
    ("write_off", "kind", {"invoice_id": 1, "written_on": "2026-05-01", "amount": 440, "kind": "no-such-kind",
                   "account": "支払手数料"}),
    ("reminder_sent", "level", {"invoice_id": 1, "sent_on": "2026-05-01", "level": 3, "amount": 70000}),
    ("accounting_export_batch", "format", {"format": "excel"}),
    ("meeting", "kind", {"kind": "飲み会", "title": "x", "status": "予定"}),
    ("contract", "payment_terms", {"title": "x", "kind": "準委任", "payment_terms": "monthly", "tax_category": "standard_10"}),
    ("debit_mandate", "status", {"member_id": 1, "account_type": "1", "status": "approved"}),
])
def test_an_insert_of_a_bad_code_is_refused(demo_db, table, column, values):
    def filler(column):  # a plain value for every NOT NULL column the case does not name
        kind = str(column["type"]).upper()
        if "DATE" in kind:
            return "2026-05-01 00:00:00" if "TIME" in kind else "2026-05-01"
        return 0 if any(name in kind for name in ("INT", "BOOL")) else ""

    with demo_db.engine.connect() as connection:
        columns = [c for c in inspect(connection).get_columns(table) if not c["nullable"] and c["name"] != "id"]
        row = {**{c["name"]: filler(c) for c in columns}, **values}
        sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})"
        with pytest.raises(IntegrityError, match=f"CHECK constraint failed: ck_{table}_{column}"):
            connection.execute(text(sql), row)


def test_the_frozen_invoice_trigger_names_every_frozen_field(db):
    """0008 carries its own copy of the frozen columns: it must be the flush guard's list."""
    with db.engine.connect() as connection:
        sql = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'invoice_frozen'").scalar()
    assert [c for c in guards.FROZEN_FIELDS if f"OLD.{c} IS NOT NEW.{c}" not in sql] == []


def test_0012_keeps_the_triggers_and_the_foreign_key_names(demo_db):
    engine_module.downgrade(demo_db.engine, "0010")
    engine_module.upgrade(demo_db.engine, "head")
    with demo_db.engine.connect() as connection:
        triggers = set(connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
        invoice = connection.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'invoice'").scalar()
        with pytest.raises(IntegrityError, match="frozen"):
            connection.exec_driver_sql("UPDATE invoice SET total = total + 1")
    assert {"invoice_frozen", "invoice_no_delete", "invoice_line_frozen", "invoice_line_no_delete"} <= triggers
    assert "fk_invoice_client_id_client" in invoice and "fk_invoice_contract_id_contract" in invoice


@pytest.mark.parametrize(("table", "column"), sorted(CHECKED_COLUMNS))
def test_a_code_outside_its_list_is_refused(demo_db, table, column):
    with demo_db.engine.connect() as connection:
        if not connection.execute(text(f"SELECT count(*) FROM {table}")).scalar():
            pytest.skip(f"no {table} rows in the demo")
        # an issued document's frozen columns (invoice.kind …) are refused by the 0008 trigger before the CHECK
        with pytest.raises(IntegrityError, match="CHECK|ck_|frozen"):
            connection.execute(text(f"UPDATE {table} SET {column} = 'no-such-code'"))


@pytest.mark.skipif(not PG_URL, reason="needs TAMA_DESK_TEST_PG_URL")
def test_postgres_upgrade_from_0003_keeps_every_row():
    admin = create_engine(PG_URL)
    name = f"tama_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"})
        database = open_database(url.render_as_string(hide_password=False))
        with database.transaction() as session:
            load_demo(session, 120)
        upgrade_keeps_every_row(database.engine, "0003")
        with database.engine.connect() as connection, pytest.raises(IntegrityError):
            connection.execute(text("UPDATE invoice SET status = 'no-such-code'"))
        database.close()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()
