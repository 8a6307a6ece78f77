"""Opening a database: resolve where it is, connect, back it up, migrate it.

SQLite is the default (a file in the user data folder, WAL, foreign keys on, a busy timeout);
any SQLAlchemy URL (e.g. postgresql+psycopg://…) goes through the same code.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from tama_desk import paths
from tama_desk.db.models import Audited

BUSY_TIMEOUT_SECONDS = 15


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service accounts, some containers)
        return "unknown"


def resolve_url(target: str | None = None) -> str:
    """`--db` wins, then TAMA_DESK_DB, then the default file. A plain path means a SQLite file."""
    target = target or os.environ.get("TAMA_DESK_DB") or str(paths.default_db_path())
    if "://" in target:
        return target
    path = Path(target).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        if _sqlite_file(url):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


@event.listens_for(Session, "before_flush")
def _stamp_audit_columns(session: Session, _context, _instances) -> None:
    user, now = current_user(), datetime.now()
    for obj in session.new:
        if isinstance(obj, Audited):
            obj.created_by = obj.updated_by = user
            obj.created_at = obj.updated_at = now
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            obj.updated_by, obj.updated_at = user, now


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(paths.migrations_path()))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup_sqlite(source: Path, label: str) -> Path:
    """A consistent copy (SQLite's online backup, safe with WAL) in the backups folder."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = paths.backup_dir() / f"{source.stem}-{stamp}-{label}.sqlite3"
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def migrate(engine: Engine, url: str) -> Path | None:
    """Bring the schema to the newest revision; back up a non-empty SQLite file first.

    Returns the backup's path when one was taken.
    """
    current, head = current_revision(engine), head_revision()
    if current == head:
        return None
    backup = None
    file = _sqlite_file(url)
    if file and file.exists() and file.stat().st_size > 0 and current is not None:
        backup = backup_sqlite(file, f"before-{head}")
    upgrade(engine, "head")
    return backup


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to `revision` in one transaction (see _migrating)."""
    _migrating(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo the migrations down to `revision` ("base": an empty database), in one transaction."""
    _migrating(engine, command.downgrade, revision)


def _migrating(engine: Engine, step, revision: str) -> None:
    """Run an Alembic command on one connection, in one transaction.

    On SQLite a migration may rebuild a table (create, copy, drop, rename). Foreign keys are switched off
    before the transaction begins (inside one the pragma is silently ignored, and a DROP of a parent table would
    fire ON DELETE CASCADE and empty its children), the DDL runs inside an explicit BEGIN (the driver leaves DDL
    outside any transaction), and PRAGMA foreign_key_check must find nothing before the commit.
    """
    config = _alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
            connection.exec_driver_sql("BEGIN")
        try:
            config.attributes["connection"] = connection
            step(config, revision)
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows pointing at nothing: {broken[:10]}")
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


class Database:
    """An open, migrated database. One Session per user action (and per thread)."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.backup_taken = migrate(self.engine, url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back entirely if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def display_name(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def open_database(target: str | None = None) -> Database:
    return Database(resolve_url(target))
