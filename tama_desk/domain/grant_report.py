"""What a 実績報告書 (or an interim status report) shows: plain values, gathered by services.grants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tama_desk.domain.invoice import Issuer
from tama_desk.domain.subsidy import Settlement


@dataclass(frozen=True)
class ReportHeader:
    grant_name: str
    programme: str
    grantor: str
    fiscal_year: int
    decision_number: str
    decision_date: date | None
    period_start: date
    period_end: date
    decided_amount: int  # 交付決定額
    rate: str  # "2/3"
    formula: str  # "rate" | "ratio"
    decided_eligible_cost: int
    rounding_unit: int
    association: Issuer  # name, representative, address, seal
    summary: str  # 事業の概要
    report_date: date


@dataclass(frozen=True)
class ReportExpense:
    voucher_number: str
    category: str
    contract_date: date | None
    payment_date: date
    payee: str
    description: str
    amount: int  # 支出額（税込）
    eligible_amount: int  # 補助対象額（税抜 by default）
    ineligible_reason: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class GrantReport:
    header: ReportHeader
    settlement: Settlement  # per-category figures, eligible cost, subsidy, amount to return
    decided_by_category: dict[str, int]  # 補助金 交付決定額 per category (eligible planned × rate)
    subsidy_by_category: dict[str, int]  # 補助金 実績額 per category (for the table; the total is settlement.subsidy)
    expenses: tuple[ReportExpense, ...]
    advance_paid: int
    as_of: date | None = None  # set for an interim status report (中間報告): figures up to this date
