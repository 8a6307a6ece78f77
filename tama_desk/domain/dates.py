"""Dates as people type them and as documents print them: ISO, slashes, 年月日, 和暦, and month/day alone.

One parser for the whole app (forms, imports, the CLI). A date typed without its year is the nearest such date
that is at most six months ahead of today, so `3/31` typed in April means the March just past. The CLI always
asks for the year (`require_year=True`), so a script means the same whatever day it runs.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

MIN_YEAR, MAX_YEAR = 1900, 2100

# era name → (first day, last day or None)
ERAS: dict[str, tuple[date, date | None]] = {
    "令和": (date(2019, 5, 1), None),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
    "大正": (date(1912, 7, 30), date(1926, 12, 25)),
}
_ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和", "T": "大正"}

_SEP = r"\s*[/\-.年]\s*"
_ERA_RE = re.compile(rf"^(令和|平成|昭和|大正|R|H|S|T)\s*(\d{{1,2}}|元){_SEP}(\d{{1,2}})\s*[/\-.月]\s*(\d{{1,2}})\s*日?")
_FULL_RE = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*[/\-.月]\s*(\d{{1,2}})\s*日?")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})")
_SHORT_RE = re.compile(r"^(\d{1,2})\s*[/\-.月]\s*(\d{1,2})\s*日?")
# what may follow a date in a bank statement or a spreadsheet cell: a weekday "(水)" and/or a time "10:23"
_TRAILER_RE = re.compile(r"^(?:\s*[(（][^)）]*[)）])?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?\s*$")

DATE_HINT = "日付は「2026-12-05」「2026/12/5」「R8.12.5」「令和8年12月5日」の形で入力してください"
YEAR_HINT = "日付は年から入力してください（例: 2026-12-05、R8.12.5）"
RANGE_HINT = "日付は1900年から2100年までの範囲で入力してください"


def parse_date(value: object, *, today: date | None = None, require_year: bool = False) -> date:
    """A date from a cell, a typed string or a date object. Raises ValueError whose text is a message key."""
    if isinstance(value, datetime):
        return _checked(value.date())
    if isinstance(value, date):
        return _checked(value)
    text = unicodedata.normalize("NFKC", str(value or "")).strip().upper()
    if not text:
        raise ValueError(DATE_HINT)
    if match := _ERA_RE.match(text):
        era = _ERA_LETTERS.get(match.group(1), match.group(1))
        number = 1 if match.group(2) == "元" else int(match.group(2))
        first, last = ERAS[era]
        result = _make(first.year + number - 1, match.group(3), match.group(4))
        if number < 1 or result < first or (last is not None and result > last):
            raise ValueError(RANGE_HINT if result.year > MAX_YEAR else DATE_HINT)
    elif (match := _FULL_RE.match(text)) or (match := _COMPACT_RE.match(text)):
        result = _make(int(match.group(1)), match.group(2), match.group(3))
    elif (match := _SHORT_RE.match(text)) and not require_year:
        result = nearest(int(match.group(1)), int(match.group(2)), today or date.today())
    elif _SHORT_RE.match(text):
        raise ValueError(YEAR_HINT)
    else:
        raise ValueError(DATE_HINT)
    if not _TRAILER_RE.match(text[match.end():]):
        raise ValueError(DATE_HINT)
    return _checked(result)


def nearest(month: int, day: int, today: date) -> date:
    """The date with this month and day nearest to today, never more than six months ahead."""
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        raise ValueError(DATE_HINT)
    limit = add_months(today, 6)
    allowed = [c for c in candidates if c <= limit]
    return min(allowed, key=lambda c: abs((c - today).days))


def format_date(value: date | None, *, wareki: bool = False) -> str:
    """`2026-12-05`, or `令和8年12月5日` with wareki (元年 for an era's first year)."""
    if value is None:
        return ""
    if not wareki:
        return value.isoformat()
    return f"{wareki_year(value)}{value.month}月{value.day}日"


def format_date_ja(value: date | None, *, wareki: bool = False) -> str:
    """`2026年12月5日`, or `令和8年12月5日` with wareki: the form letters use."""
    if value is None:
        return ""
    if wareki:
        return format_date(value, wareki=True)
    return f"{value.year}年{value.month}月{value.day}日"


def wareki_year(value: date) -> str:
    """`令和8年` (or `令和元年`) for a date."""
    for era, (first, last) in ERAS.items():
        if value >= first and (last is None or value <= last):
            number = value.year - first.year + 1
            return f"{era}{'元' if number == 1 else number}年"
    return f"{value.year}年"


def _make(year: int, month: str | int, day: str | int) -> date:
    try:
        return date(year, int(month), int(day))
    except ValueError:
        raise ValueError(DATE_HINT) from None


def _checked(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(RANGE_HINT)
    return value


def add_months(value: date, months: int) -> date:
    """The same day `months` later (earlier when negative), or the month's last day when it has no such day."""
    month = value.month - 1 + months
    year, month = value.year + month // 12, month % 12 + 1
    for day in (value.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
