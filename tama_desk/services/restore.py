"""Restoring an archive, and what the app does at start when its database is damaged or too new.

A restore verifies the archive (checksums, `integrity_check`, schema revision: migrated forward when
older, refused when newer), keeps the current database as a backup, then swaps it in: for a SQLite file
the restored file is renamed over it; for PostgreSQL every table is replaced in one transaction.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from tama_desk import atomic, paths
from tama_desk.db import engine as engine_module
from tama_desk.errors import UserError
from tama_desk.services import backup, transfer
from tama_desk.services.check import integrity_of

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """An archive unpacked, checked and migrated to this app's revision, in a temporary folder."""

    manifest: dict
    database: Path
    folder: Path
    migrated_from: str | None


def prepare(archive: Path, work: Path) -> Prepared:
    archive = Path(archive)
    manifest = backup.verify_archive(archive)
    revision = manifest.get("schema_revision")
    if revision is not None and revision not in engine_module.known_revisions():
        raise UserError("バックアップ {name} は新しい版の TAMA Desk で作成されています（スキーマ {revision}）。"
                        "TAMA Desk を更新してから復元してください", name=archive.name, revision=revision)
    database = work / "restored.sqlite3"
    with zipfile.ZipFile(archive) as opened:
        if backup.DATABASE_MEMBER in opened.namelist():
            with opened.open(backup.DATABASE_MEMBER) as src, open(database, "wb") as dst:
                shutil.copyfileobj(src, dst)
            problem = integrity_of(database)
            if problem != "ok":
                raise UserError("バックアップ {name} のデータベースが壊れています（{problem}）", name=archive.name,
                                problem=problem)
            _same_counts(database, manifest, archive)
        else:  # a portable copy (from PostgreSQL): load it into a new file at the archive's revision
            engine = engine_module.make_engine(f"sqlite:///{database}")
            try:
                engine_module.upgrade(engine, revision or "base")
                with transfer._write_connection(engine) as connection:
                    transfer.replace_all(connection, lambda name: transfer.parse_lines(
                        opened.read(f"tables/{name}.jsonl")) if f"tables/{name}.jsonl" in opened.namelist()
                        else iter(()))
            finally:
                engine.dispose()
        files = work / "files"
        for member in opened.namelist():
            if member.startswith("files/") and not member.endswith("/"):
                relative = Path(member).relative_to("files")
                if ".." in relative.parts or relative.is_absolute():
                    raise UserError("バックアップ {name} に不正なファイル名があります", name=archive.name)
                target = files / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                with opened.open(member) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
    engine = engine_module.make_engine(f"sqlite:///{database}")
    try:
        current = engine_module.current_revision(engine)
        if current != engine_module.head_revision():
            engine_module.upgrade(engine, "head")
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    return Prepared(manifest, database, files, current if current != engine_module.head_revision() else None)


def _same_counts(database: Path, manifest: dict, archive: Path) -> None:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        for table, expected in manifest.get("row_counts", {}).items():
            found = connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            if found != expected:
                raise UserError("バックアップ {name}: 表 {table} の行数が一致しません（{found} / {expected}）",
                                name=archive.name, table=table, found=found, expected=expected)
    connection.close()


@dataclass
class Restored:
    archive: Path
    kept: Path | None  # the backup of the database as it was before
    counts: dict[str, int]
    migrated_from: str | None


def restore(archive: Path, target: str | None = None) -> Restored:
    """Restore `archive` over the database `target` (a path or URL; default as everywhere)."""
    url = engine_module.resolve_url(target)
    with tempfile.TemporaryDirectory(prefix="tama-restore-", dir=_work_parent(url)) as folder:
        prepared = prepare(Path(archive), Path(folder))
        kept = _keep_current(url)
        file = engine_module._sqlite_file(url)
        if file is not None:
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{file}{suffix}").unlink(missing_ok=True)
            os.replace(prepared.database, file)
            atomic.make_private(file)
        else:
            source = engine_module.make_engine(f"sqlite:///{prepared.database}")
            destination = engine_module.make_engine(url)
            try:
                engine_module.upgrade(destination, "head")
                transfer.copy_database(source, destination)
            finally:
                source.dispose()
                destination.dispose()
        _restore_files(prepared.folder)
    counts = dict(prepared.manifest.get("row_counts", {}))
    log.info("restored %s (kept the previous database as %s)", archive, kept)
    return Restored(Path(archive), kept, counts, prepared.migrated_from)


