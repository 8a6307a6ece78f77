"""MoneyForward クラウド会計 仕訳帳 import: a header row and 27 columns (借方/貸方 each with 取引先 and インボイス).

Rows with the same 取引No and 取引日 form one entry. Amounts include tax. Written in Shift_JIS (cp932), CR+LF.
税区分 as MF's tax master names them (課税売上 10%, 課税売上 (軽)8%, 非課税売上, 課税仕入 10% …, 対象外); インボイス
is left blank, which MF's import reads as 「適格」 from the 税区分 (MF guide 「仕訳帳をインポートする」).
"""

from __future__ import annotations

from collections.abc import Sequence

from tama_desk.domain.journal import Entry, Side
from tama_desk.exports.journal_csv import CsvBuilder, Rendered

ENCODING = "cp932"
SIDE = ("勘定科目", "補助科目", "部門", "取引先", "税区分", "インボイス", "金額(円)", "税額")
COLUMNS = ("取引No", "取引日", *(f"借方{name}" for name in SIDE), *(f"貸方{name}" for name in SIDE), "摘要",
           "仕訳メモ", "タグ", "MF仕訳タイプ", "決算整理仕訳", "作成日時", "作成者", "最終更新日時", "最終更新者")
TAX_NAMES = {"sales_10": "課税売上 10%", "sales_8": "課税売上 (軽)8%", "sales_exempt": "非課税売上",
             "out_of_scope": "対象外", "purchase_10": "課税仕入 10%", "purchase_8": "課税仕入 (軽)8%"}
NAME_LIMIT, MEMO_LIMIT = 64, 200
KINDS = ("sale", "sale_reversal", "payment", "payment_reversal", "write_off", "grant_receipt", "cost")


def render(entries: Sequence[Entry]) -> Rendered:
    out = CsvBuilder(ENCODING, header=list(COLUMNS))
    for number, entry in enumerate(entries, 1):
        for row in entry.rows:
            out.add([str(number), f"{entry.on:%Y/%m/%d}", *_side(out, row.debit, "借方", entry),
                     *_side(out, row.credit, "貸方", entry), out.cell(entry.memo, "摘要", MEMO_LIMIT, entry.key),
                     out.cell(entry.key, "仕訳メモ", MEMO_LIMIT, entry.key), "", "", "", "", "", "", ""])
    return out.finish()


def _side(out: CsvBuilder, side: Side, prefix: str, entry: Entry) -> list[str]:
    partner = side.sub
    return [out.cell(side.account, f"{prefix}勘定科目", NAME_LIMIT, entry.key),
            out.cell(side.sub, f"{prefix}補助科目", NAME_LIMIT, entry.key),
            out.cell(side.department, f"{prefix}部門", NAME_LIMIT, entry.key),
            out.cell(partner, f"{prefix}取引先", NAME_LIMIT, entry.key),
            TAX_NAMES[side.tax], "", str(side.amount), str(side.tax_amount) if side.tax_amount else ""]
