"""The association profile (設定) and membership types."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from tama_desk.db.guards import expect_version
from tama_desk.db.models import AssociationProfile, MembershipType
from tama_desk.domain import validators as v
from tama_desk.domain.choices import CHECKED_COLUMNS, ROUNDING_MODES, STAMP_DUTY, TAX_CATEGORIES, code_for
from tama_desk.domain.money import parse_yen
from tama_desk.errors import ProblemList
from tama_desk.services import audit

PROFILE_LABELS = {
    "name": "団体名",
    "representative_title": "代表者役職",
    "representative": "代表者名",
    "postal_code": "郵便番号",
    "address": "住所",
    "phone": "電話番号",
    "email": "メール",
    "registration_number": "登録番号",
    "bank_name": "振込先銀行",
    "bank_branch": "支店",
    "bank_account_type": "預金種目",
    "bank_account_number": "口座番号",
    "bank_account_holder": "口座名義",
    "fiscal_year_start_month": "年度開始月",
    "invoice_number_pattern": "請求書番号の形式",
    "tax_rounding": "消費税の端数処理",
    "write_off_auto": "手数料差引を自動で処理する",
    "write_off_limit": "手数料差引の上限",
    "stamp_duty": "領収書の収入印紙",
}


def get_profile(session: Session) -> AssociationProfile:
    """The profile row, or (when the row is missing) an unsaved one with the defaults: a read writes nothing."""
    return session.get(AssociationProfile, 1) or _default_profile()


def _default_profile() -> AssociationProfile:
    profile = AssociationProfile(id=1)
    for column in AssociationProfile.__table__.columns:
        if getattr(profile, column.key) is None and column.default is not None and column.default.is_scalar:
            setattr(profile, column.key, column.default.arg)
    return profile

BANK_ACCOUNT_TYPES = CHECKED_COLUMNS[("association_profile", "bank_account_type")]  # 普通・当座


def update_profile(session: Session, values: Mapping[str, object]) -> AssociationProfile:
    """Check every field first; change nothing unless all are valid. `values["version"]`, when given, is the
    version the user was shown (a newer change from another PC is refused, not overwritten)."""
    values = dict(values)
    expect_version(get_profile(session), values.pop("version", None))
    problems = ProblemList()
    clean: dict[str, object] = {}
    for key, raw in values.items():
        if key not in PROFILE_LABELS and key != "seal_png":
            raise KeyError(key)
        label = PROFILE_LABELS.get(key, "角印")
        if key == "seal_png":
            if raw and not bytes(raw).startswith(b"\x89PNG"):
                problems.add("角印はPNG画像を指定してください", label)
            clean[key] = raw or None
            continue
        text = str(raw or "").strip()
        error = None
        if shared := v.clean_field(key, text):
            text, error = shared
        elif key == "fiscal_year_start_month":
            error = None if text.isdigit() and 1 <= int(text) <= 12 else "1〜12の数字で入力してください"
            clean[key] = int(text) if error is None else text
        elif key == "invoice_number_pattern":
            error = _pattern_error(text)
        elif key == "bank_account_type" and text not in BANK_ACCOUNT_TYPES:
            error = "一覧から選んでください"
        elif key == "tax_rounding" and text not in ROUNDING_MODES:
            error = "切捨て・四捨五入・切上げのいずれかを選んでください"
        elif key == "stamp_duty":
            code = code_for(STAMP_DUTY, text)
            error = None if code else "一覧から選んでください"
            clean[key] = code or text
        elif key == "write_off_auto":
            clean[key] = raw if isinstance(raw, bool) else text.lower() in ("1", "true", "yes", "on", "はい")
        elif key == "write_off_limit":
            try:
                clean[key] = parse_yen(raw)
            except ValueError as problem:
                error = str(problem)
        if error:
            problems.add(error, label)
        clean.setdefault(key, text)
    problems.raise_if_any("設定を保存できません")
    profile = session.get(AssociationProfile, 1)
    if profile is None:
        profile = _default_profile()
        session.add(profile)
    for key, value in clean.items():
        setattr(profile, key, value)
    audit.record(session, "update", "association_profile", 1,
                 "団体情報: " + "、".join(PROFILE_LABELS.get(key, "角印") for key in clean))
    return profile


def _pattern_error(pattern: str) -> str | None:
    """Numbers restart each fiscal year, so a pattern must change with both the sequence and the year."""
    try:
        first = pattern.format(fy=2026, seq=1)
        changes = pattern.format(fy=2026, seq=2) != first and pattern.format(fy=2027, seq=1) != first
    except (KeyError, ValueError, IndexError):
        return "使える項目は {fy}（年度）と {seq}（連番）です"
    return None if changes else "{fy}（年度）と {seq}（連番）の両方を含めてください"


def membership_types(session: Session, active_only: bool = False) -> list[MembershipType]:
    query = select(MembershipType).order_by(MembershipType.sort_order, MembershipType.id)
    if active_only:
        query = query.where(MembershipType.active.is_(True))
    return list(session.scalars(query))


def save_membership_type(
    session: Session, name: str, annual_fee: int, tax_category: str, type_id: int | None = None
) -> MembershipType:
    problems = ProblemList()
    name = name.strip()
    if not name:
        problems.add("名称を入力してください", "会員種別")
    if annual_fee < 0:
        problems.add("0以上の金額を入力してください", "年会費")
    if tax_category not in TAX_CATEGORIES:
        problems.add("税区分が正しくありません", "税区分")
    clash = session.scalar(select(MembershipType).where(MembershipType.name == name))
    if clash and clash.id != type_id:
        problems.add("「{name}」は既にあります", "会員種別", name=name)
    problems.raise_if_any("会員種別を保存できません")
    kind = session.get(MembershipType, type_id) if type_id else None
    if kind is None:
        kind = MembershipType(sort_order=len(membership_types(session)) + 1)
        session.add(kind)
    kind.name, kind.annual_fee, kind.tax_category = name, annual_fee, tax_category
    session.flush()
    audit.record(session, "save", "membership_type", kind.id, f"{name} {annual_fee}円 {tax_category}")
    return kind
