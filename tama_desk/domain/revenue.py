"""The revenue picture as plain values (sources, years, grants, pipeline, runway): what the services compute
and the documents and workbooks print."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

SOURCES = {"dues": "会費", "contracts": "委託事業", "grants": "補助金", "business": "事業収入"}
YEARS_SHOWN = 5


@dataclass(frozen=True)
class YearRevenue:
    year: int
    dues: int = 0
    contracts: int = 0
    grants: int = 0
    business: int = 0

    @property
    def total(self) -> int:
        return self.dues + self.contracts + self.grants + self.business

    @property
    def without_grants(self) -> int:
        return self.dues + self.contracts

    def by_source(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in SOURCES}


@dataclass(frozen=True)
class GrantIncome:
    name: str
    grantor: str
    fiscal_year: int
    decided: int
    received: int
    period_end: date
    continues_next_year: bool
    settled: bool = False  # 額確定 or 精算済: what was received is the income

    @property
    def income(self) -> int:
        """The year's income from it: what was received once the amount is settled, else the decided amount
        (or more, when more was received)."""
        return self.received if self.settled else max(self.received, self.decided)


@dataclass(frozen=True)
class PipelineItem:
    name: str
    client: str
    status: str  # 契約済 | 見込み
    amount: int


@dataclass(frozen=True)
class Runway:
    """Months of fixed costs paid by `income` (one decimal, rounded down); None without fixed costs."""

    fixed_costs: int
    this_year_own: int  # dues + contracts
    next_year_own: int
    next_year_grants: int

    @property
    def months(self) -> Decimal | None:
        return months_covered(self.this_year_own, self.fixed_costs)

    @property
    def next_year_months(self) -> Decimal | None:
        return months_covered(self.next_year_own, self.fixed_costs)

    @property
    def next_year_months_with_grants(self) -> Decimal | None:
        return months_covered(self.next_year_own + self.next_year_grants, self.fixed_costs)

    @property
    def next_year_gap(self) -> int:
        """What next year's own income and continuing grants leave uncovered (negative: a surplus)."""
        return self.fixed_costs - self.next_year_own - self.next_year_grants


@dataclass(frozen=True)
class RevenuePicture:
    fiscal_year: int
    association: str
    years: tuple[YearRevenue, ...]  # oldest first, the report's year last
    collection_billed: int
    collection_paid: int
    members: tuple[tuple[int, int], ...]  # (year, active members at year end)
    pipeline: tuple[PipelineItem, ...]
    grants: tuple[GrantIncome, ...]
    runway: Runway
    notes: tuple[str, ...] = field(default=())

    @property
    def this_year(self) -> YearRevenue:
        return self.years[-1]

    @property
    def collection_rate(self) -> Decimal | None:
        if not self.collection_billed:
            return None
        return (Decimal(self.collection_paid) * 100 / self.collection_billed).quantize(Decimal("0.1"), ROUND_DOWN)


def months_covered(income: int, annual_costs: int) -> Decimal | None:
    if annual_costs <= 0:
        return None
    return (Decimal(income) * 12 / annual_costs).quantize(Decimal("0.1"), ROUND_DOWN)


# --- hooks the contracts area fills in ----------------------------------------------------------------------------
