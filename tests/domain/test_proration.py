from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tama_desk.domain.fiscal import fiscal_year_bounds
from tama_desk.domain.proration import PRORATIONS, months_remaining, prorated_fee

START = date(2026, 4, 1)  # fiscal year 2026 (April–March)


@pytest.mark.parametrize(("joined", "months"), [
    (date(2026, 4, 1), 12),
    (date(2026, 4, 30), 12),  # the join month counts
    (date(2026, 5, 1), 11),
    (date(2026, 9, 30), 7),
    (date(2026, 10, 1), 6),
    (date(2026, 12, 31), 4),
    (date(2027, 1, 1), 3),
    (date(2027, 3, 31), 1),
    (date(2020, 1, 1), 12),  # before the year: clamped
    (date(2027, 4, 1), 1),  # after the year: clamped
])
def test_months_remaining(joined, months):
    assert months_remaining(joined, START) == months


def test_months_remaining_with_a_calendar_fiscal_year():
    start, _end = fiscal_year_bounds(2026, start_month=1)
    assert months_remaining(date(2026, 7, 15), start) == 6
    assert months_remaining(date(2026, 12, 1), start) == 1


@pytest.mark.parametrize("rule", list(PRORATIONS))
@pytest.mark.parametrize("joined", [None, date(2001, 6, 1), date(2026, 3, 31), START])
def test_joined_before_or_at_year_start_pays_full(rule, joined):
    assert prorated_fee(70000, rule, joined, START) == 70000


@pytest.mark.parametrize("joined", [date(2026, 4, 2), date(2026, 10, 1), date(2027, 3, 31)])
def test_full_rule_ignores_join_date(joined):
    assert prorated_fee(70000, "full", joined, START) == 70000


@pytest.mark.parametrize(("joined", "fee"), [
    (date(2026, 4, 15), 70000),  # joined in the first month: 12 months
    (date(2026, 5, 15), 64166),  # 70000 × 11 / 12 = 64166.66… → floor
    (date(2026, 7, 1), 52500),  # 9 months
    (date(2026, 10, 1), 35000),  # 6 months
    (date(2027, 2, 28), 11666),  # 2 months: 11666.66… → floor
    (date(2027, 3, 1), 5833),  # 1 month: 5833.33… → floor
])
def test_monthly_is_floor_and_includes_the_join_month(joined, fee):
    assert prorated_fee(70000, "monthly", joined, START) == fee


@pytest.mark.parametrize(("joined", "fee"), [
    (date(2026, 5, 1), 30001),  # 上期 (7+ months left): full
    (date(2026, 9, 30), 30001),  # September: 7 months left, still 上期
    (date(2026, 10, 1), 15000),  # 下期: half, yen floored
    (date(2027, 3, 31), 15000),
])
def test_half_year(joined, fee):
    assert prorated_fee(30001, "half_year", joined, START) == fee


def test_unknown_rule_refused_for_a_mid_year_join():
    with pytest.raises(ValueError, match="proration"):
        prorated_fee(70000, "weekly", date(2026, 6, 1), START)


@settings(max_examples=150, deadline=None)
@given(fee=st.integers(0, 1_000_000), offset=st.integers(0, 364), later=st.integers(0, 364))
def test_monthly_is_bounded_and_never_grows_with_a_later_join(fee, offset, later):
    first = START + timedelta(days=offset)
    second = START + timedelta(days=min(364, offset + later))
    a = prorated_fee(fee, "monthly", first, START)
    b = prorated_fee(fee, "monthly", second, START)
    assert 0 <= b <= a <= fee
    assert a == fee * months_remaining(first, START) // 12 or first == START
