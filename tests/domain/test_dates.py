"""Every date form issue 9 lists: ISO, slashes, 年月日, 和暦 (R8.12.5, 令和, 平成31年4月30日, 昭和64年1月7日),
month/day alone as the nearest such date at most six months ahead; the CLI's require_year."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tama_desk.domain.dates import (
    DATE_HINT,
    RANGE_HINT,
    YEAR_HINT,
    format_date,
    format_date_ja,
    parse_date,
    wareki_year,
)

TODAY = date(2026, 4, 15)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-05", date(2026, 12, 5)),
        ("2026/12/5", date(2026, 12, 5)),
        ("2026.12.05", date(2026, 12, 5)),
        ("2026年12月5日", date(2026, 12, 5)),
        ("２０２６年１２月５日", date(2026, 12, 5)),
        ("20261205", date(2026, 12, 5)),
        (" 2026-12-05 ", date(2026, 12, 5)),
        ("2026/12/05(土)", date(2026, 12, 5)),
        ("2026/12/05 10:23", date(2026, 12, 5)),
        ("R8.12.5", date(2026, 12, 5)),
        ("r8/12/5", date(2026, 12, 5)),
        ("令和8年12月5日", date(2026, 12, 5)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("S64.1.7", date(1989, 1, 7)),
        ("昭和60年1月1日", date(1985, 1, 1)),
        ("大正15年12月24日", date(1926, 12, 24)),
        (datetime(2026, 12, 5, 9, 30), date(2026, 12, 5)),
        (date(2026, 12, 5), date(2026, 12, 5)),
    ],
)
def test_parse_date_forms(typed, expected):
    assert parse_date(typed, today=TODAY) == expected
    assert parse_date(typed, today=TODAY, require_year=True) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("R99.1.1", RANGE_HINT),  # 令和99年 = 2117: past the supported range, refused not guessed
        ("平成31年5月1日", DATE_HINT),  # 平成 ended on 4月30日
        ("昭和64年1月8日", DATE_HINT),  # 昭和 ended on 1月7日
        ("令和元年4月30日", DATE_HINT),  # before 令和 began
        ("R0.1.1", DATE_HINT),
        ("2026-13-01", DATE_HINT),
        ("2026/2/30", DATE_HINT),
        ("2026-04", DATE_HINT),
        ("2026/04/01x", DATE_HINT),
        ("abc", DATE_HINT),
        ("", DATE_HINT),
        (None, DATE_HINT),
        ("1899-12-31", RANGE_HINT),
        ("2/30", DATE_HINT),
    ],
)
def test_parse_date_refuses(typed, message):
    with pytest.raises(ValueError) as caught:
        parse_date(typed, today=TODAY)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("typed", "today", "expected"),
    [
        ("12/5", date(2026, 11, 1), date(2026, 12, 5)),  # a month ahead: this year
        ("12/5", date(2026, 4, 15), date(2025, 12, 5)),  # more than six months ahead: the one just past
        ("12/5", date(2027, 1, 10), date(2026, 12, 5)),  # a month ago
        ("3/31", date(2026, 4, 2), date(2026, 3, 31)),
        ("10/14", date(2026, 4, 15), date(2026, 10, 14)),  # 182 days ahead is nearer than 183 days back
        ("10/16", date(2026, 4, 15), date(2025, 10, 16)),
        ("12月5日", date(2026, 11, 1), date(2026, 12, 5)),
        ("１２／５", date(2026, 11, 1), date(2026, 12, 5)),
    ],
)
def test_month_and_day_is_the_nearest_date_at_most_six_months_ahead(typed, today, expected):
    assert parse_date(typed, today=today) == expected


def test_require_year_refuses_month_and_day():
    with pytest.raises(ValueError) as caught:
        parse_date("12/5", today=TODAY, require_year=True)
    assert str(caught.value) == YEAR_HINT


def test_formatting():
    assert format_date(date(2026, 12, 5)) == "2026-12-05"
    assert format_date(date(2026, 12, 5), wareki=True) == "令和8年12月5日"
    assert format_date(date(2019, 5, 1), wareki=True) == "令和元年5月1日"
    assert format_date(date(2019, 4, 30), wareki=True) == "平成31年4月30日"
    assert format_date(date(1989, 1, 7), wareki=True) == "昭和64年1月7日"
    assert format_date_ja(date(2026, 12, 5)) == "2026年12月5日"
    assert format_date(None) == "" and format_date_ja(None) == ""
    assert wareki_year(date(1989, 1, 8)) == "平成元年"


def test_a_formatted_date_reads_back():
    for day in (date(2026, 12, 5), date(2019, 5, 1), date(2019, 4, 30), date(1989, 1, 7), date(1989, 1, 8)):
        assert parse_date(format_date(day, wareki=True)) == day
        assert parse_date(format_date_ja(day)) == day
        assert parse_date(format_date(day)) == day
