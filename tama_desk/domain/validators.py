"""Field rules shared by the edit dialog, the importer and the services."""

from __future__ import annotations

import re
import unicodedata

from tama_desk.domain.checkdigits import is_valid_corporate_number, is_valid_registration_number
from tama_desk.domain.kana import is_bank_kana, is_fullwidth_katakana, to_bank_kana, to_fullwidth_katakana

_POSTAL_RE = re.compile(r"^\d{3}-\d{4}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE_RE = re.compile(r"^\+?[0-9(][0-9\-() ]{5,20}$")


def ascii_fold(text: str) -> str:
    """Full-width digits, letters and hyphens typed on a Japanese keyboard → ASCII."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return folded.replace("ー", "-").replace("－", "-").replace("‐", "-").replace("−", "-")


def normalize_postal_code(text: str) -> str:
    folded = ascii_fold(text)
    if re.fullmatch(r"\d{7}", folded):
        folded = f"{folded[:3]}-{folded[3:]}"
    return folded


def postal_code_error(text: str) -> str | None:
    return None if _POSTAL_RE.match(text) else "郵便番号は「123-4567」の形で入力してください"


def email_error(text: str) -> str | None:
    return None if _EMAIL_RE.match(text) else "メールアドレスの形式が正しくありません"


def phone_error(text: str) -> str | None:
    return None if _PHONE_RE.match(text) else "電話番号は数字とハイフンで入力してください"


def corporate_number_error(text: str) -> str | None:
    if not re.fullmatch(r"\d{13}", text):
        return "法人番号は13桁の数字です"
    return None if is_valid_corporate_number(text) else "法人番号のチェックデジットが正しくありません"


def normalize_registration_number(text: str) -> str:
    return ascii_fold(text).upper().replace("-", "").replace(" ", "")


def registration_number_error(text: str) -> str | None:
    if not re.fullmatch(r"T\d{13}", text):
        return "登録番号は「T」と13桁の数字です"
    return None if is_valid_registration_number(text) else "登録番号のチェックデジットが正しくありません"


def normalize_kana(text: str) -> str:
    return to_fullwidth_katakana(text)


def kana_error(text: str) -> str | None:
    return None if is_fullwidth_katakana(text) else "フリガナは全角カタカナで入力してください"


def normalize_payer_name(text: str) -> str:
    return to_bank_kana(text)


def payer_name_error(text: str) -> str | None:
    return None if is_bank_kana(text) else "振込名義は半角カナ・英大文字・数字で入力してください"


# The contact fields every record shares (profile, clients …): key → (normalise, error or None).
_FIELD_RULES = {
    "kana": (normalize_kana, kana_error),
    "postal_code": (normalize_postal_code, postal_code_error),
    "email": (ascii_fold, email_error),
    "phone": (ascii_fold, phone_error),
    "payer_name": (normalize_payer_name, payer_name_error),
    "corporate_number": (ascii_fold, corporate_number_error),
    "registration_number": (normalize_registration_number, registration_number_error),
}


def clean_field(key: str, text: str) -> tuple[str, str | None] | None:
    """(normalised text, error message key or None) for a shared contact field that was typed; None when the
    key has no shared rule or the text is empty (the caller applies its own rules)."""
    rule = _FIELD_RULES.get(key)
    if rule is None or not text:
        return None
    normalise, check = rule
    text = normalise(text)
    return text, check(text)
