"""Excel for the accountant: 会費台帳, aging (売掛金年齢) and payments, with live total formulas.

Written with openpyxl's write-only mode (fast for 10,000 rows); styles are shared objects, not per cell.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.exports.tables import write_csv
from tama_desk.services.fees import LedgerRow
from tama_desk.services.invoices import STATUS_LABELS
from tama_desk.services.payments import AGING_BUCKETS, METHODS, AgingRow

YEN = "#,##0"
DAY = "yyyy/mm/dd"
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FONT = Font(bold=True)

LEDGER_COLUMNS = [  # header, width, number format
    ("会員番号", 10, None), ("会員名", 34, None), ("会員種別", 11, None), ("請求書番号", 13, None),
    ("発行日", 12, DAY), ("請求額", 12, YEN), ("税区分", 9, None), ("返還額", 11, YEN), ("入金額", 12, YEN),
    ("入金日", 12, DAY), ("残高", 12, YEN), ("状態", 9, None),
]


def _ledger_values(row: LedgerRow) -> list:
    return [row.member_number, row.member_name, row.type_name, row.invoice_number, row.issue_date, row.billed,
            TAX_CATEGORIES.get(row.tax_category, row.tax_category), row.credited, row.paid, row.last_paid_on,
            row.billed - row.credited - row.paid if row.status != "cancelled" else 0, STATUS_LABELS[row.status]]


def ledger_xlsx(rows: Sequence[LedgerRow], year: int) -> bytes:
    """会費台帳: balance per line is a formula (請求額 − 返還額 − 入金額); the totals row sums with SUBTOTAL so
    an autofilter shows the total of what is visible."""
    workbook, sheet = _sheet(f"{year}年度 会費台帳", LEDGER_COLUMNS)
    formats = [fmt for _h, _w, fmt in LEDGER_COLUMNS]
    for index, row in enumerate(rows, start=2):
        values = _ledger_values(row)
        values[10] = f"=IF(L{index}=\"取消\",0,F{index}-H{index}-I{index})"
        sheet.append(_cells(sheet, values, formats))
    last = len(rows) + 1
    _filter_rows(sheet, LEDGER_COLUMNS, last)
    n = len(rows)
    totals = ["合計", "", "", f"{n} 件", "", _total(f"=SUBTOTAL(9,F2:F{last})", n), "",
              _total(f"=SUBTOTAL(9,H2:H{last})", n), _total(f"=SUBTOTAL(9,I2:I{last})", n), "",
              _total(f"=SUBTOTAL(9,K2:K{last})", n), ""]
    sheet.append(_cells(sheet, totals, formats, TOTAL_FONT))
    return _save(workbook)


def ledger_csv(rows: Iterable[LedgerRow], encoding: str = "cp932") -> bytes:
    return write_csv([h for h, _w, _f in LEDGER_COLUMNS], [_ledger_values(row) for row in rows], encoding)


AGING_COLUMNS = [("請求書番号", 13, None), ("会員番号", 10, None), ("請求先", 34, None), ("発行日", 12, DAY),
                 ("支払期限", 12, DAY), ("経過日数", 9, "0"), *[(label, 12, YEN) for _code, label in AGING_BUCKETS]]


def aging_xlsx(rows: Sequence[AgingRow], as_of: date) -> bytes:
    """One row per open invoice, the open amount in the column of its bucket, column totals as formulas."""
    workbook, sheet = _sheet(f"売掛金年齢 {as_of:%Y-%m-%d}", AGING_COLUMNS)
    formats = [fmt for _h, _w, fmt in AGING_COLUMNS]
    codes = [code for code, _label in AGING_BUCKETS]
    for row in rows:
        amounts = [row.open if code == row.bucket else None for code in codes]
        sheet.append(_cells(sheet, [row.number, row.member_number, row.name, row.issue_date, row.due_date,
                                    max(0, row.days_past_due), *amounts], formats))
    last = len(rows) + 1
    _filter_rows(sheet, AGING_COLUMNS, last)
    letters = [get_column_letter(7 + i) for i in range(len(codes))]
    sheet.append(_cells(sheet, ["合計", "", f"{len(rows)} 件", "", "", "",
                                *[_total(f"=SUM({c}2:{c}{last})", len(rows)) for c in letters]], formats,
                        TOTAL_FONT))
    return _save(workbook)


PAYMENT_COLUMNS = [("入金日", 12, DAY), ("会員番号", 10, None), ("会員名", 30, None), ("振込名義", 26, None),
                   ("方法", 9, None), ("入金額", 12, YEN), ("消込額", 12, YEN), ("未消込（預り）", 13, YEN),
                   ("消込先", 30, None), ("取消", 20, None)]


def payments_xlsx(rows: Sequence[tuple], as_of: date) -> bytes:
    """rows: PaymentRow (payment, member number, member name, ((invoice number, amount), …))."""
    workbook, sheet = _sheet(f"入金一覧 {as_of:%Y-%m-%d}", PAYMENT_COLUMNS)
    formats = [fmt for _h, _w, fmt in PAYMENT_COLUMNS]
    for index, (payment, number, name, settled) in enumerate(rows, start=2):
        allocated = sum(amount for _n, amount in settled)
        sheet.append(_cells(sheet, [
            payment.received_on, number, name, payment.payer_name, METHODS.get(payment.method, payment.method),
            payment.amount, allocated, f"=IF(J{index}=\"\",F{index}-G{index},0)",
            "、".join(f"{n} {a:,}円" for n, a in settled),
            f"取消: {payment.reversal_reason}" if payment.reversed else ""], formats))
    last = len(rows) + 1
    _filter_rows(sheet, PAYMENT_COLUMNS, last)
    n = len(rows)
    sheet.append(_cells(sheet, ["合計", "", f"{n} 件", "", "", _total(f"=SUMIF(J2:J{last},\"\",F2:F{last})", n),
                                _total(f"=SUMIF(J2:J{last},\"\",G2:G{last})", n), _total(f"=SUM(H2:H{last})", n),
                                "", ""], formats, TOTAL_FONT))
    return _save(workbook)


def payments_csv(rows: Sequence[tuple], encoding: str = "cp932") -> bytes:
    headers = [header for header, _w, _f in PAYMENT_COLUMNS]
    lines = []
    for payment, number, name, settled in rows:
        allocated = sum(amount for _n, amount in settled)
        lines.append([payment.received_on, number, name, payment.payer_name, METHODS.get(payment.method, payment.method),
                      payment.amount, allocated, 0 if payment.reversed else payment.amount - allocated,
                      "、".join(f"{n} {a:,}円" for n, a in settled),
                      f"取消: {payment.reversal_reason}" if payment.reversed else ""])
    return write_csv(headers, lines, encoding)


def _total(formula: str, row_count: int) -> str | int:
    """A totals formula over the data rows; 0 when there are none (the range would include the total itself)."""
    return formula if row_count else 0


def _sheet(title: str, columns) -> tuple[Workbook, Worksheet]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, (_header, width, _fmt) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    header = []
    for text, _width, _fmt in columns:
        cell = WriteOnlyCell(sheet, value=text)
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, Alignment(horizontal="center")
        header.append(cell)
    sheet.append(header)
    return workbook, sheet


def _filter_rows(sheet: Worksheet, columns, last_row: int) -> None:
    """Autofilter over the header and data rows (not the totals row below them)."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(2, last_row)}"


def _cells(sheet: Worksheet, values: list, formats: list, font: Font | None = None) -> list:
    """Plain values where no format is needed; formatted cells share one style array per format (setting
    number_format cell by cell costs more than writing the cell)."""
    row = []
    for value, fmt in zip(values, formats, strict=True):
        if (fmt is None or value is None or value == "") and font is None:
            row.append(value)
            continue
        cell = WriteOnlyCell(sheet, value=value)
        cell._style = _style_for(sheet, fmt, font)  # shared, never changed: the writer only reads it
        row.append(cell)
    return row


def _style_for(sheet: Worksheet, fmt: str | None, font: Font | None):
    """One style array per (format, bold) per workbook; kept on the workbook because format ids are its own."""
    cache = sheet.parent.__dict__.setdefault("_tama_styles", {})
    key = (fmt, font is not None)
    if key not in cache:
        template = WriteOnlyCell(sheet)
        if fmt:
            template.number_format = fmt
        if font:
            template.font = font
        cache[key] = template._style
    return cache[key]


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
