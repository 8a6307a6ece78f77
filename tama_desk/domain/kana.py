"""Kana and width rules: search keys, フリガナ, and bank payer names (振込名義).

- Search is insensitive to full/half width, hiragana vs katakana, case and spaces.
- フリガナ is stored in full-width katakana (typed hiragana or half-width kana is converted).
- Bank statements print payer names in half-width katakana, upper case, small kana written large.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_SPACES_RE = re.compile(r"[\s\u3000]+")
_KATAKANA_RE = re.compile(r"^[\u30A1-\u30FA\u30FC\u30FB\u3000 ]+$")

# Full-width katakana → half-width, built from Unicode's own compatibility mapping.
_TO_HALFWIDTH: dict[str, str] = {}
for _code in range(0xFF61, 0xFFA0):
    _half = chr(_code)
    _TO_HALFWIDTH.setdefault(unicodedata.normalize("NFKC", _half), _half)
for _code in range(0x30A1, 0x30FB):
    _full = chr(_code)
    _decomposed = unicodedata.normalize("NFD", _full)
    if len(_decomposed) == 2 and _decomposed[0] in _TO_HALFWIDTH:
        mark = {"\u3099": "ﾞ", "\u309a": "ﾟ"}[_decomposed[1]]
        _TO_HALFWIDTH.setdefault(_full, _TO_HALFWIDTH[_decomposed[0]] + mark)
_TO_HALFWIDTH["\u30f4"] = "ｳﾞ"

_SMALL_TO_LARGE = str.maketrans("ｧｨｩｪｫｯｬｭｮ", "ｱｲｳｴｵﾂﾔﾕﾖ")
_BANK_ALLOWED_RE = re.compile(r"^[ｦ-ﾟ0-9A-Z ().,\-/\\｢｣]*$")


def hiragana_to_katakana(text: str) -> str:
    return text.translate(_HIRAGANA_TO_KATAKANA)


def search_key(text: str | None) -> str:
    """The form used to compare a search query with names, kana and numbers."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text)
    folded = hiragana_to_katakana(folded).casefold()
    return _SPACES_RE.sub("", folded)


def to_fullwidth_katakana(text: str) -> str:
    """フリガナ as stored: NFKC (half-width kana → full width), hiragana → katakana, spaces tidied."""
    folded = hiragana_to_katakana(unicodedata.normalize("NFKC", text.strip()))
    return _SPACES_RE.sub("\u3000", folded)


def is_fullwidth_katakana(text: str) -> bool:
    return bool(_KATAKANA_RE.match(text))


def to_bank_kana(text: str) -> str:
    """A name as a Japanese bank statement prints it: half-width kana, upper case, small kana large."""
    folded = hiragana_to_katakana(unicodedata.normalize("NFKC", text.strip())).upper()
    folded = _SPACES_RE.sub(" ", folded)
    half = "".join(_TO_HALFWIDTH.get(ch, ch) for ch in folded)
    return half.translate(_SMALL_TO_LARGE)


def is_bank_kana(text: str) -> bool:
    return bool(_BANK_ALLOWED_RE.match(text))


_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮ", "アイウエオツヤユヨワ")


@functools.lru_cache(maxsize=65536)  # the members list sorts 10,000 names on every search
def gojuon_key(kana: str) -> str:
    """Sort key for 五十音 order: voiced and small kana sort with their plain forms."""
    plain = unicodedata.normalize("NFD", hiragana_to_katakana(kana))
    plain = plain.replace("\u3099", "").replace("\u309a", "")
    return plain.translate(_SMALL_KANA) + "\0" + kana
