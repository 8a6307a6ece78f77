"""Yen amounts as people type them (`70,000`, `７０，０００`, `¥70,000`, `70000円`) and as screens show them."""

from __future__ import annotations

import re
import unicodedata

MAX_YEN = 10**12 - 1  # amounts stay below 10^12: fits a 64-bit column with room for sums
AMOUNT_HINT = "金額は「70,000」「70000円」の形で、円単位の整数で入力してください"
NEGATIVE_HINT = "金額は0以上で入力してください"
RANGE_HINT = "金額が大きすぎます（1兆円未満で入力してください）"

_DROP_RE = re.compile(r"[\s,¥\\円]")
EMPTY_MARKS = {"", "-", "−", "‐", "―", "—", "ー", "*", "＊"}


def parse_yen(value: object, *, allow_negative: bool = False, blank: int | None = None) -> int:
    """Whole yen from a typed string or a cell. `△1,000`/`-1,000` are negative (refused unless allowed).
    An empty value gives `blank` when one is given, else an error. Raises ValueError whose text is a message key."""
    if isinstance(value, bool):
        raise ValueError(AMOUNT_HINT)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(AMOUNT_HINT)
        value = int(value)
    if isinstance(value, int):
        amount = value
    else:
        text = _DROP_RE.sub("", unicodedata.normalize("NFKC", str(value or "")))
        if text in EMPTY_MARKS:
            if blank is not None:
                return blank
            raise ValueError(AMOUNT_HINT)
        sign = 1
        if text[0] in "-△▲−":
            sign, text = -1, text[1:]
        elif text[0] == "+":
            text = text[1:]
        if not re.fullmatch(r"\d+(?:\.0*)?", text):
            raise ValueError(AMOUNT_HINT)
        amount = sign * int(text.split(".")[0])
    if amount < 0 and not allow_negative:
        raise ValueError(NEGATIVE_HINT)
    if abs(amount) > MAX_YEN:
        raise ValueError(RANGE_HINT)
    return amount


def format_yen(amount: int | None, *, suffix: str = "") -> str:
    """`70,000` (or `70,000円` with suffix="円"); empty for None."""
    return "" if amount is None else f"{amount:,}{suffix}"
