"""委託事業一覧 and 収支報告 read back with openpyxl: values, live formulas, totals; CSV in cp932."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import load_workbook

from tama_desk.domain.contract_documents import (
    AmendmentLine,
    BalanceReport,
    ContractHeader,
    ContractRow,
    CostLine,
    RegisterRow,
)
from tama_desk.domain.invoice import Issuer
from tama_desk.exports.contract_register import register_csv, register_xlsx, report_xlsx


def contract_row(client, title, number, start, end, terms, amount, final, invoiced, paid, cost, status,
                 tax_category="standard_10"):
    return ContractRow(1, 2026, client, title, number, start, end, terms, amount, final, invoiced, paid,
                       invoiced - paid, cost, status, None, False, tax_category)


AMENDED = AmendmentLine(1, date(2026, 10, 1), "出展規模の拡大", 3_000_000, 3_300_000, date(2026, 7, 1),
                        date(2027, 2, 28), date(2026, 7, 1), date(2027, 3, 6),
                        ("第3回「成果報告」を変更（金額 1,100,000円→1,400,000円）",))
ROWS = [
    RegisterRow(contract_row("八王子市", "City Sales in Shanghai", "八産第1号", date(2026, 5, 1), date(2027, 2, 28),
                             "advance", 5_500_000, 4_180_000, 4_180_000, 4_180_000, 2_990_000, "paid")),
    RegisterRow(contract_row("立川市", "=展示会出展支援", "", date(2026, 7, 1), date(2027, 3, 6), "partial", 3_300_000, None,
                             1_100_000, 1_100_000, 1_170_000, "running"), (AMENDED,)),
    RegisterRow(contract_row("町田市", "食品フェア", "", date(2026, 7, 1), date(2027, 3, 6), "completion", 1_080_000,
                             None, 0, 0, 0, "signed", "reduced_8")),
]


def test_register_xlsx_has_live_formulas_totals_tax_category_and_amendments():
    book = load_workbook(io.BytesIO(register_xlsx(ROWS, 2026)))
    sheet = book.active
    assert sheet.title == "2026年度 委託事業一覧"
    assert [cell.value for cell in sheet[1]] == ["取引先", "件名", "契約番号", "支払条件", "税区分", "期間開始", "期間終了",
                                                 "当初契約金額", "契約金額", "確定額", "請求済", "入金済", "未収",
                                                 "原価（税抜）", "粗利", "状態", "変更契約"]
    assert sheet["A2"].value == "八王子市" and sheet["I2"].value == 5_500_000 and sheet["J2"].value == 4_180_000
    assert sheet["D2"].value == "概算払い" and sheet["E2"].value == "課税10%" and sheet["P2"].value == "入金済"
    assert sheet["M2"].value == "=K2-L2"
    assert sheet["O2"].value == '=IF(J2="",I2,J2)-ROUNDDOWN(IF(J2="",I2,J2)*10/110,0)-N2'
    assert sheet["J3"].value is None  # not settled: 粗利 from the contract amount
    assert sheet["B3"].value == "=展示会出展支援" and sheet["B3"].data_type == "s"  # never a formula from data
    assert sheet["B3"].quotePrefix
    assert (sheet["H3"].value, sheet["I3"].value) == (3_000_000, 3_300_000)  # 当初 and as amended
    assert sheet["Q3"].value == ("第1回 2026-10-01: 契約金額 3,000,000円→3,300,000円、期間 2026-07-01〜2027-02-28→"
                                 "2026-07-01〜2027-03-06、第3回「成果報告」を変更（金額 1,100,000円→1,400,000円）"
                                 "（出展規模の拡大）")
    assert sheet["E4"].value == "軽減8%" and "*8/108" in sheet["O4"].value  # the rate of the row's 税区分
    assert sheet["A5"].value == "合計" and sheet["I5"].value == "=SUBTOTAL(9,I2:I4)"
    assert sheet["O5"].value == "=SUBTOTAL(9,O2:O4)"
    # what Excel will show: (4,180,000 − 380,000) − 2,990,000 = 810,000
    assert 4_180_000 - 4_180_000 * 10 // 110 - 2_990_000 == 810_000
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:Q4"
    changes = book["変更契約"]
    assert [cell.value for cell in changes[2]][:7] == ["立川市", "=展示会出展支援", "第1回", datetime(2026, 10, 1),
                                                      3_000_000, 3_300_000, "=F2-E2"]
    assert changes["B2"].data_type == "s" and changes["G2"].data_type == "f"
    assert changes["H2"].value == "2026-07-01〜2027-02-28" and changes["I2"].value == "2026-07-01〜2027-03-06"
    assert changes["J2"].value == "出展規模の拡大" and "第3回「成果報告」" in changes["K2"].value
    assert changes.max_row == 2


def test_register_csv_values_in_cp932():
    rows = list(csv.reader(io.StringIO(register_csv(ROWS).decode("cp932"))))
    assert rows[0][0] == "取引先" and rows[0][4] == "税区分" and rows[0][16] == "変更契約"
    assert rows[1][12:15] == ["0", "2990000", "810000"]
    assert rows[2][9] == "" and rows[2][14] == str(3_000_000 - 1_170_000)
    assert rows[2][7] == "3000000" and rows[2][16].startswith("第1回 2026-10-01: 契約金額 3,000,000円→3,300,000円")
    assert rows[3][4] == "軽減8%" and rows[3][14] == "1000000"  # 1,080,000 at 8 %: 80,000 of tax


def test_report_xlsx_sums_the_detail_sheet():
    header = ContractHeader("City Sales", "八王子市", "八産第1号", "", "準委任", "概算払い", date(2026, 4, 20),
                            date(2026, 5, 1), date(2027, 2, 28), 5_500_000, 500_000, 4_180_000)
    lines = (CostLine("V-1", date(2026, 6, 1), "旅費", "JTB", "渡航", 1_650_000, 150_000),
             CostLine("V-2", date(2026, 6, 2), "委託費", "会場", "運営", 990_000, 90_000))
    report = BalanceReport(date(2027, 3, 10), Issuer(name="協会"), header, 4_180_000, 3_800_000,
                           {"委託費": 900_000, "旅費": 1_500_000}, "10%", 240_000, 4_180_000, 4_180_000, lines)
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    summary, detail = book["収支報告"], book["経費明細"]
    assert detail["H2"].value == "=F2-G2" and detail["F3"].value == 990_000
    assert summary["A1"].value == "City Sales（八王子市）"
    assert summary["C5"].value == 3_800_000
    assert summary["B6"].value == "委託費" and "SUMIF" in summary["C6"].value
    assert summary["A8"].value == "支出合計" and summary["C8"].value == "=SUM(C6:C7)"
    assert summary["A9"].value == "差引（粗利）" and summary["C9"].value == "=C5-C8"
    assert summary["C10"].value == 240_000


def test_report_xlsx_shows_the_tax_category_and_the_amendments():
    header = ContractHeader("展示会", "立川市", "", "", "準委任", "部分払い", date(2026, 6, 20), date(2026, 7, 1),
                            date(2027, 3, 6), 3_300_000, 300_000, None, "課税10%", (AMENDED,))
    report = BalanceReport(date(2027, 3, 10), Issuer(name="協会"), header, 3_300_000, 3_000_000, {}, "0", 0, 0, 0)
    book = load_workbook(io.BytesIO(report_xlsx(report)))
    summary = book["収支報告"]
    assert summary["A2"].value == "契約金額 3,300,000円（課税10%）／確定額 未確定"
    assert summary["A3"].value.startswith("変更契約 1回（最終 2026-10-01）／当初契約金額 3,000,000円")
    assert [cell.value for cell in book["変更契約"][2]][4:7] == [3_000_000, 3_300_000, "=F2-E2"]
    plain = BalanceReport(date(2027, 3, 10), Issuer(name="協会"), ContractHeader(
        "展示会", "立川市", "", "", "準委任", "部分払い", None, date(2026, 7, 1), date(2027, 3, 6), 1_000, 0, None,
        "非課税"), 1_000, 1_000, {}, "0", 0, 0, 0)
    book = load_workbook(io.BytesIO(report_xlsx(plain)))
    assert "（非課税）" in book["収支報告"]["A2"].value and book["収支報告"]["A3"].value == "変更契約なし"
    assert book.sheetnames == ["収支報告", "経費明細"]
