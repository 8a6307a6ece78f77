"""Shared fixtures: every test runs with its own data folder and never sees the user's real database."""

from __future__ import annotations

import shutil

import pytest

from tama_desk import i18n
from tama_desk.db.engine import open_database
from tama_desk.services.demo import load_demo

DEMO_COUNT = 300


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """TAMA_DESK_HOME → a fresh temporary folder; TAMA_DESK_DB unset; messages in Japanese."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TAMA_DESK_HOME", str(home))
    monkeypatch.delenv("TAMA_DESK_DB", raising=False)
    yield home
    i18n.set_language("ja")


@pytest.fixture
def db(tmp_path):
    """A migrated, empty SQLite database (seed rows only)."""
    database = open_database(str(tmp_path / "t.sqlite3"))
    yield database
    database.close()


@pytest.fixture(scope="session")
def _demo_file(tmp_path_factory):
    """The demo data set, built once per test run; tests get a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    mp = pytest.MonkeyPatch()
    mp.setenv("TAMA_DESK_HOME", str(path.parent / "home"))
    try:
        database = open_database(str(path))
        with database.transaction() as session:
            load_demo(session, DEMO_COUNT)
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        database.close()
    finally:
        mp.undo()
    return path


@pytest.fixture
def demo_db(_demo_file, tmp_path):
    """A database holding the demo data (300 members); a private copy per test."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(_demo_file, path)
    database = open_database(str(path))
    yield database
    database.close()
