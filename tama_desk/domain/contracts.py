"""Municipal contracts (委託事業): the rules over plain values — status, settlement, deadlines, margin.

- Status is computed from the facts, never stored: 見積 → 契約済 → 実施中 → 完了届提出 → 検査済 → 請求済 →
  入金済 (and 中止).
- 概算払い (地方自治法施行令162条): the advance is invoiced first; after the final report the 確定額 is fixed and
  the balance = 確定額 − everything already invoiced (net of credit notes). Because the balance is computed from
  what was invoiced, the advance is deducted exactly once: a second final invoice finds nothing left. When the
  advance exceeds the 確定額 the difference is a 返還 (a credit note against the advance invoice).
- 政府契約の支払遅延防止等に関する法律 (applied to municipalities by its 14条): inspection within 10 days of the
  completion notice (5条), payment within 30 days of a proper invoice (6条); deliverables are flagged 14 days
  before they are due.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from tama_desk.domain.tax import RATES, round_yen
from tama_desk.i18n import Message

PAYMENT_TERMS: dict[str, str] = {"completion": "完了払い", "partial": "部分払い", "advance": "概算払い"}
KINDS: tuple[str, ...] = ("委任", "準委任", "請負")
STATUSES: dict[str, str] = {
    "estimate": "見積", "signed": "契約済", "running": "実施中", "completed": "完了届提出",
    "inspected": "検査済", "invoiced": "請求済", "paid": "入金済", "cancelled": "中止",
}
INSPECTION_DAYS = 10  # 支払遅延防止法5条: inspection within 10 days of the completion notice
PAYMENT_DAYS = 30  # 同6条: payment within 30 days of a proper invoice
DELIVERABLE_WARNING_DAYS = 14


def tax_included_in(amount: int, tax_category: str = "standard_10", rounding: str = "floor") -> int:
    """The consumption tax inside a tax-included amount (what a contract states as うち消費税額)."""
    rate = RATES[tax_category]
    return round_yen(Fraction(amount) * rate / (1 + rate), rounding) if rate else 0


def net_of_tax(amount: int, tax_category: str = "standard_10", rounding: str = "floor") -> int:
    return amount - tax_included_in(amount, tax_category, rounding)


@dataclass(frozen=True)
class ContractFacts:
    """What happened to a contract, as plain values (the service gathers them)."""

    signed_on: date | None
    period_start: date
    period_end: date
    payment_terms: str
    amount: int  # 契約金額 (tax included), after amendments
    final_amount: int | None = None  # 確定額 (概算払い, after 精算)
    completed_on: date | None = None  # 完了届 (the whole contract, or the last milestone's)
    inspected_on: date | None = None
    inspection_passed: bool = True
    cancelled: bool = False
    invoiced: int = 0  # net of credit notes, live invoices only
    open: int = 0  # still unpaid on those invoices

    @property
    def billable(self) -> int:
        """What the client owes in the end: the 確定額 once fixed, else the contract amount."""
        return self.final_amount if self.final_amount is not None else self.amount

    @property
    def fully_invoiced(self) -> bool:
        if self.payment_terms == "advance" and self.final_amount is None:
            return False
        return self.invoiced == self.billable and (self.invoiced > 0 or self.billable == 0)


def status_of(facts: ContractFacts, today: date) -> str:
    if facts.cancelled:
        return "cancelled"
    if facts.signed_on is None:
        return "estimate"
    if facts.fully_invoiced:
        return "paid" if facts.open == 0 else "invoiced"
    if facts.inspected_on and facts.inspection_passed:
        return "inspected"
    if facts.completed_on:
        return "completed"
    return "running" if today >= facts.period_start else "signed"


# --- 概算払い settlement ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Settlement:
    """精算: 確定額 against what was already invoiced (the advance, net of any credit note)."""

    final_amount: int  # 確定額
    advance: int  # 概算払額: what was invoiced before the settlement
    balance: int  # 差引請求額 (≥ 0)
    refund: int  # 返還額 (≥ 0)


def settlement(final_amount: int, invoiced_so_far: int) -> Settlement:
    """The one place the advance is deducted: from everything invoiced so far, once."""
    if final_amount < 0:
        raise ValueError("確定額は0円以上です")
    difference = final_amount - invoiced_so_far
    return Settlement(final_amount, invoiced_so_far, max(0, difference), max(0, -difference))


def next_invoice_amount(terms: str, amount: int, invoiced: int, *, milestone_amount: int | None = None,
                        advance: int | None = None, final_amount: int | None = None) -> int:
    """The amount of the next invoice of a contract (tax included), or ValueError with a message key.

    completion: the whole amount once; partial: a milestone's amount, never beyond the contract amount;
    advance: an advance up to the contract amount before 精算; final: 確定額 (or amount) − invoiced so far.
    A negative result of `final` is the refund (the caller issues a credit note)."""
    if milestone_amount is not None:
        if terms != "partial":
            raise ValueError("部分払いの契約ではありません")
        if invoiced + milestone_amount > amount:
            raise ValueError("請求累計が契約金額を超えます")
        return milestone_amount
    if advance is not None:
        if terms != "advance":
            raise ValueError("概算払いの契約ではありません")
        if final_amount is not None:
            raise ValueError("精算後は概算払いを請求できません")
        if advance <= 0 or invoiced + advance > amount:
            raise ValueError("概算払額は1円以上、契約金額以内にしてください")
        return advance
    if terms == "advance" and final_amount is None:
        raise ValueError("先に確定額を登録してください（contracts settle）")
    target = final_amount if final_amount is not None else amount
    left = target - invoiced
    if left == 0:
        raise ValueError("請求する残額がありません（精算済み）")
    return left


# --- deadlines -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    kind: str  # inspection | payment | deliverable | milestone
    due: date
    label: str  # what it is about (a message key with params)
    params: dict = field(default_factory=dict, compare=False)

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def overdue(self, today: date) -> bool:
        return today > self.due


DEADLINE_KINDS = {"inspection": "検査期限", "payment": "支払期限", "deliverable": "成果物提出期限",
                  "milestone": "履行期限"}


@dataclass(frozen=True)
class Completion:
    """A completion notice (完了届) with its inspection, if any."""

    name: str
    completed_on: date
    inspected_on: date | None


@dataclass(frozen=True)
class OpenInvoice:
    number: str
    issue_date: date
    open: int


@dataclass(frozen=True)
class DueItem:
    name: str
    due: date
    done_on: date | None


def deadlines(completions: Iterable[Completion], invoices: Iterable[OpenInvoice],
              deliverables: Iterable[DueItem], today: date) -> list[Deadline]:
    """Deadlines that need attention today, soonest first: every uninspected completion notice (due 10 days
    after it), every open invoice (payment due 30 days after it), every deliverable not yet submitted that
    is due within 14 days or overdue."""
    found = []
    for item in completions:
        if item.inspected_on is None:
            found.append(Deadline("inspection", item.completed_on + timedelta(days=INSPECTION_DAYS),
                                  "{name}: 完了届 {date} の検査", {"name": item.name, "date": item.completed_on}))
    for invoice in invoices:
        if invoice.open > 0:
            found.append(Deadline("payment", invoice.issue_date + timedelta(days=PAYMENT_DAYS),
                                  "請求書 {number} の入金（{amount}円）",
                                  {"number": invoice.number, "amount": f"{invoice.open:,}"}))
    for item in deliverables:
        if item.done_on is None and (item.due - today).days <= DELIVERABLE_WARNING_DAYS:
            found.append(Deadline("deliverable", item.due, "成果物「{name}」の提出", {"name": item.name}))
    return sorted(found, key=lambda deadline: (deadline.due, deadline.kind))


def payment_due(issue_date: date) -> date:
    return issue_date + timedelta(days=PAYMENT_DAYS)


# --- margin --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Margin:
    """収支: revenue and costs, both tax excluded, costs by 費目; the management fee the contract allows."""

    revenue: int
    costs: dict[str, int]
    management_fee_rate: Fraction = Fraction(0)

    @property
    def cost_total(self) -> int:
        return sum(self.costs.values())

    @property
    def margin(self) -> int:
        return self.revenue - self.cost_total

    @property
    def management_fee(self) -> int:
        """一般管理費 the contract allows: direct costs × rate, yen down."""
        return int(self.cost_total * self.management_fee_rate)

    @property
    def margin_rate(self) -> Fraction | None:
        return Fraction(self.margin, self.revenue) if self.revenue else None


def margin(revenue_tax_included: int, costs: Mapping[str, int], tax_category: str = "standard_10",
           management_fee_rate: Fraction = Fraction(0)) -> Margin:
    """`costs` maps 費目 → amount tax excluded."""
    return Margin(net_of_tax(revenue_tax_included, tax_category), dict(costs), management_fee_rate)


def parse_rate(text: str) -> Fraction:
    """A management-fee rate as typed: `10%`, `0.1`, `1/10`; ValueError with a message key otherwise."""
    cleaned = (text or "0").strip().replace("％", "%")
    try:
        value = Fraction(cleaned[:-1]) / 100 if cleaned.endswith("%") else Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise ValueError("率は「10%」「0.1」「1/10」の形で入力してください") from None
    if not 0 <= value < 1:
        raise ValueError("率は0%以上100%未満にしてください")
    return value


# --- amendments (変更契約) of milestones -------------------------------------------------------------

MILESTONE_CHANGES: dict[str, str] = {"added": "追加", "removed": "削除", "changed": "変更"}


@dataclass(frozen=True)
class MilestoneEdit:
    """What an amendment asks for one milestone: `position` None adds a new one (name, due and amount needed);
    `remove` removes milestone `position`; otherwise the fields given (not None) change."""

    position: int | None = None
    name: str | None = None
    due: date | None = None
    amount: int | None = None
    remove: bool = False


@dataclass(frozen=True)
class MilestoneChange:
    """What an amendment did to one milestone, before and after (None: there was none / is none)."""

    position: int
    change: str  # added / removed / changed
    name_before: str = ""
    name_after: str = ""
    due_before: date | None = None
    due_after: date | None = None
    amount_before: int | None = None
    amount_after: int | None = None

    def text(self) -> Message:
        """The change as one translatable message (history, audit log)."""
        def yen(value: int | None) -> str:
            return "—" if value is None else f"{value:,}"

        def day(value: date | None) -> str:
            return "—" if value is None else f"{value:%Y-%m-%d}"

        if self.change == "added":
            return Message("第{n}回「{name}」を追加（期限 {due}、{amount}円）", n=self.position, name=self.name_after,
                           due=day(self.due_after), amount=yen(self.amount_after))
        if self.change == "removed":
            return Message("第{n}回「{name}」を削除（期限 {due}、{amount}円）", n=self.position, name=self.name_before,
                           due=day(self.due_before), amount=yen(self.amount_before))
        what = []
        if self.name_before != self.name_after:
            what.append(Message("名称 {before}→{after}", before=self.name_before, after=self.name_after))
        if self.due_before != self.due_after:
            what.append(Message("期限 {before}→{after}", before=day(self.due_before), after=day(self.due_after)))
        if self.amount_before != self.amount_after:
            what.append(Message("金額 {before}円→{after}円", before=yen(self.amount_before),
                                after=yen(self.amount_after)))
        return Message("第{n}回「{name}」を変更（{what}）", n=self.position, name=self.name_before, what=tuple(what))
