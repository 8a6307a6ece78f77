"""kill -9 at random points: a forked child runs a migration, the first init, a billing run, an import or a
PDF batch and is killed (SIGKILL) after a random delay within the run's own duration. Afterwards the file
passes `integrity_check`, opens (migrated), and holds all of the run or none of it. Figures are printed."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tama_desk import atomic
from tama_desk.db import engine as engine_module
from tama_desk.db.engine import open_database
from tama_desk.db.models import Invoice, Member
from tama_desk.services import audit, fees, printing
from tama_desk.services.member_import import import_members
from tama_desk.services.members import save_member

KILLS = 20
MAX_DELAY = 2.0  # seconds
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
FORK = multiprocessing.get_context("fork")


def _child(work, path: str) -> None:
    code = 0
    try:
        work(path)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        os._exit(code)


def _kill_runs(capsys, name: str, template: Path, work, check) -> None:
    """Measure one full run, then KILLS runs killed at a random point of it; `check(path, finished)`."""
    rng = random.Random(os.environ.get("TAMA_KILL_SEED", name))
    target = template.parent / f"{name}-run.sqlite3"

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if template.exists():
            shutil.copyfile(template, target)

    fresh()
    started = time.monotonic()
    process = FORK.Process(target=_child, args=(work, str(target)))
    process.start()
    process.join(30)
    duration = time.monotonic() - started
    assert process.exitcode == 0, f"{name}: the run without a kill failed"
    check(target, True)
    survived = killed_midway = 0
    for _ in range(KILLS):
        fresh()
        process = FORK.Process(target=_child, args=(work, str(target)))
        process.start()
        time.sleep(rng.uniform(0, min(duration, MAX_DELAY)))  # bounded in time
        finished = not process.is_alive()
        process.kill()
        process.join(10)
        killed_midway += not finished
        with sqlite3.connect(target) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        check(target, None)
        survived += 1
    with capsys.disabled():
        print(f"\n[kill -9] {name}: {KILLS} kills tried ({killed_midway} mid-run), {survived} survived "
              f"(integrity ok, all or nothing); one run takes {duration:.2f}s")
    assert survived == KILLS


def _open_and_verify(path: Path):
    database = open_database(str(path))
    with database.reading() as session:
        _, _, broken = audit.verify(session)
    assert broken is None
    return database


def _counted(path: Path, model, where=None) -> int:
    database = _open_and_verify(path)
    with database.reading() as session:
        query = select(func.count()).select_from(model)
        count = session.scalar(query.where(where) if where is not None else query)
    database.close()
    return count


def _migrate_from_0003(path: str) -> None:
    open_database(path).close()


def _init(path: str) -> None:
    open_database(path).close()


def test_kill_during_first_init(tmp_path, capsys):
    def check(path: Path, finished) -> None:
        assert _counted(path, Member) == 0  # opens, migrates what was left undone

    _kill_runs(capsys, "init", tmp_path / "absent.sqlite3", _init, check)


def test_kill_during_migration(tmp_path, capsys):
    template = tmp_path / "old.sqlite3"
    database = open_database(str(template))
    with database.transaction() as session:
        save_member(session, {"name": "株式会社テスト", "kana": "テスト", "category": "企業", "membership_type": "正会員"})
    database.close()
    legacy = open_database(str(template))
    engine_module.downgrade(legacy.engine, "0003")  # back to 0003: every later revision is run again
    legacy.close()
    with sqlite3.connect(template) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def check(path: Path, finished) -> None:
        assert _counted(path, Member) == 1

    _kill_runs(capsys, "migration", template, _migrate_from_0003, check)


def _kana(number: int) -> str:
    return "".join("アイウエオカキクケコ"[int(digit)] for digit in f"{number:03d}")


@pytest.fixture
def members_file(tmp_path) -> Path:
    lines = ["会員名,フリガナ,会員区分,会員種別,郵便番号"]
    lines += [f"株式会社キル{i},キル{_kana(i)},企業,正会員,190-{i:04d}" for i in range(400)]
    path = tmp_path / "members.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _checkpointed(database) -> None:
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()


def _all_or_nothing(model, expected: int):
    def check(path: Path, finished) -> None:
        assert _counted(path, model) in ((expected,) if finished else (0, expected))
    return check


def test_kill_during_import(tmp_path, members_file, capsys):
    template = tmp_path / "import.sqlite3"
    _checkpointed(open_database(str(template)))

    def work(path: str) -> None:
        with open_database(path).transaction() as session:
            import_members(session, members_file)

    _kill_runs(capsys, "members import", template, work, _all_or_nothing(Member, 400))
    target = tmp_path / "members import-run.sqlite3"  # the last killed run, imported again: no twins
    work(str(target))
    assert _counted(target, Member) == 400


def test_kill_during_billing_run(tmp_path, members_file, capsys):
    template = tmp_path / "billing.sqlite3"
    database = open_database(str(template))
    with database.transaction() as session:
        import_members(session, members_file)
    _checkpointed(database)

    def work(path: str) -> None:
        with open_database(path).transaction() as session:
            fees.bill_fiscal_year(session, 2026, date(2026, 4, 1))

    _kill_runs(capsys, "billing run", template, work, _all_or_nothing(Invoice, 400))


def test_kill_during_pdf_batch(tmp_path, members_file, capsys):
    template = tmp_path / "pdf.sqlite3"
    database = open_database(str(template))
    with database.transaction() as session:
        import_members(session, members_file)
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 1))
    documents = printing.year_documents(database, 2026)[:30]
    _checkpointed(database)
    out = tmp_path / "pdf"

    def work(path: str) -> None:
        printing.write_pdfs(documents, out)

    def check(path: Path, finished) -> None:
        for pdf in out.glob("*.pdf"):
            data = pdf.read_bytes()
            assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:], pdf.name
        atomic.remove_stale(out, older_than=0)
        assert not list(out.glob("*.tmp"))
        _counted(path, Invoice)

    _kill_runs(capsys, "PDF batch", template, work, check)
