"""Shared fixtures: every test runs with its own data folder and never sees the user's real database."""

from __future__ import annotations

import logging
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


class _ErrorRecords(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def pytest_configure(config):
    config.addinivalue_line("markers", "logs_errors: the test expects the code to log an ERROR (else it fails)")


@pytest.fixture(autouse=True)
def _fail_on_logged_errors(request):
    """Any ERROR logged during a test fails it (unless marked logs_errors): a swallowed failure is a failure."""
    handler = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    if request.node.get_closest_marker("logs_errors") is None:
        assert not handler.records, "logged an ERROR: " + "; ".join(
            f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else f"{r.name}: {r.getMessage()}"
            for r in handler.records)


@pytest.fixture(autouse=True)
def _fail_on_tk_callback_errors(monkeypatch):
    """An exception raised inside any Tk callback fails the test (Tk would only print it)."""
    try:
        import tkinter
    except ImportError:  # no Tk on this machine: nothing to watch
        yield
        return
    raised: list[BaseException] = []
    monkeypatch.setattr(tkinter.Tk, "report_callback_exception",
                        lambda self, exc_type, error, traceback: raised.append(error))
    yield
    assert not raised, f"a Tk callback raised: {raised!r}"


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
