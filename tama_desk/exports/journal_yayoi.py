"""弥生会計 仕訳日記帳 import (インポート形式): Shift_JIS, CR+LF, no header row, 25 columns per journal line.

識別フラグ 2000 for a one-line 伝票; 2110 / 2100 / 2101 for the first / middle / last line of a longer one.
Amounts include tax; 税区分 as 弥生 names them. Account, 補助科目 and 部門 names are at most 24 half-width
characters (12 full-width), 摘要 64.
"""

from __future__ import annotations

from collections.abc import Sequence

from tama_desk.domain.journal import Entry, Side
from tama_desk.exports.journal_csv import CsvBuilder, Rendered

ENCODING = "cp932"
COLUMNS = ("識別フラグ", "伝票No.", "決算", "取引日付", "借方勘定科目", "借方補助科目", "借方部門", "借方税区分",
           "借方金額", "借方税金額", "貸方勘定科目", "貸方補助科目", "貸方部門", "貸方税区分", "貸方金額", "貸方税金額",
           "摘要", "番号", "期日", "タイプ", "生成元", "仕訳メモ", "付箋1", "付箋2", "調整")
TAX_NAMES = {"sales_10": "課税売上込10%", "sales_8": "課税売上込8%(軽)", "sales_exempt": "非課売上",
             "out_of_scope": "対象外", "purchase_10": "課対仕入込10%", "purchase_8": "課対仕入込8%(軽)"}
NAME_LIMIT, MEMO_LIMIT, NUMBER_LIMIT = 24, 64, 10
KINDS = ("sale", "sale_reversal", "payment", "payment_reversal", "write_off", "grant_receipt", "cost")


def flags(count: int) -> list[str]:
    if count == 1:
        return ["2000"]
    return ["2110", *(["2100"] * (count - 2)), "2101"]


def render(entries: Sequence[Entry]) -> Rendered:
    out = CsvBuilder(ENCODING, byte_limits=True)
    for entry in entries:
        for flag, row in zip(flags(len(entry.rows)), entry.rows, strict=True):
            number = entry.number if entry.kind in ("sale", "sale_reversal") else ""
            out.add([flag, "", "", f"{entry.on:%Y/%m/%d}", *_side(out, row.debit, "借方", entry.key),
                     *_side(out, row.credit, "貸方", entry.key),
                     out.cell(entry.memo, "摘要", MEMO_LIMIT, entry.key),
                     out.cell(number, "番号", NUMBER_LIMIT, entry.key), "", "0", "",
                     out.cell(entry.key, "仕訳メモ", 180, entry.key), "0", "0", "no"])
    return out.finish()


def _side(out: CsvBuilder, side: Side, prefix: str, record: str) -> list[str]:
    return [out.cell(side.account, f"{prefix}勘定科目", NAME_LIMIT, record),
            out.cell(side.sub, f"{prefix}補助科目", NAME_LIMIT, record),
            out.cell(side.department, f"{prefix}部門", NAME_LIMIT, record),
            TAX_NAMES[side.tax], str(side.amount), str(side.tax_amount) if side.tax_amount else ""]
