"""Excel/CSV of the 委託事業 area: the 委託事業一覧 of a fiscal year (live formulas and totals) and the 収支報告
of one contract. Data in (domain.contract_documents), bytes out."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tama_desk.domain.choices import TAX_CATEGORIES
from tama_desk.domain.contract_documents import AmendmentLine, BalanceReport, RegisterRow
from tama_desk.domain.contracts import PAYMENT_TERMS, STATUSES
from tama_desk.domain.tax import RATES
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

COLUMNS = [  # key, header, width, number format
    ("client", "取引先", 18, None), ("title", "件名", 36, None), ("number", "契約番号", 14, None),
    ("payment_terms", "支払条件", 10, None), ("tax_category", "税区分", 9, None), ("period_start", "期間開始", 11, DAY),
    ("period_end", "期間終了", 11, DAY), ("original", "当初契約金額", 13, YEN), ("amount", "契約金額", 13, YEN),
    ("final_amount", "確定額", 13, YEN), ("invoiced", "請求済", 13, YEN), ("paid", "入金済", 13, YEN),
    ("open", "未収", 13, YEN), ("cost", "原価（税抜）", 13, YEN), ("margin", "粗利", 13, YEN), ("status", "状態", 10, None),
    ("amendments", "変更契約", 60, None),
]
LETTER = {key: get_column_letter(index) for index, (key, *_rest) in enumerate(COLUMNS, start=1)}
TOTALLED = ("original", "amount", "final_amount", "invoiced", "paid", "open", "cost", "margin")
AMENDMENT_COLUMNS = [
    ("client", "取引先", 18, None), ("title", "件名", 36, None), ("number", "回", 6, None), ("date", "変更契約日", 11, DAY),
    ("before", "変更前の契約金額", 14, YEN), ("after", "変更後の契約金額", 14, YEN), ("change", "増減", 13, YEN),
    ("period_before", "変更前の履行期間", 24, None), ("period_after", "変更後の履行期間", 24, None),
    ("reason", "理由", 30, None), ("milestones", "履行段階の変更", 60, None),
]
WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(workbook, title: str, columns):
    """A table sheet of exports.xlsx (styled frozen header, widths, A4 print setup)."""
    return table_sheet(workbook, title, [XColumn(header, width, fmt) for _key, header, width, fmt in columns])


def _row(sheet, number: int, values: Sequence, columns, font: Font | None = None) -> None:
    """One row, each cell in its column's format, text guarded (exports.xlsx.put)."""
    for index, (value, (_key, _header, _width, fmt)) in enumerate(zip(values, columns, strict=True), start=1):
        put(sheet, number, index, value, fmt, font)


def _rate_percent(tax_category: str) -> int:
    return int(RATES[tax_category] * 100)


def _register_values(row: RegisterRow, sep: str) -> dict[str, object]:
    contract = row.contract
    return {"client": contract.client, "title": contract.title, "number": contract.number,
            "payment_terms": PAYMENT_TERMS[contract.payment_terms], "tax_category": TAX_CATEGORIES[contract.tax_category],
            "period_start": contract.period_start, "period_end": contract.period_end, "original": row.original_amount,
            "amount": contract.amount, "final_amount": contract.final_amount, "invoiced": contract.invoiced,
            "paid": contract.paid, "open": contract.invoiced - contract.paid, "cost": contract.cost,
            "margin": contract.margin, "status": STATUSES[contract.status],
            "amendments": sep.join(amendment.summary() for amendment in row.amendments)}


