"""freee 会計 取引インポート: a header row, one 取引 per record, each invoice a receivable settled later.

Layout and values follow freee's help page 「取引・口座振替のインポート」 (17 columns, header row kept, dates
YYYY/MM/DD) and freee's published 税区分 names (developer.freee.co.jp news 1434: 課税売上10%, 課対仕入10% …;
対象外, 非課売上). More 明細 of one 取引 follow on rows whose 収支区分 … 取引先 and 決済 columns are empty.

In freee a payment is the 決済 of the 取引 it settles, so (nothing missing, nothing twice):
- a sale (収入) whose payment is in the same file carries it as its 決済 (決済日, 決済口座, 決済金額); a fee the
  payer kept back on that day (振込手数料差引) is a 明細 of 支払手数料 with a negative amount, so the 取引 is settled
  by what reached the bank;
- a payment of a sale imported earlier (or a second payment of one sale, or what is left over as 前受金) is its
  own 取引 收入 against 売掛金 (freee books an unsettled 収入 取引 to 売掛金), settled at once — the bank line in
  freee then matches it, and the sale's 売掛金 is cleared once;
- a fee kept back from a payment of a sale imported earlier joins that payment's own 取引 (売掛金 and a negative
  支払手数料 明細), so its total is still what reached the bank;
- a write-off with no payment that day in the file (accounting write-off, a full write-off) would be a 取引 of
  total 0, which freee's 取引 cannot hold (freee's own integrations turn a 0円 取引 into a 振替伝票): the export is
  refused, naming it, with the 振替伝票 to enter in freee (支払手数料 / 売掛金);
- a reversed payment is a 支出 取引 of the same lines, paid back from the bank;
- a credit note or cancellation is a 赤伝: a 収入 取引 of the revenue with negative amounts, unsettled, so freee
  takes it off the receivable (売掛金) — a 支出 取引 would book it to 未払金 (freee help 「登録済みの未決済取引に
  対して返品・返金（赤伝）の仕訳を登録する」); a grant receipt and a cost are settled at once.
UTF-8 with BOM, CR+LF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tama_desk.domain.journal import Entry, Side
from tama_desk.errors import UserError
from tama_desk.exports.journal_csv import CsvBuilder, Rendered

ENCODING = "utf-8"
COLUMNS = ("収支区分", "管理番号", "発生日", "決済期日", "取引先", "勘定科目", "税区分", "金額", "税計算区分", "税額",
           "備考", "品目", "部門", "メモタグ", "決済日", "決済口座", "決済金額")
TAX_NAMES = {"sales_10": "課税売上10%", "sales_8": "課税売上8%（軽）", "sales_exempt": "非課売上",
             "out_of_scope": "対象外", "purchase_10": "課対仕入10%", "purchase_8": "課対仕入8%（軽）"}
NAME_LIMIT, MEMO_LIMIT = 100, 255
FILE_LIMIT = 5 * 1024 * 1024  # freee's help: an import file is at most 5MB
KINDS = ("sale", "sale_reversal", "payment", "payment_reversal", "write_off", "grant_receipt", "cost")
INCOME = ("sale", "sale_reversal", "grant_receipt", "payment", "write_off")


@dataclass
class Deal:
    """One freee 取引: its 明細 (Side: account, tax, amount …) and at most one 決済 (date, account, amount)."""

    income: bool
    entry: Entry
    lines: list[Side]
    settlement: tuple[date, str, int] | None = None


def _negative(side: Side) -> Side:
    return Side(side.account, -side.amount, side.sub, side.department, side.tax, -side.tax_amount)


def deals(entries: Sequence[Entry], bank: str = "普通預金", receivable: str = "売掛金") -> list[Deal]:
    """The 取引 of the file: payments and write-offs folded into the sales they settle where freee can hold them."""
    sales: dict[str, Deal] = {}
    payments: dict[tuple, Deal] = {}  # (day, partner, 収入?) → that day's 取引 of money against 売掛金 (or its return)
    result: list[Deal] = []
    # a day's write-offs (and their reversals) after its payments, so a fee kept back finds the 決済 it belongs to
    for entry in sorted(entries, key=lambda entry: (entry.on, entry.key.startswith("write_off:"))):
        if entry.kind not in KINDS:
            raise ValueError(f"freee does not import {entry.kind} entries")
        income = entry.kind in INCOME
        if entry.kind == "sale_reversal":  # 赤伝: the revenue, negative, against the receivable
            result.append(Deal(True, entry, [_negative(row.debit) for row in entry.rows]))
            continue
        if entry.kind in ("sale", "grant_receipt", "cost"):
            lines = [row.credit if income else row.debit for row in entry.rows]
            money = entry.rows[0].debit if income else entry.rows[0].credit
            deal = Deal(income, entry, lines, (entry.settled_on, money.account, entry.total) if entry.settled_on
                        else None)
            if entry.kind == "sale":
                sales[entry.number] = deal
            result.append(deal)
            continue
        rest, paid = [], 0
        moneyless = all(bank not in (row.debit.account, row.credit.account) for row in entry.rows)
        own = payments.get((entry.on, entry.partner, income)) if moneyless else None
        for row in entry.rows:
            line, other = (row.credit, row.debit) if income else (row.debit, row.credit)
            sale = sales.get(row.invoice) if income and row.invoice else None
            if sale and other.account == bank and sale.settlement is None and entry.on >= sale.entry.on:
                sale.settlement = (entry.on, bank, other.amount)
                continue
            if sale and other.account != bank and sale.settlement and sale.settlement[0] == entry.on:
                sale.lines.append(_negative(other))  # kept back from the payment that settles the sale
                continue
            account = receivable if row.invoice else line.account
            if own is not None and other.account != bank:  # kept back from that day's payment of an earlier sale
                own.lines += [Side(account, line.amount, line.sub, line.department), _negative(other)]
                continue
            rest.append(Side(account, line.amount, line.sub, line.department))
            if other.account == bank:
                paid += other.amount
            else:
                rest.append(_negative(other))
        if rest:
            result.append(Deal(income, entry, rest, (entry.on, bank, paid) if paid else None))
            if paid:
                payments[(entry.on, entry.partner, income)] = result[-1]
    empty = [deal.entry for deal in result if sum(line.amount for line in deal.lines) == 0]
    if empty:
        raise UserError("freee の取引インポートは合計0円の取引を取り込めません: {entries}。この期間は弥生・MF形式で"
                        "書き出すか、freee で振替伝票（支払手数料 / 売掛金）として登録してください",
                        entries=tuple(f"{entry.memo}（{entry.on:%Y-%m-%d}）" for entry in empty))
    return result


def render(entries: Sequence[Entry], bank: str = "普通預金", receivable: str = "売掛金") -> Rendered:
    out = CsvBuilder(ENCODING, header=list(COLUMNS))
    for deal in deals(entries, bank, receivable):
        entry = deal.entry
        for position, line in enumerate(deal.lines):
            first = position == 0
            head = ["収入" if deal.income else "支出", entry.number, f"{entry.on:%Y/%m/%d}",
                    f"{entry.due_date:%Y/%m/%d}" if entry.due_date and not deal.settlement else "",
                    out.cell(entry.partner, "取引先", NAME_LIMIT, entry.key)] if first else [""] * 5
            taxed = line.tax not in ("out_of_scope", "sales_exempt")
            settle = ["", "", ""]
            if first and deal.settlement:
                on, account, amount = deal.settlement
                settle = [f"{on:%Y/%m/%d}", out.cell(account, "決済口座", NAME_LIMIT, entry.key), str(amount)]
            out.add([*head, out.cell(line.account, "勘定科目", NAME_LIMIT, entry.key), TAX_NAMES[line.tax],
                     str(line.amount), "内税" if taxed else "", str(line.tax_amount) if taxed else "",
                     out.cell(entry.memo, "備考", MEMO_LIMIT, entry.key), "",
                     out.cell(line.department, "部門", NAME_LIMIT, entry.key), "", *settle])
    rendered = out.finish(bom=True)
    if len(rendered.data) > FILE_LIMIT:
        raise UserError("freee が取り込めるファイルは5MBまでです（{size:,}バイト）。期間を分けて書き出してください",
                        size=len(rendered.data))
    return rendered
