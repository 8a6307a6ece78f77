"""No file the app writes lets a spreadsheet run a formula from data: every XLSX and CSV export, read back, holds
the evil text as text (an XLSX string cell, a CSV cell with a leading apostrophe) — members, expenditures, the
会費台帳, aging, payments, the 実績報告書 and 中間報告, the 委託事業一覧 and 収支報告, the 収入の状況, the journals
for 弥生 / MoneyForward / freee. And no exporter builds a workbook or a CSV writer of its own."""

from __future__ import annotations

import ast
import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

import tama_desk
from tama_desk import cli
from tama_desk.db.engine import open_database
from tama_desk.exports.guarding import UNSAFE_PREFIXES as FORMULA_STARTS
from tama_desk.services import clients, cost_ledger, fees, payments
from tests import factories

EVIL = "=HYPERLINK(\"http://x\",\"x\")"


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    """Every kind of record holding the evil text where a user types names."""
    path = tmp_path_factory.mktemp("evil") / "evil.sqlite3"
    database = open_database(str(path))
    with database.transaction() as session:
        member = factories.make_member(session, name=EVIL, payer_name="ｶ)ﾀﾏ")
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10))
        payments.record_payment(session, member.id, date(2026, 5, 1), 1000, payer_name="ｶ)ﾀﾏ", note=EVIL)
        grant = factories.make_grant(session, name=EVIL, grantor=EVIL)
        factories.spend(session, grant.id, "=V1", "旅費", 11000, date(2026, 5, 1), payee=EVIL, description="@x")
        client = factories.make_client(session, name=EVIL)
        contract = factories.make_contract(session, "completion", 1_100_000, clients.Party(client=client), title=EVIL)
        cost_ledger.add_cost(session, contract.id, {"voucher_number": "+C1", "category": "旅費",
                                                    "payment_date": date(2026, 6, 1), "payee": EVIL,
                                                    "description": "-x", "amount": 110_000, "tax": 10_000})
        ids = {"grant": grant.id, "contract": contract.id}
    database.close()
    return path, ids


def run(evil, tmp_path, capsys, argv: list[str], name: str) -> Path:
    path, _ids = evil
    out = tmp_path / name
    argv = [str(out) if part == "{out}" else part for part in argv] if "{out}" in argv else [*argv, "--out", str(out)]
    assert cli.main([*argv, "--db", str(path)]) == 0, capsys.readouterr()
    return out


def xlsx_is_safe(path: Path) -> None:
    book = load_workbook(path)
    texts = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and ("HYPERLINK" in cell.value or cell.value in ("=V1", "@x", "+C1", "-x"))]
    assert texts, "the evil text is in the file"
    assert [cell.coordinate for cell in texts if cell.data_type == "f"] == []


def csv_is_safe(path: Path) -> None:
    data = path.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "cp932"
    cells = [cell for row in csv.reader(io.StringIO(data.decode(encoding))) for cell in row]
    assert any("HYPERLINK" in cell for cell in cells), "the evil text is in the file"
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS) and not cell.lstrip("-").isdigit()] == []


@pytest.mark.parametrize(("argv", "name"), [
    (["members", "export", "{out}"], "members.xlsx"),
    (["fees", "ledger", "--fiscal-year", "2026"], "ledger.xlsx"),
    (["invoices", "aging", "--as-of", "2026-12-01"], "aging.xlsx"),
    (["payments", "list", "--from", "2026-04-01", "--to", "2027-03-31"], "payments.xlsx"),
    (["grants", "report", "{grant}"], "report.xlsx"),
    (["grants", "status", "{grant}", "--as-of", "2026-12-01"], "status.xlsx"),
    (["contracts", "register", "--fiscal-year", "2026"], "register.xlsx"),
    (["contracts", "report", "{contract}"], "balance.xlsx"),
    (["reports", "revenue", "--fiscal-year", "2026"], "revenue.xlsx"),
    (["members", "export", "{out}"], "members.csv"),
    (["contracts", "register", "--fiscal-year", "2026"], "register.csv"),
])
def test_every_export_keeps_formulas_from_data_as_text(evil, tmp_path, capsys, argv, name):
    argv = [part if part == "{out}" else part.format(**evil[1]) for part in argv]
    out = run(evil, tmp_path, capsys, argv, name)
    (xlsx_is_safe if name.endswith(".xlsx") else csv_is_safe)(out)


@pytest.mark.parametrize("software", ["yayoi", "mf", "freee"])
def test_journals_keep_formulas_from_data_as_text(evil, tmp_path, capsys, software):
    out = run(evil, tmp_path, capsys, ["accounting", "export", "--format", software, "--from", "2026-04-01",
                                       "--to", "2027-03-31"], f"{software}.csv")
    csv_is_safe(out)


def test_no_exporter_builds_its_own_workbook_or_csv_writer():
    """Workbooks come from exports.xlsx (styles, print setup, guarding), CSV from tables.write_csv or the journals'
    CsvBuilder: a new exporter that builds its own fails here."""
    own = {"xlsx.py": {"Workbook"}, "tables.py": {"writer"}, "journal_csv.py": {"writer"}}
    found = []
    for path in sorted((Path(tama_desk.__file__).parent / "exports").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in ("Workbook", "writer") and name not in own.get(path.name, set()):
                    found.append(f"{path.name}:{node.lineno} {name}")
    assert found == []
