"""HEAD_REVISION (what a start compares the database with before Alembic is imported) stays Alembic's head,
and the start's quick look at a SQLite file tells which files may open at once."""

from __future__ import annotations

import sqlite3

from alembic.config import Config
from alembic.script import ScriptDirectory

from tama_desk import paths
from tama_desk.db import engine as engine_module
from tama_desk.db import schema_head
from tama_desk.db.engine import open_database


def alembic_head() -> str:
    config = Config()
    config.set_main_option("script_location", str(paths.migrations_path()))
    return ScriptDirectory.from_config(config).get_current_head()


def test_the_head_constant_is_alembics_head():
    """Added a migration? Set HEAD_REVISION in tama_desk/db/schema_head.py to its revision."""
    assert alembic_head() == schema_head.HEAD_REVISION
    assert engine_module.newest_script() == alembic_head()  # the file names agree (the runtime guard)
    assert engine_module.head_revision() == alembic_head()


def test_a_stale_constant_falls_back_to_alembic(monkeypatch):
    monkeypatch.setattr(engine_module, "HEAD_REVISION", "0001")
    assert engine_module.head_revision() == alembic_head()


def test_which_databases_open_at_once(tmp_path):
    assert schema_head.at_head(str(tmp_path / "new.sqlite3"))  # created when opened
    assert schema_head.at_head("postgresql+psycopg://user@server/tama")  # checked when opened

    current = tmp_path / "current.sqlite3"
    open_database(str(current)).close()
    assert schema_head.stored_revision(current) == alembic_head()
    assert schema_head.at_head(str(current))
    assert schema_head.at_head(f"sqlite:///{current}")

    older = tmp_path / "older.sqlite3"
    open_database(str(older)).close()
    with sqlite3.connect(older) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0013'")
    assert not schema_head.at_head(str(older))  # the full start check, then the migration

    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    assert not schema_head.at_head(str(garbage))


def test_current_revision_without_alembic(tmp_path):
    database = open_database(str(tmp_path / "a.sqlite3"))
    assert engine_module.current_revision(database.engine) == alembic_head()
    database.close()
    empty = engine_module.make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert engine_module.current_revision(empty) is None
    empty.dispose()
