"""Consumption tax on an invoice: amounts per tax category, tax rounded once per rate per invoice.

消令70条の10 / NTA Q&A 問57: the tax of a qualified invoice is computed on the total of each rate and
rounded once; rounding each line and summing is not allowed (105円×3 lines at 10%, floor → 31円, not 30円).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

RATES: dict[str, Fraction] = {
    "standard_10": Fraction(10, 100),
    "reduced_8": Fraction(8, 100),
    "exempt": Fraction(0),
    "out_of_scope": Fraction(0),
}
SUMMARY_ORDER = ("standard_10", "reduced_8", "exempt", "out_of_scope")
SUMMARY_LABELS = {"standard_10": "10%対象", "reduced_8": "8%対象（軽減税率）", "exempt": "非課税", "out_of_scope": "不課税"}


def round_yen(value: Fraction, mode: str) -> int:
    """Round a non-negative or negative amount of yen: floor (切捨て), half_up (四捨五入) or ceil (切上げ),
    always away from / toward zero symmetrically so a credit note mirrors its invoice."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    if mode == "floor":
        whole = magnitude.numerator // magnitude.denominator
    elif mode == "ceil":
        whole = -(-magnitude.numerator // magnitude.denominator)
    elif mode == "half_up":
        whole = (magnitude.numerator * 2 + magnitude.denominator) // (magnitude.denominator * 2)
    else:
        raise ValueError(f"unknown rounding mode: {mode}")
    return sign * whole


@dataclass(frozen=True)
class Line:
    description: str
    quantity: int
    unit_price: int
    tax_category: str

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class RateTotal:
    """One row of the per-rate summary: the amount excluding tax, the tax, the amount including it."""

    tax_category: str
    net: int
    tax: int

    @property
    def gross(self) -> int:
        return self.net + self.tax

    @property
    def rate(self) -> Fraction:
        return RATES[self.tax_category]


def rate_totals(lines: Iterable[Line], rounding: str = "floor", prices_include_tax: bool = False) -> list[RateTotal]:
    """Per-category totals in the printed order; tax is computed once per rate.

    With prices excluding tax, tax = round(Σ amounts × rate). With prices including tax,
    tax = round(Σ amounts × rate / (1 + rate)) and the net amount is the rest.
    """
    sums: dict[str, int] = {}
    for line in lines:
        if line.tax_category not in RATES:
            raise ValueError(f"unknown tax category: {line.tax_category}")
        sums[line.tax_category] = sums.get(line.tax_category, 0) + line.amount
    totals = []
    for category in SUMMARY_ORDER:
        if category not in sums:
            continue
        amount, rate = sums[category], RATES[category]
        if prices_include_tax:
            tax = round_yen(amount * rate / (1 + rate), rounding)
            totals.append(RateTotal(category, amount - tax, tax))
        else:
            totals.append(RateTotal(category, amount, round_yen(amount * rate, rounding)))
    return totals


def grand_total(totals: Iterable[RateTotal]) -> int:
    return sum(total.gross for total in totals)
