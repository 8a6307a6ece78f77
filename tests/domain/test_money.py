"""Every yen form issue 9 lists, and a clear error for anything else."""

from __future__ import annotations

import pytest

from tama_desk.domain.money import AMOUNT_HINT, MAX_YEN, NEGATIVE_HINT, RANGE_HINT, format_yen, parse_yen


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("70,000", 70000),
        ("７０，０００", 70000),
        ("¥70,000", 70000),
        ("￥７０，０００", 70000),
        ("\\70,000", 70000),
        ("70000円", 70000),
        ("70,000円", 70000),
        (" 70 000 ", 70000),
        ("+500", 500),
        ("1000.0", 1000),
        (70000, 70000),
        (70000.0, 70000),
        ("0", 0),
    ],
)
def test_parse_yen_forms(typed, expected):
    assert parse_yen(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", AMOUNT_HINT),
        ("70,000.5", AMOUNT_HINT),
        (10.5, AMOUNT_HINT),
        ("1-000", AMOUNT_HINT),
        ("７万円", AMOUNT_HINT),
        ("", AMOUNT_HINT),
        (None, AMOUNT_HINT),
        (True, AMOUNT_HINT),
        ("-1,000", NEGATIVE_HINT),
        ("△1,000", NEGATIVE_HINT),
        (str(MAX_YEN + 1), RANGE_HINT),
    ],
)
def test_parse_yen_refuses(typed, message):
    with pytest.raises(ValueError) as caught:
        parse_yen(typed)
    assert str(caught.value) == message


def test_negative_and_blank_when_allowed():
    assert parse_yen("-1,000", allow_negative=True) == -1000
    assert parse_yen("△1,000", allow_negative=True) == -1000
    assert parse_yen("▲500", allow_negative=True) == -500
    assert parse_yen("", blank=0) == 0
    assert parse_yen("-", blank=0) == 0


def test_format_yen():
    assert format_yen(70000) == "70,000"
    assert format_yen(70000, suffix="円") == "70,000円"
    assert format_yen(None) == ""
    assert parse_yen(format_yen(1234567, suffix="円")) == 1234567
