"""freee 会計 取引インポート: a header row, one 取引 per entry, each invoice a receivable settled later.

収入 for a sale, 支出 for its reversal (credit note or cancellation) and for a cost; a sale has a 決済期日 and
no 決済日 (freee settles it against the bank feed); a grant receipt and a cost are settled at once (決済日,
決済口座, 決済金額). More 明細 of one 取引 follow on rows whose 収支区分 … 取引先 and 決済 columns are empty.
Payments are not 取引 in freee, so they are not exported in this format. UTF-8 with BOM, CR+LF.
"""

from __future__ import annotations

from collections.abc import Sequence

from tama_desk.domain.journal import Entry
from tama_desk.exports.journal_csv import CsvBuilder, Rendered

ENCODING = "utf-8"
COLUMNS = ("収支区分", "管理番号", "発生日", "決済期日", "取引先", "勘定科目", "税区分", "金額", "税計算区分", "税額",
           "備考", "品目", "部門", "メモタグ", "決済日", "決済口座", "決済金額")
TAX_NAMES = {"sales_10": "課税売上10%", "sales_8": "課税売上8%（軽）", "sales_exempt": "非課売上",
             "out_of_scope": "対象外", "purchase_10": "課対仕入10%", "purchase_8": "課対仕入8%（軽）"}
NAME_LIMIT, MEMO_LIMIT = 100, 255
KINDS = ("sale", "sale_reversal", "grant_receipt", "cost")
INCOME = ("sale", "grant_receipt")


def render(entries: Sequence[Entry]) -> Rendered:
    out = CsvBuilder(ENCODING, header=list(COLUMNS))
    for entry in entries:
        if entry.kind not in KINDS:
            raise ValueError(f"freee does not import {entry.kind} entries")
        income = entry.kind in INCOME
        for position, row in enumerate(entry.rows):
            # the line of the 取引 itself: the revenue (income) or the expense / reversed revenue (支出)
            line, money = (row.credit, row.debit) if income else (row.debit, row.credit)
            first = position == 0
            head = ["収入" if income else "支出", entry.number, f"{entry.on:%Y-%m-%d}",
                    f"{entry.due_date:%Y-%m-%d}" if entry.due_date else "",
                    out.cell(entry.partner, "取引先", NAME_LIMIT, entry.key)] if first else [""] * 5
            taxed = line.tax not in ("out_of_scope", "sales_exempt")
            settle = ["", "", ""]
            if first and entry.settled_on:
                settle = [f"{entry.settled_on:%Y-%m-%d}", out.cell(money.account, "決済口座", NAME_LIMIT, entry.key),
                          str(entry.total)]
            out.add([*head, out.cell(line.account, "勘定科目", NAME_LIMIT, entry.key), TAX_NAMES[line.tax],
                     str(line.amount), "内税" if taxed else "", str(line.tax_amount) if taxed else "",
                     out.cell(entry.memo, "備考", MEMO_LIMIT, entry.key), "",
                     out.cell(line.department, "部門", NAME_LIMIT, entry.key), "", *settle])
    return out.finish(bom=True)
