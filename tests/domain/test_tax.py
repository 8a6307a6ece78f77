from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tama_desk.domain.tax import RATES, SUMMARY_ORDER, Line, RateTotal, grand_total, rate_totals, round_yen

MODES = ("floor", "half_up", "ceil")


def seminar_lines(count: int = 3, price: int = 105) -> list[Line]:
    return [Line(f"セミナー参加費 {i}", 1, price, "standard_10") for i in range(count)]


# --- round_yen -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "floor", "half_up", "ceil"), [
    (Fraction(0), 0, 0, 0),
    (Fraction(31), 31, 31, 31),
    (Fraction(315, 10), 31, 32, 32),
    (Fraction(314, 10), 31, 31, 32),
    (Fraction(3149, 100), 31, 31, 32),
    (Fraction(3150, 100), 31, 32, 32),
    (Fraction(1, 3), 0, 0, 1),
    (Fraction(2, 3), 0, 1, 1),
    (Fraction(1, 2), 0, 1, 1),
    (Fraction(2864, 100), 28, 29, 29),
])
def test_round_yen_modes(value, floor, half_up, ceil):
    assert (round_yen(value, "floor"), round_yen(value, "half_up"), round_yen(value, "ceil")) == (floor, half_up, ceil)
    # symmetric: a negative amount rounds to the negated positive result (a credit note mirrors its invoice)
    assert (round_yen(-value, "floor"), round_yen(-value, "half_up"), round_yen(-value, "ceil")) == (
        -floor, -half_up, -ceil)


def test_round_yen_returns_int_and_refuses_unknown_mode():
    assert type(round_yen(Fraction(63, 2), "half_up")) is int
    with pytest.raises(ValueError, match="rounding mode"):
        round_yen(Fraction(1, 2), "banker")


# --- once per rate per invoice -------------------------------------------------------------------


def test_nta_example_105_yen_three_lines_floor_is_31_not_30():
    """NTA Q&A 問57: three lines of 105円 at 10%, 切捨て: 315 × 10% = 31.5 → 31, while rounding per line gives 30."""
    [total] = rate_totals(seminar_lines(), "floor")
    assert (total.tax_category, total.net, total.tax, total.gross) == ("standard_10", 315, 31, 346)
    per_line = sum(round_yen(line.amount * RATES["standard_10"], "floor") for line in seminar_lines())
    assert per_line == 30  # what the law does not allow
    assert total.tax != per_line


@pytest.mark.parametrize(("mode", "tax"), [("floor", 31), ("half_up", 32), ("ceil", 32)])
def test_nta_example_per_rounding_mode(mode, tax):
    [total] = rate_totals(seminar_lines(), mode)
    assert (total.net, total.tax, total.gross) == (315, tax, 315 + tax)


def test_default_mode_is_floor():
    assert rate_totals(seminar_lines()) == rate_totals(seminar_lines(), "floor")


def test_mixed_rates_summarised_per_rate_in_summary_order():
    lines = [  # deliberately in the opposite order of the printed summary
        Line("2026年度 年会費", 1, 70000, "out_of_scope"),
        Line("住宅家賃（非課税）", 1, 5000, "exempt"),
        Line("会議用お茶", 2, 1080, "reduced_8"),
        Line("弁当", 3, 555, "reduced_8"),
        Line("セミナー参加費", 1, 1000, "standard_10"),
        Line("資料代", 1, 555, "standard_10"),
    ]
    totals = rate_totals(lines, "floor")
    assert [t.tax_category for t in totals] == list(SUMMARY_ORDER)
    assert [(t.net, t.tax) for t in totals] == [
        (1555, 155),  # 155.5 → 155
        (3825, 306),  # 2160 + 1665 = 3825 × 8% = 306.0
        (5000, 0),
        (70000, 0),
    ]
    assert [t.rate for t in totals] == [Fraction(1, 10), Fraction(2, 25), 0, 0]
    assert grand_total(totals) == 1555 + 155 + 3825 + 306 + 5000 + 70000
    half_up = rate_totals(lines, "half_up")
    assert [t.tax for t in half_up] == [156, 306, 0, 0]


