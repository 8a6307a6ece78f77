"""Grant (補助金) arithmetic, exact: budgets after reallocation, eligible cost, subsidy, amount to return.

Money is integer yen and rates are Fractions (1/2, 2/3, 10/10), so nothing is ever off by float rounding.
Two formulas exist, chosen per grant:
- rate:  subsidy = floor_unit(eligible × rate), never above the decided amount (交付決定額);
- ratio: subsidy = floor_unit(eligible × decided amount ÷ decided eligible cost), never above the decided
         amount — e.g. 190 × 160/200 = 152; with 160 paid in advance (概算払), 8 is returned.
The rounding unit (1円 or 1,000円) always rounds down.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

DEFAULT_REALLOCATION_LIMIT = Fraction(20, 100)


def floor_unit(value: Fraction | int, unit: int = 1) -> int:
    """Round down to a multiple of `unit` yen (1 or 1,000)."""
    if unit <= 0:
        raise ValueError("rounding unit must be positive")
    whole = Fraction(value)
    return (whole.numerator // (whole.denominator * unit)) * unit


def parse_rate(text: str) -> Fraction:
    """'2/3', '1/2', '10/10', '0.5' or '50%' → an exact Fraction in (0, 1]."""
    cleaned = text.strip().replace("％", "%")
    try:
        rate = Fraction(cleaned[:-1]) / 100 if cleaned.endswith("%") else Fraction(cleaned)
    except (ValueError, ZeroDivisionError) as error:
        raise ValueError("補助率は「2/3」「0.5」「50%」の形で入力してください") from error
    if not 0 < rate <= 1:
        raise ValueError("補助率は0より大きく1以下です")
    return rate


@dataclass(frozen=True)
class CategoryFigures:
    """One 経費区分 of the 収支決算書."""

    category: str
    planned: int  # 計画額
    eligible_planned: int  # 補助対象の計画額
    reallocated: int  # 流用額 (+ received, − given)
    actual: int  # 実績額 (every expenditure, as paid)
    eligible_actual: int  # 補助対象の実績額

    @property
    def after_reallocation(self) -> int:  # 流用後額
        return self.planned + self.reallocated

    @property
    def eligible_budget(self) -> int:
        return self.eligible_planned + self.reallocated

    @property
    def eligible_cost(self) -> int:
        """What counts toward the subsidy: eligible spending, never above the category's budget."""
        return max(0, min(self.eligible_actual, self.eligible_budget))

    @property
    def over_budget(self) -> int:
        return max(0, self.actual - self.after_reallocation)

    @property
    def remaining(self) -> int:
        return self.after_reallocation - self.actual


@dataclass(frozen=True)
class GrantTerms:
    decided_amount: int  # 交付決定額
    rate: Fraction  # 補助率
    formula: str = "rate"  # "rate" or "ratio"
    decided_eligible_cost: int = 0  # 補助対象経費（交付決定時）, for the ratio formula
    rounding_unit: int = 1


def subsidy(terms: GrantTerms, eligible_cost: int) -> int:
    """The final subsidy (額の確定) for a total eligible cost."""
    if terms.formula == "rate":
        raw = eligible_cost * terms.rate
    elif terms.formula == "ratio":
        if terms.decided_eligible_cost <= 0:
            raise ValueError("按分方式には交付決定時の補助対象経費が必要です")
        raw = Fraction(eligible_cost * terms.decided_amount, terms.decided_eligible_cost)
    else:
        raise ValueError(f"unknown subsidy formula: {terms.formula}")
    return min(floor_unit(raw, terms.rounding_unit), terms.decided_amount)


def category_subsidy(terms: GrantTerms, eligible: int) -> int:
    """A category's share, for the report's column (the total uses `subsidy` on the sum, not this sum)."""
    if terms.formula == "ratio" and terms.decided_eligible_cost:
        return floor_unit(Fraction(eligible * terms.decided_amount, terms.decided_eligible_cost), 1)
    return floor_unit(eligible * terms.rate, 1)


def counted_eligible(eligible_amount: int, payment_date: date, period_start: date, period_end: date,
                     in_decision: bool) -> int:
    """What one expenditure adds to its category's eligible actual: nothing when paid outside the project
    period or booked under a category the decision does not include."""
    if not in_decision or not period_start <= payment_date <= period_end:
        return 0
    return eligible_amount


def to_return(final_subsidy: int, advance_paid: int) -> int:
    """返還額: what was paid in advance beyond the final amount."""
    return max(0, advance_paid - final_subsidy)


@dataclass(frozen=True)
class Settlement:
    categories: tuple[CategoryFigures, ...]
    eligible_cost: int
    subsidy: int
    to_return: int

    def total(self, attribute: str) -> int:
        return sum(getattr(figures, attribute) for figures in self.categories)


def settle(terms: GrantTerms, categories: Iterable[CategoryFigures], advance_paid: int = 0) -> Settlement:
    figures = tuple(categories)
    eligible = sum(item.eligible_cost for item in figures)
    amount = subsidy(terms, eligible)
    return Settlement(figures, eligible, amount, to_return(amount, advance_paid))


def reallocation_limit(planned_from: int, planned_to: int, limit: Fraction = DEFAULT_REALLOCATION_LIMIT) -> int:
    """The most that may move between two categories without prior approval: a share of the LOWER one."""
    return floor_unit(min(planned_from, planned_to) * limit)


def burn_rate(spent: int, budget: int) -> Fraction:
    return Fraction(spent, budget) if budget else Fraction(0)
