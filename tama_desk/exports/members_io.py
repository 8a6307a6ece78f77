"""Member import and export files. The column names are a contract other offices rely on.

Exports take member-like objects (number, name, … `primary_contact`, `membership_type.name`); no database here.
"""

from __future__ import annotations

from typing import Any

from tama_desk.domain.choices import MEMBER_CATEGORIES, MEMBER_STATUSES
from tama_desk.exports.tables import Column, TableSpec, format_for

SPEC = TableSpec("会員名簿", [
    Column("number", "会員番号", "Member No", width=10),
    Column("name", "会員名", "Name", required=True, width=34),
    Column("kana", "フリガナ", "Kana", required=True, width=30),
    Column("category", "会員区分", "Category", required=True, width=14),
    Column("membership_type", "会員種別", "Membership Type", required=True, width=12),
    Column("corporate_number", "法人番号", "Corporate Number", width=16),
    Column("registration_number", "登録番号", "Registration Number", width=17),
    Column("postal_code", "郵便番号", "Postal Code", width=10),
    Column("address", "住所", "Address", width=40),
    Column("phone", "電話番号", "Phone", width=15),
    Column("email", "メール", "Email", width=28),
    Column("contact.name", "担当者", "Contact", width=14),
    Column("contact.department", "部署", "Department", width=16),
    Column("join_date", "入会日", "Join Date", width=12),
    Column("payer_name", "振込名義", "Payer Name", width=26),
    Column("status", "状態", "Status", width=8),
    Column("withdrawal_date", "退会日", "Withdrawal Date", width=12),
    Column("withdrawal_reason", "退会理由", "Withdrawal Reason", width=20),
    Column("notes", "備考", "Notes", width=30),
])
COLUMNS = list(SPEC.columns)


def _cells(member: Any) -> list[object]:
    contact = member.primary_contact
    values = {
        "category": MEMBER_CATEGORIES.get(member.category, member.category),
        "membership_type": member.membership_type.name,
        "status": MEMBER_STATUSES.get(member.status, member.status),
        "contact.name": contact.name if contact else "",
        "contact.department": contact.department if contact else "",
    }
    return [values[c.key] if c.key in values else getattr(member, c.key) for c in COLUMNS]


def export_bytes(members: list[Any], file_format: str) -> bytes:
    """`xlsx`, `csv` (UTF-8 with BOM) or `csv-cp932`."""
    return SPEC.export([_cells(member) for member in members], file_format)


def cells(members: list[Any]) -> list[list[object]]:
    """The rows export_bytes writes, one value per column."""
    return [_cells(member) for member in members]


def template_bytes(file_format: str = "xlsx") -> bytes:
    return export_bytes([], file_format)


__all__ = ["COLUMNS", "SPEC", "export_bytes", "format_for", "template_bytes"]
