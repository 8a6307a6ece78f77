from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from tama_desk.domain.statement import StatementLine
from tama_desk.errors import UserError
from tama_desk.exports import bank_statement
from tama_desk.exports.bank_statement import COLUMN_ALIASES, detect_mapping, parse_mapping
from tama_desk.services.bank_statement import read_statement

parse_amount = bank_statement._statement_amount
parse_statement_date = bank_statement._statement_date

PREAMBLE_CSV = (
    "口座番号,普通 1234567\r\n"
    "お取引期間,2026/04/01～2026/04/30\r\n"
    "\r\n"
    "取引日,摘要,お支払金額,お預り金額,差引残高\r\n"
    '2026/04/01,ｶ)ﾀﾏｾｲｷ,,"70,000","1,070,000"\r\n'  # line 5
    '2026/04/02,ﾃﾞﾝｷﾀﾞｲ,"5,000",,"1,065,000"\r\n'  # withdrawal
    "R8.4.3,0123 ﾑｻｼﾃﾞﾝｼ(ｶ,,７００００,\"1,135,000\"\r\n"  # line 7
    "2026/13/01,ﾀﾏ,,100,\r\n"  # line 8: bad date
    "2026/04/05,ﾀﾏ,,abc,\r\n"  # line 9: bad amount
    "2026/04/06,ﾘｿｸ,,0,\r\n"  # zero: skipped
    "合計,,5000,140100,\r\n"
)


def write(tmp_path, text: str, encoding: str = "cp932", name: str = "statement.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_cp932_with_preamble_rows_above_the_header(tmp_path):
    lines, problems = read_statement(write(tmp_path, PREAMBLE_CSV))
    assert [(line.line, line.date, line.amount, line.payer, line.balance) for line in lines] == [
        (5, date(2026, 4, 1), 70000, "ｶ)ﾀﾏｾｲｷ", 1070000),
        (7, date(2026, 4, 3), 70000, "0123 ﾑｻｼﾃﾞﾝｼ(ｶ", 1135000),
    ]
    assert lines[0].raw == ("2026/04/01", "ｶ)ﾀﾏｾｲｷ", "", "70,000", "1,070,000")
    assert [(p.row, p.field) for p in problems] == [(8, "取引日"), (9, "お預り金額")]
    assert "2026/13/01" in problems[0].text()
    assert str(problems[1]).startswith("9行目 「お預り金額」")


def test_utf8_bom(tmp_path):
    text = "\ufeff日付,振込依頼人名,入金金額,残高\n2026-04-01,ｶ)ﾀﾏｾｲｷ,10000,10000\n"
    lines, problems = read_statement(write(tmp_path, text, "utf-8"))
    assert problems == []
    assert [(line.line, line.date, line.amount, line.payer) for line in lines] == [
        (2, date(2026, 4, 1), 10000, "ｶ)ﾀﾏｾｲｷ")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_encodings(tmp_path, encoding):
    lines, _ = read_statement(write(tmp_path, PREAMBLE_CSV, encoding))
    assert [line.payer for line in lines] == ["ｶ)ﾀﾏｾｲｷ", "0123 ﾑｻｼﾃﾞﾝｼ(ｶ"]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        # 三菱UFJ: 摘要 holds the transaction kind, 摘要内容 the payer
        (["日付", "摘要", "摘要内容", "支払い金額", "預かり金額", "差引残高", "メモ"],
         {"date": 0, "payer": 2, "amount": 4, "balance": 5}),
        # 三井住友
        (["年月日", "お引出し", "お預入れ", "お取り扱い内容", "残高"], {"date": 0, "amount": 2, "payer": 3, "balance": 4}),
        # みずほ
        (["日付", "お引出金額", "お預入金額", "お取引内容", "残高"], {"date": 0, "amount": 2, "payer": 3, "balance": 4}),
        # 楽天: one signed column
        (["取引日", "入出金(円)", "取引後残高(円)", "入出金内容"], {"date": 0, "amount": 1, "balance": 2, "payer": 3}),
        # full-width brackets and spaces
        (["お取引日", "お預り金額（円）", "振込 依頼人名"], {"date": 0, "amount": 1, "payer": 2}),
        (["勘定日", "入金", "依頼人名", "出金"], {"date": 0, "amount": 1, "payer": 2}),
        (["取扱日", "金額(入金)", "内容"], {"date": 0, "amount": 1, "payer": 2}),
        (["入出金日", "入金額", "振込依頼人"], {"date": 0, "amount": 1, "payer": 2}),
    ],
)
def test_detect_mapping_header_variants(headers, expected):
    assert detect_mapping(headers) == expected