def restore_open_database(db, archive: Path) -> Restored:
    """From the window (ファイル → 復元): close the open database, restore over it; the caller then opens it
    again (`open_database(db.url)`). Run it off the Tk thread; it takes a backup first."""
    db.close()
    return restore(archive, db.url)


def _work_parent(url: str) -> str | None:
    file = engine_module._sqlite_file(url)
    return str(file.parent) if file is not None else None  # same file system: os.replace stays atomic


def _keep_current(url: str) -> Path | None:
    """A backup of what is about to be replaced; a damaged file is kept as it is (a plain copy)."""
    file = engine_module._sqlite_file(url)
    if file is not None and not file.exists():
        return None
    if file is not None and integrity_of(file) != "ok":
        target = paths.backup_dir() / f"{file.stem}-damaged-{os.getpid()}-{int(file.stat().st_mtime)}.sqlite3"
        shutil.copyfile(file, target)
        atomic.make_private(target)
        return target
    engine = engine_module.make_engine(url)
    try:
        if engine_module.current_revision(engine) is None:
            return None
        return backup.create_backup(engine, "before-restore")
    finally:
        engine.dispose()


def _restore_files(folder: Path) -> None:
    if not folder.is_dir():
        return
    home = paths.data_dir()
    for file in folder.rglob("*"):
        if file.is_file():
            target = home / file.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic.replacing(target) as tmp:
                shutil.copyfile(file, tmp)


# At start.

@dataclass(frozen=True)
class StartupProblem:
    """What is wrong with the database before it is opened, and the backup to offer."""

    message: str  # a template, translated when shown (with `params`)
    params: dict
    archive: Path | None
    newer: bool = False

    def text(self) -> str:
        from tama_desk.i18n import t

        return t(self.message, **self.params)


def startup_problem(target: str | None = None) -> StartupProblem | None:
    """A damaged SQLite file (unreadable, `quick_check` failing) or a database of a newer schema.

    Call before `open_database` (app start); None when all is well. The full `integrity_check` is left to
    `check` (in the background or from the CLI).
    """
    url = engine_module.resolve_url(target)
    file = engine_module._sqlite_file(url)
    if file is None or not file.exists() or file.stat().st_size == 0:
        return None
    try:
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as connection:
            quick = connection.execute("PRAGMA quick_check").fetchall()
            revision = None
            if connection.execute("SELECT 1 FROM sqlite_master WHERE name='alembic_version'").fetchone():
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        connection.close()
        problem = "" if quick == [("ok",)] else "; ".join(str(row[0]) for row in quick[:2])
    except sqlite3.DatabaseError as error:
        problem, revision = str(error), None
    if problem:
        return damaged(problem)
    if revision is not None and revision not in engine_module.known_revisions():
        return StartupProblem(engine_module.NewerSchemaError(revision).message, {"revision": revision}, None,
                              newer=True)
    return None


def damaged(problem: str) -> StartupProblem:
    """A damaged database (what SQLite's check said): the latest good backup to offer, or none."""
    problem = _plain_problem(problem)
    found = backup.latest_good()
    if found is None:
        return StartupProblem("データベースが壊れています（{problem}）。使えるバックアップが見つかりません。"
                              "ログの場所: {logs}", {"problem": problem, "logs": paths.log_dir()}, None)
    info, _manifest = found
    return StartupProblem("データベースが壊れています（{problem}）。\n最新の正常なバックアップ（{time}）から"
                          "復元しますか？ 今のファイルは別名で残します。",
                          {"problem": problem, "time": f"{info.taken_at:%Y-%m-%d %H:%M}"}, info.path)


def _plain_problem(problem: str) -> str:
    from tama_desk.i18n import t

    lowered = problem.lower()
    if "not a database" in lowered:
        return t("データベースのファイルではありません")
    if "malformed" in lowered or "corrupt" in lowered:
        return t("ファイルの中身が壊れています")
    return problem


def display_target(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
