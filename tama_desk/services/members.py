"""The member registry (会員): check, save, search, withdraw, delete.

Values come in as a mapping of field name → raw value (typed text from the dialog or a cell from
an import) and are checked by one function, so the dialog, the importer and the CLI agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tama_desk.db.guards import expect_version
from tama_desk.db.models import Base, Contact, Member, MembershipType
from tama_desk.domain import validators as v
from tama_desk.domain.choices import MEMBER_CATEGORIES, MEMBER_STATUSES, code_for
from tama_desk.domain.dates import parse_date
from tama_desk.domain.kana import gojuon_key, search_key, to_bank_kana
from tama_desk.errors import ProblemList, UserError
from tama_desk.i18n import Message
from tama_desk.i18n_en import ENGLISH
from tama_desk.services import audit

FIELD_LABELS: dict[str, str] = {
    "number": "会員番号",
    "name": "会員名",
    "kana": "フリガナ",
    "category": "会員区分",
    "membership_type": "会員種別",
    "corporate_number": "法人番号",
    "registration_number": "登録番号",
    "postal_code": "郵便番号",
    "address": "住所",
    "phone": "電話番号",
    "email": "メール",
    "payer_name": "振込名義",
    "join_date": "入会日",
    "withdrawal_date": "退会日",
    "withdrawal_reason": "退会理由",
    "status": "状態",
    "notes": "備考",
}
CONTACT_LABELS: dict[str, str] = {
    "name": "担当者",
    "department": "部署",
    "title": "役職",
    "email": "担当者メール",
    "phone": "担当者電話",
}
REQUIRED = ("name", "kana", "category", "membership_type")
MAX_LENGTHS = {"number": 20, "name": 200, "kana": 200, "address": 300, "phone": 30, "email": 200,
               "payer_name": 100, "withdrawal_reason": 300}


def check_field(field: str, raw: Any, type_names: Mapping[str, int] | None = None) -> tuple[Any, str | None]:
    """(clean value, error message or None) for one field, as the edit dialog checks it while typing."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        if field in REQUIRED:
            return "", "入力してください"
        return (None if field in ("join_date", "withdrawal_date") else ""), None
    if len(text) > MAX_LENGTHS.get(field, 10_000):
        return text, Message("{max}文字以内で入力してください", max=MAX_LENGTHS[field])
    if field == "number":
        text = v.ascii_fold(text)
        return text, None
    if field == "kana":
        text = v.normalize_kana(text)
        return text, v.kana_error(text)
    if field == "category":
        code = code_for(MEMBER_CATEGORIES, text, ENGLISH)
        listed = tuple(MEMBER_CATEGORIES.values())
        return code or text, None if code else Message("一覧の区分から選んでください（{listed}）", listed=listed)
    if field == "status":
        code = code_for(MEMBER_STATUSES, text, ENGLISH)
        return code or text, None if code else "在籍・休会・退会のいずれかです"
    if field == "membership_type":
        names = type_names or {}
        if text in names:
            return names[text], None
        return text, Message("登録されている会員種別から選んでください（{listed}）", listed=tuple(names))
    if field == "corporate_number":
        text = v.ascii_fold(text).replace("-", "")
        return text, v.corporate_number_error(text)
    if field == "registration_number":
        text = v.normalize_registration_number(text)
        return text, v.registration_number_error(text)
    if field == "postal_code":
        text = v.normalize_postal_code(text)
        return text, v.postal_code_error(text)
    if field == "phone":
        text = v.ascii_fold(text)
        return text, v.phone_error(text)
    if field == "email":
        text = v.ascii_fold(text)
        return text, v.email_error(text)
    if field == "payer_name":
        text = v.normalize_payer_name(text)
        return text, v.payer_name_error(text)
    if field in ("join_date", "withdrawal_date"):
        try:
            return parse_date(raw), None
        except ValueError as error:
            return text, str(error)
    return text, None


def check_contact_field(field: str, raw: Any) -> tuple[str, str | None]:
    text = "" if raw is None else str(raw).strip()
    if text and field == "email":
        text = v.ascii_fold(text)
        return text, v.email_error(text)
    if text and field == "phone":
        text = v.ascii_fold(text)
        return text, v.phone_error(text)
    return text, None


def type_name_map(session: Session) -> dict[str, int]:
    query = select(MembershipType.id, MembershipType.name).order_by(MembershipType.sort_order, MembershipType.id)
    return {name: type_id for type_id, name in session.execute(query)}


