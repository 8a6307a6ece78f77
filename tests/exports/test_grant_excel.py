from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from sqlalchemy import func, select

from tama_desk.db.models import Expenditure
from tama_desk.exports.grant_excel import report_xlsx, subsidy_check_formula
from tama_desk.services import grants
from tests.factories import GRANT_BUDGETS as BUDGETS
from tests.factories import make_grant, spend


def build(db, count: int = 40, as_of: date | None = None, **overrides):
    with db.transaction() as session:
        grant_id = make_grant(session, **overrides).id
        grants.reallocate(session, grant_id, "広報費", "旅費", 200_000, date(2026, 9, 1))
        categories = list(BUDGETS)
        for index in range(count):
            amount = 41_800 + (index * 7_919) % 90_000 // 100 * 100
            spend(session, grant_id, f"26-{index + 1:04d}", categories[index % len(categories)], amount,
                  date(2026, 4, 1) + timedelta(days=(index * 37) % 330))
        spend(session, grant_id, "26-9001", "会議費", 66_000, date(2026, 7, 15), eligible_amount=40_000,
              ineligible_reason="酒類代を除く")
        spend(session, grant_id, "26-9002", "会議費", 22_000, date(2026, 7, 16), ineligible_reason="酒類代")
        spend(session, grant_id, "26-9003", "会議費", 55_000, date(2027, 3, 5))  # after the period
        spend(session, grant_id, "26-9004", "消耗品費", 8_800, date(2026, 7, 5))  # outside the decision
    with db.reading() as session:
        return grants.build_report(session, grant_id, date(2027, 3, 31), as_of)


def workbook_of(report):
    return load_workbook(io.BytesIO(report_xlsx(report)))


# --- a small, exact evaluator for the formulas the export writes ------------------------------------------


