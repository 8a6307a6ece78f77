"""Backup archives: the database and the attachment files in one zip with a manifest.

An archive `tama_desk-YYYYMMDD-HHMMSS-<label>.zip` holds
- `database.sqlite3`: a SQLite database taken with SQLite's online backup API (never a copy of the open file,
  which would miss what is still in the WAL), or for PostgreSQL `tables/<name>.jsonl`, a portable copy of
  every table read through the app;
- `files/…`: the attachment folders of the data folder (vouchers, seals, stored documents);
- `manifest.json`: app version, schema revision, row counts, and the SHA-256 of every other member.

Archives are written to a temporary name and renamed, are readable by the user only, and rotate:
the newest 3, plus the newest of each of the last 7 days, 5 weeks and 12 months.
Taken automatically before every migration, before batches that write many records (`before_batch`),
and once a day after the window is shown (`daily_if_due`, off the Tk thread).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from tama_desk import __version__, atomic, paths
from tama_desk.errors import UserError

log = logging.getLogger(__name__)

PREFIX = "tama_desk-"
NAME = re.compile(r"^tama_desk-(\d{8}-\d{6})(?:-\d+)?-([\w.-]+)\.zip$")
DATABASE_MEMBER = "database.sqlite3"
MANIFEST = "manifest.json"
KEEP_LATEST, KEEP_DAYS, KEEP_WEEKS, KEEP_MONTHS = 3, 7, 5, 12
OFFSITE_STALE_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class ArchiveInfo:
    path: Path
    taken_at: datetime
    label: str

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def _engine_of(db_or_engine) -> Engine:
    return getattr(db_or_engine, "engine", db_or_engine)


def sqlite_file(engine: Engine) -> Path | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (WAL included) through the online backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def _attachment_files() -> list[tuple[Path, str]]:
    home = paths.data_dir()
    found = []
    for folder in paths.attachment_dirs():
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                if file.is_file() and not file.name.endswith(atomic.SUFFIX):
                    found.append((file, "files/" + file.relative_to(home).as_posix()))
    return found


def create_backup(db_or_engine, label: str = "manual", folder: Path | None = None) -> Path:
    """Write one archive (see the module's docstring) and return its path. Rotates the folder afterwards."""
    from tama_desk.db.engine import current_revision
    from tama_desk.services import transfer

    engine = _engine_of(db_or_engine)
    folder = atomic.private_dir(Path(folder) if folder else paths.backup_dir())
    atomic.remove_stale(folder)
    label = re.sub(r"[^\w.-]", "_", label)[:40] or "manual"
    target = _free_name(folder, datetime.now(), label)
    revision = current_revision(engine)
    manifest = {"format": 1, "app": "TAMA Desk", "app_version": __version__, "schema_revision": revision,
                "created_at": datetime.now().isoformat(timespec="seconds"), "label": label,
                "source": engine.dialect.name,
                "database": make_url(str(engine.url)).render_as_string(hide_password=True),
                "row_counts": {}, "files": {}}
    with (tempfile.TemporaryDirectory(prefix="tama-backup-") as work, atomic.replacing(target, private=True) as tmp,
          zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive):
        source = sqlite_file(engine)
        if source is not None:
            copy = Path(work) / DATABASE_MEMBER
            sqlite_copy(source, copy)
            with sqlite3.connect(copy) as check:
                tables = [r[0] for r in check.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
                manifest["row_counts"] = {name: check.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
                                          for name in tables if name != "alembic_version"}
            check.close()
            archive.write(copy, DATABASE_MEMBER)
            manifest["files"][DATABASE_MEMBER] = {"sha256": _sha256(copy), "size": copy.stat().st_size}
        else:
            with engine.connect().execution_options(tama_desk_reading=True) as connection:
                for name, lines in transfer.dump_lines(connection):
                    member = f"tables/{name}.jsonl"
                    digest, size, count = hashlib.sha256(), 0, 0
                    with archive.open(member, "w", force_zip64=True) as out:
                        for line in lines:
                            out.write(line)
                            digest.update(line)
                            size, count = size + len(line), count + 1
                    manifest["files"][member] = {"sha256": digest.hexdigest(), "size": size}
                    manifest["row_counts"][name] = count
        for file, member in _attachment_files():
            archive.write(file, member)
            manifest["files"][member] = {"sha256": _sha256(file), "size": file.stat().st_size}
        archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    log.info("backup written: %s", target)
    rotate(folder)
    copy_offsite(target)
    return target


def _free_name(folder: Path, when: datetime, label: str) -> Path:
    stamp = when.strftime("%Y%m%d-%H%M%S")
    target = folder / f"{PREFIX}{stamp}-{label}.zip"
    counter = 1
    while target.exists():
        counter += 1
        target = folder / f"{PREFIX}{stamp}-{counter}-{label}.zip"
    return target


def archives(folder: Path | None = None) -> list[ArchiveInfo]:
    """The archives in `folder` (default: the backups folder), newest first."""
    folder = Path(folder) if folder else paths.backup_dir()
    found = []
    try:
        names = list(folder.iterdir())
    except OSError:
        return []
    for path in names:
        match = NAME.match(path.name)
        if match and path.is_file():
            found.append(ArchiveInfo(path, datetime.strptime(match.group(1), "%Y%m%d-%H%M%S"), match.group(2)))
    return sorted(found, key=lambda info: (info.taken_at, info.path.name), reverse=True)


def rotate(folder: Path | None = None) -> list[Path]:
    """Keep the newest 3 plus the newest of each of the last 7 days, 5 weeks, 12 months; delete the rest."""
    found = archives(folder)
    keep = {info.path for info in found[:KEEP_LATEST]}
    for key, limit in ((lambda d: d.date(), KEEP_DAYS), (lambda d: d.isocalendar()[:2], KEEP_WEEKS),
                       (lambda d: (d.year, d.month), KEEP_MONTHS)):
        seen: list = []
        for info in found:
            slot = key(info.taken_at)
            if slot not in seen:
                seen.append(slot)
                if len(seen) > limit:
                    break
                keep.add(info.path)
    removed = []
    for info in found:
        if info.path not in keep:
            try:
                info.path.unlink()
                removed.append(info.path)
            except OSError:
                log.warning("could not remove an old backup: %s", info.path)
    return removed


class DailyBackupFailed(UserError):
    """The day's automatic backup could not be taken; the message says why (no path, no row, no password)."""


_daily_failure: tuple[datetime, DailyBackupFailed] | None = None  # the last failure of this process's daily backup


def daily_if_due(db) -> Path | None:
    """The day's automatic backup, when none was taken today. Call it off the Tk thread once the window is
    shown; returns the archive's path, or None when today's copy exists. A failure is logged (its kind, never
    its text: a database error can carry rows or a URL), kept for the dashboard (`daily_warning`) and raised as
    DailyBackupFailed saying why in the user's language."""
    global _daily_failure
    try:
        today = datetime.now().date()
        if any(info.taken_at.date() == today for info in archives()):
            _daily_failure = None  # today's copy exists
            return None
        path = create_backup(db, "daily")
    except Exception as error:  # noqa: BLE001  (whatever broke, the window goes on)
        log.warning("daily backup failed: %s errno=%s", type(error).__name__, getattr(error, "errno", None))
        failure = DailyBackupFailed("本日の自動バックアップに失敗しました: {reason}", reason=_reason(error))
        _daily_failure = (datetime.now(), failure)
        raise failure from error
    _daily_failure = None
    return path


def _reason(error: BaseException):
    import errno

    from tama_desk.i18n import Message

    if isinstance(error, UserError):
        return Message(error.message, **error.params)
    code = getattr(error, "errno", None)
    if code == errno.ENOSPC:
        return Message("ディスクの空きがありません")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return Message("バックアップの保存先に書き込めません（アクセス権・読み取り専用）")
    if isinstance(error, OSError):
        return Message("ファイルを書き込めません（{error}）", error=error.strerror or type(error).__name__)
    if "sqlalchemy" in type(error).__module__ or isinstance(error, sqlite3.Error):
        return Message("データベースを読めません（{error}）", error=type(error).__name__)
    return Message("予期しないエラー（{error}）", error=type(error).__name__)


def daily_warning() -> str | None:
    """For the dashboard: why the day's automatic backup failed, in the user's language; None when it did not."""
    from tama_desk.i18n import t

    if _daily_failure is None:
        return None
    when, failure = _daily_failure
    return t("{time} {message}", time=f"{when:%H:%M}", message=failure.text())


def before_batch(db, label: str) -> Path | None:
    """Before a batch that writes many records (billing run, imports, debit results, restore)."""
    try:
        return create_backup(db, f"before-{label}")
    except OSError as error:
        raise UserError("バックアップを作成できないため中止しました（{error}）。何も変更していません",
                        error=error.strerror or error) from error


def before_migration(engine: Engine, head: str) -> Path:
    """The copy before a migration replaces the one taken today before the same migration (a start that
    fails again and again never fills the disk)."""
    label = f"before-{head}"
    today = datetime.now().date()
    earlier = [info for info in archives() if info.label == label and info.taken_at.date() == today]
    target = create_backup(engine, label)
    for info in earlier:
        info.path.unlink(missing_ok=True)
    return target


# The second target (a USB stick or NAS) set in 設定 (Preferences.backup_folder).

def offsite_folder() -> Path | None:
    from tama_desk import settings

    folder = getattr(settings.load(), "backup_folder", "") or ""
    return Path(folder) if folder.strip() else None


def copy_offsite(archive: Path) -> Path | None:
    """Copy a finished archive to the second folder, when one is set; a missing stick is only logged."""
    folder = offsite_folder()
    if folder is None:
        return None
    try:
        target = folder / archive.name
        with atomic.replacing(target) as tmp:
            shutil.copyfile(archive, tmp)
        rotate(folder)
        return target
    except OSError:
        log.warning("could not copy the backup to the second folder %s", folder, exc_info=True)
        return None


def offsite_warning(now: datetime | None = None) -> str | None:
    """For the dashboard: a message when a second folder is set and its newest copy is older than a week
    (or the folder cannot be reached). None when all is well or no second folder is set."""
    from tama_desk.i18n import t

    folder = offsite_folder()
    if folder is None:
        return None
    now = now or datetime.now()
    found = archives(folder) if folder.is_dir() else []
    if not found:
        return t("バックアップの保存先（{folder}）にコピーがありません", folder=folder)
    if now - found[0].taken_at > OFFSITE_STALE_AFTER:
        return t("バックアップの保存先（{folder}）の最新のコピーは {date} のものです（1週間以上前）",
                 folder=folder, date=f"{found[0].taken_at:%Y-%m-%d}")
    return None


# Reading an archive back.

def read_manifest(archive: Path) -> dict:
    try:
        with zipfile.ZipFile(archive) as opened:
            return json.loads(opened.read(MANIFEST).decode("utf-8"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise UserError("バックアップ {name} を読めません（壊れているか、バックアップではありません）",
                        name=Path(archive).name) from error


def verify_archive(archive: Path) -> dict:
    """The manifest, after every member's checksum matched; UserError naming the first that does not."""
    manifest = read_manifest(archive)
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
        for member, expected in manifest.get("files", {}).items():
            if member not in names:
                raise UserError("バックアップ {name}: {member} がありません", name=Path(archive).name, member=member)
            digest = hashlib.sha256()
            try:
                with opened.open(member) as stream:
                    for block in iter(lambda: stream.read(1 << 20), b""):
                        digest.update(block)
            except (OSError, zipfile.BadZipFile, EOFError) as error:
                raise UserError("バックアップ {name}: {member} が壊れています", name=Path(archive).name,
                                member=member) from error
            if digest.hexdigest() != expected["sha256"]:
                raise UserError("バックアップ {name}: {member} のチェックサムが一致しません",
                                name=Path(archive).name, member=member)
    return manifest


def latest_good(folder: Path | None = None) -> tuple[ArchiveInfo, dict] | None:
    """The newest archive that verifies (for the damaged-database offer at start)."""
    for info in archives(folder):
        try:
            return info, verify_archive(info.path)
        except UserError:
            log.warning("backup does not verify: %s", info.path)
    return None
