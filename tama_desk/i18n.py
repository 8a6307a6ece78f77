"""The one translation function. Japanese is the source language: `t("会員")` returns the
Japanese text as written, or its English translation when English is selected.

Strings may carry `{name}` fields, filled by keyword arguments after translation; a field value that is itself
a Japanese label with an English entry (a status, a column name) is translated too, and a tuple of values is
listed (`known=("会員名", "フリガナ")` → 会員名、フリガナ / Name, Kana).
A string with no English entry is shown in Japanese (never an empty label).

One source string, one meaning: when the same Japanese serves two meanings (`{n} 件` of members and of
invoices), `context=` tells them apart: `t("{n} 件", context="会員", n=3)` looks up "会員|{n} 件" in English.

A `Message` is a template already filled in Japanese (so it can be used as a plain str) that `t()` still
translates as its template: what rules return when their caller shows the text later (warnings).
"""

from __future__ import annotations

from tama_desk.i18n_en import ENGLISH

LANGUAGES = {"ja": "日本語", "en": "English"}
_current = "ja"


class Message(str):
    """`Message("{name} の予算を超えます", name="旅費")` == "旅費 の予算を超えます"; t() gives it in English."""

    template: str
    params: dict

    def __new__(cls, template: str, **params: object) -> Message:
        shown = {key: "、".join(map(str, value)) if isinstance(value, tuple) else value for key, value in params.items()}
        self = super().__new__(cls, template.format(**shown) if params else template)
        self.template, self.params = template, params
        return self


def set_language(code: str) -> None:
    global _current
    if code not in LANGUAGES:
        raise ValueError(f"unknown language: {code}")
    _current = code


def language() -> str:
    return _current


def t(text: str, context: str = "", **fields: object) -> str:
    if isinstance(text, Message):
        text, fields = text.template, text.params | fields
    if _current == "en":
        text = ENGLISH.get(f"{context}|{text}", ENGLISH.get(text, text)) if context else ENGLISH.get(text, text)
    return text.format(**{key: _value(value) for key, value in fields.items()}) if fields else text


def _value(value: object) -> object:
    """A field value as shown: a label or Message translated; a tuple of them listed (、 or , )."""
    if isinstance(value, tuple):
        return ("、" if _current == "ja" else ", ").join(str(_value(item)) for item in value)
    if isinstance(value, Message):
        return t(value)
    if isinstance(value, str) and _current == "en":
        return ENGLISH.get(value, value)
    return value