class Sheet:
    """Evaluates a cell's value or formula with Fractions (no float rounding), following references."""

    FUNCTIONS = {"SUM", "SUBTOTAL", "MIN", "MAX", "ROUNDDOWN", "IF", "AND", "INT"}

    def __init__(self, worksheet):
        self.worksheet = worksheet

    def value(self, reference: str):
        cell = self.worksheet[reference.replace("$", "")]
        value = cell.value
        if isinstance(value, str) and value.startswith("="):
            return self.evaluate(value[1:])
        if isinstance(value, int):
            return Fraction(value)
        return value

    def cells(self, first: str, last: str) -> list:
        top_left, bottom_right = self.worksheet[first.replace("$", "")], self.worksheet[last.replace("$", "")]
        return [self.value(f"{get_column_letter(column)}{row}")
                for row in range(top_left.row, bottom_right.row + 1)
                for column in range(top_left.column, bottom_right.column + 1)]

    def evaluate(self, formula: str):
        # string literals ("一致") are kept as they are; the rest becomes Python
        parts = re.split(r'("[^"]*")', formula)
        expression = "".join(part if index % 2 else self._python(part) for index, part in enumerate(parts))
        namespace = {
            "_n": Fraction, "_ref": self.value, "_range": self.cells,
            "_sum": lambda *parts: sum(_flat(parts)), "_min": lambda *parts: min(_flat(parts)),
            "_max": lambda *parts: max(_flat(parts)), "_int": lambda x: Fraction(x.numerator // x.denominator),
            "_rounddown": _rounddown, "_if": lambda test, yes, no="": yes if test else no,
            "_and": lambda *tests: all(tests), "_subtotal": _subtotal,
        }
        return eval(expression, namespace)  # noqa: S307 - test helper over the export's own formulas

    def _python(self, text: str) -> str:
        text = re.sub(r"(\$?[A-Z]{1,2}\$?\d+):(\$?[A-Z]{1,2}\$?\d+)", r"_range('\1','\2')", text)
        text = re.sub(r"(?<![A-Za-z_'])(\$?[A-Z]{1,2}\$?\d+)(?![\w'(])", r"_ref('\1')", text)
        text = re.sub(r"(?<![<>!=])=(?!=)", "==", text).replace("<>", "!=")
        for name in self.FUNCTIONS:
            text = re.sub(rf"\b{name}\(", f"_{name.lower()}(", text)
        return re.sub(r"(?<![\w.'])(\d+)(?![\w.'])", r"_n(\1)", text)


def _flat(parts) -> list:
    values = []
    for part in parts:
        values.extend(part if isinstance(part, list) else [part])
    return [value for value in values if isinstance(value, Fraction)]


def _rounddown(value: Fraction, digits: Fraction) -> Fraction:
    unit = Fraction(10) ** int(-digits)
    return Fraction(int(value / unit)) * unit  # toward zero, as Excel's ROUNDDOWN


def _subtotal(function: Fraction, values: list):
    if function == 9:
        return sum(_flat([values]))
    if function == 3:
        return Fraction(sum(1 for value in values if value not in (None, "")))
    raise AssertionError(function)


# --- 収支決算書 -----------------------------------------------------------------------------------------


def summary_rows(worksheet) -> dict[str, int]:
    return {worksheet.cell(row, 1).value: row for row in range(1, worksheet.max_row + 1)
            if worksheet.cell(row, 1).value}


def test_summary_sheet_has_live_formulas_and_totals_equal_the_settlement(db):
    report = build(db)
    settlement = report.settlement
    workbook = workbook_of(report)
    assert workbook.sheetnames == ["収支決算書", "経費支出管理表"]
    worksheet = workbook["収支決算書"]
    sheet = Sheet(worksheet)
    assert worksheet["A1"].value == "補助事業実績報告書　収支決算書"
    assert worksheet["B3"].value == "多摩地域ものづくり海外展開支援事業"
    assert worksheet["B5"].value == "関東経済産業局長"
    assert worksheet["B6"].value == "2026年4月10日付け 20260410関東第18号"
    assert (worksheet["B7"].value, worksheet["D7"].value) == (datetime(2026, 4, 1), datetime(2027, 2, 28))
    assert (worksheet["G7"].value, worksheet["B8"].value, worksheet["D8"].value) == (10_000_000, "2/3", "補助率方式")
    assert [worksheet.cell(11, column).value for column in range(1, 9)] == [
        "経費区分", "計画額", "流用額", "流用後額", "実績額", "補助対象経費", "補助金\n交付決定額", "補助金\n実績額"]
    rows = summary_rows(worksheet)
    first, total = 12, rows["合計"]
    assert total - first == len(settlement.categories) == 6
    for offset, figures in enumerate(settlement.categories):
        row = first + offset
        assert worksheet[f"D{row}"].value == f"=B{row}+C{row}"
        assert sheet.value(f"D{row}") == figures.after_reallocation
        assert (worksheet[f"B{row}"].value, worksheet[f"C{row}"].value, worksheet[f"E{row}"].value,
                worksheet[f"F{row}"].value) == (figures.planned, figures.reallocated, figures.actual,
                                                figures.eligible_cost)
        assert worksheet[f"H{row}"].value == report.subsidy_by_category[figures.category]
    assert worksheet[f"A{first + 5}"].value == "消耗品費※"  # outside the decision
    for letter in "BCDEF":
        assert worksheet[f"{letter}{total}"].value == f"=SUM({letter}{first}:{letter}{total - 1})"
    assert [sheet.value(f"{letter}{total}") for letter in "BCDEFGH"] == [
        settlement.total("planned"), 0, settlement.total("after_reallocation"), settlement.total("actual"),
        settlement.eligible_cost, report.header.decided_amount, settlement.subsidy]
    assert worksheet[f"G{total}"].value == "=G7"
    assert worksheet[f"H{total}"].value == settlement.subsidy  # the computed value, not a sum of the shares
    assert sum(report.subsidy_by_category.values()) != settlement.subsidy
    check = total + 1
    assert worksheet[f"H{check}"].value == f"=MIN(ROUNDDOWN(F{total}*2/3,0),$G$7)"
    assert sheet.value(f"H{check}") == settlement.subsidy
    assert sheet.value(f"I{check}") == "一致"
    assert sheet.value(f"B{rows['補助金確定額']}") == settlement.subsidy
    assert sheet.value(f"B{rows['概算払受領額']}") == report.advance_paid
    assert sheet.value(f"B{rows['返還額']}") == settlement.to_return == 9_000_000 - settlement.subsidy
    assert sheet.value(f"B{rows['精算払請求額']}") == 0


def test_summary_sheet_formats_and_print_setup(db):
    worksheet = workbook_of(build(db, count=5))["収支決算書"]
    assert worksheet["B12"].number_format == "#,##0"
    assert worksheet["F12"].number_format == "#,##0"
    assert worksheet["C16"].number_format == '#,##0;"△"#,##0'  # 広報費 gave 200,000 away
    assert worksheet["C16"].value == -200_000
    assert worksheet["H18"].number_format == "#,##0"
    assert worksheet["B7"].number_format == "yyyy/mm/dd"
    assert worksheet.freeze_panes == "B12"
    assert worksheet.print_title_rows == "$11:$11"
    setup = worksheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert worksheet.sheet_properties.pageSetUpPr.fitToPage is True


def test_ratio_formula_worked_example(db):
    """190 × 160/200 = 152; 160 paid in advance → 8 returned, also in Excel's formulas."""
    with db.transaction() as session:
        grant = make_grant(session, decided_amount=160, rate="1/2", formula="ratio", decided_eligible_cost=200,
                           budgets={"旅費": 200}, advance_paid=160)
        spend(session, grant.id, "V1", "旅費", 190, date(2026, 5, 10), tax=0)
        report = grants.build_report(session, grant.id, date(2027, 3, 31))
    worksheet = workbook_of(report)["収支決算書"]
    sheet = Sheet(worksheet)
    rows = summary_rows(worksheet)
    total = rows["合計"]
    assert worksheet[f"H{total + 1}"].value == f"=MIN(ROUNDDOWN(F{total}*$G$7/$G$8,0),$G$7)"
    assert sheet.value(f"H{total + 1}") == sheet.value(f"H{total}") == 152
    assert sheet.value(f"B{rows['返還額']}") == 8


def test_rate_formula_capped_at_the_decided_amount(db):
    with db.transaction() as session:
        grant = make_grant(session, decided_amount=1_000_000, budgets={"委託費": 2_000_000}, advance_paid=0)
        spend(session, grant.id, "V1", "委託費", 2_000_000, date(2026, 6, 1), tax=0)
        report = grants.build_report(session, grant.id, date(2027, 3, 31))
    worksheet = workbook_of(report)["収支決算書"]
    sheet = Sheet(worksheet)
    rows = summary_rows(worksheet)
    assert sheet.value(f"H{rows['合計'] + 1}") == 1_000_000 == report.settlement.subsidy
    assert sheet.value(f"B{rows['精算払請求額']}") == 1_000_000


def test_thousand_yen_rounding_check(db):
    with db.transaction() as session:
        grant = make_grant(session, rounding_unit=1000, budgets={"謝金": 1_000_000})
        spend(session, grant.id, "V1", "謝金", 100_000, date(2026, 6, 1), tax=0)
        report = grants.build_report(session, grant.id, date(2027, 3, 31))
    worksheet = workbook_of(report)["収支決算書"]
    total = summary_rows(worksheet)["合計"]
    assert worksheet[f"H{total + 1}"].value == f"=MIN(ROUNDDOWN(F{total}*2/3,-3),$G$7)"
    assert Sheet(worksheet).value(f"H{total + 1}") == 66_000 == report.settlement.subsidy


def test_check_formula_only_where_a_double_is_exact(db):
    with db.transaction() as session:
        grant = make_grant(session, decided_amount=50_000_000, rate="1/2", formula="ratio",
                           decided_eligible_cost=100_000_000, budgets={"委託費": 100_000_000})
        spend(session, grant.id, "V1", "委託費", 90_000_000, date(2026, 6, 1), tax=0)
        report = grants.build_report(session, grant.id, date(2027, 3, 31))
    # 90,000,000 × 50,000,000 is beyond what a double divides exactly: the ratio in lowest terms is used
    assert subsidy_check_formula(report, "F20", "$G$7", "$G$8") == "=MIN(ROUNDDOWN(F20*1/2,0),$G$7)"
    with db.transaction() as session:
        grant = make_grant(session, decided_amount=49_999_999, rate="1/2", formula="ratio",
                           decided_eligible_cost=99_999_997, budgets={"委託費": 100_000_000})
        spend(session, grant.id, "V1", "委託費", 90_000_000, date(2026, 6, 1), tax=0)
        report = grants.build_report(session, grant.id, date(2027, 3, 31))
    assert subsidy_check_formula(report, "F20", "$G$7", "$G$8") is None
    worksheet = workbook_of(report)["収支決算書"]
    total = summary_rows(worksheet)["合計"]
    assert worksheet[f"H{total}"].value == report.settlement.subsidy
    assert not str(worksheet[f"A{total + 1}"].value).startswith("検算")


# --- 経費支出管理表 --------------------------------------------------------------------------------------


def test_expense_sheet_lists_every_expense_with_subtotal_totals(db):
    report = build(db, count=150)
    worksheet = workbook_of(report)["経費支出管理表"]
    sheet = Sheet(worksheet)
    assert [cell.value for cell in worksheet[1]] == ["証ひょう番号", "費目", "契約日", "支払日", "支払先", "内容",
                                                     "支出額（税込）", "補助対象額", "対象外理由"]
    count = len(report.expenses)
    assert count == 154
    total = count + 2
    assert worksheet[f"A{total}"].value == "合計"
    assert [worksheet.cell(row, 1).value for row in range(2, total)] == [e.voucher_number for e in report.expenses]
    assert isinstance(worksheet["D2"].value, datetime) and worksheet["D2"].number_format == "yyyy/mm/dd"
    assert worksheet["G2"].number_format == "#,##0" and worksheet["H2"].number_format == "#,##0"
    assert worksheet[f"G{total}"].value == f"=SUBTOTAL(9,G2:G{total - 1})"
    assert worksheet[f"H{total}"].value == f"=SUBTOTAL(9,H2:H{total - 1})"
    assert sheet.value(f"B{total}") == count
    with db.reading() as session:
        assert sheet.value(f"G{total}") == session.scalar(select(func.sum(Expenditure.amount)))
    assert sheet.value(f"G{total}") == report.settlement.total("actual")
    assert sheet.value(f"H{total}") == report.settlement.total("eligible_actual")
    assert worksheet.auto_filter.ref == f"A1:I{total - 1}"
    assert worksheet.freeze_panes == "A2"
    assert worksheet.print_title_rows == "$1:$1"
    rows = {worksheet.cell(row, 1).value: row for row in range(2, total)}
    assert worksheet[f"H{rows['26-9003']}"].value == 0  # paid after the period: counts for nothing
    assert worksheet[f"I{rows['26-9003']}"].value == "対象外：事業期間外の支払"
    assert worksheet[f"I{rows['26-9001']}"].value == "一部対象外：酒類代を除く"
    assert worksheet[f"A{rows['26-9002']}"].fill.fgColor.rgb.endswith("FDE8E8")


def test_summary_and_expense_totals_agree_with_the_pdf_figures(db):
    report = build(db)
    workbook = workbook_of(report)
    summary, expenses = Sheet(workbook["収支決算書"]), Sheet(workbook["経費支出管理表"])
    total = summary_rows(workbook["収支決算書"])["合計"]
    last = len(report.expenses) + 2
    assert summary.value(f"E{total}") == expenses.value(f"G{last}")
    assert summary.value(f"F{total}") <= expenses.value(f"H{last}")  # the categories' caps apply in the summary


# --- 執行状況 -------------------------------------------------------------------------------------------


def test_interim_workbook_has_a_status_sheet(db):
    with db.transaction() as session:
        grant = make_grant(session, budgets={"旅費": 1_000_000, "会議費": 500_000, "謝金": 400_000})
        spend(session, grant.id, "V1", "旅費", 900_000, date(2026, 6, 1))  # exactly 90%
        spend(session, grant.id, "V2", "会議費", 550_000, date(2026, 7, 1))  # over budget
        spend(session, grant.id, "V3", "謝金", 100_000, date(2026, 8, 1), tax=0)
        spend(session, grant.id, "V4", "謝金", 100_000, date(2026, 12, 1), tax=0)  # after as_of
        report = grants.build_report(session, grant.id, date(2026, 12, 1), as_of=date(2026, 11, 30))
    workbook = workbook_of(report)
    assert workbook.sheetnames == ["執行状況", "収支決算書", "経費支出管理表"]
    worksheet = workbook["執行状況"]
    sheet = Sheet(worksheet)
    assert worksheet["A1"].value == "補助事業 執行状況（2026年11月30日 現在）"
    assert worksheet["B5"].value == datetime(2026, 11, 30)
    assert (sheet.value("B6"), sheet.value("C6"), sheet.value("D6")) == (244, 334, Fraction(73, 100))
    rows = {worksheet.cell(row, 1).value: row for row in range(9, 13)}
    travel, meetings, fees, total = rows["旅費"], rows["会議費"], rows["謝金"], rows["合計"]
    assert worksheet[f"D{travel}"].value == f"=B{travel}-C{travel}"
    assert worksheet[f"E{travel}"].number_format == "0.0%"
    assert sheet.value(f"E{travel}") == Fraction(9, 10)
    assert sheet.value(f"F{travel}") == "90%以上"
    assert sheet.value(f"F{meetings}") == "予算超過"
    assert sheet.value(f"F{fees}") == ""
    assert sheet.value(f"C{fees}") == 100_000  # the December payment is after as_of
    assert worksheet[f"B{total}"].value == f"=SUM(B9:B{total - 1})"
    assert (sheet.value(f"B{total}"), sheet.value(f"C{total}"), sheet.value(f"D{total}")) == (
        1_900_000, 1_550_000, 350_000)
    listed = workbook["経費支出管理表"]
    assert [listed.cell(row, 1).value for row in range(2, 6)] == ["V1", "V2", "V3", "合計"]
    assert worksheet.conditional_formatting
    summary = workbook["収支決算書"]
    assert "返還額" not in summary_rows(summary)  # nothing is settled mid-project


@pytest.mark.parametrize("column", ["B", "C", "D", "E", "F"])
def test_sum_ranges_cover_exactly_the_category_rows(db, column):
    report = build(db, count=5)
    worksheet = workbook_of(report)["収支決算書"]
    total = summary_rows(worksheet)["合計"]
    formula = worksheet[f"{column}{total}"].value
    first, last = re.fullmatch(rf"=SUM\({column}(\d+):{column}(\d+)\)", formula).groups()
    assert worksheet[f"A{int(first) - 1}"].value == "経費区分"
    assert int(last) == total - 1
    assert column_index_from_string(column) < 7


@pytest.mark.parametrize("as_of", [None, date(2026, 10, 31)])
def test_every_sheet_has_the_footer_and_payee_text_stays_text(db, as_of):
    from dataclasses import replace

    report = build(db, count=5, as_of=as_of)
    evil = "=HYPERLINK(\"http://example.invalid\",\"click\")"
    report = replace(report, expenses=(replace(report.expenses[0], payee=evil, description="+1+2"),
                                       *report.expenses[1:]))
    workbook = workbook_of(report)
    for sheet in workbook.worksheets:
        assert sheet.oddFooter.center.text == "&P / &N" and sheet.oddFooter.right.text == "&A", sheet.title
        assert sheet.page_setup.fitToWidth == 1 and sheet.print_title_rows, sheet.title
    expenses = workbook["経費支出管理表"]
    cells = {cell.value: cell for line in expenses.iter_rows() for cell in line}
    assert cells[evil].data_type == "s" and cells["+1+2"].data_type == "s"
