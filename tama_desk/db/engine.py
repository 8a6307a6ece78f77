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
    """An engine whose transactions are real transactions, DDL included.

    On SQLite the driver's own transaction handling is switched off (`isolation_level=None`, the same on
    Python 3.11 and 3.13) and SQLAlchemy's `begin` event emits BEGIN itself: `BEGIN IMMEDIATE` (take the
    write lock at once, waiting up to the busy timeout) unless the connection was marked for reading.
    A deferred transaction that reads and then writes fails at once in WAL mode when another PC committed
    meanwhile; an immediate one simply waits its turn.
    """
    if make_url(url).get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
        install_guards(engine)
        return engine
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # BEGIN comes from the event below, never from pysqlite
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        if _sqlite_file(url):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection) -> None:
        reading = connection.get_execution_options().get(READING_OPTION, False)
        connection.info[_PENDING_BEGIN] = "BEGIN" if reading else "BEGIN IMMEDIATE"

    @event.listens_for(engine, "before_cursor_execute")
    def _sqlite_emit_begin(connection, cursor, statement, *_args) -> None:
        # BEGIN goes out with the first statement; a connection that only runs PRAGMAs (a WAL checkpoint
        # cannot run inside a transaction) stays in autocommit.
        begin = connection.info.get(_PENDING_BEGIN)
        if begin and not statement.lstrip()[:6].upper().startswith("PRAGMA"):
            del connection.info[_PENDING_BEGIN]
            cursor.execute(begin)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _sqlite_end(connection) -> None:
        connection.info.pop(_PENDING_BEGIN, None)

    install_guards(engine)
    return engine


READING_OPTION = "tama_desk_reading"
_PENDING_BEGIN = "tama_desk_pending_begin"


def install_guards(engine: Engine) -> None:
    """What must hold whichever module was imported first: issued documents stay frozen."""
    from tama_desk.db import guards

    guards.install(engine)


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


def upgrade(engine: Engine, target: str = "head") -> None:
    _run_migrations(engine, command.upgrade, target)


def downgrade(engine: Engine, target: str) -> None:
    _run_migrations(engine, command.downgrade, target)


def _run_migrations(engine: Engine, step, target: str) -> None:
    """Run the migrations in ONE transaction (DDL included): killed half-way, the database is as before.

    SQLite's foreign-key enforcement is switched off while tables are rebuilt (it cannot change inside a
    transaction) and the keys are checked before the commit.
    """
    config = _alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection  # outside any transaction (no autobegin)
        if sqlite:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step(config, target)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("foreign key check failed after the migration")
        finally:
            if sqlite:
                raw.execute("PRAGMA foreign_keys=ON")


class Database:
    """An open, migrated database. One Session per user action (and per thread)."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.backup_taken = migrate(self.engine, url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reading = sessionmaker(self.engine.execution_options(**{READING_OPTION: True}),
                                     expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back entirely if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for looking (a deferred transaction on SQLite: it never waits for a writer)."""
        with self._reading() as session:
            yield session

    def display_name(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def open_database(target: str | None = None) -> Database:
    return Database(resolve_url(target))
