"""委託事業一覧 and 収支報告 read back with openpyxl: values, live formulas, totals; CSV in cp932."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from tama_desk.domain.contract_documents import BalanceReport, ContractHeader, CostLine, RegisterRow
from tama_desk.domain.invoice import Issuer
from tama_desk.exports.contract_register import register_csv, register_xlsx, report_xlsx

ROWS = [
    RegisterRow("八王子市", "City Sales in Shanghai", "八産第1号", date(2026, 5, 1), date(2027, 2, 28), "概算払い",
                5_500_000, 4_180_000, 4_180_000, 4_180_000, 2_990_000, "入金済"),
    RegisterRow("立川市", "=展示会出展支援", "", date(2026, 7, 1), date(2027, 3, 6), "部分払い", 3_300_000, None,
                1_100_000, 1_100_000, 1_170_000, "実施中"),
]


def test_register_xlsx_has_live_formulas_and_totals():
    book = load_workbook(io.BytesIO(register_xlsx(ROWS, 2026)))
    sheet = book.active
    assert sheet.title == "2026年度 委託事業一覧"
    assert [cell.value for cell in sheet[1]] == ["取引先", "件名", "契約番号", "支払条件", "期間開始", "期間終了",
                                                 "契約金額", "確定額", "請求済", "入金済", "未収", "原価（税抜）", "粗利",
                                                 "状態"]
    assert sheet["A2"].value == "八王子市" and sheet["G2"].value == 5_500_000 and sheet["H2"].value == 4_180_000
    assert sheet["K2"].value == "=I2-J2"
    assert sheet["M2"].value == '=IF(H2="",G2,H2)-ROUNDDOWN(IF(H2="",G2,H2)*10/110,0)-L2'
    assert sheet["H3"].value is None  # not settled: 粗利 from the contract amount
    assert sheet["B3"].value == "=展示会出展支援" and sheet["B3"].data_type == "s"  # never a formula from data
    assert sheet["B3"].quotePrefix
    assert sheet["A4"].value == "合計" and sheet["G4"].value == "=SUBTOTAL(9,G2:G3)"
    assert sheet["M4"].value == "=SUBTOTAL(9,M2:M3)"
    # what Excel will show: (4,180,000 − 380,000) − 2,990,000 = 810,000
    assert 4_180_000 - 4_180_000 * 10 // 110 - 2_990_000 == 810_000
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:N3"


def test_register_csv_values_in_cp932():
    rows = list(csv.reader(io.StringIO(register_csv(ROWS).decode("cp932"))))
    assert rows[0][0] == "取引先"
    assert rows[1][10:13] == ["0", "2990000", "810000"]
    assert rows[2][7] == "" and rows[2][12] == str(3_000_000 - 1_170_000)


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