def clean_member(
    raw: Mapping[str, Any], type_names: Mapping[str, int], row: int | None = None, record: str = ""
) -> tuple[dict[str, Any], ProblemList]:
    """Check every given field (and the rules between fields); return clean values and all problems."""
    problems = ProblemList()
    clean: dict[str, Any] = {}
    for field, value in raw.items():
        if field == "contacts":
            continue
        clean[field], error = check_field(field, value, type_names)
        if error:
            problems.add(error, FIELD_LABELS[field], row, record)
    if clean.get("withdrawal_date") and clean.get("join_date") and clean["withdrawal_date"] < clean["join_date"]:
        problems.add("退会日が入会日より前です", FIELD_LABELS["withdrawal_date"], row, record)
    if clean.get("status") == "withdrawn" and "withdrawal_date" in clean and not clean["withdrawal_date"]:
        problems.add("退会した会員には退会日を入力してください", FIELD_LABELS["withdrawal_date"], row, record)
    if clean.get("withdrawal_date") and "status" not in raw:
        clean["status"] = "withdrawn"
    contacts = []
    for index, contact in enumerate(raw.get("contacts") or [], start=1):
        values = {}
        for field, value in contact.items():
            if field == "is_primary":
                values[field] = bool(value)
                continue
            values[field], error = check_contact_field(field, value)
            if error:
                problems.add(error, Message("{field}（{index}人目）", field=CONTACT_LABELS[field], index=index), row, record)
        if not values.get("name") and any(values.get(f) for f in CONTACT_LABELS if f != "name"):
            problems.add("担当者名を入力してください", Message("担当者（{index}人目）", index=index), row, record)
        if values.get("name"):
            contacts.append(values)
    if "contacts" in raw:
        clean["contacts"] = contacts
    return clean, problems


def next_member_number(session: Session) -> str:
    numbers = session.scalars(select(Member.number)).all()
    numeric = [int(n) for n in numbers if n.isdigit()]
    return f"{(max(numeric) + 1) if numeric else 1:04d}"


def save_member(session: Session, raw: Mapping[str, Any], member_id: int | None = None) -> Member:
    """Create (member_id None) or update a member from raw field values. All or nothing.

    `raw["version"]`, when given, is the version the user was shown: a member changed since (on another PC)
    is refused with StaleEditError instead of being overwritten."""
    raw = dict(raw)
    expected_version = raw.pop("version", None)
    member = get_member(session, member_id) if member_id else None
    if member is not None:
        expect_version(member, expected_version)
    record = f"会員 {member.number} {member.name}" if member else ""
    if member is None:
        raw = {field: raw.get(field) for field in REQUIRED} | dict(raw)
    clean, problems = clean_member(raw, type_name_map(session), record=record)
    number = clean.get("number") or (member.number if member else next_member_number(session))
    clash = session.scalar(select(Member.id).where(Member.number == number))
    if clash and clash != member_id:
        problems.add("会員番号 {number} は既に使われています", FIELD_LABELS["number"], record=record, number=number)
    problems.raise_if_any("会員を保存できません")
    clean["number"] = number
    is_new = member is None
    if member is None:
        member = Member(status="active")
        session.add(member)
    apply_values(member, clean)
    session.flush()
    audit.record(session, "create" if is_new else "update", "member", member.id, f"{member.number} {member.name}")
    return member


CHARACTER_FIELDS = ("name", "kana", "address", "payer_name")


def character_warnings(member: Member) -> list[Message]:
    """Warnings for a member's texts that Shift_JIS CSV or the bundled PDF font cannot hold (𠮷, 髙 …): they
    are kept as typed, but a cp932 export writes '?' and a PDF may show a blank box for them."""
    from tama_desk.documents.fonts import has_glyph
    from tama_desk.domain.charsets import not_in_cp932, not_in_font

    warnings = []
    for field in CHARACTER_FIELDS:
        text = getattr(member, field, "") or ""
        if lost := not_in_cp932(text):
            warnings.append(Message("{field}: 「{chars}」は Shift_JIS のCSVに書き出せません（? になります）",
                                    field=FIELD_LABELS.get(field, field), chars=lost))
        if missing := not_in_font(text, has_glyph):
            warnings.append(Message("{field}: 「{chars}」は PDF のフォントにないため印字されません",
                                    field=FIELD_LABELS.get(field, field), chars=missing))
    return warnings


def save_member_with_warnings(session: Session, raw: Mapping[str, Any],
                              member_id: int | None = None) -> tuple[Member, list[Message]]:
    """save_member, and the character warnings of what was saved (shown after saving; nothing is refused)."""
    member = save_member(session, raw, member_id)
    return member, character_warnings(member)


def apply_values(member: Member, clean: Mapping[str, Any]) -> None:
    for field, value in clean.items():
        if field == "membership_type":
            member.membership_type_id = value
        elif field != "contacts":
            setattr(member, field, value)
    if "contacts" in clean:
        _replace_contacts(member, clean["contacts"])
    if member.status != "withdrawn":
        member.withdrawal_date, member.withdrawal_reason = None, ""
    member.search_text = build_search_text(member)
    member.match_keys = match_keys(member)


def payer_names(member: Member) -> tuple[str, ...]:
    """The names a member pays under, for the statement matcher: 振込名義, フリガナ in bank kana, name."""
    return tuple(name for name in (member.payer_name, to_bank_kana(member.kana or ""), member.name) if name)