def test_signed_column_not_used_beside_a_direction_column():
    assert detect_mapping(["取引日", "入出金額", "区分", "摘要"]) is None
    assert detect_mapping(["取引日", "入出金額", "入出金区分", "摘要", "入金金額"])["amount"] == 4


def test_detect_mapping_needs_date_amount_and_payer():
    assert detect_mapping(["取引日", "摘要", "残高"]) is None
    assert detect_mapping(["口座番号", "1234567"]) is None
    assert detect_mapping([]) is None


@given(st.permutations(["取引日", "備考", "振込依頼人名", "お預り金額", "お支払金額", "残高"]))
def test_detect_mapping_finds_columns_in_any_order(headers):
    mapping = detect_mapping(list(headers))
    assert mapping is not None
    assert {role: headers[index] for role, index in mapping.items()} == {
        "date": "取引日", "payer": "振込依頼人名", "amount": "お預り金額", "balance": "残高"}


def test_every_alias_is_recognised():
    for role, aliases in COLUMN_ALIASES.items():
        others = {"date": "取引日", "amount": "入金金額", "payer": "振込依頼人名", "balance": "残高"}
        for alias in aliases:
            headers = [alias if r == role else name for r, name in others.items()]
            assert detect_mapping(headers)[role] == list(others).index(role), alias


def test_parse_mapping_names_numbers_and_detection():
    headers = ["日", "名前", "入", "出", "残"]
    assert parse_mapping("date=日,amount=3,payer=名前", headers) == {"date": 0, "amount": 2, "payer": 1}
    assert parse_mapping("date=1, amount = ３ ,payer=2,balance=残", headers)["balance"] == 4
    # roles not given are detected
    assert parse_mapping("payer=備考", ["取引日", "備考", "入金金額"]) == {"payer": 1, "date": 0, "amount": 2}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("date=日,amount=入金額,payer=名前", "列「入金額」が見つかりません。見出し: 日、名前、入"),
        ("date=9,amount=3,payer=2", "列番号 9 はありません"),
        ("date=1,amount=3", "列の指定が足りません: 振込依頼人名"),
        ("when=1,amount=3,payer=2", "列の指定「when=1」が読めません"),
        ("date", "列の指定「date」が読めません"),
    ],
)
def test_parse_mapping_errors(spec, message):
    with pytest.raises(UserError, match=re.escape(message)):
        parse_mapping(spec, ["日", "名前", "入"])


def test_unrecognised_header_asks_for_a_mapping(tmp_path):
    path = write(tmp_path, "口座,123\r\nA列,B列,C列\r\n2026/04/01,ﾀﾏ,1000\r\n")
    with pytest.raises(UserError) as error:
        read_statement(path)
    assert "--map" in str(error.value)
    assert "列の対応づけ" in str(error.value)
    assert "A列、B列、C列" in str(error.value)


def test_mapping_spec_with_names_and_preamble(tmp_path):
    path = write(tmp_path, "口座,123\r\nA列,B列,C列\r\n2026/04/01,ﾀﾏ,1000\r\n2026/04/02,ﾀﾏ,\r\n")
    lines, problems = read_statement(path, "date=A列,payer=B列,amount=C列")
    assert [(line.line, line.payer, line.amount) for line in lines] == [(3, "ﾀﾏ", 1000)]
    assert problems == []
    with pytest.raises(UserError, match="列「D列」が見つかりません"):
        read_statement(path, "date=A列,payer=B列,amount=D列")


