"""Grant expenditure files (経費支出一覧): the accountant's CSV/XLSX in, the same columns out."""

from __future__ import annotations

from typing import Any

from tama_desk.domain.dates import parse_date
from tama_desk.domain.money import parse_yen
from tama_desk.exports.tables import Column, TableSpec

SPEC = TableSpec("経費支出一覧", [
    Column("voucher_number", "証ひょう番号", "Voucher No", required=True, width=12),
    Column("category", "費目", "Category", required=True, width=12),
    Column("contract_date", "契約日", "Contract Date", parse=parse_date, width=12),
    Column("payment_date", "支払日", "Payment Date", required=True, parse=parse_date, width=12),
    Column("payee", "支払先", "Payee", required=True, width=28),
    Column("description", "内容", "Description", width=36),
    Column("amount", "支出額（税込）", "Amount", required=True, parse=parse_yen, width=14),
    Column("tax", "消費税", "Tax", parse=parse_yen, width=11),
    Column("eligible_amount", "補助対象額", "Eligible Amount", parse=parse_yen, width=13),
    Column("ineligible_reason", "対象外理由", "Ineligible Reason", width=24),
])
COLUMNS = list(SPEC.columns)


def export_bytes(expenditures: list[Any], file_format: str) -> bytes:
    """`xlsx`, `csv` or `csv-cp932`; expenditures are objects (or rows) with the spec's attributes."""
    rows = [[getattr(expenditure, column.key) for column in COLUMNS] for expenditure in expenditures]
    return SPEC.export(rows, file_format)
