from __future__ import annotations

from datetime import date

import pytest

from tama_desk.domain.fiscal import fiscal_year_bounds, fiscal_year_of


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2027, 3, 31), 2026), (date(2026, 4, 1), 2026), (date(2026, 3, 31), 2025), (date(2026, 12, 31), 2026),
     (date(2027, 1, 1), 2026)],
)
def test_fiscal_year_of_april_start(day, year):
    assert fiscal_year_of(day) == year


def test_fiscal_year_of_other_start_months():
    assert fiscal_year_of(date(2026, 1, 1), start_month=1) == 2026
    assert fiscal_year_of(date(2026, 12, 31), start_month=1) == 2026
    assert fiscal_year_of(date(2026, 9, 30), start_month=10) == 2025
    assert fiscal_year_of(date(2026, 10, 1), start_month=10) == 2026


def test_bounds_april():
    assert fiscal_year_bounds(2026) == (date(2026, 4, 1), date(2027, 3, 31))


def test_bounds_calendar_year():
    assert fiscal_year_bounds(2026, start_month=1) == (date(2026, 1, 1), date(2026, 12, 31))


def test_bounds_leap_year_and_december_start():
    assert fiscal_year_bounds(2027, start_month=3) == (date(2027, 3, 1), date(2028, 2, 29))
    assert fiscal_year_bounds(2026, start_month=12) == (date(2026, 12, 1), date(2027, 11, 30))


@pytest.mark.parametrize("start_month", range(1, 13))
def test_bounds_and_year_agree(start_month):
    first, last = fiscal_year_bounds(2026, start_month)
    assert fiscal_year_of(first, start_month) == fiscal_year_of(last, start_month) == 2026
    assert fiscal_year_of(date.fromordinal(first.toordinal() - 1), start_month) == 2025
    assert fiscal_year_of(date.fromordinal(last.toordinal() + 1), start_month) == 2027
    assert 365 <= (last - first).days + 1 <= 366