def test_mapping_spec_by_numbers_without_a_header(tmp_path):
    path = write(tmp_path, "照会結果\r\n2026/04/01,ﾀﾏ,1000\r\n2026/04/02,ﾑｻｼ,2000\r\nxx,ﾀﾏ,5\r\n")
    lines, problems = read_statement(path, "date=1,payer=2,amount=3")
    assert [(line.line, line.payer, line.amount) for line in lines] == [(2, "ﾀﾏ", 1000), (3, "ﾑｻｼ", 2000)]
    assert [(p.row, p.field) for p in problems] == [(4, "1列目")]
    # a header row that --map bypasses still names the columns in problems
    path = write(tmp_path, "照会結果\r\n日,名,金\r\n2026/04/01,ﾀﾏ,1000\r\n2026/04/02,ﾀﾏ,x\r\n")
    lines, problems = read_statement(path, "date=1,payer=2,amount=3")
    assert [line.line for line in lines] == [3] and [(p.row, p.field) for p in problems] == [(4, "金")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026/04/01", date(2026, 4, 1)),
        ("2026/4/1", date(2026, 4, 1)),
        ("2026-04-01", date(2026, 4, 1)),
        ("2026.04.01", date(2026, 4, 1)),
        ("20260401", date(2026, 4, 1)),
        ("2026年4月1日", date(2026, 4, 1)),
        ("２０２６年４月１日", date(2026, 4, 1)),
        ("2026/04/01(水)", date(2026, 4, 1)),
        ("2026/04/01 10:23", date(2026, 4, 1)),
        ("R8.4.1", date(2026, 4, 1)),
        ("r08.04.01", date(2026, 4, 1)),
        ("R8/4/1", date(2026, 4, 1)),
        ("令和8年4月1日", date(2026, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("H2.1.5", date(1990, 1, 5)),
        (datetime(2026, 4, 1, 9, 30), date(2026, 4, 1)),
        (date(2026, 4, 1), date(2026, 4, 1)),
        (20260401, date(2026, 4, 1)),
    ],
)
def test_parse_statement_date(text, expected):
    assert parse_statement_date(text) == expected


@pytest.mark.parametrize("text", ["", "2026/13/01", "2026/02/30", "04/01", "R8.4", "R99.1.1", "2026/04/01x", "abc"])
def test_parse_statement_date_rejects(text):
    with pytest.raises(ValueError):
        parse_statement_date(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("70,000", 70000),
        ("¥70,000", 70000),
        ("￥７０，０００", 70000),
        ("７００００", 70000),
        ("70000円", 70000),
        (" 1 000 ", 1000),
        ("\\5,000", 5000),
        ("-1,000", -1000),
        ("△1,000", -1000),
        ("+500", 500),
        ("1000.0", 1000),
        (70000, 70000),
        (70000.0, 70000),
        ("", None),
        (None, None),
        ("-", None),
    ],
)
def test_parse_amount(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize("value", ["abc", "1,000.5", 10.5, "1-000"])
def test_parse_amount_rejects(value):
    with pytest.raises(ValueError):
        parse_amount(value)


def test_withdrawals_are_skipped(tmp_path):
    text = ("取引日,入出金(円),取引後残高(円),入出金内容\n"
            "2026/04/01,10000,10000,ﾀﾏｾｲｷ\n"
            "2026/04/02,-3000,7000,ﾃﾞﾝｷﾀﾞｲ\n"
            "2026/04/03,0,7000,ｾﾂﾃｲ\n")
    lines, problems = read_statement(write(tmp_path, text))
    assert [line.payer for line in lines] == ["ﾀﾏｾｲｷ"] and problems == []


def test_fingerprint_stable_across_reads_and_distinct_for_identical_transfers(tmp_path):
    text = ("取引日,振込依頼人名,入金金額\n"
            "2026/04/01,ｶ)ﾀﾏｾｲｷ,10000\n"
            "2026/04/01,ｶ)ﾀﾏｾｲｷ,10000\n"
            "2026/04/02,ｶ)ﾀﾏｾｲｷ,10000\n")
    first, _ = read_statement(write(tmp_path, text, name="a.csv"))
    again, _ = read_statement(write(tmp_path, text, name="a.csv"))
    assert [line.fingerprint for line in first] == [line.fingerprint for line in again]
    assert [line.occurrence for line in first] == [0, 1, 0]
    assert len({line.fingerprint for line in first}) == 3
    assert all(re.fullmatch(r"[0-9a-f]{64}", line.fingerprint) for line in first)
    # an overlapping download (other line numbers, other encoding, spaces in the payer) gives the same prints
    overlap = "日付,依頼人名,お預り金額\n2026/04/02,ｶ) ﾀﾏｾｲｷ,\"10,000\"\n2026/04/03,ﾑｻｼ,500\n"
    later, _ = read_statement(write(tmp_path, overlap, "utf-8", name="b.csv"))
    assert later[0].fingerprint == first[2].fingerprint
    assert later[1].fingerprint not in {line.fingerprint for line in first}


def test_fingerprint_uses_balance_and_ignores_line_number():
    line = StatementLine(5, date(2026, 4, 1), 10000, "ﾀﾏｾｲｷ", ())
    assert StatementLine(9, date(2026, 4, 1), 10000, "ﾀﾏｾｲｷ", ("x",)).fingerprint == line.fingerprint
    assert StatementLine(5, date(2026, 4, 1), 10000, "ﾀﾏｾｲｷ", (), balance=20000).fingerprint != line.fingerprint
    assert StatementLine(5, date(2026, 4, 1), 10000, "ﾀﾏｾｲｷ", (), occurrence=1).fingerprint != line.fingerprint
    assert StatementLine(5, date(2026, 4, 1), 10001, "ﾀﾏｾｲｷ", ()).fingerprint != line.fingerprint


def test_line_numbers_count_multi_line_cells(tmp_path):
    text = '取引日,摘要,入金金額,メモ\n2026/04/01,ﾀﾏ,100,"a\nb"\n2026/04/02,ﾑｻｼ,x,\n'
    lines, problems = read_statement(write(tmp_path, text))
    assert [line.line for line in lines] == [2]
    assert [p.row for p in problems] == [4]


def test_missing_date_is_a_problem(tmp_path):
    lines, problems = read_statement(write(tmp_path, "取引日,摘要,入金金額\n,ﾀﾏ,100\n"))
    assert lines == [] and [(p.row, p.field, p.reason) for p in problems] == [(2, "取引日", "日付がありません")]


def test_xlsx_with_preamble(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["入出金明細"])
    sheet.append([])
    sheet.append(["取引日", "摘要", "お預り金額", "残高"])
    sheet.append([datetime(2026, 4, 1), "ｶ)ﾀﾏｾｲｷ", 70000, 70000])
    sheet.append(["R8.4.2", "ﾑｻｼ", None, 70000])
    sheet.append(["2026/04/03", "ﾑｻｼ", 5000.0, 75000])
    path = tmp_path / "statement.xlsx"
    workbook.save(path)
    lines, problems = read_statement(path)
    assert [(line.line, line.date, line.amount, line.payer, line.balance) for line in lines] == [
        (4, date(2026, 4, 1), 70000, "ｶ)ﾀﾏｾｲｷ", 70000), (6, date(2026, 4, 3), 5000, "ﾑｻｼ", 75000)]
    assert problems == []


def test_file_errors(tmp_path):
    with pytest.raises(UserError, match="ファイルが見つかりません"):
        read_statement(tmp_path / "none.csv")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(UserError, match="CSV または XLSX"):
        read_statement(tmp_path / "a.pdf")
