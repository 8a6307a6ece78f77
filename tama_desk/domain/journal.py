"""What becomes a journal entry (仕訳) for the accountant's software: pure rules over plain facts.

- An issued invoice: receivable (未収会費 for dues and admission fees, else 売掛金) / revenue per tax rate
  (受取会費, 受取入会金, 受託事業収益, 事業収益); its cancellation or a credit note is the same entry reversed.
- A payment: 普通預金 / the receivable of each invoice it settles; what is left over is 前受金.
  A write-off (the bank fee a payer deducted: a WriteOff row, 振込手数料差引, from the statement import or
  `accounting write-off`) is 支払手数料 / the receivable, one entry per write-off.
- A grant's receipt: 普通預金 / 受取補助金 (不課税). A cost recorded here: its account / 普通預金.
補助科目 is the member's or client's name; 部門 the contract or grant (or, as a setting, put into 摘要).
Amounts are tax-included; each row carries its tax amount (computed once per rate on the invoice).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

# role → (label shown in 設定, default account name)
ACCOUNT_ROLES: dict[str, tuple[str, str]] = {
    "receivable": ("売掛金（会費以外）", "売掛金"),
    "dues_receivable": ("未収会費", "未収会費"),
    "dues_revenue": ("会費収入", "受取会費"),
    "admission_revenue": ("入会金収入", "受取入会金"),
    "contract_revenue": ("委託事業収入", "受託事業収益"),
    "business_revenue": ("事業収入（セミナー等）", "事業収益"),
    "grant_revenue": ("補助金収入", "受取補助金"),
    "bank": ("入金口座", "普通預金"),
    "advance_received": ("前受金（過入金）", "前受金"),
    "fee_expense": ("差引手数料（償却）", "支払手数料"),
    "cost_default": ("経費（費目の対応がないとき）", "雑費"),
}
# 費目 (grant expense category) → account, when the mapping has no "cost:<費目>" entry
DEFAULT_COST_ACCOUNTS = {"謝金": "諸謝金", "旅費": "旅費交通費", "会議費": "会議費", "委託費": "業務委託費",
                         "印刷製本費": "印刷製本費", "通信運搬費": "通信運搬費", "借料及び損料": "賃借料",
                         "消耗品費": "消耗品費", "広報費": "広告宣伝費", "人件費": "給料手当"}
DUES_PURPOSES = ("annual_fee", "admission_fee")
CONTRACT_PURPOSES = ("contract",)  # what services pass for an invoice of a municipal contract
SALES_TAX = {"standard_10": "sales_10", "reduced_8": "sales_8", "exempt": "sales_exempt",
             "out_of_scope": "out_of_scope"}
# the tax codes used here (the exporters name them as each software does)
TAX_CODES = ("sales_10", "sales_8", "sales_exempt", "out_of_scope", "purchase_10", "purchase_8")


def default_accounts() -> dict[str, str]:
    return {role: default for role, (_label, default) in ACCOUNT_ROLES.items()}


@dataclass(frozen=True)
class Side:
    account: str
    amount: int
    sub: str = ""
    department: str = ""
    tax: str = "out_of_scope"
    tax_amount: int = 0


@dataclass(frozen=True)
class Row:
    debit: Side
    credit: Side
    invoice: str = ""  # a payment's or write-off's row: the number of the invoice it settles

    def reversed(self) -> Row:
        return Row(self.credit, self.debit, self.invoice)


@dataclass(frozen=True)
class Entry:
    """One 伝票: one or more balanced rows on one date. `key` names the record and event it comes from."""

    key: str
    kind: str  # sale | sale_reversal | payment | payment_reversal | write_off | grant_receipt | cost
    on: date
    number: str
    memo: str
    partner: str
    rows: tuple[Row, ...]
    due_date: date | None = None
    settled_on: date | None = None  # freee: money moved at once (grant receipt, cost)

    @property
    def total(self) -> int:
        return sum(row.debit.amount for row in self.rows)


@dataclass(frozen=True)
class InvoiceFacts:
    id: int
    number: str
    kind: str  # invoice | credit_note
    purpose: str
    issue_date: date
    due_date: date | None
    partner: str
    subject: str
    totals: tuple[tuple[str, int, int], ...]  # (tax category, net, tax) per rate
    department: str = ""
    cancelled_on: date | None = None


@dataclass(frozen=True)
class PaymentFacts:
    id: int
    received_on: date
    partner: str
    method: str
    amount: int
    allocations: tuple[tuple[str, str, int], ...]  # (invoice number, purpose, amount)
    reversed_on: date | None = None


@dataclass(frozen=True)
class WriteOffFacts:
    """A shortfall written off (db.models_feedocs.WriteOff, e.g. 振込手数料差引); void when its payment is."""

    id: int
    written_on: date
    partner: str
    invoice_number: str
    purpose: str
    amount: int
    void_on: date | None = None


@dataclass(frozen=True)
class GrantReceiptFacts:
    id: int
    received_on: date
    grant: str
    grantor: str
    amount: int
    memo: str = ""


@dataclass(frozen=True)
class CostFacts:
    key: str  # "expenditure:12" …
    paid_on: date
    payee: str
    category: str
    amount: int
    tax: int
    department: str
    memo: str


def receivable_role(purpose: str) -> str:
    return "dues_receivable" if purpose in DUES_PURPOSES else "receivable"


def revenue_role(purpose: str) -> str:
    if purpose == "annual_fee":
        return "dues_revenue"
    if purpose == "admission_fee":
        return "admission_revenue"
    return "contract_revenue" if purpose in CONTRACT_PURPOSES else "business_revenue"


def cost_account(accounts: Mapping[str, str], category: str) -> str:
    return accounts.get(f"cost:{category}") or DEFAULT_COST_ACCOUNTS.get(category) or accounts["cost_default"]


def invoice_entries(facts: InvoiceFacts, accounts: Mapping[str, str]) -> list[Entry]:
    """The sale (a credit note: its reverse) and, when cancelled, the reverse of that."""
    rows = tuple(
        Row(Side(accounts[receivable_role(facts.purpose)], net + tax, facts.partner, facts.department),
            Side(accounts[revenue_role(facts.purpose)], net + tax, facts.partner, facts.department,
                 SALES_TAX[category], tax))
        for category, net, tax in facts.totals if net + tax)
    if not rows:
        return []
    memo = f"{facts.number} {facts.subject}".strip()
    credit_note = facts.kind == "credit_note"
    issued = Entry(f"invoice:{facts.id}:issue", "sale_reversal" if credit_note else "sale", facts.issue_date,
                   facts.number, memo, facts.partner,
                   tuple(row.reversed() for row in rows) if credit_note else rows, facts.due_date)
    entries = [issued]
    if facts.cancelled_on:
        entries.append(replace(issued, key=f"invoice:{facts.id}:cancel", on=facts.cancelled_on,
                               kind="sale" if credit_note else "sale_reversal", memo=f"取消 {memo}",
                               rows=tuple(row.reversed() for row in issued.rows)))
    return entries


def payment_entries(facts: PaymentFacts, accounts: Mapping[str, str]) -> list[Entry]:
    """Money received: 普通預金 / the receivable of each invoice it settled; what is left over 前受金. A write-off
    is never a payment (write_off_entries)."""
    bank = accounts["bank"]
    rows = [Row(Side(bank, amount), Side(accounts[receivable_role(purpose)], amount, facts.partner), number)
            for number, purpose, amount in facts.allocations if amount]
    left = facts.amount - sum(amount for _n, _p, amount in facts.allocations)
    if left > 0:
        rows.append(Row(Side(bank, left), Side(accounts["advance_received"], left, facts.partner)))
    if not rows:
        return []
    numbers = " ".join(number for number, _p, _a in facts.allocations)
    entry = Entry(f"payment:{facts.id}", "payment", facts.received_on, numbers,
                  f"入金 {facts.partner} {numbers}".strip(), facts.partner, tuple(rows))
    return _with_reversal(entry, facts.reversed_on)


def _fee_row(accounts: Mapping[str, str], partner: str, purpose: str, amount: int, invoice: str) -> Row:
    """支払手数料 (課税仕入 10 %, tax included) / the invoice's receivable."""
    return Row(Side(accounts["fee_expense"], amount, partner, tax="purchase_10", tax_amount=amount * 10 // 110),
               Side(accounts[receivable_role(purpose)], amount, partner), invoice)


def _with_reversal(entry: Entry, reversed_on: date | None) -> list[Entry]:
    """The entry and, when its record was undone, the same entry reversed on that date."""
    if not reversed_on:
        return [entry]
    return [entry, replace(entry, key=f"{entry.key}:reverse", kind="payment_reversal", on=reversed_on,
                           memo=f"取消 {entry.memo}", rows=tuple(row.reversed() for row in entry.rows))]


def write_off_entries(facts: WriteOffFacts, accounts: Mapping[str, str]) -> list[Entry]:
    """A written-off shortfall: 支払手数料 / the receivable on its date; reversed when voided."""
    entry = Entry(f"write_off:{facts.id}", "write_off", facts.written_on, facts.invoice_number,
                  f"手数料差引 {facts.partner} {facts.invoice_number}", facts.partner,
                  (_fee_row(accounts, facts.partner, facts.purpose, facts.amount, facts.invoice_number),))
    return _with_reversal(entry, facts.void_on)


def grant_receipt_entry(facts: GrantReceiptFacts, accounts: Mapping[str, str]) -> Entry:
    row = Row(Side(accounts["bank"], facts.amount),
              Side(accounts["grant_revenue"], facts.amount, facts.grantor, facts.grant))
    memo = f"補助金受取 {facts.grant} {facts.memo}".strip()
    return Entry(f"grant_receipt:{facts.id}", "grant_receipt", facts.received_on, "", memo, facts.grantor, (row,),
                 settled_on=facts.received_on)


def cost_entry(facts: CostFacts, accounts: Mapping[str, str]) -> Entry:
    tax_code = "out_of_scope"
    if facts.tax:
        tax_code = "purchase_8" if facts.tax == facts.amount * 8 // 108 else "purchase_10"
    row = Row(Side(cost_account(accounts, facts.category), facts.amount, facts.payee, facts.department, tax_code,
                   facts.tax),
              Side(accounts["bank"], facts.amount))
    return Entry(facts.key, "cost", facts.paid_on, "", f"{facts.payee} {facts.memo}".strip(), facts.payee, (row,),
                 settled_on=facts.paid_on)


def department_into_memo(entries: Iterable[Entry]) -> list[Entry]:
    """For software that cannot import 部門 (弥生 スタンダード): 【部門】 goes in front of 摘要 instead."""
    result = []
    for entry in entries:
        departments = [side.department for row in entry.rows for side in (row.debit, row.credit) if side.department]
        if not departments:
            result.append(entry)
            continue
        rows = tuple(replace(row, debit=replace(row.debit, department=""), credit=replace(row.credit, department=""))
                     for row in entry.rows)
        result.append(replace(entry, rows=rows, memo=f"【{departments[0]}】{entry.memo}"))
    return result


def accounts_used(entries: Iterable[Entry]) -> set[str]:
    return {side.account for entry in entries for row in entry.rows for side in (row.debit, row.credit)}


def unknown_accounts(names: Iterable[str], known: Iterable[str]) -> list[str]:
    """The names not in the accountant's pasted list (empty list: nothing to check against)."""
    known_set = {name.strip() for name in known if name.strip()}
    if not known_set:
        return []
    return sorted(name for name in set(names) if name not in known_set)


def parse_name_list(text: str) -> list[str]:
    """A pasted list of account names: one per line, or separated by tabs/commas (a copied column or row)."""
    names = []
    for line in text.replace("\r", "\n").split("\n"):
        for part in line.replace("\t", ",").split(","):
            if part.strip() and part.strip() not in names:
                names.append(part.strip())
    return names
