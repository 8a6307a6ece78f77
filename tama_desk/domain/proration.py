"""How much a member who joins during the fiscal year pays for that year."""

from __future__ import annotations

from datetime import date

PRORATIONS = {"full": "年額（按分なし）", "monthly": "月割（円未満切捨て）", "half_year": "半期（下期入会は半額）"}


def months_remaining(joined: date, year_start: date) -> int:
    """Months of the fiscal year from the join month to the end, the join month included (1..12)."""
    months = (joined.year - year_start.year) * 12 + joined.month - year_start.month
    return 12 - max(0, min(11, months))


def prorated_fee(annual_fee: int, rule: str, joined: date | None, year_start: date) -> int:
    """The fee for the year: full unless the member joined after the year started and the rule says otherwise."""
    if joined is None or joined <= year_start or rule == "full":
        return annual_fee
    remaining = months_remaining(joined, year_start)
    if rule == "monthly":
        return annual_fee * remaining // 12
    if rule == "half_year":
        return annual_fee if remaining > 6 else annual_fee // 2
    raise ValueError(f"unknown proration rule: {rule}")
