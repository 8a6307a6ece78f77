"""What a 実績報告書 (or an interim status report) shows: plain values, gathered by services.grants, and the
rules both its PDF (documents.grant_report) and its workbook (exports.grant_excel) print by: the title, what
an expense counts toward the subsidy and why, how the subsidy is computed, in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from tama_desk.domain import subsidy
from tama_desk.domain.dates import format_date_ja
from tama_desk.domain.invoice import Issuer
from tama_desk.domain.subsidy import Settlement, floor_unit


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


NEAR_LIMIT = Fraction(9, 10)  # 執行率 from which a category is marked in the status report
FORMULAS = {"rate": "補助率方式", "ratio": "按分方式"}
REPORT_TITLE = "補助事業実績報告書"


# --- what the PDF and the Excel workbook print (shared rules) ------------------------------------------


def title_of(report: GrantReport) -> str:
    if report.as_of is None:
        return REPORT_TITLE
    return f"補助事業 執行状況（{format_date_ja(report.as_of)} 現在）"


def counted_eligible(report: GrantReport, expense: ReportExpense) -> int:
    """What an expense adds to its category's 補助対象 実績額: nothing when paid outside the project period or
    booked in a category outside the decision (as services.grants.figures counts)."""
    header = report.header
    return subsidy.counted_eligible(expense.eligible_amount, expense.payment_date, header.period_start,
                                    header.period_end, expense.category in report.decided_by_category)


def expense_remark(report: GrantReport, expense: ReportExpense) -> tuple[str, bool]:
    """(remark, ineligible): why an expense counts for less than it cost, for the 対象外理由 column."""
    header = report.header
    counted = counted_eligible(report, expense)
    reasons = []
    if not header.period_start <= expense.payment_date <= header.period_end:
        reasons.append("事業期間外の支払")
    if expense.category not in report.decided_by_category:
        reasons.append("交付決定外の経費区分")
    if expense.ineligible_reason:
        reasons.append(expense.ineligible_reason)
    if not reasons:
        return "", False
    if counted == 0 and expense.amount > 0:
        return "対象外：" + "、".join(reasons), True
    return "一部対象外：" + "、".join(reasons), True


def rounding_text(unit: int) -> str:
    return f"{unit:,}円未満切捨て"


def formula_text(report: GrantReport) -> str:
    """How the subsidy is computed, in words."""
    header = report.header
    if header.formula == "ratio":
        return (f"按分方式：補助金額 ＝ 補助対象経費 × 交付決定額 ÷ 交付決定時の補助対象経費"
                f"（{header.decided_amount:,}円 ÷ {header.decided_eligible_cost:,}円）、{rounding_text(header.rounding_unit)}。"
                "交付決定額を上限とする。")
    return (f"補助率方式：補助金額 ＝ 補助対象経費 × 補助率 {header.rate}、{rounding_text(header.rounding_unit)}。"
            "交付決定額を上限とする。")


def calculation_text(report: GrantReport) -> str:
    """The subsidy worked out with this report's numbers, e.g. 190円 × 160円 ÷ 200円 ＝ 152円."""
    header, settlement = report.header, report.settlement
    eligible = settlement.eligible_cost
    if header.formula == "ratio" and header.decided_eligible_cost:
        expression = f"{eligible:,}円 × {header.decided_amount:,}円 ÷ {header.decided_eligible_cost:,}円"
        raw = floor_unit(Fraction(eligible * header.decided_amount, header.decided_eligible_cost), header.rounding_unit)
    else:
        expression = f"{eligible:,}円 × {header.rate}"
        raw = floor_unit(eligible * Fraction(header.rate), header.rounding_unit)
    text = f"{expression} ＝ {raw:,}円（{rounding_text(header.rounding_unit)}）"
    if raw > header.decided_amount:
        text += f" ＞ 交付決定額 {header.decided_amount:,}円 のため {settlement.subsidy:,}円"
    return text


def elapsed_days(report: GrantReport) -> tuple[int, int]:
    """(days of the project period passed by `as_of`, days in the period), both ends counted."""
    header = report.header
    total = (header.period_end - header.period_start).days + 1
    as_of = report.as_of or header.period_end
    return min(total, max(0, (as_of - header.period_start).days + 1)), total
