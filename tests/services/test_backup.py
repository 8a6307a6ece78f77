from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from tama_desk import __version__, cli, paths, settings
from tama_desk.db import engine as engine_module
from tama_desk.db.engine import head_revision, open_database
from tama_desk.db.models import Member
from tama_desk.errors import UserError
from tama_desk.services import backup, restore, transfer
from tama_desk.services.members import save_member

NEW_MEMBER = {"name": "株式会社バックアップ", "kana": "バックアップ", "category": "企業", "membership_type": "正会員"}


def fingerprint(engine) -> dict[str, tuple[int, str]]:
    return transfer.fingerprints(engine)


def attach(name: str, data: bytes) -> Path:
    file = paths.attachments_dir() / "grant_1" / name
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data)
    return file


def test_archive_holds_database_attachments_and_manifest(demo_db):
    voucher = attach("1_V-001.pdf", b"%PDF-1.4 voucher")
    archive = backup.create_backup(demo_db, "manual")

    assert archive.parent == paths.backup_dir() and archive.name.startswith("tama_desk-")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.backup_dir().stat().st_mode) == 0o700
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        assert opened.read("files/attachments/grant_1/1_V-001.pdf") == voucher.read_bytes()
        database = opened.read("database.sqlite3")
    assert manifest["app_version"] == __version__
    assert manifest["schema_revision"] == head_revision()
    assert manifest["row_counts"]["member"] == 300
    assert manifest["files"]["database.sqlite3"]["sha256"] == hashlib.sha256(database).hexdigest()
    assert backup.verify_archive(archive) == manifest
    assert not list(paths.backup_dir().glob("*.tmp"))


def test_backup_sees_work_still_in_the_wal(tmp_path):
    database = open_database(str(tmp_path / "wal.sqlite3"))
    with database.transaction() as session:
        save_member(session, NEW_MEMBER)
    keep_open = database.engine.connect().execution_options(tama_desk_reading=True)  # the app is running
    keep_open.exec_driver_sql("SELECT 1").all()
    assert (tmp_path / "wal.sqlite3-wal").stat().st_size > 0
    archive = backup.create_backup(database)
    keep_open.close()
    database.close()
    assert backup.verify_archive(archive)["row_counts"]["member"] == 1


