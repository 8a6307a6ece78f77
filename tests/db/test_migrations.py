"""Every migration keeps every row: a demo-filled database is taken back to each revision's parent, then
upgraded to head, and each table's row count compared (SQLite; PostgreSQL too when TAMA_DESK_TEST_PG_URL is set).
And the CHECK constraints of 0004 refuse a code outside its list."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from tama_desk.db import engine as engine_module
from tama_desk.db.engine import current_revision, head_revision, open_database
from tama_desk.domain.choices import CHECKED_COLUMNS
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


def test_0004_refuses_to_run_with_foreign_keys_on(tmp_path):
    """Run by hand with foreign keys on, the rebuild would cascade: it stops instead."""
    database = open_database(str(tmp_path / "a.sqlite3"))
    engine_module.downgrade(database.engine, "0003")
    config = engine_module._alembic_config()
    with database.engine.begin() as connection, pytest.raises(RuntimeError, match="foreign keys"):
        config.attributes["connection"] = connection
        engine_module.command.upgrade(config, "0004")
    database.close()


@pytest.mark.parametrize(("table", "column"), sorted(CHECKED_COLUMNS))
def test_a_code_outside_its_list_is_refused(demo_db, table, column):
    with demo_db.engine.connect() as connection:
        if not connection.execute(text(f"SELECT count(*) FROM {table}")).scalar():
            pytest.skip(f"no {table} rows in the demo")
        with pytest.raises(IntegrityError, match="CHECK|ck_"):
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
