"""exports.xlsx: print setup with footer, header, and formula-injection guarding, on every workbook."""

from __future__ import annotations

import io
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from tama_desk.exports import ledger
from tama_desk.exports.xlsx import DAY, Formula, XColumn, is_unsafe, new_workbook, put, row, save, table_sheet

EVIL = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-1+2", "@SUM(A1)", "\t=1+2", "\r=1+2"]


@pytest.mark.parametrize("text", EVIL)
def test_unsafe_text(text):
    assert is_unsafe(text) and not is_unsafe(Formula("=SUM(A1:A2)")) and not is_unsafe("株式会社=") \
        and not is_unsafe(70000)


def check_footer_and_print_setup(sheet) -> None:
    assert sheet.oddFooter.center.text == "&P / &N" and sheet.oddFooter.right.text == "&A"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows


@pytest.mark.parametrize("write_only", [True, False])
def test_text_that_looks_like_a_formula_stays_text(write_only):
    workbook = new_workbook(write_only=write_only)
    sheet = table_sheet(workbook, "試験", [XColumn("名前", 20), XColumn("日付", 12, DAY), XColumn("計", 10)])
    for number, text in enumerate(EVIL, start=2):
        values = [text, date(2026, 4, 1), Formula(f"=LEN(A{number})")]
        if write_only:
            sheet.append(row(sheet, values, [None, DAY, None]))
        else:
            for column, value in enumerate(values, start=1):
                put(sheet, number, column, value, DAY if column == 2 else None)
    reopened = load_workbook(io.BytesIO(save(workbook))).worksheets[0]
    check_footer_and_print_setup(reopened)
    assert reopened.freeze_panes == "A2"
    for number, text in enumerate(EVIL, start=2):
        cell = reopened.cell(number, 1)
        assert (cell.value.replace("\n", "\r"), cell.data_type, cell.quotePrefix) == (text, "s", True)
        assert reopened.cell(number, 3).data_type == "f"  # the app's own formula is one


def payment(name: str):
    return SimpleNamespace(received_on=date(2026, 5, 1), payer_name=name, method="transfer", amount=70000,
                           reversed=False, reversal_reason="")


def every_workbook(text: str) -> dict[str, bytes]:
    ledger_row = SimpleNamespace(member_number="0001", member_name=text, type_name="正会員", invoice_number="2026-0001",
                                 issue_date=date(2026, 4, 1), billed=70000, tax_category="out_of_scope", credited=0,
                                 paid=0, last_paid_on=None, status="unpaid")
    aging_row = SimpleNamespace(number="2026-0001", member_number="0001", name=text, issue_date=date(2026, 4, 1),
                                due_date=date(2026, 4, 30), open=70000, days_past_due=10)
    return {
        "ledger": ledger.ledger_xlsx([ledger_row], 2026, {"unpaid": "未入金"}),
        "aging": ledger.aging_xlsx([aging_row], date(2026, 5, 10)),
        "payments": ledger.payments_xlsx([(payment(text), "0001", text, ())], date(2026, 5, 10), {"transfer": "振込"}),
    }


@pytest.mark.parametrize("name", ["ledger", "aging", "payments"])
def test_every_fee_workbook_has_the_footer_and_guards_names(name):
    data = every_workbook("=cmd|' /C calc'!A0")[name]
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    check_footer_and_print_setup(sheet)
    cells = [cell for line in sheet.iter_rows() for cell in line if cell.value == "=cmd|' /C calc'!A0"]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_a_plain_table_workbook_fits_the_width_and_has_the_footer():
    from tama_desk.exports.xlsx import table_xlsx

    data = table_xlsx("会員名簿", [XColumn("会員番号", 10), XColumn("会員名", 30), XColumn("入会日", 12)],
                      [["0001", "=1+2", date(2020, 4, 1)], ["0002", "株式会社多摩精機", None]])
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    check_footer_and_print_setup(sheet)
    assert sheet.title == "会員名簿" and sheet.auto_filter.ref == "A1:C3" and sheet.freeze_panes == "A2"
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == "=1+2"
    assert sheet["C2"].is_date and sheet["C2"].number_format == "yyyy/mm/dd"
    assert sheet["A1"].font.bold and sheet.column_dimensions["B"].width == 30


def test_a_table_sheet_styles_plain_values_by_column_as_cells_would():
    """row() on a table_sheet hands the values over as they are and the sheet styles them by column: the
    sheet's XML is byte for byte that of the same rows sent as styled cells."""
    import zipfile

    columns = [XColumn("名前", 20), XColumn("日付", 12, DAY), XColumn("金額", 12, "#,##0"), XColumn("式", 12, "#,##0")]
    data = [["株式会社多摩", date(2026, 4, 1), 30_000, Formula("=C2*2")], [EVIL[0], None, "", "-1"],
            [date(2026, 6, 1), datetime(2026, 6, 2, 9, 30), date(2026, 6, 3), "x"],
            ["", date(2026, 5, 1), 0, None], [None, "@x", -5, Formula("=SUM(C2:C4)")], ["a", "b", "c", "d", "extra"]]

    def book(fast: bool) -> bytes:
        workbook = new_workbook(write_only=True, created=datetime(2026, 4, 1))
        sheet = table_sheet(workbook, "台帳", columns)
        formats = [column.format for column in columns]
        for values in data[:5]:
            sheet.append(row(sheet, values, formats if fast else tuple(formats)))
        sheet.append(data[5])
        sheet.append(row(sheet, ["合計", "", 1, Formula("=1")], formats, ledger.TOTAL_FONT))
        return save(workbook)

    def cells(content: bytes) -> list[tuple]:
        sheet = load_workbook(io.BytesIO(content))["台帳"]
        return [(cell.coordinate, cell.value, cell.data_type, cell.number_format, cell.quotePrefix, cell.font.b,
                 cell.fill.fgColor.rgb) for line in sheet.iter_rows() for cell in line]

    def sheet_xml(content: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return archive.read("xl/worksheets/sheet1.xml")

    content, by_cells = book(True), book(False)
    assert cells(content) == cells(by_cells) and sheet_xml(content) == sheet_xml(by_cells)
    sheet = load_workbook(io.BytesIO(content))["台帳"]
    assert [cell.value for cell in sheet[2]][:4] == ["株式会社多摩", datetime(2026, 4, 1), 30_000, "=C2*2"]
    assert [cell.number_format for cell in sheet[2]][:4] == ["General", DAY, "#,##0", "#,##0"]
    assert sheet["A3"].value == EVIL[0] and sheet["A3"].data_type == "s" and sheet["A3"].quotePrefix
    assert sheet["D3"].value == "-1" and sheet["D3"].quotePrefix and sheet["B6"].quotePrefix
    assert sheet["A4"].number_format == "yyyy-mm-dd" and sheet["C4"].number_format == "#,##0"
    assert sheet["E7"].value == "extra" and sheet["A8"].font.bold
