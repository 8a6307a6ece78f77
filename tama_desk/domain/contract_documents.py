"""Plain data of the contract documents (完了届, 精算書, 収支報告, 委託事業一覧) and of the contract list: the
service fills them, the window, the renderers and the Excel export read them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tama_desk.domain import contracts as rules
from tama_desk.domain.invoice import Issuer, Recipient


def _iso(day: date) -> str:
    return f"{day:%Y-%m-%d}"


@dataclass(frozen=True)
class AmendmentLine:
    """One 変更契約 as the documents print it: 第N回 in date order, the amount and the period before and after."""

    number: int
    amended_on: date
    reason: str
    amount_before: int
    amount_after: int
    period_start_before: date
    period_end_before: date
    period_start_after: date
    period_end_after: date
    changes: tuple[str, ...] = ()  # the milestones it added, removed or changed, as sentences

    @property
    def period_changed(self) -> bool:
        return (self.period_start_before, self.period_end_before) != (self.period_start_after, self.period_end_after)

    def amount_text(self) -> str:
        if self.amount_before == self.amount_after:
            return f"{self.amount_after:,}円（変更なし）"
        return f"{self.amount_before:,}円→{self.amount_after:,}円"

    def period_text(self, day: Callable[[date], str] = _iso) -> str:
        after = f"{day(self.period_start_after)}〜{day(self.period_end_after)}"
        if not self.period_changed:
            return f"{after}（変更なし）"
        return f"{day(self.period_start_before)}〜{day(self.period_end_before)}→{after}"

    def summary(self) -> str:
        """第1回 2026-09-01: 契約金額 3,300,000円→3,500,000円、期間 …（理由）, on one line."""
        parts = [f"契約金額 {self.amount_text()}"] if self.amount_before != self.amount_after else []
        if self.period_changed:
            parts.append(f"期間 {self.period_text()}")
        parts += self.changes
        return f"第{self.number}回 {self.amended_on:%Y-%m-%d}: " + ("、".join(parts) or "変更内容の記録なし") + (
            f"（{self.reason}）" if self.reason else "")


@dataclass(frozen=True)
class ContractHeader:
    title: str
    client: str
    number: str  # the client's 契約番号
    reference: str
    kind: str
    payment_terms: str  # label: 完了払い …
    signed_on: date | None
    period_start: date
    period_end: date
    amount: int  # tax included (as amended)
    tax_amount: int
    final_amount: int | None
    tax_category: str = "課税10%"  # label of the invoice-engine code
    amendments: tuple[AmendmentLine, ...] = ()

    @property
    def original_amount(self) -> int:
        """契約金額 before the first 変更契約."""
        return self.amendments[0].amount_before if self.amendments else self.amount


@dataclass(frozen=True)
class LetterData:
    """A letter about a contract: 業務完了届 or 委託料精算書."""

    kind: str  # completion | settlement
    date: date
    issuer: Issuer
    recipient: Recipient
    contract: ContractHeader
    completed_on: date | None = None
    deliverables: tuple[str, ...] = ()
    advance: int = 0  # 概算払額 (invoiced before the settlement)
    balance: int = 0  # 差引請求額
    refund: int = 0  # 返還額
    wareki: bool = False


@dataclass(frozen=True)
class CostLine:
    voucher_number: str
    payment_date: date
    category: str
    payee: str
    description: str
    amount: int  # tax included
    tax: int

    @property
    def net(self) -> int:
        return self.amount - self.tax


@dataclass(frozen=True)
class BalanceReport:
    """収支報告 of one contract: revenue tax excluded, costs by 費目 tax excluded, margin."""

    date: date
    issuer: Issuer
    contract: ContractHeader
    revenue: int  # tax included (確定額 or 契約金額)
    revenue_net: int
    costs: dict[str, int]  # 費目 → tax excluded
    management_fee_rate: str  # as printed, e.g. 10%
    management_fee: int
    invoiced: int
    paid: int
    lines: tuple[CostLine, ...] = ()
    wareki: bool = False
    status: str = ""

    @property
    def cost_total(self) -> int:
        return sum(self.costs.values())

    @property
    def margin(self) -> int:
        return self.revenue_net - self.cost_total


@dataclass(frozen=True)
class ContractRow:
    """One contract of the list (the window, `contracts list`) with its figures; codes, not labels."""

    id: int
    fiscal_year: int
    client: str
    title: str
    number: str
    period_start: date
    period_end: date
    payment_terms: str
    amount: int
    final_amount: int | None
    invoiced: int
    paid: int
    open: int
    cost: int  # tax excluded
    status: str
    next_deadline: rules.Deadline | None
    overdue: bool
    tax_category: str = "standard_10"

    @property
    def billable(self) -> int:
        return self.final_amount if self.final_amount is not None else self.amount

    @property
    def revenue(self) -> int:
        """確定額 (or 契約金額 until settled), tax excluded."""
        return rules.net_of_tax(self.billable, self.tax_category)

    @property
    def margin(self) -> int:
        return self.revenue - self.cost


@dataclass(frozen=True)
class RegisterRow:
    """One row of the 委託事業一覧: the list's row of the contract and its 変更契約."""

    contract: ContractRow
    amendments: tuple[AmendmentLine, ...] = ()

    @property
    def original_amount(self) -> int:
        return self.amendments[0].amount_before if self.amendments else self.contract.amount