def register_xlsx(rows: Sequence[RegisterRow], fiscal_year: int) -> bytes:
    """One row per contract, with its tax category, its amount before the first 変更契約 and every 変更契約 in
    one cell; a second sheet 変更契約 lists them one per row. 未収 = 請求済 − 入金済 and 粗利 = (確定額, else
    契約金額) tax excluded − 原価 are formulas (tax excluded = amount − ROUNDDOWN(amount × rate / (100 + rate)), the
    rate of the row's 税区分); the totals row is SUBTOTAL, so a filter shows the total of what is visible."""
    workbook = new_workbook()
    sheet = _sheet(workbook, f"{fiscal_year}年度 委託事業一覧", COLUMNS)
    c = LETTER
    for line, row in enumerate(rows, start=2):
        billable = f"IF({c['final_amount']}{line}=\"\",{c['amount']}{line},{c['final_amount']}{line})"
        rate = _rate_percent(row.contract.tax_category)
        net = f"{billable}-ROUNDDOWN({billable}*{rate}/{100 + rate},0)" if rate else billable
        values = _register_values(row, "\n")
        values["open"] = Formula(f"={c['invoiced']}{line}-{c['paid']}{line}")
        values["margin"] = Formula(f"={net}-{c['cost']}{line}")
        _row(sheet, line, [values[key] for key, *_rest in COLUMNS], COLUMNS)
        sheet[f"{c['amendments']}{line}"].alignment = WRAP
    last = len(rows) + 1
    filter_rows(sheet, len(COLUMNS), last)
    totals: dict[str, object] = {"client": "合計", "title": f"{len(rows)} 件"}
    for key in TOTALLED:
        totals[key] = Formula(f"=SUBTOTAL(9,{c[key]}2:{c[key]}{last})") if rows else 0
    _row(sheet, last + 1, [totals.get(key, "") for key, *_rest in COLUMNS], COLUMNS, BOLD)
    _amendment_sheet(workbook, [(row.contract.client, row.contract.title, row.amendments) for row in rows])
    return save(workbook)


def _amendment_sheet(workbook, contracts: Sequence[tuple[str, str, Sequence[AmendmentLine]]]) -> None:
    """変更契約: one row per amendment of each (client, title, amendments) (増減 a formula)."""
    sheet = _sheet(workbook, "変更契約", AMENDMENT_COLUMNS)
    line = 1
    for client, title, amendments in contracts:
        for amendment in amendments:
            line += 1
            _row(sheet, line, [client, title, f"第{amendment.number}回", amendment.amended_on,
                               amendment.amount_before, amendment.amount_after, Formula(f"=F{line}-E{line}"),
                               f"{amendment.period_start_before:%Y-%m-%d}〜{amendment.period_end_before:%Y-%m-%d}",
                               f"{amendment.period_start_after:%Y-%m-%d}〜{amendment.period_end_after:%Y-%m-%d}",
                               amendment.reason, "\n".join(amendment.changes)], AMENDMENT_COLUMNS)
    if line == 1:
        put(sheet, 2, 1, "（変更契約はありません）")


def register_csv(rows: Sequence[RegisterRow], encoding: str = "cp932") -> bytes:
    """The same columns with computed values (CSV has no formulas; the 変更契約 of a contract joined by " / "),
    Shift_JIS for Excel on Windows (text guarded by write_csv)."""
    lines = []
    for row in rows:
        values = _register_values(row, " / ")
        values["final_amount"] = "" if row.contract.final_amount is None else row.contract.final_amount
        lines.append([values[key] for key, *_rest in COLUMNS])
    return write_csv([header for _key, header, _w, _f in COLUMNS], lines, encoding)


REPORT_COLUMNS = [("kind", "区分", 22, None), ("category", "費目", 18, None), ("amount", "金額（税抜）", 15, YEN),
                  ("share", "構成比", 10, PERCENT)]
DETAIL_COLUMNS = [("voucher", "証ひょう番号", 14, None), ("date", "支払日", 11, DAY), ("category", "費目", 14, None),
                  ("payee", "支払先", 30, None), ("description", "内容", 34, None), ("amount", "支出額（税込）", 14, YEN),
                  ("tax", "消費税", 11, YEN), ("net", "税抜", 13, YEN)]


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
    put(sheet, 2, 1, f"契約金額 {contract.amount:,}円（{contract.tax_category}）／確定額 " + (
        f"{contract.final_amount:,}円" if contract.final_amount is not None else "未確定"))
    if contract.amendments:
        last = contract.amendments[-1]
        put(sheet, 3, 1, f"変更契約 {len(contract.amendments)}回（最終 {last.amended_on:%Y-%m-%d}）／当初契約金額 "
                         f"{contract.original_amount:,}円（明細は「変更契約」シート）")
    else:
        put(sheet, 3, 1, "変更契約なし")

    def share(row: int) -> Formula:
        return Formula(f"=IF(C$5=0,\"\",C{row}/C$5)")

    row = 5
    _row(sheet, row, ["収入 委託料（税抜）", None, report.revenue_net, share(row)], REPORT_COLUMNS, BOLD)
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
    if contract.amendments:
        _amendment_sheet(workbook, [(contract.client, contract.title, contract.amendments)])
    return save(workbook)
