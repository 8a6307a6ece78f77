"""Excel/CSV of the 委託事業 area: the 委託事業一覧 of a fiscal year (live formulas and totals) and the 収支報告
of one contract. Data in (domain.contract_documents), bytes out."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tama_desk.domain.contract_documents import BalanceReport, RegisterRow
from tama_desk.exports.tables import write_csv

YEN = "#,##0"
DAY = "yyyy/mm/dd"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BOLD = Font(bold=True)

COLUMNS = [  # header, width, number format
    ("取引先", 18, None), ("件名", 36, None), ("契約番号", 14, None), ("支払条件", 10, None), ("期間開始", 11, DAY),
    ("期間終了", 11, DAY), ("契約金額", 13, YEN), ("確定額", 13, YEN), ("請求済", 13, YEN), ("入金済", 13, YEN),
    ("未収", 13, YEN), ("原価（税抜）", 13, YEN), ("粗利", 13, YEN), ("状態", 10, None),
]


def _safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula is kept as text (CSV/Excel injection)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def _sheet(title: str, columns) -> tuple[Workbook, object]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([header for header, _w, _f in columns])
    for index, (_header, width, _fmt) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.oddFooter.center.text = "&P / &N"
    return workbook, sheet


def _formats(sheet, row: int, columns, font: Font | None = None) -> None:
    for index, (_header, _width, fmt) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index)
        if fmt:
            cell.number_format = fmt
        if font:
            cell.font = font


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def register_xlsx(rows: Sequence[RegisterRow], fiscal_year: int) -> bytes:
    """One row per contract. 未収 = 請求済 − 入金済 and 粗利 = (確定額, else 契約金額) tax excluded − 原価 are
    formulas (tax excluded = amount − ROUNDDOWN(amount × rate / (100 + rate))); the totals row is SUBTOTAL, so
    a filter shows the total of what is visible."""
    workbook, sheet = _sheet(f"{fiscal_year}年度 委託事業一覧", COLUMNS)
    for line, row in enumerate(rows, start=2):
        billable = f"IF(H{line}=\"\",G{line},H{line})"
        rate = row.tax_rate_percent
        net = f"{billable}-ROUNDDOWN({billable}*{rate}/{100 + rate},0)" if rate else billable
        sheet.append([_safe(row.client), _safe(row.title), _safe(row.number), row.payment_terms, row.period_start,
                      row.period_end, row.amount, row.final_amount, row.invoiced, row.paid, f"=I{line}-J{line}",
                      row.cost, f"={net}-L{line}", row.status])
        _formats(sheet, line, COLUMNS)
    last = len(rows) + 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(last, 1)}"
    totals = ["合計", f"{len(rows)} 件", "", "", "", ""]
    for letter in "GHIJKLM":
        totals.append(f"=SUBTOTAL(9,{letter}2:{letter}{last})" if rows else 0)
    sheet.append([*totals, ""])
    _formats(sheet, last + 1, COLUMNS, BOLD)
    return _save(workbook)


def register_csv(rows: Sequence[RegisterRow], encoding: str = "cp932") -> bytes:
    """The same columns with computed values (CSV has no formulas), Shift_JIS for Excel on Windows."""
    from tama_desk.domain.contracts import net_of_tax

    lines = []
    for row in rows:
        billable = row.final_amount if row.final_amount is not None else row.amount
        net = net_of_tax(billable) if row.tax_rate_percent else billable
        lines.append([_safe(row.client), _safe(row.title), _safe(row.number), row.payment_terms, row.period_start,
                      row.period_end, row.amount, "" if row.final_amount is None else row.final_amount, row.invoiced,
                      row.paid, row.invoiced - row.paid, row.cost, net - row.cost, row.status])
    return write_csv([header for header, _w, _f in COLUMNS], lines, encoding)


REPORT_COLUMNS = [("区分", 22, None), ("費目", 18, None), ("金額（税抜）", 15, YEN), ("構成比", 10, "0.0%")]
DETAIL_COLUMNS = [("証ひょう番号", 14, None), ("支払日", 11, DAY), ("費目", 14, None), ("支払先", 30, None),
                  ("内容", 34, None), ("支出額（税込）", 14, YEN), ("消費税", 11, YEN), ("税抜", 13, YEN)]


def report_xlsx(report: BalanceReport) -> bytes:
    """収支報告: a summary sheet (formulas over the detail sheet, so a corrected cost updates the margin) and the
    cost detail."""
    workbook, sheet = _sheet("収支報告", REPORT_COLUMNS)
    detail = workbook.create_sheet("経費明細")
    detail.append([header for header, _w, _f in DETAIL_COLUMNS])
    for index, (_header, width, _fmt) in enumerate(DETAIL_COLUMNS, start=1):
        cell = detail.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        detail.column_dimensions[get_column_letter(index)].width = width
    detail.freeze_panes = "A2"
    for line, cost in enumerate(report.lines, start=2):
        detail.append([_safe(cost.voucher_number), cost.payment_date, _safe(cost.category), _safe(cost.payee),
                       _safe(cost.description), cost.amount, cost.tax, f"=F{line}-G{line}"])
        _formats(detail, line, DETAIL_COLUMNS)
    last_detail = len(report.lines) + 1
    contract = report.contract
    sheet.insert_rows(1, 3)
    sheet.freeze_panes, sheet.print_title_rows = "A5", "4:4"
    sheet["A1"] = f"{contract.title}（{contract.client}）"
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"契約金額 {contract.amount:,}円／確定額 " + (
        f"{contract.final_amount:,}円" if contract.final_amount is not None else "未確定")
    row = 5
    sheet.cell(row=row, column=1, value="収入 委託料（税抜）")
    sheet.cell(row=row, column=3, value=report.revenue_net)
    sheet.cell(row=row, column=4, value=f"=IF(C{row}=0,\"\",C{row}/C$5)")
    _formats(sheet, row, REPORT_COLUMNS, BOLD)
    first_cost = row + 1
    categories = list(report.costs) or []
    for category in categories:
        row += 1
        sheet.cell(row=row, column=1, value="支出")
        sheet.cell(row=row, column=2, value=_safe(category))
        sheet.cell(row=row, column=3, value=f"=SUMIF('経費明細'!C2:C{max(last_detail, 2)},B{row},"
                                            f"'経費明細'!H2:H{max(last_detail, 2)})" if report.lines
                   else report.costs[category])
        sheet.cell(row=row, column=4, value=f"=IF(C$5=0,\"\",C{row}/C$5)")
        _formats(sheet, row, REPORT_COLUMNS)
    row += 1
    cost_row = row
    sheet.cell(row=row, column=1, value="支出合計")
    sheet.cell(row=row, column=3, value=f"=SUM(C{first_cost}:C{row - 1})" if categories else 0)
    sheet.cell(row=row, column=4, value=f"=IF(C$5=0,\"\",C{row}/C$5)")
    _formats(sheet, row, REPORT_COLUMNS, BOLD)
    row += 1
    sheet.cell(row=row, column=1, value="差引（粗利）")
    sheet.cell(row=row, column=3, value=f"=C5-C{cost_row}")
    sheet.cell(row=row, column=4, value=f"=IF(C$5=0,\"\",C{row}/C$5)")
    _formats(sheet, row, REPORT_COLUMNS, BOLD)
    if report.management_fee_rate not in ("", "0"):
        row += 1
        sheet.cell(row=row, column=1, value=f"一般管理費（上限 {report.management_fee_rate}）")
        sheet.cell(row=row, column=3, value=report.management_fee)
        _formats(sheet, row, REPORT_COLUMNS)
    return _save(workbook)
