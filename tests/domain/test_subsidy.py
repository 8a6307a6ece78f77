from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tama_desk.domain import subsidy
from tama_desk.domain.subsidy import CategoryFigures, GrantTerms


def test_ratio_formula_worked_example_190_of_200_with_160_decided():
    terms = GrantTerms(decided_amount=160, rate=Fraction(4, 5), formula="ratio", decided_eligible_cost=200)
    assert subsidy.subsidy(terms, 190) == 152
    assert subsidy.to_return(152, advance_paid=160) == 8


def test_rate_formula_is_capped_at_the_decided_amount():
    terms = GrantTerms(decided_amount=1_000_000, rate=Fraction(2, 3))
    assert subsidy.subsidy(terms, 2_000_000) == 1_000_000
    assert subsidy.subsidy(terms, 1_200_000) == 800_000
    assert subsidy.subsidy(terms, 1_000_001) == 666_667  # 666,667.33 → down


def test_rounding_unit_of_1000_rounds_down():
    terms = GrantTerms(decided_amount=10_000_000, rate=Fraction(2, 3), rounding_unit=1000)
    assert subsidy.subsidy(terms, 1_234_567) == 823_000


@pytest.mark.parametrize(("text", "rate"), [("2/3", Fraction(2, 3)), ("1/2", Fraction(1, 2)), ("10/10", Fraction(1)),
                                            ("50%", Fraction(1, 2)), ("0.75", Fraction(3, 4))])
def test_parse_rate(text, rate):
    assert subsidy.parse_rate(text) == rate


@pytest.mark.parametrize("text", ["0", "3/2", "abc", "1/0", "-1/2"])
def test_parse_rate_refuses_nonsense(text):
    with pytest.raises(ValueError):
        subsidy.parse_rate(text)


def test_category_cost_is_capped_by_its_budget_after_reallocation():
    over = CategoryFigures("旅費", planned=100, eligible_planned=100, reallocated=20, actual=150, eligible_actual=140)
    assert over.after_reallocation == 120 and over.eligible_cost == 120 and over.over_budget == 30
    under = CategoryFigures("謝金", 100, 100, -20, 50, 50)
    assert under.eligible_cost == 50 and under.remaining == 30


def test_settle_sums_categories_then_applies_the_formula_once():
    terms = GrantTerms(decided_amount=1_000_000, rate=Fraction(2, 3))
    rows = [CategoryFigures("旅費", 500_000, 500_000, 0, 400_001, 400_001),
            CategoryFigures("謝金", 500_000, 500_000, 0, 100_001, 100_001)]
    settled = subsidy.settle(terms, rows, advance_paid=400_000)
    assert settled.eligible_cost == 500_002
    assert settled.subsidy == 333_334  # 2/3 of the total, not the sum of 2/3 of each
    assert settled.to_return == max(0, 400_000 - 333_334)


def test_reallocation_limit_is_a_share_of_the_lower_category():
    assert subsidy.reallocation_limit(500_000, 300_000) == 60_000
    assert subsidy.reallocation_limit(300_000, 500_000, Fraction(1, 10)) == 30_000


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**8),
       st.sampled_from([Fraction(1, 2), Fraction(2, 3), Fraction(1), Fraction(3, 4)]), st.sampled_from([1, 1000]))
def test_subsidy_never_exceeds_decided_nor_the_exact_share(eligible, decided, rate, unit):
    terms = GrantTerms(decided, rate, rounding_unit=unit)
    amount = subsidy.subsidy(terms, eligible)
    assert 0 <= amount <= decided
    assert amount <= eligible * rate
    assert amount % unit == 0 or amount == decided
