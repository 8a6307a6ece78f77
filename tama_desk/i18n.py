"""The one translation function. Japanese is the source language: `t("会員")` returns the
Japanese text as written, or its English translation when English is selected.

Strings may carry `{name}` fields, filled by keyword arguments after translation.
A string with no English entry is shown in Japanese (never an empty label).
"""

from __future__ import annotations

from tama_desk.i18n_en import ENGLISH

LANGUAGES = {"ja": "日本語", "en": "English"}
_current = "ja"


def set_language(code: str) -> None:
    global _current
    if code not in LANGUAGES:
        raise ValueError(f"unknown language: {code}")
    _current = code


def language() -> str:
    return _current


def t(text: str, **fields: object) -> str:
    if _current == "en":
        text = ENGLISH.get(text, text)
    return text.format(**fields) if fields else text