def test_only_categories_present_are_listed():
    lines = [Line("年会費", 1, 30000, "out_of_scope"), Line("弁当", 1, 1001, "reduced_8")]
    totals = rate_totals(lines)
    assert [(t.tax_category, t.net, t.tax) for t in totals] == [("reduced_8", 1001, 80), ("out_of_scope", 30000, 0)]
    assert rate_totals([]) == []
    assert grand_total([]) == 0


def test_unknown_tax_category_refused():
    with pytest.raises(ValueError, match="tax category"):
        rate_totals([Line("x", 1, 100, "standard_5")])


@pytest.mark.parametrize(("mode", "tax"), [("floor", 28), ("half_up", 29), ("ceil", 29)])
def test_prices_including_tax(mode, tax):
    """315円 tax-included at 10%: tax = 315 × 10/110 = 28.636…, once for the rate; net is the rest."""
    [total] = rate_totals(seminar_lines(), mode, prices_include_tax=True)
    assert (total.net, total.tax, total.gross) == (315 - tax, tax, 315)


def test_prices_including_tax_mixed_rates():
    lines = [Line("セミナー", 1, 1100, "standard_10"), Line("お茶", 1, 1080, "reduced_8"),
             Line("会費", 1, 70000, "out_of_scope")]
    totals = rate_totals(lines, "floor", prices_include_tax=True)
    assert [(t.tax_category, t.net, t.tax, t.gross) for t in totals] == [
        ("standard_10", 1000, 100, 1100), ("reduced_8", 1000, 80, 1080), ("out_of_scope", 70000, 0, 70000)]
    assert grand_total(totals) == 1100 + 1080 + 70000  # tax-included prices: the total is what the lines say


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("include", [False, True])
def test_negative_amounts_mirror_positive(mode, include):
    positive = seminar_lines() + [Line("お茶", 3, 333, "reduced_8"), Line("会費", 1, 70000, "out_of_scope")]
    negative = [Line(line.description, line.quantity, -line.unit_price, line.tax_category) for line in positive]
    mirrored = [RateTotal(t.tax_category, -t.net, -t.tax) for t in rate_totals(positive, mode, include)]
    assert rate_totals(negative, mode, include) == mirrored
    assert grand_total(rate_totals(negative, mode, include)) == -grand_total(rate_totals(positive, mode, include))


def test_rate_total_properties():
    total = RateTotal("reduced_8", 1000, 80)
    assert (total.gross, total.rate) == (1080, Fraction(8, 100))


# --- property: the tax of each rate is the rounded total of that rate ---------------------------

lines_strategy = st.lists(
    st.builds(Line, st.just("明細"), st.integers(1, 50), st.integers(-100_000, 100_000), st.sampled_from(list(RATES))),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(lines=lines_strategy, mode=st.sampled_from(MODES), include=st.booleans())
def test_tax_is_rounded_once_per_rate(lines, mode, include):
    totals = rate_totals(lines, mode, include)
    present = {line.tax_category for line in lines}
    assert [t.tax_category for t in totals] == [c for c in SUMMARY_ORDER if c in present]
    for total in totals:
        amount = sum(line.amount for line in lines if line.tax_category == total.tax_category)
        rate = RATES[total.tax_category]
        if include:
            assert total.tax == round_yen(Fraction(amount) * rate / (1 + rate), mode)
            assert total.gross == amount
        else:
            assert total.tax == round_yen(Fraction(amount) * rate, mode)
            assert total.net == amount
        if rate == 0:
            assert total.tax == 0
    assert grand_total(totals) == sum(t.net + t.tax for t in totals)


@settings(max_examples=100, deadline=None)
@given(lines=lines_strategy, mode=st.sampled_from(MODES))
def test_negated_lines_give_negated_totals(lines, mode):
    negated = [Line(line.description, line.quantity, -line.unit_price, line.tax_category) for line in lines]
    assert [(t.net, t.tax) for t in rate_totals(negated, mode)] == [(-t.net, -t.tax) for t in rate_totals(lines, mode)]
