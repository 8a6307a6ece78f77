from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from tama_desk.errors import ProblemList, UserError
from tama_desk.exports.tables import Column, TableSpec, decode_text, read_rows, read_table, write_csv, write_xlsx

TEXT = "会員名,フリガナ\r\n株式会社ｶﾀｶﾅ,カタカナ\r\n"
INVALID_BOTH = b"\x81\x20"  # a Shift_JIS lead byte without a valid trail byte; invalid UTF-8 too


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf" + TEXT.encode(), TEXT.encode("utf-8"), TEXT.encode("cp932")])
def test_decode_text(data):
    assert decode_text(data, "x.csv") == TEXT


def test_decode_text_refuses_unknown_encoding():
    with pytest.raises(UserError, match="x.csv: 文字コード"):
        decode_text(b"name,kana\r\n" + INVALID_BOTH, "x.csv")


def test_decode_text_bom_then_invalid_bytes():
    with pytest.raises(UserError):
        decode_text(b"\xef\xbb\xbf" + "会員名".encode("cp932"), "x.csv")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_read_csv(tmp_path, encoding):
    path = tmp_path / "a.csv"
    path.write_bytes("会員名,フリガナ,備考\r\n\"株式会社A,B\",エー,\"1行目\n2行目\"\r\n,,\r\nC社,シー\r\n".encode(encoding))
    table = read_table(path)
    assert table.headers == ["会員名", "フリガナ", "備考"]
    assert table.rows == [["株式会社A,B", "エー", "1行目\n2行目"], ["C社", "シー", None]]


def test_read_xlsx(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([" 会員名 ", "入会日", None])
    sheet.append(["A社", datetime(2026, 4, 1), 12])
    sheet.append([None, None, None])
    sheet.append(["B社"])
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.headers == ["会員名", "入会日", ""]
    assert table.rows == [["A社", datetime(2026, 4, 1), 12], ["B社", None, None]]


def test_a_cell_over_the_csv_modules_default_limit_is_read(tmp_path):
    """(131,072 characters by default: the column's own length check then names its line and column)"""
    path = tmp_path / "a.csv"
    path.write_bytes("会員名\n".encode() + "あ".encode() * 350_000)
    assert [len(cell) for _line, row in read_rows(path) for cell in row] == [3, 350_000]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"%PDF", "CSV または XLSX"),
        ("a.xlsx", b"not a zip", "Excel ファイルとして開けません"),
        ("a.csv", b"", "見出し行がありません"),
        ("a.csv", b",,\r\n,,\r\n", "見出し行がありません"),
    ],
)
def test_read_table_refusals(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message):
        read_table(path)


def test_read_table_missing_file(tmp_path):
    with pytest.raises(UserError, match="見つかりません"):
        read_table(tmp_path / "none.csv")


def test_write_csv_utf8_bom_and_cp932():
    rows = [["A社", date(2026, 4, 1), None, 70000]]
    utf8 = write_csv(["会員名", "入会日", "備考", "会費"], rows)
    assert utf8 == "\ufeff会員名,入会日,備考,会費\r\nA社,2026-04-01,,70000\r\n".encode()
    sjis = write_csv(["会員名"], [["髙橋𠮷"]], "cp932")
    assert sjis.decode("cp932") == "会員名\r\n髙橋?\r\n"


def test_write_xlsx_properties():
    data = write_xlsx("名簿", ["会員名", "入会日", "式"], [["A社", date(2026, 4, 1), "=1+1"], ["B社", None, "@x"]],
                      [30, 12, 8])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "名簿"
    assert [cell.value for cell in sheet[1]] == ["会員名", "入会日", "式"]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert [sheet.column_dimensions[c].width for c in "ABC"] == [30, 12, 8]
    assert sheet["B2"].is_date and sheet["B2"].value == datetime(2026, 4, 1)
    assert sheet["B2"].number_format == "yyyy/mm/dd"
    assert (sheet["C2"].value, sheet["C2"].data_type) == ("=1+1", "s")  # text, never a formula
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "landscape"


def test_write_xlsx_empty_has_header_only():
    sheet = load_workbook(io.BytesIO(write_xlsx("t", ["a", "b"], [], [5, 5]))).active
    assert sheet.max_row == 1
    assert sheet.auto_filter.ref.startswith("A1:B")  # exports/xlsx keeps one row under the header filtered


SPEC_WITH_ALIASES = TableSpec("明細", [
    Column("date", "日付", "Date", required=True, aliases=("取引日", "日付")),
    Column("amount", "入金額", "Deposit", required=True, parse=int, aliases=("入金金額", "入出金")),
    Column("payer", "振込依頼人名", "Payer", aliases=("振込依頼人名", "摘要")),
])


def test_find_columns_takes_the_best_alias_and_ignores_other_columns():
    headers = ["口座", "日付", "取引日", "お支払金額", "入出金", "入金金額", "摘要"]
    assert SPEC_WITH_ALIASES.find_columns(headers) == {"date": 2, "amount": 5, "payer": 6}
    assert SPEC_WITH_ALIASES.find_columns(["Date", "deposit", "PAYER"]) == {"date": 0, "amount": 1, "payer": 2}
    # a name refused for a key (a signed column beside a 区分 column) is not taken
    assert SPEC_WITH_ALIASES.find_columns(["取引日", "入出金"], {"amount": {"入出金"}}) == {"date": 0}


def test_clean_names_problems_by_the_files_own_header():
    problems = ProblemList()
    values = SPEC_WITH_ALIASES.clean({"date": "", "amount": " x "}, problems, 7, {"amount": "お預り金額"})
    assert values == {"date": None, "amount": None}
    assert [(p.row, p.field, p.params.get("value")) for p in problems.items] == [(7, "日付", None), (7, "お預り金額", "x")]
