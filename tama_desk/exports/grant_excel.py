"""Excel of a grant's 実績報告書 (or interim status) for the accountant, with live formulas.

Sheets:
- 執行状況 (interim reports only, `report.as_of` set): per 経費区分 流用後予算, 支出済, 残額 = 予算 − 支出済,
  執行率 = 支出済 ÷ 予算 and a 状況 formula (予算超過 / 90%以上, compared in integers so 90% is exact); totals with SUM.
- 収支決算書: the heading (grant, grantor, period, 交付決定額, 補助率 …) and the category table with
  流用後額 = 計画額 + 流用額 and SUM totals. 補助金（交付決定額）'s total refers to the 交付決定額 cell;
  補助金（実績額）'s total is the computed `settlement.subsidy` (a value), and under it a 検算 formula derives it
  again from the total eligible cost — MIN(ROUNDDOWN(total × rate, 0 or −3), 交付決定額) — whenever Excel's
  doubles compute that exactly (the product below 10^13), with a cell saying whether the two agree. 精算 (final
  reports only): 補助金確定額 = the total, 返還額 = MAX(0, 概算払 − 確定額), 精算払請求額 = MAX(0, 確定額 − 概算払).
- 経費支出管理表: every expense (dates as dates), the amount counted toward the subsidy as in the PDF, an
  autofilter, and a totals row with SUBTOTAL so a filter shows the total of what is visible.

Totals equal the PDF's and the database's (the tests check the formulas' ranges and evaluate them).
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from tama_desk.domain.dates import format_date_ja
from tama_desk.domain.grant_report import (
    FORMULAS,
    GrantReport,
    counted_eligible,
    elapsed_days,
    expense_remark,
    rounding_text,
    title_of,
)
from tama_desk.exports.xlsx import (
    AMBER_FILL,
    BOLD,
    BOX,
    COUNT,
    DAY,
    GRAY,
    LABEL_FILL,
    LONG_DAY,
    PERCENT,
    RED_FILL,
    RED_FONT,
    TITLE_FONT,
    TOTAL_BORDER,
    TOTAL_FILL,
    YEN,
    YEN_SIGNED,
    Formula,
    XColumn,
    filter_rows,
    header_row,
    new_workbook,
    print_setup,
    put,
    save,
    set_widths,
)

EXACT_LIMIT = 10**13  # products below this divide exactly enough in a double for ROUNDDOWN to be right

SUMMARY_SHEET = "収支決算書"
EXPENSE_SHEET = "経費支出管理表"
STATUS_SHEET = "執行状況"
TABLE_HEADER_ROW = 11
SUMMARY_COLUMNS = [
    XColumn("経費区分", 24), XColumn("計画額", 15, YEN), XColumn("流用額", 14, YEN_SIGNED), XColumn("流用後額", 15, YEN),
    XColumn("実績額", 15, YEN), XColumn("補助対象経費", 15, YEN), XColumn("補助金\n交付決定額", 15, YEN),
    XColumn("補助金\n実績額", 15, YEN), XColumn("", 10),
]
EXPENSE_COLUMNS = [
    XColumn("証ひょう番号", 13), XColumn("費目", 13), XColumn("契約日", 12, DAY), XColumn("支払日", 12, DAY),
    XColumn("支払先", 30), XColumn("内容", 36), XColumn("支出額（税込）", 14, YEN), XColumn("補助対象額", 14, YEN),
    XColumn("対象外理由", 32),
]
STATUS_COLUMNS = [XColumn("経費区分", 24), XColumn("流用後予算", 16, YEN), XColumn("支出済", 16, YEN),
                  XColumn("残額", 16, YEN_SIGNED), XColumn("執行率", 10, PERCENT), XColumn("状況", 12)]


def report_xlsx(report: GrantReport) -> bytes:
    header = report.header
    workbook = new_workbook(title=f"{title_of(report)} {header.grant_name}",
                            created=datetime.combine(header.report_date, datetime.min.time()))
    if report.as_of is not None:
        _status_sheet(workbook.create_sheet(STATUS_SHEET), report)
    _summary_sheet(workbook.create_sheet(SUMMARY_SHEET), report)
    _expense_sheet(workbook.create_sheet(EXPENSE_SHEET), report)
    return save(workbook)


# --- shared ---------------------------------------------------------------------------------------------


def _columns(sheet: Worksheet, columns) -> None:
    set_widths(sheet, [column.width for column in columns])


def _header_row(sheet: Worksheet, row: int, columns) -> None:
    header_row(sheet, row, columns, height=30)


_put = put


def _label(sheet: Worksheet, row: int, column: int, text: str) -> None:
    cell = _put(sheet, row, column, text, fill=LABEL_FILL, border=BOX)
    cell.alignment = Alignment(vertical="center")


_print_setup = print_setup


def _heading(sheet: Worksheet, report: GrantReport, title: str, date_column: int) -> None:
    header = report.header
    _put(sheet, 1, 1, title, font=TITLE_FONT)
    sheet.row_dimensions[1].height = 24
    _put(sheet, 2, 1, header.association.name)
    date_cell = _put(sheet, 2, date_column - 1, header.report_date, LONG_DAY)
    date_cell.alignment = Alignment(horizontal="right")
    sheet.merge_cells(start_row=2, start_column=date_column - 1, end_row=2, end_column=date_column)


# --- 収支決算書 -----------------------------------------------------------------------------------------


def subsidy_check_formula(report: GrantReport, total_cell: str, decided_cell: str, eligible_cost_cell: str
                          ) -> Formula | None:
    """The subsidy derived from the total eligible cost as an Excel formula, or None when a double could not
    compute it exactly (the product must stay below EXACT_LIMIT; Excel evaluates x*a/b as (x*a)/b)."""
    header = report.header
    total = report.settlement.eligible_cost
    digits = 0 if header.rounding_unit == 1 else -3 if header.rounding_unit == 1000 else None
    if digits is None:
        return None
    if header.formula == "ratio":
        if header.decided_eligible_cost <= 0:
            return None
        if total * header.decided_amount < EXACT_LIMIT:
            product = f"{total_cell}*{decided_cell}/{eligible_cost_cell}"
        else:  # the same ratio in lowest terms, e.g. 5,800,000 / 11,600,000 = 1/2
            reduced = Fraction(header.decided_amount, header.decided_eligible_cost)
            if total * reduced.numerator >= EXACT_LIMIT:
                return None
            product = f"{total_cell}*{reduced.numerator}/{reduced.denominator}"
    else:
        rate = Fraction(header.rate)
        if total * rate.numerator >= EXACT_LIMIT:
            return None
        product = f"{total_cell}*{rate.numerator}/{rate.denominator}"
    return Formula(f"=MIN(ROUNDDOWN({product},{digits}),{decided_cell})")


def _summary_sheet(sheet: Worksheet, report: GrantReport) -> None:
    header, settlement = report.header, report.settlement
    _columns(sheet, SUMMARY_COLUMNS)
    title = "補助事業実績報告書　収支決算書" if report.as_of is None else \
        f"収支決算書（{format_date_ja(report.as_of)} 現在）"
    _heading(sheet, report, title, 8)
    # rows 3-9: the grant; G7 (交付決定額), G8 (交付決定時の補助対象経費) and G9 (概算払) are used below
    decision = " ".join(part for part in (
        f"{format_date_ja(header.decision_date)}付け" if header.decision_date else "", header.decision_number) if part)
    for row, label, value in ((3, "補助事業名", header.grant_name), (4, "補助金名", header.programme),
                              (5, "補助元", header.grantor), (6, "交付決定", decision)):
        _label(sheet, row, 1, label)
        _put(sheet, row, 2, value, font=BOLD if row == 3 else None)
        sheet.merge_cells(f"B{row}:H{row}")
    _label(sheet, 7, 1, "事業期間")
    _put(sheet, 7, 2, header.period_start, DAY)
    _put(sheet, 7, 3, "〜").alignment = Alignment(horizontal="center")
    _put(sheet, 7, 4, header.period_end, DAY)
    _label(sheet, 8, 1, "補助率")
    _put(sheet, 8, 2, header.rate).alignment = Alignment(horizontal="right")
    _label(sheet, 8, 3, "算定方式")
    _put(sheet, 8, 4, FORMULAS.get(header.formula, header.formula))
    _label(sheet, 9, 1, "端数処理")
    _put(sheet, 9, 2, rounding_text(header.rounding_unit))
    for row, label, value in ((7, "交付決定額", header.decided_amount),
                              (8, "交付決定時の補助対象経費", header.decided_eligible_cost),
                              (9, "概算払受領額", report.advance_paid)):
        _label(sheet, row, 5, label)
        sheet.merge_cells(f"E{row}:F{row}")
        _put(sheet, row, 7, value, YEN, font=BOLD if row == 7 else None, border=BOX)
    _put(sheet, 10, 8, "（単位：円）").alignment = Alignment(horizontal="right")

    _header_row(sheet, TABLE_HEADER_ROW, SUMMARY_COLUMNS)
    first = TABLE_HEADER_ROW + 1
    formats = [column.format for column in SUMMARY_COLUMNS]
    row = first
    for figures in settlement.categories:
        decided = report.decided_by_category.get(figures.category)
        values = [figures.category if decided is not None else f"{figures.category}※", figures.planned,
                  figures.reallocated, Formula(f"=B{row}+C{row}"), figures.actual, figures.eligible_cost,
                  decided if decided is not None else "—", report.subsidy_by_category.get(figures.category, 0)]
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, row, column, value, formats[column - 1], border=BOX)
            if value == "—":
                cell.alignment = Alignment(horizontal="center")
        row += 1
    last = max(first, row - 1)
    total = row if settlement.categories else first + 1
    totals = ["合計", *[Formula(f"=SUM({letter}{first}:{letter}{last})") for letter in "BCDEF"], Formula("=G7"),
              settlement.subsidy]
    for column, value in enumerate(totals, start=1):
        _put(sheet, total, column, value, formats[column - 1], font=BOLD, fill=TOTAL_FILL, border=TOTAL_BORDER)
    sheet.freeze_panes = f"B{first}"

    check = subsidy_check_formula(report, f"F{total}", "$G$7", "$G$8")
    note_row = total + 1
    if check:
        rule = ("× 交付決定額 ÷ 交付決定時の補助対象経費" if header.formula == "ratio"
                else f"× 補助率 {header.rate}")
        _put(sheet, note_row, 1, f"検算：補助対象経費の合計 {rule}（{rounding_text(header.rounding_unit)}、"
                                 "交付決定額を上限）", font=GRAY)
        sheet.merge_cells(f"A{note_row}:G{note_row}")
        sheet.cell(note_row, 1).alignment = Alignment(horizontal="right")
        _put(sheet, note_row, 8, check, YEN, border=BOX)
        _put(sheet, note_row, 9, Formula(f'=IF(H{note_row}=H{total},"一致","不一致")'), font=GRAY)
        note_row += 1
    notes = [f"※補助金（実績額）の合計は補助対象経費の合計に基づき算定（{rounding_text(header.rounding_unit)}）。"
             "経費区分ごとの補助金額は参考値であり、端数処理のため合計と一致しないことがある。",
             "※補助金（交付決定額）の合計は交付決定額。補助対象経費は経費区分ごとに流用後の補助対象予算額を上限とする。"]
    if any(category not in report.decided_by_category for category in (f.category for f in settlement.categories)):
        notes.append("※印の経費区分は交付決定の経費区分に含まれないため、補助対象外。")
    for note in notes:
        _put(sheet, note_row, 1, note, font=GRAY)
        note_row += 1

    if report.as_of is not None:  # mid-project: nothing is settled yet (the 執行状況 sheet has the estimate)
        _print_setup(sheet, f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}")
        sheet.print_area = f"A1:I{note_row - 1}"
        return
    top = note_row + 1
    _put(sheet, top, 1, "精算", font=BOLD)
    rows = [("補助金確定額", Formula(f"=H{total}"), True), ("概算払受領額", Formula("=G9"), False),
            ("返還額", Formula(f"=MAX(0,B{top + 2}-B{top + 1})"), True),
            ("精算払請求額", Formula(f"=MAX(0,B{top + 1}-B{top + 2})"), False)]
    for offset, (label, formula, strong) in enumerate(rows, start=1):
        _label(sheet, top + offset, 1, label)
        _put(sheet, top + offset, 2, formula, YEN, font=BOLD if strong else None, border=BOX)
    _print_setup(sheet, f"{TABLE_HEADER_ROW}:{TABLE_HEADER_ROW}")
    sheet.print_area = f"A1:I{top + len(rows)}"


# --- 経費支出管理表 --------------------------------------------------------------------------------------


def _expense_sheet(sheet: Worksheet, report: GrantReport) -> None:
    _columns(sheet, EXPENSE_COLUMNS)
    _header_row(sheet, 1, EXPENSE_COLUMNS)
    formats = [column.format for column in EXPENSE_COLUMNS]
    row = 2
    for expense in report.expenses:
        remark, marked = expense_remark(report, expense)
        counted = counted_eligible(report, expense)
        values = [expense.voucher_number, expense.category, expense.contract_date, expense.payment_date,
                  expense.payee, expense.description, expense.amount, counted, remark]
        fill = (RED_FILL if counted == 0 else AMBER_FILL) if marked else None
        for column, value in enumerate(values, start=1):
            cell = _put(sheet, row, column, value, formats[column - 1], fill=fill)
            if marked and column in (8, 9):
                cell.font = RED_FONT
        row += 1
    last = max(2, row - 1)
    filter_rows(sheet, len(EXPENSE_COLUMNS), last)
    total = row
    totals = ["合計", Formula(f"=SUBTOTAL(3,A2:A{last})"), None, None, None, None,
              Formula(f"=SUBTOTAL(9,G2:G{last})"), Formula(f"=SUBTOTAL(9,H2:H{last})"), None]
    for column, value in enumerate(totals, start=1):
        fmt = COUNT if column == 2 else formats[column - 1]
        _put(sheet, total, column, value, fmt, font=BOLD, fill=TOTAL_FILL, border=TOTAL_BORDER)
    _put(sheet, total + 1, 1, "※補助対象額は、事業期間内に支払われ、交付決定の経費区分に属する経費の補助対象分。"
                              "合計はフィルタで表示中の行の合計（SUBTOTAL）。", font=GRAY)
    sheet.freeze_panes = "A2"
    _print_setup(sheet, "1:1")


# --- 執行状況 -------------------------------------------------------------------------------------------


def _status_sheet(sheet: Worksheet, report: GrantReport) -> None:
    header, settlement = report.header, report.settlement
    _columns(sheet, STATUS_COLUMNS)
    _heading(sheet, report, title_of(report), 6)
    elapsed, total_days = elapsed_days(report)
    _label(sheet, 3, 1, "補助事業名")
    _put(sheet, 3, 2, header.grant_name, font=BOLD)
    sheet.merge_cells("B3:F3")
    _label(sheet, 4, 1, "事業期間")
    _put(sheet, 4, 2, header.period_start, DAY)
    _put(sheet, 4, 3, "〜").alignment = Alignment(horizontal="center")
    _put(sheet, 4, 4, header.period_end, DAY)
    _label(sheet, 5, 1, "基準日")
    _put(sheet, 5, 2, report.as_of, DAY)
    _label(sheet, 6, 1, "期間経過（日）")
    _put(sheet, 6, 2, elapsed, '0"日"')
    _put(sheet, 6, 3, total_days, '"/ "0"日"')
    _put(sheet, 6, 4, Formula("=INT(B6*100/C6)/100"), "0%")  # floored, as the PDF and the CLI print it
    _header_row(sheet, 8, STATUS_COLUMNS)
    formats = [column.format for column in STATUS_COLUMNS]
    first = 9
    row = first
    for figures in settlement.categories:
        values = [figures.category, figures.after_reallocation, figures.actual, Formula(f"=B{row}-C{row}"),
                  Formula(f'=IF(B{row}=0,"",C{row}/B{row})'), _status_formula(row)]
        for column, value in enumerate(values, start=1):
            _put(sheet, row, column, value, formats[column - 1], border=BOX)
        row += 1
    last = max(first, row - 1)
    total = row if settlement.categories else first + 1
    values = ["合計", *[Formula(f"=SUM({letter}{first}:{letter}{last})") for letter in "BCD"],
              Formula(f'=IF(B{total}=0,"",C{total}/B{total})'), _status_formula(total)]
    for column, value in enumerate(values, start=1):
        _put(sheet, total, column, value, formats[column - 1], font=BOLD, fill=TOTAL_FILL, border=TOTAL_BORDER)
    area = f"A{first}:F{last}"
    sheet.conditional_formatting.add(area, FormulaRule(formula=[f"$C{first}>$B{first}"], fill=RED_FILL,
                                                       stopIfTrue=True))
    sheet.conditional_formatting.add(area, FormulaRule(formula=[f"AND($B{first}>0,$C{first}*10>=$B{first}*9)"],
                                                       fill=AMBER_FILL))
    _put(sheet, total + 1, 1, "※執行率 ＝ 支出済 ÷ 流用後予算。90%以上は黄、予算超過は赤。", font=GRAY)
    summary = total + 3
    rows = [("補助対象経費（現在まで）", settlement.eligible_cost, False),
            ("補助金見込額", settlement.subsidy, True), ("交付決定額", header.decided_amount, False),
            ("概算払受領額", report.advance_paid, False)]
    for offset, (label, value, strong) in enumerate(rows):
        _label(sheet, summary + offset, 1, label)
        _put(sheet, summary + offset, 2, value, YEN, font=BOLD if strong else None, border=BOX)
    sheet.freeze_panes = f"B{first}"
    _print_setup(sheet, "8:8", landscape=False)


def _status_formula(row: int) -> Formula:
    """予算なし / 予算超過 / 90%以上, compared in integers (C*10 >= B*9) so exactly 90% counts."""
    return Formula(f'=IF(AND(B{row}=0,C{row}>0),"予算なし",IF(C{row}>B{row},"予算超過",'
                   f'IF(AND(B{row}>0,C{row}*10>=B{row}*9),"90%以上","")))')
