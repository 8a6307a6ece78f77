"""One look for every workbook the app writes: styles, number and date formats, the header row (frozen, with
an autofilter), column widths, print setup (A4, fit to width, print titles, a footer with the page number and
the sheet name) and formula-injection guarding.

Text from the database is never run as a formula: a cell whose text begins with = + - @ or a tab / carriage
return is written as text (quote-prefixed, so Excel keeps it text when the cell is edited). A formula the app
writes itself is marked `Formula("=SUM(B2:B9)")`.

Two ways to fill a sheet:

- large tables (会費台帳, 10,000 rows): `sheet = table_sheet(workbook, title, columns)` on a
  `new_workbook(write_only=True)`, then `sheet.append(row(sheet, values, formats))` — styles are shared per
  workbook, not set cell by cell;
- forms (収支決算書): an ordinary workbook and `put(sheet, row, column, value, fmt, font=…, fill=…, border=…)`.

Either way finish with `print_setup(sheet, "1:1")` and `save(workbook)` → bytes. A new workbook (a contract's
精算, a meeting's attendance) is::

    workbook = new_workbook(write_only=True)
    sheet = table_sheet(workbook, "出欠", [XColumn("会員名", 30), XColumn("出欠", 8), XColumn("日付", 12, DAY)])
    for item in rows:
        sheet.append(row(sheet, [item.name, item.status, item.date], [None, None, DAY]))
    filter_rows(sheet, 3, len(rows) + 1)
    return save(workbook)
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.numbers import is_date_format
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tama_desk.exports.guarding import UNSAFE_PREFIXES

__all__ = [
    "AMBER_FILL", "BOLD", "BOX", "CENTER", "COUNT", "DAY", "Formula", "GRAY", "HEADER_FILL", "HEADER_FONT",
    "LABEL_FILL", "LONG_DAY", "PERCENT", "RED_FILL", "RED_FONT", "TITLE_FONT", "TOTAL_BORDER", "TOTAL_FILL",
    "TOTAL_FONT", "XColumn", "YEN", "YEN_SIGNED", "filter_rows", "guard", "header_row", "is_unsafe",
    "new_workbook", "print_setup", "put", "row", "save", "set_widths", "table_sheet", "table_xlsx",
]

# number and date formats
YEN = "#,##0"
YEN_SIGNED = '#,##0;"△"#,##0'  # a decrease printed as △, as Japanese accounts do
DAY = "yyyy/mm/dd"
LONG_DAY = 'yyyy"年"m"月"d"日"'
PERCENT = "0.0%"
COUNT = '0"件"'

# styles
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
LABEL_FILL = PatternFill("solid", fgColor="E9ECF0")
TOTAL_FILL = PatternFill("solid", fgColor="D6DCE4")
RED_FILL = PatternFill("solid", fgColor="FDE8E8")
AMBER_FILL = PatternFill("solid", fgColor="FFF4D9")
TITLE_FONT = Font(bold=True, size=14)
BOLD = TOTAL_FONT = Font(bold=True)
GRAY = Font(color="555555", size=9)
RED_FONT = Font(color="C00000")
THIN = Side(style="thin", color="8C8C8C")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_BORDER = Border(left=THIN, right=THIN, top=Side(style="double", color="000000"), bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

FOOTER_PAGES = "&P / &N"
FOOTER_SHEET = "&A"


class Formula(str):
    """A formula the app writes itself (everything else that looks like one is written as text)."""


@dataclass(frozen=True)
class XColumn:
    header: str
    width: float
    format: str | None = None


def is_unsafe(value: object) -> bool:
    """Text a spreadsheet would run as a formula (or that hides one behind a tab / carriage return)."""
    return isinstance(value, str) and not isinstance(value, Formula) and value.startswith(UNSAFE_PREFIXES)


def guard(cell, value: object) -> None:
    """Keep `value`, just written into `cell`, text when it looks like a formula (every `put` does this)."""
    if is_unsafe(value):
        cell.data_type = "s"
        cell.quotePrefix = True


# --- workbooks and sheets ---------------------------------------------------------------------------------


def new_workbook(write_only: bool = False, title: str = "", created=None) -> Workbook:
    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    workbook.properties.creator = "TAMA Desk"
    if title:
        workbook.properties.title = title
    if created is not None:
        workbook.properties.created = created
    return workbook


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def set_widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def print_setup(sheet: Worksheet, title_rows: str = "1:1", landscape: bool = True) -> None:
    """A4, fit to the page width (as many pages down as needed), the header rows on every page, centred,
    and the footer 「n / m」 with the sheet name at the right."""
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = FOOTER_PAGES
    sheet.oddFooter.right.text = FOOTER_SHEET


def filter_rows(sheet: Worksheet, column_count: int, last_row: int, header_row: int = 1) -> None:
    """An autofilter over the header and the data rows (not a totals row below them)."""
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(column_count)}{max(header_row + 1, last_row)}"


def table_sheet(workbook: Workbook, title: str, columns: Sequence[XColumn], landscape: bool = True) -> Worksheet:
    """A sheet whose first row is the styled header, frozen, with widths and print setup (write-only
    workbooks too: rows are appended after it)."""
    sheet = workbook.create_sheet(title[:31])
    set_widths(sheet, [column.width for column in columns])
    sheet.freeze_panes = "A2"
    print_setup(sheet, "1:1", landscape)
    if getattr(workbook, "write_only", False):
        _style_by_column(sheet, [column.format for column in columns])
        header = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.header)
            cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, Alignment(horizontal="center")
            header.append(cell)
        sheet.append(header)
    else:
        header_row(sheet, 1, columns)
    return sheet


def header_row(sheet: Worksheet, number: int, columns: Sequence[XColumn], height: float | None = None) -> None:
    """The styled header cells of an ordinary sheet (an empty heading leaves its cell blank)."""
    for index, column in enumerate(columns, start=1):
        if not column.header:
            continue
        cell = sheet.cell(number, index, column.header)
        cell.fill, cell.font, cell.alignment, cell.border = HEADER_FILL, HEADER_FONT, CENTER, BOX
    if height:
        sheet.row_dimensions[number].height = height


def table_xlsx(sheet_title: str, columns: Sequence[XColumn], rows: Sequence[Sequence], landscape: bool = True
               ) -> bytes:
    """A one-sheet workbook of a plain table (会員名簿, an export): the styled frozen header, an autofilter,
    widths, dates as dates, text guarded, A4 fitted to the width with the page-number and sheet-name footer."""
    workbook = new_workbook()
    sheet = table_sheet(workbook, sheet_title, columns, landscape)
    for number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            column = columns[index - 1] if index <= len(columns) else None
            fmt = column.format if column and column.format else DAY if isinstance(value, (date, datetime)) else None
            put(sheet, number, index, value, fmt)
    filter_rows(sheet, len(columns), len(rows) + 1)
    return save(workbook)


# --- cells --------------------------------------------------------------------------------------------------


def put(sheet: Worksheet, row_number: int, column: int, value, fmt: str | None = None, font: Font | None = None,
        fill: PatternFill | None = None, border: Border | None = None):
    """One cell of an ordinary sheet, guarded against formula injection; returns it."""
    cell = sheet.cell(row_number, column, value)
    guard(cell, value)
    if fmt:
        cell.number_format = fmt
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if border:
        cell.border = border
    return cell


_TIMES = (date, datetime, time, timedelta)


class _ColumnStyled(list):
    """A row of plain values for a table sheet to style by column (see _style_by_column)."""


def _style_by_column(sheet, formats: list[str | None]) -> None:
    """Let a write-only table sheet style plain values by their column, as row() would: one reusable cell
    per (format, quoted) instead of a new cell per value, and no exception per cell (openpyxl's own
    conversion tries a value as a cell value first). Cells appended as cells are written as they are."""
    plain = WriteOnlyCell(sheet)
    styled: dict[tuple[str | None, bool], WriteOnlyCell] = {}
    sheet.__dict__["_tama_formats"] = formats
    openpyxl_values_to_row = sheet._values_to_row

    def values_to_row(values, row_index):
        if type(values) is not _ColumnStyled:  # appended by other code: as openpyxl does
            yield from openpyxl_values_to_row(values, row_index)
            return
        for column, (value, fmt) in enumerate(zip(values, formats, strict=True), 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                quoted = is_unsafe(value)
                if isinstance(value, _TIMES) and not (fmt and is_date_format(fmt)):
                    cell = WriteOnlyCell(sheet, value=value)  # a date sets its own format: a cell of its own
                    if fmt is not None:
                        cell._style = _style_for(sheet, fmt, None, quoted)
                    yield _at(cell, column, row_index)
                    continue
                if quoted or (fmt is not None and value != ""):
                    cell = styled.get((fmt, quoted))
                    if cell is None:
                        cell = styled[fmt, quoted] = WriteOnlyCell(sheet)
                        cell._style = _style_for(sheet, fmt, None, quoted)
                else:
                    cell = plain
                cell.value = value
                if quoted:
                    cell.data_type = "s"
            yield _at(cell, column, row_index)  # written before the next one: one cell serves a column

    sheet._values_to_row = values_to_row


def _at(cell: Cell, column: int, row_index: int) -> Cell:
    cell.column, cell.row = column, row_index
    return cell


def row(sheet: Worksheet, values: Sequence, formats: Sequence[str | None], font: Font | None = None) -> list:
    """A row for a write-only sheet: plain values where no style is needed; formatted cells share one style
    per (format, bold) per workbook (setting number_format cell by cell costs more than writing the cell).
    On a table_sheet with these column formats the values go as they are (the sheet styles them)."""
    if font is None and sheet.__dict__.get("_tama_formats") == formats:
        return _ColumnStyled(values)
    cells = []
    for value, fmt in zip(values, formats, strict=True):
        unsafe = is_unsafe(value)
        if (fmt is None or value is None or value == "") and font is None and not unsafe:
            cells.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        cell._style = _style_for(sheet, fmt, font, unsafe)  # shared, never changed: the writer only reads it
        if unsafe:
            cell.data_type = "s"
        cells.append(cell)
    return cells


def _style_for(sheet: Worksheet, fmt: str | None, font: Font | None, quoted: bool):
    """One style array per (format, bold, quoted) per workbook; kept on the workbook (format ids are its own)."""
    cache = sheet.parent.__dict__.setdefault("_tama_styles", {})
    key = (fmt, font is not None, quoted)
    if key not in cache:
        template = WriteOnlyCell(sheet)
        if fmt:
            template.number_format = fmt
        if font:
            template.font = font
        if quoted:
            template.quotePrefix = True
        cache[key] = template._style
    return cache[key]
