"""Opening a database: resolve where it is, connect, back it up, migrate it.

SQLite is the default (a file in the user data folder, WAL, foreign keys on, a busy timeout);
any SQLAlchemy URL (e.g. postgresql+psycopg://…) goes through the same code.
"""

from __future__ import annotations

import functools
import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from tama_desk import paths
from tama_desk.db.models import Audited
from tama_desk.db.schema_head import HEAD_REVISION, resolve_url
from tama_desk.errors import UserError

BUSY_TIMEOUT_SECONDS = 5


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service accounts, some containers)
        return "unknown"


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
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
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
            try:
                cursor.execute(begin)
            except sqlite3.OperationalError as error:  # locked: seen like any other database error
                raise exc.OperationalError(begin, None, error) from error

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


def _alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_path()))
    return config


@functools.cache
def _scripts():
    """The migration scripts, read once per process (they do not change while it runs)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def head_revision() -> str:
    """Alembic's head: HEAD_REVISION while it names the newest script in the versions folder (a start at
    head then never imports Alembic), else what Alembic reads from the scripts."""
    if newest_script() == HEAD_REVISION:
        return HEAD_REVISION
    return _scripts().get_current_head()


def newest_script() -> str:
    """The highest revision id among the versions folder's file names (`0016_versions_retention.py`)."""
    names = (path.name for path in (paths.migrations_path() / "versions").glob("*.py"))
    return max((name.split("_", 1)[0] for name in names if "_" in name), default="")


def current_revision(engine: Engine) -> str | None:
    """What alembic_version holds (None: no schema yet), read without importing Alembic."""
    with engine.connect().execution_options(**{READING_OPTION: True}) as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def known_revisions() -> set[str]:
    return {script.revision for script in _scripts().walk_revisions()}


class NewerSchemaError(UserError):
    """The database was migrated by a newer TAMA Desk: refused before any backup or migration."""

    def __init__(self, revision: str):
        super().__init__("このデータベースは新しい版の TAMA Desk で更新されています（スキーマ {revision}）。"
                         "この版では開けません。TAMA Desk を更新してください", revision=revision)


def migrate(engine: Engine, url: str) -> Path | None:
    """Bring the schema to the newest revision, after a backup archive of a database holding a schema.

    Returns the backup's path when one was taken. A database of a newer schema is refused (no backup).
    """
    current, head = current_revision(engine), head_revision()
    if current == head:
        return None
    if current is not None and current not in known_revisions():
        raise NewerSchemaError(current)
    backup = None
    file = _sqlite_file(url)
    if current is not None and (file is None or (file.exists() and file.stat().st_size > 0)):
        from tama_desk.services import backup as backups

        backup = backups.before_migration(engine, head)
    upgrade(engine, "head")
    return backup


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    _run_migrations(engine, command.upgrade, target)


def downgrade(engine: Engine, target: str) -> None:
    from alembic import command

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


class DamagedDatabaseError(UserError):
    exit_code = 1

    def __init__(self):
        super().__init__("データベースのファイルが壊れています。`restore` で最新のバックアップから復元できます"
                         "（`backups list` で一覧、今のファイルは控えとして残します）")


class DatabaseBusyError(UserError):
    exit_code = 1  # the input was fine; the database refused (CLI exit code 1)

    def __init__(self):
        super().__init__("他のPCがデータベースに書き込み中です。しばらくしてからもう一度お試しください"
                         "（何も失われていません。この操作は保存していません）")


class ConcurrentWriteError(UserError):
    exit_code = 1  # the input was fine; the database refused (CLI exit code 1)

    def __init__(self):
        super().__init__("同じ記録が他のPCから同時に書き込まれました。この操作は保存していません。"
                         "もう一度実行すると残りだけを処理します")


class SaveFailedError(UserError):
    exit_code = 1  # the input was fine; the database refused (CLI exit code 1)

    def __init__(self, reason: str):
        super().__init__("保存できませんでした（{reason}）。この操作は保存していません", reason=reason)


