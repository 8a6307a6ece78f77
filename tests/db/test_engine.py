from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from tama_desk import paths
from tama_desk.db import engine as engine_module
from tama_desk.db.engine import current_revision, head_revision, open_database, resolve_url
from tama_desk.db.models import AssociationProfile, Base, Member, MembershipType
from tama_desk.services.members import save_member

TABLES = {"association_profile", "audit_log", "membership_type", "member", "contact"}
NEW_MEMBER = {"name": "株式会社テスト", "kana": "テスト", "category": "企業", "membership_type": "正会員"}


def test_migration_creates_every_table(db):
    names = set(inspect(db.engine).get_table_names())
    assert names == set(Base.metadata.tables) | {"alembic_version"}
    assert names >= TABLES
    assert current_revision(db.engine) == head_revision()


def test_migrated_schema_matches_models(db):
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_seed_data(db):
    with db.reading() as session:
        types = [(t.name, t.annual_fee, t.tax_category, t.active) for t in
                 session.scalars(select(MembershipType).order_by(MembershipType.sort_order))]
        profile = session.get(AssociationProfile, 1)
        assert session.scalar(select(func.count()).select_from(AssociationProfile)) == 1
        assert session.scalar(select(func.count()).select_from(Member)) == 0
    assert types == [
        ("正会員", 70000, "out_of_scope", True),
        ("賛助会員", 30000, "out_of_scope", True),
        ("特別会員", 0, "out_of_scope", True),
    ]
    assert profile.fiscal_year_start_month == 4
    assert profile.invoice_number_pattern == "{fy}-{seq:04d}"
    assert profile.tax_rounding == "floor"


def test_sqlite_pragmas(db):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_foreign_keys_are_enforced(db):
    with pytest.raises(Exception, match="FOREIGN KEY"), db.transaction() as session:
        session.execute(text(
            "INSERT INTO contact (member_id, name, department, title, email, phone, is_primary, sort_order,"
            " created_at, created_by, updated_at, updated_by)"
            " VALUES (999, 'x', '', '', '', '', 0, 0, '2026-01-01', '', '2026-01-01', '')"))


