"""Reading a table from CSV (UTF-8 with or without BOM, or cp932) or XLSX, and writing one.

Shared by every importer and exporter: a table is a header list plus rows of cell values.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tama_desk.errors import UserError

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")


@dataclass
class Table:
    headers: list[str]
    rows: list[list[object]]  # data rows only, blank ones left out
    line_numbers: list[int] | None = None  # each row's line in the file (what error messages name)

    def line_of(self, index: int) -> int:
        return self.line_numbers[index] if self.line_numbers else index + 2


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (BOM or not) first, then Shift_JIS as Excel on Japanese Windows saves CSV."""
    candidates = ("utf-8",) if data.startswith(b"\xef\xbb\xbf") else ("utf-8", "cp932")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError(f"{filename}: 文字コードを判別できません。UTF-8 または Shift_JIS (CP932) で保存してください")


def read_table(path: Path) -> Table:
    if not path.exists():
        raise UserError(f"ファイルが見つかりません: {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path.read_bytes(), path.name)
    raise UserError(f"{path.name}: CSV または XLSX ファイルを指定してください")


def _read_csv(data: bytes, filename: str) -> Table:
    text = decode_text(data, filename)
    reader = csv.reader(io.StringIO(text, newline=""))
    lines, numbers = [], []
    try:
        for row in reader:
            lines.append(row)
            numbers.append(reader.line_num)  # the line a row ends on: right even after multi-line cells
    except csv.Error as error:
        raise UserError(f"{filename}: {reader.line_num}行目が CSV として読めません（{error}）") from error
    return _table_from(lines, numbers, filename)


def _read_xlsx(path: Path) -> Table:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or non-Excel file
        raise UserError(f"{path.name}: Excel ファイルとして開けません（{error}）") from error
    try:
        lines = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _table_from(lines, list(range(1, len(lines) + 1)), path.name)


def _table_from(lines: list[list[object]], numbers: list[int], filename: str) -> Table:
    kept = [(line, number) for line, number in zip(lines, numbers, strict=True)
            if any(cell not in (None, "") for cell in line)]
    if not kept:
        raise UserError(f"{filename}: 見出し行がありません")
    headers = [str(cell or "").strip() for cell in kept[0][0]]
    rows = [list(line) + [None] * (len(headers) - len(line)) for line, _number in kept[1:]]
    return Table(headers, rows, [number for _line, number in kept[1:]])


def write_xlsx(sheet_title: str, headers: list[str], rows: list[list[object]], widths: list[int]) -> bytes:
    """A sheet an accountant can trust: styled frozen header, autofilter, widths, real dates."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "yyyy/mm/dd"
            elif isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                cell.data_type = "s"  # text, never a formula (CSV/Excel injection)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(headers: list[str], rows: list[list[object]], encoding: str = "utf-8-sig") -> bytes:
    """CSV for Excel: UTF-8 with BOM by default, or cp932 (characters cp932 lacks become '?')."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if cell is None else cell.isoformat() if isinstance(cell, date) else cell for cell in row])
    return buffer.getvalue().encode(encoding, errors="replace")
