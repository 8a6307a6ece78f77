"""Plain data of the contract documents (完了届, 精算書, 収支報告): the service fills them, the renderers and
the Excel export read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tama_desk.domain.invoice import Issuer, Recipient


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
    amount: int  # tax included
    tax_amount: int
    final_amount: int | None


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
class RegisterRow:
    """One row of the 委託事業一覧."""

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
    cost: int  # tax excluded
    status: str
    tax_rate_percent: int = 10
