"""Excel for the accountant: 会費台帳, aging (売掛金年齢) and payments, with live total formulas.

Plain data in, bytes out: the rows come from the services (`fees.ledger_rows`, `payments.aging`,
`payments.list_payments`) and the code → label lists from the caller, so this module knows no service.
Written with openpyxl's write-only mode (fast for 10,000 rows) through `exports.xlsx` (one style, print setup
with page-number and sheet-name footer, formula-injection guarding). Totals use SUBTOTAL, so an autofilter
shows the total of what is visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from openpyxl.utils import get_column_letter

from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.exports.tables import write_csv
from tama_desk.exports.xlsx import (
    DAY,
    TOTAL_FONT,
    YEN,
    Formula,
    XColumn,
    filter_rows,
    new_workbook,
    row,
    save,
    table_sheet,
)

LEDGER_COLUMNS = [
    XColumn("会員番号", 10), XColumn("会員名", 34), XColumn("会員種別", 11), XColumn("請求書番号", 13),
    XColumn("発行日", 12, DAY), XColumn("請求額", 12, YEN), XColumn("税区分", 9), XColumn("返還額", 11, YEN),
    XColumn("入金額", 12, YEN), XColumn("入金日", 12, DAY), XColumn("残高", 12, YEN), XColumn("状態", 9),
    XColumn("手数料差引", 11, YEN),  # settled without money (支払手数料): never owed
]


def _formats(columns: Sequence[XColumn]) -> list[str | None]:
    return [column.format for column in columns]


def _ledger_values(item, status_labels: Mapping[str, str]) -> list:
    """`item`: a services.fees.LedgerRow (member_number, member_name, type_name, invoice_number, issue_date,
    billed, tax_category, credited, paid, last_paid_on, status, written_off). 手数料差引 is settled, never owed."""
    written_off = getattr(item, "written_off", 0)
    return [item.member_number, item.member_name, item.type_name, item.invoice_number, item.issue_date, item.billed,
            TAX_CATEGORIES.get(item.tax_category, item.tax_category), item.credited, item.paid, item.last_paid_on,
            item.billed - item.credited - item.paid - written_off if item.status != "cancelled" else 0,
            status_labels.get(item.status, item.status), written_off]


def ledger_xlsx(rows: Sequence, year: int, status_labels: Mapping[str, str]) -> bytes:
    """会費台帳: balance per line is a formula (請求額 − 返還額 − 入金額 − 手数料差引); totals sum with SUBTOTAL."""
    workbook = new_workbook(write_only=True)
    sheet = table_sheet(workbook, f"{year}年度 会費台帳", LEDGER_COLUMNS)
    formats = _formats(LEDGER_COLUMNS)
    cancelled = status_labels.get("cancelled", "cancelled")
    for index, item in enumerate(rows, start=2):
        values = _ledger_values(item, status_labels)
        values[10] = Formula(f"=IF(L{index}=\"{cancelled}\",0,F{index}-H{index}-I{index}-M{index})")
        sheet.append(row(sheet, values, formats))
    last = len(rows) + 1
    filter_rows(sheet, len(LEDGER_COLUMNS), last)
    n = len(rows)
    totals = ["合計", "", "", f"{n} 件", "", _total(f"=SUBTOTAL(9,F2:F{last})", n), "",
              _total(f"=SUBTOTAL(9,H2:H{last})", n), _total(f"=SUBTOTAL(9,I2:I{last})", n), "",
              _total(f"=SUBTOTAL(9,K2:K{last})", n), "", _total(f"=SUBTOTAL(9,M2:M{last})", n)]
    sheet.append(row(sheet, totals, formats, TOTAL_FONT))
    return save(workbook)


def ledger_csv(rows: Iterable, status_labels: Mapping[str, str], encoding: str = "cp932") -> bytes:
    return write_csv([column.header for column in LEDGER_COLUMNS],
                     [_ledger_values(item, status_labels) for item in rows], encoding)


# (code, heading, first day past due, last day): day 0, the due date itself, is still 期限内
AGING_BUCKETS = (("not_due", "期限内", None, 0), ("1-30", "1〜30日", 1, 30), ("31-60", "31〜60日", 31, 60),
                 ("61-90", "61〜90日", 61, 90), ("90+", "90日超", 91, None))
AGING_COLUMNS = [XColumn("請求書番号", 13), XColumn("会員番号", 10), XColumn("請求先", 34), XColumn("発行日", 12, DAY),
                 XColumn("支払期限", 12, DAY), XColumn("経過日数", 9, "0"), XColumn("未入金額", 13, YEN),
                 *[XColumn(heading, 12, YEN) for _code, heading, _first, _last in AGING_BUCKETS]]


def aging_bucket(days_past_due: int) -> str:
    """The heading of the aging column an invoice `days_past_due` days after its due date falls in."""
    for _code, heading, _first, last in AGING_BUCKETS:
        if last is None or days_past_due <= last:
            return heading
    raise AssertionError("unreachable")


def _aging_values(item) -> list:
    """`item`: a services.payments.AgingRow (number, member_number, name, issue_date, due_date, open,
    days_past_due)."""
    bucket = aging_bucket(item.days_past_due)
    return [item.number, item.member_number, item.name, item.issue_date, item.due_date, max(0, item.days_past_due),
            item.open, *[item.open if heading == bucket else None for _c, heading, _f, _l in AGING_BUCKETS]]


def aging_xlsx(rows: Sequence, as_of: date) -> bytes:
    """One row per open invoice: the open amount, and again in the column of its lateness; totals by
    SUBTOTAL (they follow the filter)."""
    workbook = new_workbook(write_only=True)
    sheet = table_sheet(workbook, f"売掛金年齢 {as_of:%Y-%m-%d}", AGING_COLUMNS)
    formats = _formats(AGING_COLUMNS)
    for item in rows:
        sheet.append(row(sheet, _aging_values(item), formats))
    last = len(rows) + 1
    filter_rows(sheet, len(AGING_COLUMNS), last)
    letters = [get_column_letter(7 + index) for index in range(1 + len(AGING_BUCKETS))]
    sheet.append(row(sheet, ["合計", "", f"{len(rows)} 件", "", "", "",
                             *[_total(f"=SUBTOTAL(9,{c}2:{c}{last})", len(rows)) for c in letters]], formats,
                     TOTAL_FONT))
    return save(workbook)


AGING_CSV_HEADERS = ["請求書番号", "会員番号", "請求先", "発行日", "支払期限", "経過日数", "区分", "未入金額"]


def aging_csv(rows: Iterable, encoding: str = "cp932") -> bytes:
    """One line per open invoice with its lateness in days (negative: not yet due) and its bucket."""
    return write_csv(AGING_CSV_HEADERS, [[item.number, item.member_number, item.name, item.issue_date, item.due_date,
                                          item.days_past_due, aging_bucket(item.days_past_due), item.open]
                                         for item in rows], encoding)


PAYMENT_COLUMNS = [XColumn("入金日", 12, DAY), XColumn("会員番号", 10), XColumn("会員名", 30), XColumn("振込名義", 26),
                   XColumn("方法", 9), XColumn("入金額", 12, YEN), XColumn("消込額", 12, YEN),
                   XColumn("未消込（預り）", 13, YEN), XColumn("消込先", 30), XColumn("取消", 20)]


def _payment_values(payment, number: str, name: str, settled, methods: Mapping[str, str]) -> list:
    allocated = sum(amount for _n, amount in settled)
    return [payment.received_on, number, name, payment.payer_name, methods.get(payment.method, payment.method),
            payment.amount, allocated, 0 if payment.reversed else payment.amount - allocated,
            "、".join(f"{n} {a:,}円" for n, a in settled),
            f"取消: {payment.reversal_reason}" if payment.reversed else ""]


def payments_xlsx(rows: Sequence[tuple], as_of: date, methods: Mapping[str, str]) -> bytes:
    """rows: PaymentRow (payment, member number, member name, ((invoice number, amount), …)); `methods` the
    labels of the payment methods."""
    workbook = new_workbook(write_only=True)
    sheet = table_sheet(workbook, f"入金一覧 {as_of:%Y-%m-%d}", PAYMENT_COLUMNS)
    formats = _formats(PAYMENT_COLUMNS)
    for index, (payment, number, name, settled) in enumerate(rows, start=2):
        values = _payment_values(payment, number, name, settled, methods)
        values[7] = Formula(f"=IF(J{index}=\"\",F{index}-G{index},0)")
        sheet.append(row(sheet, values, formats))
    last = len(rows) + 1
    filter_rows(sheet, len(PAYMENT_COLUMNS), last)
    n = len(rows)
    sheet.append(row(sheet, ["合計", "", f"{n} 件", "", "", _total(f"=SUMIF(J2:J{last},\"\",F2:F{last})", n),
                             _total(f"=SUMIF(J2:J{last},\"\",G2:G{last})", n), _total(f"=SUM(H2:H{last})", n),
                             "", ""], formats, TOTAL_FONT))
    return save(workbook)


def payments_csv(rows: Sequence[tuple], methods: Mapping[str, str], encoding: str = "cp932") -> bytes:
    return write_csv([column.header for column in PAYMENT_COLUMNS],
                     [_payment_values(payment, number, name, settled, methods)
                      for payment, number, name, settled in rows], encoding)


def _total(formula: str, row_count: int) -> Formula | int:
    """A totals formula over the data rows; 0 when there are none (the range would include the total itself)."""
    return Formula(formula) if row_count else 0
