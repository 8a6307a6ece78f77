"""Files the app writes: temporary name then rename, private, stale temporaries removed; vouchers kept apart."""

from __future__ import annotations

import os
import stat
import time
from datetime import date

import pytest

from tama_desk import atomic, cli, paths
from tama_desk.services import grants


def test_a_failed_write_leaves_neither_a_partial_file_nor_a_temporary(tmp_path):
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"the earlier version")
    with pytest.raises(RuntimeError), atomic.replacing(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"the earlier version"
    assert list(tmp_path.iterdir()) == [target]
    atomic.write_bytes(target, b"new", private=True)
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_stale_temporaries_are_removed_but_fresh_ones_kept(tmp_path):
    stale, fresh = tmp_path / ".a.pdf.x1.tmp", tmp_path / ".b.pdf.x2.tmp"
    stale.write_bytes(b"")
    fresh.write_bytes(b"")
    old = time.time() - 2 * atomic.STALE_AFTER_SECONDS
    os.utime(stale, (old, old))
    assert atomic.remove_stale(tmp_path) == [stale]
    assert fresh.exists()


def test_store_copy_never_overwrites_and_drops_executable_extensions(tmp_path):
    source = tmp_path / "scan.PDF"
    source.write_bytes(b"first")
    folder = tmp_path / "attachments"
    first = atomic.store_copy(source, folder, "1_V-001")
    source.write_bytes(b"second")
    second = atomic.store_copy(source, folder, "1_V-001")
    assert (first.name, second.name) == ("1_V-001.pdf", "1_V-001_2.pdf")
    assert first.read_bytes() == b"first" and second.read_bytes() == b"second"
    for name in ("invoice.pdf.exe", "x.bat", "y.JS", "z.lnk"):
        evil = tmp_path / name
        evil.write_bytes(b"MZ")
        assert atomic.store_copy(evil, folder, "2_V").suffix == ".bin"


def test_reattached_voucher_keeps_the_earlier_file(db, tmp_path):
    with db.transaction() as session:
        grant = grants.create_grant(session, name="補助", grantor="東京都", fiscal_year=2026,
                                    period_start=date(2026, 4, 1), period_end=date(2027, 3, 31),
                                    decided_amount=1_000_000, rate="1/2", budgets={"旅費": 500_000})
        expenditure, _ = grants.add_expenditure(session, grant.id, {
            "voucher_number": "V1", "category": "旅費", "payment_date": "2026-05-01", "payee": "JR",
            "amount": "1000", "eligible_amount": "1000"})
    voucher = tmp_path / "receipt.exe"
    voucher.write_bytes(b"one")
    with db.transaction() as session:
        first = grants.attach_file(session, expenditure.id, voucher)
    voucher.write_bytes(b"two")
    with db.transaction() as session:
        second = grants.attach_file(session, expenditure.id, voucher)
    assert first != second and first.read_bytes() == b"one" and second.read_bytes() == b"two"
    assert first.suffix == second.suffix == ".bin"
    assert first.parent.is_relative_to(paths.data_dir())


def test_out_naming_a_file_or_a_read_only_folder_is_a_message(demo_db, tmp_path, capsys):
    target = demo_db.url.removeprefix("sqlite:///")
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    assert cli.main(["invoices", "pdf", "--fiscal-year", "2026", "--out", str(not_a_folder), "--db", target]) == 1
    err = capsys.readouterr().err
    assert "ファイルを読み書きできません" in err and "Traceback" not in err
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert cli.main(["fees", "ledger", "--fiscal-year", "2026", "--out", str(locked / "x.xlsx"),
                         "--db", target]) == 1