def test_first_open_and_reopen_take_no_backup(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    first = open_database(str(path))
    assert first.backup_taken is None
    first.close()
    again = open_database(str(path))
    assert again.backup_taken is None
    again.close()
    assert list(paths.backup_dir().iterdir()) == []


def test_backup_taken_before_migrating_an_older_database(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    database = open_database(str(path))
    with database.transaction() as session:
        save_member(session, NEW_MEMBER)
    database.close()

    upgrades = []
    monkeypatch.setattr(engine_module, "head_revision", lambda: "9999")
    monkeypatch.setattr(engine_module.command, "upgrade", lambda config, target: upgrades.append(target))
    reopened = open_database(str(path))
    reopened.close()

    assert upgrades == ["head"]
    backup = reopened.backup_taken
    assert backup is not None and backup.parent == paths.backup_dir()
    assert backup.name.startswith("old-") and backup.name.endswith("-before-9999.sqlite3")
    assert list(paths.backup_dir().iterdir()) == [backup]
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT number, name FROM member").fetchall() == [("0001", "株式会社テスト")]


def test_downgraded_database_is_migrated_again_without_backup(tmp_path):
    path = tmp_path / "down.sqlite3"
    database = open_database(str(path))
    engine_module.downgrade(database.engine, "base")
    assert current_revision(database.engine) is None
    assert set(inspect(database.engine).get_table_names()) == {"alembic_version"}
    database.close()

    again = open_database(str(path))
    assert again.backup_taken is None  # nothing to lose in a database without a schema
    assert set(inspect(again.engine).get_table_names()) >= TABLES
    with again.reading() as session:
        assert session.scalar(select(func.count()).select_from(MembershipType)) == 3
    again.close()


def test_transaction_rolls_back_on_error(db):
    with pytest.raises(RuntimeError), db.transaction() as session:
        save_member(session, NEW_MEMBER)
        raise RuntimeError("boom")
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0


class _Clock:
    now_value = datetime(2026, 4, 1, 9, 0, 0)

    @classmethod
    def now(cls):
        return cls.now_value


def test_audit_columns_on_insert_and_update(db, monkeypatch):
    monkeypatch.setattr(engine_module, "datetime", _Clock)
    monkeypatch.setattr(engine_module, "current_user", lambda: "alice")
    with db.transaction() as session:
        member_id = save_member(session, NEW_MEMBER).id
    with db.reading() as session:
        member = session.get(Member, member_id)
        assert (member.created_by, member.updated_by) == ("alice", "alice")
        assert member.created_at == member.updated_at == datetime(2026, 4, 1, 9, 0, 0)

    monkeypatch.setattr(engine_module, "current_user", lambda: "bob")
    monkeypatch.setattr(_Clock, "now_value", datetime(2026, 5, 2, 10, 30, 0))
    with db.transaction() as session:
        session.get(Member, member_id).phone = "042-600-1234"
    with db.reading() as session:
        member = session.get(Member, member_id)
        assert (member.created_by, member.updated_by) == ("alice", "bob")
        assert member.created_at == datetime(2026, 4, 1, 9, 0, 0)
        assert member.updated_at == datetime(2026, 5, 2, 10, 30, 0)


def test_unchanged_row_keeps_its_audit_stamp(db, monkeypatch):
    monkeypatch.setattr(engine_module, "current_user", lambda: "alice")
    with db.transaction() as session:
        member_id = save_member(session, NEW_MEMBER).id
    monkeypatch.setattr(engine_module, "current_user", lambda: "bob")
    with db.transaction() as session:
        member = session.get(Member, member_id)
        member.name = member.name  # same value: not a change
    with db.reading() as session:
        assert session.get(Member, member_id).updated_by == "alice"


def test_current_user_never_fails(monkeypatch):
    def broken():
        raise OSError("no login name")

    monkeypatch.setattr(engine_module.getpass, "getuser", broken)
    assert engine_module.current_user() == "unknown"


# resolve_url: --db, then TAMA_DESK_DB, then the default file in TAMA_DESK_HOME


def test_resolve_url_default_is_in_home(_isolated_home):
    assert resolve_url() == f"sqlite:///{Path(_isolated_home).resolve() / 'tama_desk.sqlite3'}"
    assert resolve_url(None) == resolve_url("")


def test_resolve_url_env_beats_default(tmp_path, monkeypatch):
    monkeypatch.setenv("TAMA_DESK_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_url() == f"sqlite:///{(tmp_path / 'env.sqlite3').resolve()}"


def test_resolve_url_argument_beats_env(tmp_path, monkeypatch):
    monkeypatch.setenv("TAMA_DESK_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_url(str(tmp_path / "arg.sqlite3")) == f"sqlite:///{(tmp_path / 'arg.sqlite3').resolve()}"


def test_resolve_url_passes_urls_through(monkeypatch):
    url = "postgresql+psycopg://tama:secret@db.example:5432/tama"
    assert resolve_url(url) == url
    monkeypatch.setenv("TAMA_DESK_DB", url)
    assert resolve_url() == url


def test_resolve_url_relative_path_is_absolute_and_folder_created(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = resolve_url("sub/dir/x.sqlite3")
    assert url == f"sqlite:///{(tmp_path / 'sub' / 'dir' / 'x.sqlite3').resolve()}"
    assert (tmp_path / "sub" / "dir").is_dir()


def test_open_database_default_location(_isolated_home):
    database = open_database()
    database.close()
    assert (Path(_isolated_home) / "tama_desk.sqlite3").is_file()
    assert database.display_name().endswith("tama_desk.sqlite3")


def test_memory_database_works_without_wal():
    database = open_database("sqlite://")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert database.backup_taken is None
    database.close()