def test_backup_damage_restore_gives_identical_tables(demo_db, tmp_path):
    attach("7_V-007.jpg", b"\xff\xd8 voucher")
    before = fingerprint(demo_db.engine)
    archive = backup.create_backup(demo_db)
    path = Path(demo_db.engine.url.database)
    demo_db.close()
    with open(path, "r+b") as file:  # damage: garbage over the middle of the file
        file.seek(path.stat().st_size // 2)
        file.write(os.urandom(8192))
    (paths.attachments_dir() / "grant_1" / "7_V-007.jpg").unlink()

    problem = restore.startup_problem(str(path))
    assert problem is not None and problem.archive == archive and "壊れています" in problem.text()

    result = restore.restore(archive, str(path))
    assert result.kept is not None and result.kept.exists()  # the damaged file, kept aside
    again = open_database(str(path))
    assert fingerprint(again.engine) == before
    again.close()
    assert (paths.attachments_dir() / "grant_1" / "7_V-007.jpg").read_bytes() == b"\xff\xd8 voucher"
    assert restore.startup_problem(str(path)) is None


def test_restore_keeps_the_current_database_as_a_backup(db, tmp_path):
    archive = backup.create_backup(db)
    with db.transaction() as session:
        save_member(session, NEW_MEMBER)
    db.close()
    result = restore.restore(archive, db.url)
    assert result.kept.name.endswith("-before-restore.zip")
    assert backup.verify_archive(result.kept)["row_counts"]["member"] == 1
    reopened = open_database(db.url)
    with reopened.reading() as session:
        assert session.scalars(select(Member)).all() == []
    reopened.close()


def _rewrite(archive: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(target, "w") as copy:
        for item in source.infolist():
            copy.writestr(item, change(item.filename, source.read(item.filename)))
    return target


def test_damaged_archive_is_refused_and_nothing_changes(db, tmp_path):
    with db.transaction() as session:
        save_member(session, NEW_MEMBER)
    archive = backup.create_backup(db)
    before = fingerprint(db.engine)
    flipped = _rewrite(archive, tmp_path / "tama_desk-20260101-000000-bad.zip",
                       lambda name, data: data[:-1] + bytes([data[-1] ^ 1]) if name == "database.sqlite3" else data)
    with pytest.raises(UserError, match="チェックサムが一致しません"):
        restore.restore(flipped, db.url)
    (tmp_path / "junk.zip").write_bytes(b"PK not really")
    with pytest.raises(UserError, match="読めません"):
        restore.restore(tmp_path / "junk.zip", db.url)
    assert fingerprint(db.engine) == before


def test_archive_of_a_newer_schema_is_refused(db, tmp_path):
    archive = backup.create_backup(db)

    def newer(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["schema_revision"] = "9999_future"
            return json.dumps(manifest).encode()
        return data

    with pytest.raises(UserError, match="新しい版"):
        restore.restore(_rewrite(archive, tmp_path / "newer.zip", newer), db.url)


def test_archive_of_an_older_schema_is_migrated_forward(tmp_path):
    old = open_database(str(tmp_path / "old.sqlite3"))
    with old.transaction() as session:
        save_member(session, NEW_MEMBER)
    engine_module.downgrade(old.engine, "0003")
    archive = backup.create_backup(old)
    old.close()
    assert backup.read_manifest(archive)["schema_revision"] == "0003"
    target = tmp_path / "new.sqlite3"
    open_database(str(target)).close()
    result = restore.restore(archive, str(target))
    assert result.migrated_from == "0003"
    again = open_database(str(target))
    assert engine_module.current_revision(again.engine) == head_revision()
    with again.reading() as session:
        assert [m.name for m in session.scalars(select(Member))] == [NEW_MEMBER["name"]]
    again.close()


def test_rotation_keeps_7_daily_5_weekly_12_monthly(tmp_path):
    start = datetime(2026, 12, 1, 12, 0, 0)
    for hours in range(0, 24 * 500, 8):  # three a day for 500 days
        when = start - timedelta(hours=hours)
        (tmp_path / f"tama_desk-{when:%Y%m%d-%H%M%S}-daily.zip").write_bytes(b"x")
    backup.rotate(tmp_path)
    kept = [info.taken_at for info in backup.archives(tmp_path)]
    assert len({d.date() for d in kept}) <= 7 + 5 + 12
    assert {d.date() for d in kept} >= {(start - timedelta(days=n)).date() for n in range(7)}
    assert len({(d.year, d.month) for d in kept}) == 12
    assert kept[:3] == [start, start - timedelta(hours=8), start - timedelta(hours=16)]
    assert min(kept) > start - timedelta(days=366)


def test_daily_backup_once_a_day(db):
    first = backup.daily_if_due(db)
    assert first is not None and first.name.endswith("-daily.zip")
    assert backup.daily_if_due(db) is None


def test_a_failed_daily_backup_is_logged_without_its_text_and_said_in_japanese(db, monkeypatch, caplog):
    import errno
    import logging

    from tama_desk.ui.views.dashboard import warnings_of

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device: /home/tanaka/株式会社秘密.zip")

    taken = backup.create_backup
    monkeypatch.setattr(backup, "create_backup", full_disk)
    with caplog.at_level(logging.WARNING), pytest.raises(backup.DailyBackupFailed) as error:
        backup.daily_if_due(db)
    assert str(error.value) == "本日の自動バックアップに失敗しました: ディスクの空きがありません"
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "daily backup failed: OSError" in logged and "秘密" not in logged and "tanaka" not in logged
    assert any("自動バックアップに失敗しました: ディスクの空き" in warning for warning in warnings_of(db))
    monkeypatch.setattr(backup, "create_backup", taken)
    assert backup.daily_if_due(db) is not None and backup.daily_warning() is None  # a later success clears it


def test_second_folder_gets_a_copy_and_a_stale_one_is_reported(db, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    settings.save(settings.Preferences(backup_folder=str(usb)))
    assert "コピーがありません" in backup.offsite_warning()
    archive = backup.create_backup(db)
    assert (usb / archive.name).read_bytes() == archive.read_bytes()
    assert backup.offsite_warning() is None
    assert "1週間以上前" in backup.offsite_warning(now=datetime.now() + timedelta(days=8))
    settings.save(settings.Preferences())
    assert backup.offsite_warning() is None


def test_backup_to_a_read_only_or_missing_folder_is_a_clear_error(db, tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("not a folder")
    assert cli.main(["backup", "--db", db.url.removeprefix("sqlite:///"), "--to", str(target)]) == 2
    assert "フォルダを指定してください" in capsys.readouterr().err


def test_startup_problem_for_garbage_and_newer_schema(tmp_path):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database" * 100)
    problem = restore.startup_problem(str(garbage))
    assert problem is not None and problem.archive is None and "バックアップが見つかりません" in problem.text()

    newer = tmp_path / "newer.sqlite3"
    open_database(str(newer)).close()
    with sqlite3.connect(newer) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_future'")
    problem = restore.startup_problem(str(newer))
    assert problem.newer and "新しい版" in problem.text()
    assert list(paths.backup_dir().iterdir()) == []


def test_cli_backup_list_restore_check(db, tmp_path, capsys):
    path = db.url.removeprefix("sqlite:///")
    with db.transaction() as session:
        save_member(session, NEW_MEMBER)
    db.close()
    assert cli.main(["backup", "--db", path]) == 0
    archive = Path(capsys.readouterr().out.strip())
    assert archive.is_file()
    assert cli.main(["backups", "list"]) == 0
    assert str(archive) in capsys.readouterr().out
    assert cli.main(["check", "--db", path]) == 0
    assert "database: ok" in capsys.readouterr().out
    assert cli.main(["restore", str(archive), "--db", path, "--yes"]) == 0
    assert "復元しました" in capsys.readouterr().out
    assert cli.main(["restore", str(tmp_path / "absent.zip"), "--db", path, "--yes"]) == 2


def test_check_names_a_missing_attachment(db, capsys):
    from tama_desk.db.models import Expenditure
    from tama_desk.services import grants

    with db.transaction() as session:
        grant = grants.create_grant(session, name="補助", grantor="東京都", fiscal_year=2026,
                                    period_start=datetime(2026, 4, 1).date(), period_end=datetime(2027, 3, 31).date(),
                                    decided_amount=1_000_000, rate="1/2", budgets={"旅費": 500_000})
        session.add(Expenditure(grant_id=grant.id, voucher_number="V1", category="旅費",
                                payment_date=datetime(2026, 5, 1).date(), payee="x", amount=1000,
                                eligible_amount=1000, attachment_path="attachments/grant_1/missing.pdf"))
    assert cli.main(["check", "--db", db.url.removeprefix("sqlite:///")]) == 1
    assert "missing.pdf" in capsys.readouterr().err


def test_cli_on_a_damaged_file_points_to_restore(tmp_path, capsys):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + os.urandom(4096))
    assert cli.main(["members", "export", str(tmp_path / "x.csv"), "--db", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "壊れています" in err and "restore" in err and "Traceback" not in err
