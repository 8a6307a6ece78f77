"""Fiscal years (年度): a year named by the calendar year it starts in, April–March by default."""

from __future__ import annotations

from datetime import date


def fiscal_year_of(day: date, start_month: int = 4) -> int:
    return day.year if day.month >= start_month else day.year - 1


def fiscal_year_bounds(year: int, start_month: int = 4) -> tuple[date, date]:
    """First and last day of fiscal year `year`."""
    start = date(year, start_month, 1)
    end_year, end_month = (year + 1, start_month - 1) if start_month > 1 else (year, 12)
    next_month_first = date(end_year + (end_month == 12), end_month % 12 + 1, 1)
    return start, date.fromordinal(next_month_first.toordinal() - 1)
