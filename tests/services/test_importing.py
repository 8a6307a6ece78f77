"""The one import runner over a small spec of its own (what a new area's importer looks like)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from tama_desk.domain.dates import parse_date
from tama_desk.domain.money import parse_yen
from tama_desk.errors import UserError
from tama_desk.exports.tables import Column, TableSpec, normalize_header
from tama_desk.services.importing import run_import

SPEC = TableSpec("契約", [
    Column("number", "契約番号", "Contract No", required=True, width=12),
    Column("signed", "契約日", "Signed On", required=True, parse=parse_date, width=12),
    Column("amount", "契約金額（税込）", "Amount", required=True, parse=parse_yen, width=14),
    Column("note", "備考", "Notes", width=30, aliases=("メモ",)),
])
CSV = "契約番号,契約日,契約金額(税込),メモ\r\nK-1,R8.4.1,\"1,100,000\",初回\r\n\r\nK-2,2026/5/1,550000円,\r\n"


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "c.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_rows_are_cleaned_and_written_all_together(tmp_path, encoding):
    written = []
    rows = run_import(write(tmp_path, CSV, encoding), SPEC, write=written.extend)
    assert [(row.line, row.values) for row in rows] == [
        (2, {"number": "K-1", "signed": date(2026, 4, 1), "amount": 1_100_000, "note": "初回"}),
        (4, {"number": "K-2", "signed": date(2026, 5, 1), "amount": 550_000, "note": None}),
    ]
    assert written == rows


def test_xlsx_and_english_headers(tmp_path):
    workbook = Workbook()
    workbook.active.append(["Contract No", "signed on", "AMOUNT"])
    workbook.active.append(["K-9", date(2026, 6, 1), 1000])
    path = tmp_path / "c.xlsx"
    workbook.save(path)
    [row] = run_import(path, SPEC)
    assert row.values == {"number": "K-9", "signed": date(2026, 6, 1), "amount": 1000}


def test_every_problem_is_listed_and_nothing_written(tmp_path):
    def check(row, problems):
        if row.values.get("amount") and row.values["amount"] > 10_000_000:
            problems.add("{max}円を超える契約は登録できません", "契約金額（税込）", row.line, max="10,000,000")

    written = []
    text = "契約番号,契約日,契約金額（税込）\nK-1,2026/13/1,abc\n,12/5,99999999\nK-3,2026-04-01,100\n"
    with pytest.raises(UserError) as caught:
        run_import(write(tmp_path, text), SPEC, check=check, write=written.extend)
    assert [(p.row, p.field) for p in caught.value.problems] == [
        (2, "契約日"), (2, "契約金額（税込）"), (3, "契約番号"), (3, "契約金額（税込）")]
    assert "2026/13/1" in caught.value.problems[0].params["value"]
    assert caught.value.text() == "c.csv: 取り込めない行があります。何も取り込んでいません。"
    assert written == []


def test_dry_run_checks_but_never_writes(tmp_path):
    written = []
    rows = run_import(write(tmp_path, CSV), SPEC, write=written.extend, dry_run=True)
    assert len(rows) == 2 and written == []


def test_header_problems_stop_before_any_row(tmp_path):
    with pytest.raises(UserError, match="見出し行") as caught:
        run_import(write(tmp_path, "契約番号,契約番号,単価\nK-1,K-1,1\n"), SPEC)
    assert [(p.row, p.field, p.reason.split("（")[0]) for p in caught.value.problems] == [
        (1, "契約番号", "同じ列が2回あります"), (1, "単価", "知らない列名です"),
        (1, "契約日", "必須の列がありません"), (1, "契約金額（税込）", "必須の列がありません")]


def test_export_writes_the_same_columns_back(tmp_path):
    data = SPEC.export([["K-1", date(2026, 4, 1), 1_100_000, "=1+1"]], "csv")
    assert data.decode("utf-8-sig").splitlines() == ["契約番号,契約日,契約金額（税込）,備考", "K-1,2026-04-01,1100000,'=1+1"]
    path = tmp_path / "back.csv"
    path.write_bytes(data)
    assert run_import(path, SPEC)[0].values["amount"] == 1_100_000


def test_normalize_header():
    assert normalize_header("支出額(税込)") == normalize_header("支出額（税込）") == normalize_header(" 支出額 税込 ")
    assert normalize_header("Member No") == normalize_header("MEMBERNO")


def test_a_file_with_columns_of_its_own_is_located_and_rows_skipped_before_cleaning(tmp_path):
    """What the bank statement reader does: a preamble above the header, the file's own names in problems, rows
    left out before they are cleaned (a total line), a blank cell allowed where only the header is required."""
    from tama_desk.services.importing import Layout, import_rows

    spec = TableSpec("明細", [Column("day", "日付", required=True, parse=parse_date, missing="日付がありません"),
                              Column("amount", "金額", required=True, parse=parse_yen),
                              Column("who", "名義", required=True, missing=None)])
    path = write(tmp_path, "口座,123\r\n\r\n取引日,摘要,入金\r\n2026/4/1,,100\r\n,ﾀﾏ,x\r\n合計,,100\r\n")

    def locate(rows):
        position = next(i for i, (_line, cells) in enumerate(rows) if cells and cells[0] == "取引日")
        headers, keys = list(rows[position][1]), ["day", "who", "amount"]
        return Layout(headers, keys, position + 1, dict(zip(keys, headers, strict=True)))

    rows, problems = import_rows(path, spec, locate=locate, skip=lambda row: row.cells[0] == "合計")
    assert [(row.line, row.values) for row in rows] == [
        (4, {"day": date(2026, 4, 1), "who": None, "amount": 100}), (5, {"day": None, "who": "ﾀﾏ", "amount": None})]
    assert [(p.row, p.field) for p in problems.items] == [(5, "取引日"), (5, "入金")]
    assert problems.items[0].reason == "日付がありません"  # the column's own reason for a blank cell
    with pytest.raises(UserError):  # run_import refuses the same file: every row or none
        run_import(path, spec, locate=locate, skip=lambda row: row.cells[0] == "合計")
