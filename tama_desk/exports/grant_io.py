"""Grant expenditure files (経費支出一覧): the accountant's CSV/XLSX in, the same columns out."""

from __future__ import annotations

import unicodedata

from tama_desk.db.models import Expenditure
from tama_desk.errors import ProblemList
from tama_desk.exports.tables import Table, write_csv, write_xlsx

COLUMNS = [  # field, Japanese header (as exported), English header, width
    ("voucher_number", "証ひょう番号", "Voucher No", 12),
    ("category", "費目", "Category", 12),
    ("contract_date", "契約日", "Contract Date", 12),
    ("payment_date", "支払日", "Payment Date", 12),
    ("payee", "支払先", "Payee", 28),
    ("description", "内容", "Description", 36),
    ("amount", "支出額（税込）", "Amount", 14),
    ("tax", "消費税", "Tax", 11),
    ("eligible_amount", "補助対象額", "Eligible Amount", 13),
    ("ineligible_reason", "対象外理由", "Ineligible Reason", 24),
]
REQUIRED = ("voucher_number", "category", "payment_date", "payee", "amount")


def _fold(header: str) -> str:
    """Brackets full- or half-width, spaces and case do not matter: 支出額(税込) = 支出額（税込）."""
    return unicodedata.normalize("NFKC", header).replace(" ", "").casefold()


def rows_from_table(table: Table) -> list[tuple[int, dict[str, object]]]:
    known = {}
    for field, japanese, english, _width in COLUMNS:
        known[_fold(japanese)] = field
        known[_fold(english)] = field
    problems = ProblemList()
    keys = []
    for index, header in enumerate(table.headers, start=1):
        key = known.get(_fold(header)) if header else None
        if header and key is None:
            problems.add(f"知らない列名です（{index}列目）。使える列: " + "、".join(c[1] for c in COLUMNS), header, 1)
        keys.append(key)
    for field, japanese, *_ in COLUMNS:
        if field in REQUIRED and field not in keys:
            problems.add("必須の列がありません", japanese, 1)
    problems.raise_if_any("ファイルの見出し行に問題があります。何も取り込んでいません。")
    return [(table.line_of(offset), {key: cell for key, cell in zip(keys, cells, strict=False) if key})
            for offset, cells in enumerate(table.rows)]


def _values(expenditure: Expenditure) -> list[object]:
    return [getattr(expenditure, field) for field, *_ in COLUMNS]


def export_bytes(expenditures: list[Expenditure], file_format: str) -> bytes:
    headers = [japanese for _f, japanese, _e, _w in COLUMNS]
    rows = [_values(expenditure) for expenditure in expenditures]
    if file_format == "xlsx":
        return write_xlsx("経費支出一覧", headers, rows, [width for *_rest, width in COLUMNS])
    return write_csv(headers, rows, "cp932" if file_format == "csv-cp932" else "utf-8-sig")