def translate_error(error: Exception, session: Session | None = None) -> Exception:
    """A database error as the user should read it: never the SQL or its parameters."""
    from sqlalchemy import exc
    from sqlalchemy.orm.exc import StaleDataError

    from tama_desk.db import guards

    if isinstance(error, StaleDataError):
        return _stale(session)
    if not isinstance(error, exc.DBAPIError):
        return error
    text = str(getattr(error, "orig", error)).lower()
    if guards.APPEND_ONLY_MESSAGE in text:
        return SaveFailedError("監査ログは追記のみで、変更・削除できません")
    if guards.RETENTION_MESSAGE in text:
        return SaveFailedError("保存期間内の記録は削除できません（取消・訂正として記録してください）")
    if guards.FROZEN_TRIGGER_MESSAGE in text:
        return guards.FrozenInvoiceError("発行済みの請求書は変更できません（取消して再発行してください）")
    if "locked" in text or "lock timeout" in text or "could not obtain lock" in text:
        return DatabaseBusyError()
    if isinstance(error, exc.IntegrityError) and ("unique" in text or "duplicate key" in text):
        return ConcurrentWriteError()
    if "disk is full" in text or "no space" in text:
        return SaveFailedError("ディスクがいっぱいです")
    if "readonly" in text or "read-only" in text:
        return SaveFailedError("データベースが読み取り専用です")
    if isinstance(error, exc.OperationalError):
        return SaveFailedError(type(getattr(error, "orig", error)).__name__)
    return error


def _stale(session: Session | None):
    """Who changed the record this save was based on, and when (read afresh)."""
    from sqlalchemy import select

    from tama_desk.db import guards
    from tama_desk.db.models import Versioned

    if session is not None:
        for obj in [*session.dirty, *session.deleted]:
            if isinstance(obj, Versioned):
                model = type(obj)
                try:
                    with Session(session.get_bind()) as fresh:
                        row = fresh.execute(select(model.updated_by, model.updated_at)
                                            .where(model.id == obj.id)).first()
                except Exception:
                    row = None
                if row is not None:
                    return guards.StaleEditError(row[0], f"{row[1]:%Y-%m-%d %H:%M}")
    return guards.StaleEditError()


def _create_private(file: Path | None) -> None:
    """A new database file is readable by the user only (SQLite gives its -wal and -shm the same mode)."""
    if file is not None and not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))


class Database:
    """An open, migrated database. One Session per user action (and per thread)."""

    def __init__(self, url: str):
        self.url = url
        _create_private(_sqlite_file(url))
        self.engine = make_engine(url)
        try:
            self.backup_taken = migrate(self.engine, url)
        except exc.DatabaseError as error:
            self.engine.dispose()
            text = str(error.orig).lower()
            if _sqlite_file(url) is not None and ("malformed" in text or "not a database" in text):
                raise DamagedDatabaseError() from error
            raise
        self.warnings = [warning] if (warning := network_share_warning(url)) else []
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._reading = sessionmaker(self.engine.execution_options(**{READING_OPTION: True}),
                                     expire_on_commit=False)
        self.changes = 0  # transactions this process committed (a view shown again reads only after one)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back entirely if it raises.

        A database error leaves as a UserError the user can read (another PC writing, a stale edit, a full
        disk); nothing of the unit is saved then.
        """
        from sqlalchemy import exc
        from sqlalchemy.orm.exc import StaleDataError

        with self._sessions() as session:
            try:
                with session.begin():
                    yield session
                self.changes += 1
            except (exc.DBAPIError, StaleDataError) as error:
                translated = translate_error(error, session)
                if translated is error:
                    raise
                raise translated from error

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for looking (a deferred transaction on SQLite: it never waits for a writer)."""
        with self._reading() as session:
            yield session

    def display_name(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def network_share_warning(url: str) -> str | None:
    """SQLite's locking is not safe over SMB: a file on a UNC path or a mapped network drive is warned
    against (a template; translate when shown)."""
    file = _sqlite_file(url)
    if file is None:
        return None
    text = str(file)
    remote = text.startswith(("\\\\", "//"))
    if not remote and os.name == "nt" and len(text) > 1 and text[1] == ":":
        try:
            import ctypes

            remote = ctypes.windll.kernel32.GetDriveTypeW(text[:2] + "\\") == 4  # DRIVE_REMOTE
        except (OSError, AttributeError):
            remote = False
    if remote:
        return NETWORK_SHARE_WARNING
    return None


NETWORK_SHARE_WARNING = ("データベースのファイルがネットワーク上の共有フォルダにあります。複数のPCから同じファイルを"
                         "使うと壊れるおそれがあります。共有するには PostgreSQL サーバーを使ってください"
                         "（README「For Windows users」）")


def open_database(target: str | None = None) -> Database:
    return Database(resolve_url(target))
