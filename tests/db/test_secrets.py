"""No PostgreSQL password in a message, the log or the status line; no row data in the log."""

from __future__ import annotations

import logging

import pytest

from tama_desk import cli, paths
from tama_desk.db.engine import Database

SECRET = "S3cr3tPassw0rd"
URL = f"postgresql+psycopg://tama:{SECRET}@127.0.0.1:1/tama"  # nothing listens on port 1


def _log_text() -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return "".join(path.read_text(encoding="utf-8", errors="replace") for path in paths.log_dir().glob("*.log*"))


@pytest.mark.logs_errors
def test_unreachable_server_message_and_log_hold_no_password(capsys):
    assert cli.main(["init", "--db", URL]) == 1
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    assert SECRET not in _log_text()


def test_display_name_hides_the_password():
    database = Database.__new__(Database)
    database.url = URL
    assert SECRET not in database.display_name() and "***" in database.display_name()


def test_failed_statement_logs_no_parameters(db, capsys):
    from sqlalchemy import text

    name = "個人情報 太郎"
    try:
        with db.transaction() as session:
            session.execute(text("INSERT INTO contact (member_id, name) VALUES (:m, :n)"), {"m": 999, "n": name})
    except Exception as error:
        assert name not in str(error)