def match_keys(member: Member) -> str:
    """The matcher's keys of the member's payer names, kept in member.match_keys."""
    from tama_desk.domain.matching import stored_keys

    return stored_keys([payer_names(member)])[0]


def _replace_contacts(member: Member, contacts: list[dict[str, Any]]) -> None:
    """Update contacts in place by position, so ids (and later references) survive an edit."""
    if contacts and not any(c.get("is_primary") for c in contacts):
        contacts[0]["is_primary"] = True
    existing = list(member.contacts)
    for index, values in enumerate(contacts):
        contact = existing[index] if index < len(existing) else Contact()
        if index >= len(existing):
            member.contacts.append(contact)
        for field in ("name", "department", "title", "email", "phone"):
            setattr(contact, field, values.get(field, ""))
        contact.is_primary = bool(values.get("is_primary"))
        contact.sort_order = index
    for contact in existing[len(contacts):]:
        member.contacts.remove(contact)


def build_search_text(member: Member) -> str:
    parts = [member.number, member.name, member.kana, member.payer_name, member.phone, member.email]
    for contact in member.contacts:
        parts += [contact.name, contact.department]
    return "|".join(search_key(part) for part in parts if part)


def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id, options=[selectinload(Member.contacts)])
    if member is None:
        raise UserError("会員（id {id}）が見つかりません", id=member_id)
    return member


class MemberRow(NamedTuple):
    """One line of the members table (a named tuple: 10,000 of them are made on every search)."""

    id: int
    number: str
    name: str
    kana: str
    category: str
    type_name: str
    contact: str
    phone: str
    status: str


def search_members(
    session: Session,
    query: str = "",
    category: str | None = None,
    type_id: int | None = None,
    status: str | None = None,
    member_id: int | None = None,
) -> list[MemberRow]:
    """Members whose number, name, kana, payer name or contacts contain every word of `query`,
    in 五十音 order of their フリガナ; with `member_id`, that member's row alone if it matches (a list shown
    puts a saved member's row in place rather than reading every row again)."""
    primary_contact = (
        select(Contact.name)
        .where(Contact.member_id == Member.id)
        .order_by(Contact.is_primary.desc(), Contact.sort_order)
        .limit(1)
        .scalar_subquery()
    )
    statement = select(
        Member.id, Member.number, Member.name, Member.kana, Member.category,
        MembershipType.name, func.coalesce(primary_contact, ""), Member.phone, Member.status,
    ).join(MembershipType, Member.membership_type_id == MembershipType.id)
    for word in query.split():
        key = search_key(word)
        if key:
            statement = statement.where(Member.search_text.contains(key, autoescape=True))
    if category:
        statement = statement.where(Member.category == category)
    if type_id:
        statement = statement.where(Member.membership_type_id == type_id)
    if status:
        statement = statement.where(Member.status == status)
    if member_id is not None:
        statement = statement.where(Member.id == member_id)
    rows = list(map(MemberRow._make, session.connection().execute(statement).all()))  # Core rows, fetched at once
    rows.sort(key=lambda row: (gojuon_key(row.kana), row.number))
    return rows


def count_by_status(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Member.status, func.count()).group_by(Member.status)).all())


def withdraw_member(session: Session, member_id: int, on: date, reason: str = "") -> Member:
    member = get_member(session, member_id)
    if member.join_date and on < member.join_date:
        raise UserError("会員 {number} {name}: 退会日が入会日より前です", number=member.number, name=member.name)
    member.status, member.withdrawal_date, member.withdrawal_reason = "withdrawn", on, reason.strip()
    audit.record(session, "withdraw", "member", member.id, f"{on.isoformat()} {reason}")
    return member


def member_has_records(session: Session, member_id: int) -> bool:
    """True when any table other than contacts points at the member (invoices, meetings, …).

    Found from the schema itself, so each later area's tables are covered without a change here.
    """
    for table in Base.metadata.sorted_tables:
        if table.name == "contact":
            continue
        for key in table.foreign_keys:
            if key.column.table.name == "member":
                found = session.execute(select(key.parent).where(key.parent == member_id).limit(1)).first()
                if found:
                    return True
    return False


def delete_member(session: Session, member_id: int) -> None:
    """Only a member entered by mistake (no invoices or records) is deleted; others are withdrawn."""
    member = get_member(session, member_id)
    if member_has_records(session, member_id):
        raise UserError("会員 {number} {name} には請求書などの記録があるため削除できません。退会として登録してください。",
                        number=member.number, name=member.name)
    audit.record(session, "delete", "member", member.id, f"{member.number} {member.name}")
    session.delete(member)


def all_members(session: Session) -> list[Member]:
    """Every member with contacts and type loaded, in 五十音 order (for export)."""
    found = session.scalars(select(Member).options(selectinload(Member.contacts))).unique().all()
    return sorted(found, key=lambda member: (gojuon_key(member.kana), member.number))
