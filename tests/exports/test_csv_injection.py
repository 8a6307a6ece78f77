"""No CSV the app writes lets Excel run a formula from data: members, expenditures, the 会費台帳, aging, payments."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tama_desk import cli
from tama_desk.db.engine import open_database
from tama_desk.exports import grant_io, members_io
from tama_desk.exports.guarding import UNSAFE_PREFIXES as FORMULA_STARTS
from tama_desk.exports.tables import formula_safe, write_csv
from tama_desk.services import fees, grants, members, payments
from tests import factories

EVIL = "=HYPERLINK(\"http://x\",\"x\")"


def rows_of(data: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding))))


def assert_safe(data: bytes, encoding: str = "utf-8-sig") -> list[list[str]]:
    rows = rows_of(data, encoding)
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)], cells
    return rows


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_texts_get_an_apostrophe(value):
    assert formula_safe(value) == "'" + value
    assert rows_of(write_csv(["a"], [[value]]), "utf-8-sig")[1] == ["'" + value]


def test_numbers_and_plain_texts_stay_as_they_are():
    assert rows_of(write_csv(["a", "b", "c"], [[-1000, "株式会社A", date(2026, 4, 1)]]), "utf-8-sig")[1] == [
        "-1000", "株式会社A", "2026-04-01"]


@pytest.fixture
def evil_db(tmp_path):
    path = tmp_path / "evil.sqlite3"
    database = open_database(str(path))
    with database.transaction() as session:
        member = factories.make_member(session, name=EVIL, payer_name="ｶ)ﾀﾏ")
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10))
        payments.record_payment(session, member.id, date(2026, 5, 1), 1000, payer_name="ｶ)ﾀﾏ", note=EVIL)
        grant = factories.make_grant(session, name=EVIL)
        factories.spend(session, grant.id, "=V1", "旅費", 11000, date(2026, 5, 1), payee=EVIL, description="@x")
    database.path, database.grant_id = path, grant.id
    yield database
    database.close()


def test_member_and_expenditure_exports(evil_db):
    with evil_db.reading() as session:
        for file_format, encoding in (("csv", "utf-8-sig"), ("csv-cp932", "cp932")):
            rows = assert_safe(members_io.export_bytes(members.all_members(session), file_format), encoding)
            assert "'" + EVIL in rows[1]
            rows = assert_safe(grant_io.export_bytes(grants.expenditures(session, evil_db.grant_id), file_format),
                               encoding)
            assert "'=V1" in rows[1] and "'@x" in rows[1]


@pytest.mark.parametrize("argv", [
    ["fees", "ledger", "--fiscal-year", "2026"],
    ["invoices", "aging", "--as-of", "2026-12-01"],
    ["payments", "list", "--from", "2026-04-01", "--to", "2027-03-31"],
])
def test_ledger_aging_and_payment_csv(evil_db, tmp_path, capsys, argv):
    out = tmp_path / "out.csv"
    assert cli.main([*argv, "--out", str(out), "--db", str(evil_db.path)]) == 0, capsys.readouterr()
    data = out.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "cp932"
    rows = assert_safe(data, encoding)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
