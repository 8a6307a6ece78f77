"""Member import and export files. The column names are a contract other offices rely on."""

from __future__ import annotations

from dataclasses import dataclass

from tama_desk.db.models import Member
from tama_desk.domain.choices import MEMBER_CATEGORIES, MEMBER_STATUSES
from tama_desk.errors import ProblemList, UserError
from tama_desk.exports.tables import Table, write_csv, write_xlsx


@dataclass(frozen=True)
class Column:
    key: str  # a member field, or "contact.<field>" for the primary contact
    header: str  # Japanese header, as exported
    english: str  # accepted on import as well
    width: int


COLUMNS: list[Column] = [
    Column("number", "会員番号", "Member No", 10),
    Column("name", "会員名", "Name", 34),
    Column("kana", "フリガナ", "Kana", 30),
    Column("category", "会員区分", "Category", 14),
    Column("membership_type", "会員種別", "Membership Type", 12),
    Column("corporate_number", "法人番号", "Corporate Number", 16),
    Column("registration_number", "登録番号", "Registration Number", 17),
    Column("postal_code", "郵便番号", "Postal Code", 10),
    Column("address", "住所", "Address", 40),
    Column("phone", "電話番号", "Phone", 15),
    Column("email", "メール", "Email", 28),
    Column("contact.name", "担当者", "Contact", 14),
    Column("contact.department", "部署", "Department", 16),
    Column("join_date", "入会日", "Join Date", 12),
    Column("payer_name", "振込名義", "Payer Name", 26),
    Column("status", "状態", "Status", 8),
    Column("withdrawal_date", "退会日", "Withdrawal Date", 12),
    Column("withdrawal_reason", "退会理由", "Withdrawal Reason", 20),
    Column("notes", "備考", "Notes", 30),
]
REQUIRED_HEADERS = ("会員名", "フリガナ", "会員区分", "会員種別")


def _header_key(header: str) -> str | None:
    wanted = header.strip().casefold()
    for column in COLUMNS:
        if wanted in (column.header.casefold(), column.english.casefold(), column.key.casefold()):
            return column.key
    return None


def rows_from_table(table: Table) -> list[tuple[int, dict[str, object]]]:
    """(line number in the file, raw values by field) for every data row; the header is checked first.

    Each raw mapping holds only the columns the file has, so a re-import leaves other fields alone.
    A blank 会員番号 means "a new member, number it".
    """
    problems = ProblemList()
    keys: list[str | None] = []
    for index, header in enumerate(table.headers, start=1):
        key = _header_key(header) if header else None
        if header and key is None:
            known = "、".join(column.header for column in COLUMNS)
            problems.add(f"知らない列名です（{index}列目）。使える列: {known}", header, 1)
        if key and key in keys:
            problems.add("同じ列が2回あります", header, 1)
        keys.append(key)
    present = {COLUMNS_BY_KEY[key].header for key in keys if key}
    for header in REQUIRED_HEADERS:
        if header not in present:
            problems.add("必須の列がありません", header, 1)
    problems.raise_if_any("ファイルの見出し行に問題があります。何も取り込んでいません。")
    result = []
    for offset, cells in enumerate(table.rows):
        raw: dict[str, object] = {}
        contact: dict[str, object] = {}
        for key, cell in zip(keys, cells, strict=False):
            if key is None:
                continue
            if key.startswith("contact."):
                contact[key.removeprefix("contact.")] = cell
            else:
                raw[key] = cell
        if contact:
            raw["contact"] = contact
        result.append((table.line_of(offset), raw))
    return result


COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}


def _cells(member: Member) -> list[object]:
    contact = member.primary_contact
    values = {
        "category": MEMBER_CATEGORIES.get(member.category, member.category),
        "membership_type": member.membership_type.name,
        "status": MEMBER_STATUSES.get(member.status, member.status),
        "contact.name": contact.name if contact else "",
        "contact.department": contact.department if contact else "",
    }
    return [values[c.key] if c.key in values else getattr(member, c.key) for c in COLUMNS]


def export_bytes(members: list[Member], file_format: str) -> bytes:
    """`xlsx`, `csv` (UTF-8 with BOM) or `csv-cp932`."""
    headers = [column.header for column in COLUMNS]
    rows = [_cells(member) for member in members]
    if file_format == "xlsx":
        return write_xlsx("会員名簿", headers, rows, [column.width for column in COLUMNS])
    if file_format == "csv":
        return write_csv(headers, rows)
    if file_format == "csv-cp932":
        return write_csv(headers, rows, "cp932")
    raise UserError(f"出力形式が正しくありません: {file_format}")


def template_bytes(file_format: str = "xlsx") -> bytes:
    return export_bytes([], file_format)


def format_for(filename: str, cp932: bool = False) -> str:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".csv"):
        return "csv-cp932" if cp932 else "csv"
    raise UserError(f"{filename}: 拡張子は .xlsx か .csv にしてください")
