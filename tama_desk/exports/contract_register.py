"""Excel/CSV of the 委託事業 area: the 委託事業一覧 of a fiscal year (live formulas and totals) and the 収支報告
of one contract. Data in (domain.contract_documents), bytes out."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Font

from tama_desk.domain.contract_documents import BalanceReport, RegisterRow
from tama_desk.exports.tables import write_csv
from tama_desk.exports.xlsx import (
    BOLD,
    DAY,
    PERCENT,
    YEN,
    Formula,
    XColumn,
    filter_rows,
    new_workbook,
    print_setup,
    put,
    save,
    table_sheet,
)

COLUMNS = [  # header, width, number format
    ("取引先", 18, None), ("件名", 36, None), ("契約番号", 14, None), ("支払条件", 10, None), ("期間開始", 11, DAY),
    ("期間終了", 11, DAY), ("契約金額", 13, YEN), ("確定額", 13, YEN), ("請求済", 13, YEN), ("入金済", 13, YEN),
    ("未収", 13, YEN), ("原価（税抜）", 13, YEN), ("粗利", 13, YEN), ("状態", 10, None),
]


def _sheet(workbook, title: str, columns):
    """A table sheet of exports.xlsx (styled frozen header, widths, A4 print setup)."""
    return table_sheet(workbook, title, [XColumn(header, width, fmt) for header, width, fmt in columns])


def _row(sheet, number: int, values: Sequence, columns, font: Font | None = None) -> None:
    """One row, each cell in its column's format, text guarded (exports.xlsx.put)."""
    for index, (value, (_header, _width, fmt)) in enumerate(zip(values, columns, strict=True), start=1):
        put(sheet, number, index, value, fmt, font)


def register_xlsx(rows: Sequence[RegisterRow], fiscal_year: int) -> bytes:
    """One row per contract. 未収 = 請求済 − 入金済 and 粗利 = (確定額, else 契約金額) tax excluded − 原価 are
    formulas (tax excluded = amount − ROUNDDOWN(amount × rate / (100 + rate))); the totals row is SUBTOTAL, so
    a filter shows the total of what is visible."""
    workbook = new_workbook()
    sheet = _sheet(workbook, f"{fiscal_year}年度 委託事業一覧", COLUMNS)
    for line, row in enumerate(rows, start=2):
        billable = f"IF(H{line}=\"\",G{line},H{line})"
        rate = row.tax_rate_percent
        net = f"{billable}-ROUNDDOWN({billable}*{rate}/{100 + rate},0)" if rate else billable
        _row(sheet, line, [row.client, row.title, row.number, row.payment_terms, row.period_start, row.period_end,
                           row.amount, row.final_amount, row.invoiced, row.paid, Formula(f"=I{line}-J{line}"),
                           row.cost, Formula(f"={net}-L{line}"), row.status], COLUMNS)
    last = len(rows) + 1
    filter_rows(sheet, len(COLUMNS), last)
    totals = ["合計", f"{len(rows)} 件", "", "", "", ""]
    for letter in "GHIJKLM":
        totals.append(Formula(f"=SUBTOTAL(9,{letter}2:{letter}{last})") if rows else 0)
    _row(sheet, last + 1, [*totals, ""], COLUMNS, BOLD)
    return save(workbook)


def register_csv(rows: Sequence[RegisterRow], encoding: str = "cp932") -> bytes:
    """The same columns with computed values (CSV has no formulas), Shift_JIS for Excel on Windows."""
    from tama_desk.domain.contracts import net_of_tax

    lines = []
    for row in rows:
        billable = row.final_amount if row.final_amount is not None else row.amount
        net = net_of_tax(billable) if row.tax_rate_percent else billable
        lines.append([row.client, row.title, row.number, row.payment_terms, row.period_start,
                      row.period_end, row.amount, "" if row.final_amount is None else row.final_amount, row.invoiced,
                      row.paid, row.invoiced - row.paid, row.cost, net - row.cost, row.status])
    return write_csv([header for header, _w, _f in COLUMNS], lines, encoding)  # text guarded by write_csv


REPORT_COLUMNS = [("区分", 22, None), ("費目", 18, None), ("金額（税抜）", 15, YEN), ("構成比", 10, PERCENT)]
DETAIL_COLUMNS = [("証ひょう番号", 14, None), ("支払日", 11, DAY), ("費目", 14, None), ("支払先", 30, None),
                  ("内容", 34, None), ("支出額（税込）", 14, YEN), ("消費税", 11, YEN), ("税抜", 13, YEN)]


def report_xlsx(report: BalanceReport) -> bytes:
    """収支報告: a summary sheet (formulas over the detail sheet, so a corrected cost updates the margin) and the
    cost detail."""
    workbook = new_workbook()
    sheet = _sheet(workbook, "収支報告", REPORT_COLUMNS)
    detail = _sheet(workbook, "経費明細", DETAIL_COLUMNS)
    for line, cost in enumerate(report.lines, start=2):
        _row(detail, line, [cost.voucher_number, cost.payment_date, cost.category, cost.payee, cost.description,
                            cost.amount, cost.tax, Formula(f"=F{line}-G{line}")], DETAIL_COLUMNS)
    last_detail = len(report.lines) + 1
    contract = report.contract
    sheet.insert_rows(1, 3)
    sheet.freeze_panes = "A5"
    print_setup(sheet, "4:4")
    put(sheet, 1, 1, f"{contract.title}（{contract.client}）", font=Font(bold=True, size=13))
    put(sheet, 2, 1, f"契約金額 {contract.amount:,}円／確定額 " + (
        f"{contract.final_amount:,}円" if contract.final_amount is not None else "未確定"))

    def share(row: int) -> Formula:
        return Formula(f"=IF(C$5=0,\"\",C{row}/C$5)")

    row = 5
    _row(sheet, row, ["収入 委託料（税抜）", None, report.revenue_net, Formula(f"=IF(C{row}=0,\"\",C{row}/C$5)")],
         REPORT_COLUMNS, BOLD)
    first_cost = row + 1
    categories = list(report.costs) or []
    end = max(last_detail, 2)
    for category in categories:
        row += 1
        total = (Formula(f"=SUMIF('経費明細'!C2:C{end},B{row},'経費明細'!H2:H{end})") if report.lines
                 else report.costs[category])
        _row(sheet, row, ["支出", category, total, share(row)], REPORT_COLUMNS)
    row += 1
    cost_row = row
    _row(sheet, row, ["支出合計", None, Formula(f"=SUM(C{first_cost}:C{row - 1})") if categories else 0, share(row)],
         REPORT_COLUMNS, BOLD)
    row += 1
    _row(sheet, row, ["差引（粗利）", None, Formula(f"=C5-C{cost_row}"), share(row)], REPORT_COLUMNS, BOLD)
    if report.management_fee_rate not in ("", "0"):
        row += 1
        _row(sheet, row, [f"一般管理費（上限 {report.management_fee_rate}）", None, report.management_fee, None],
             REPORT_COLUMNS)
    return save(workbook)
