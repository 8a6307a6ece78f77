"""Golden files per format, and each file read back by its vendor's published layout.

Sources the layouts and 税区分 strings follow (checked 2026-12):
- 弥生会計: ../shared/DOMAIN.md 「Accounting software import」 (弥生's インポート形式, 25 columns, no header).
- MoneyForward クラウド会計: DOMAIN.md 「MoneyForward クラウド会計 仕訳帳」 (27 columns) and MF's guide 「仕訳帳を
  インポートする」 (rows with the same 取引No and 取引日 whose debits equal credits form one entry; インボイス blank =
  「適格」 from the 税区分); 税区分 as MF's tax master names them: 課税売上 10%, 課税売上 (軽)8%, 非課税売上,
  課税仕入 10%, 課税仕入 (軽)8%, 対象外.
- freee 会計: DOMAIN.md 「freee 取引インポート」 (17 columns) and freee's help 「取引・口座振替のインポート」 (header
  row kept, dates YYYY/MM/DD, 決済日/決済口座/決済金額 record the settlement); 税区分 as freee's API names them
  (developer.freee.co.jp news 1434: 課税売上10%, 課対仕入10%; 課税売上8%（軽）, 課対仕入8%（軽）, 非課売上, 対象外).
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from tama_desk.domain import journal
from tama_desk.errors import UserError
from tama_desk.exports import journal_freee, journal_mf, journal_yayoi
from tama_desk.exports.journal_csv import read_back

GOLDEN = Path(__file__).parent / "golden"
A = journal.default_accounts()


def sample_entries() -> list[journal.Entry]:
    dues = journal.InvoiceFacts(1, "2026-0001", "invoice", "annual_fee", date(2026, 4, 10), date(2026, 5, 31),
                                "株式会社多摩精機", "2026年度 年会費", (("out_of_scope", 70000, 0),),
                                cancelled_on=None)
    seminar = journal.InvoiceFacts(2, "2026-0002", "invoice", "event", date(2026, 7, 1), date(2026, 7, 31),
                                   "浅川電子株式会社", "セミナー参加費",
                                   (("standard_10", 10000, 1000), ("reduced_8", 2000, 160)))
    cancelled = journal.InvoiceFacts(3, "2026-0003", "invoice", "event", date(2026, 7, 1), date(2026, 7, 31),
                                     "高尾光学株式会社", "セミナー参加費", (("standard_10", 5000, 500),),
                                     cancelled_on=date(2026, 7, 3))
    payment = journal.PaymentFacts(1, date(2026, 5, 20), "株式会社多摩精機", "transfer", 80000,
                                   (("2026-0001", "annual_fee", 70000),))
    fee = journal.WriteOffFacts(2, date(2026, 7, 20), "浅川電子株式会社", "2026-0002", "event", 440)
    receipt = journal.GrantReceiptFacts(1, date(2026, 6, 1), "海外販路開拓支援", "関東経済産業局", 500000, "概算払")
    cost = journal.CostFacts("expenditure:9", date(2026, 6, 2), "株式会社JTB", "旅費", 110000, 10000, "海外販路開拓支援",
                             "上海 渡航")
    entries = [*journal.invoice_entries(dues, A), *journal.invoice_entries(seminar, A),
               *journal.invoice_entries(cancelled, A), *journal.payment_entries(payment, A),
               *journal.write_off_entries(fee, A), journal.grant_receipt_entry(receipt, A), journal.cost_entry(cost, A)]
    return sorted(entries, key=lambda e: (e.on, e.key))


def freee_extra_entries() -> list[journal.Entry]:
    """What freee folds into the 取引 it settles, or records as a 取引 of its own: the rest of 2026-0002 paid on
    the day its fee was kept back; a payment (later reversed) and a write-off of an invoice exported earlier."""
    paid = journal.PaymentFacts(3, date(2026, 7, 20), "浅川電子株式会社", "transfer", 12720,
                                (("2026-0002", "event", 12720),))
    earlier = journal.PaymentFacts(4, date(2026, 7, 25), "国分寺工業株式会社", "transfer", 70000,
                                   (("2025-0100", "annual_fee", 70000),), reversed_on=date(2026, 7, 28))
    kept = journal.WriteOffFacts(1, date(2026, 7, 25), "国分寺工業株式会社", "2025-0100", "annual_fee", 660)
    return [*journal.payment_entries(paid, A), *journal.payment_entries(earlier, A),
            *journal.write_off_entries(kept, A)]


MODULES = {"yayoi": journal_yayoi, "mf": journal_mf, "freee": journal_freee}


def rendered(name: str) -> bytes:
    module = MODULES[name]
    entries = sample_entries() + (freee_extra_entries() if name == "freee" else [])
    return module.render(sorted((e for e in entries if e.kind in module.KINDS), key=lambda e: (e.on, e.key))).data


@pytest.mark.parametrize("name", MODULES)
def test_output_equals_the_golden_file(name):
    golden = GOLDEN / f"journal_{name}.csv"
    data = rendered(name)
    if os.environ.get("TAMA_UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert data == golden.read_bytes()


def test_yayoi_file_read_by_its_layout():
    data = rendered("yayoi")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    rows = read_back(data, "cp932")  # Shift_JIS, no header row
    assert all(len(row) == 25 for row in rows)
    assert rows[0][0] in ("2000", "2110")
    slips, current = [], []
    for row in rows:
        flag = row[0]
        assert flag in ("2000", "2110", "2100", "2101")
        if flag in ("2000", "2110"):
            assert not current
            current = [row]
        else:
            assert current and current[0][0] == "2110"
            current.append(row)
        if flag in ("2000", "2101"):
            slips.append(current)
            current = []
    assert not current
    taxes = set(journal_yayoi.TAX_NAMES.values())
    for slip in slips:
        assert len({row[3] for row in slip}) == 1 and re.fullmatch(r"\d{4}/\d{2}/\d{2}", slip[0][3])
        assert sum(int(row[8]) for row in slip) == sum(int(row[14]) for row in slip)  # 借方金額 = 貸方金額
        assert all(row[7] in taxes and row[13] in taxes for row in slip)
        assert all(row[19] == "0" and row[24] == "no" for row in slip)
    assert len(slips) == 8
    seminar = next(slip for slip in slips if slip[0][16].startswith("2026-0002"))
    assert [row[0] for row in seminar] == ["2110", "2101"]
    assert [(r[4], r[10], r[13], r[14], r[15]) for r in seminar] == [
        ("売掛金", "事業収益", "課税売上込10%", "11000", "1000"), ("売掛金", "事業収益", "課税売上込8%(軽)", "2160", "160")]
    receipt = next(slip for slip in slips if slip[0][10] == "受取補助金")
    assert (receipt[0][4], receipt[0][12], receipt[0][13]) == ("普通預金", "海外販路開拓支援", "対象外")


def test_mf_file_read_by_its_layout():
    rows = read_back(rendered("mf"), "cp932")
    assert rows[0] == list(journal_mf.COLUMNS) and len(rows[0]) == 27
    assert rows[0][7] == "借方インボイス" and rows[0][15] == "貸方インボイス"
    groups: dict[str, list[list[str]]] = {}
    for row in rows[1:]:
        assert len(row) == 27
        groups.setdefault(row[0], []).append(row)
    assert len(groups) == 8
    for group in groups.values():
        assert len({row[1] for row in group}) == 1
        assert sum(int(r[8]) for r in group) == sum(int(r[16]) for r in group)
    [seminar] = [g for g in groups.values() if g[0][18].startswith("2026-0002")]
    assert [(r[2], r[3], r[5], r[10], r[14], r[16], r[17]) for r in seminar] == [
        ("売掛金", "浅川電子株式会社", "浅川電子株式会社", "事業収益", "課税売上 10%", "11000", "1000"),
        ("売掛金", "浅川電子株式会社", "浅川電子株式会社", "事業収益", "課税売上 (軽)8%", "2160", "160")]


def freee_deals() -> list[list[list[str]]]:
    data = rendered("freee")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read_back(data, "utf-8")
    assert rows[0] == list(journal_freee.COLUMNS) and len(rows[0]) == 17
    deals = []
    for row in rows[1:]:
        assert len(row) == 17
        if row[0]:
            assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", row[2])  # freee: 日付形式 YYYY/MM/DD
            deals.append([row])
        else:
            assert deals and not any(row[i] for i in (1, 2, 3, 4, 14, 15, 16))
            deals[-1].append(row)
    return deals


def test_freee_file_read_by_its_layout():
    deals = freee_deals()
    taxes = set(journal_freee.TAX_NAMES.values())
    assert all(row[6] in taxes for deal in deals for row in deal)
    kinds = [(deal[0][0], deal[0][1], deal[0][5]) for deal in deals]
    assert kinds == [("収入", "2026-0001", "受取会費"), ("収入", "2026-0001", "前受金"), ("収入", "", "受取補助金"),
                     ("支出", "", "旅費交通費"), ("収入", "2026-0002", "事業収益"), ("収入", "2026-0003", "事業収益"),
                     ("収入", "2026-0003", "事業収益"), ("収入", "2025-0100", "売掛金"), ("支出", "2025-0100", "売掛金")]
    dues, left_over = deals[0][0], deals[1][0]
    # the payment is the sale's 決済; what it paid beyond the invoice is a 取引 of 前受金, settled at once
    assert (dues[2], dues[3], dues[4], dues[7], dues[14], dues[15], dues[16]) == (
        "2026/04/10", "", "株式会社多摩精機", "70000", "2026/05/20", "普通預金", "70000")
    assert (left_over[7], left_over[14], left_over[16]) == ("10000", "2026/05/20", "10000")
    receipt = deals[2][0]
    assert (receipt[14], receipt[15], receipt[16], receipt[12]) == ("2026/06/01", "普通預金", "500000", "海外販路開拓支援")
    seminar = deals[4]
    assert [(r[5], r[6], r[7], r[8], r[9]) for r in seminar] == [
        ("事業収益", "課税売上10%", "11000", "内税", "1000"), ("事業収益", "課税売上8%（軽）", "2160", "内税", "160"),
        ("支払手数料", "課対仕入10%", "-440", "内税", "-40")]  # the fee kept back: a negative 明細
    assert (seminar[0][14], seminar[0][16]) == ("2026/07/20", "12720")
    assert sum(int(r[7]) for r in seminar) == 12720  # settled in full by what reached the bank
    unsettled = deals[5][0]
    assert (unsettled[3], unsettled[14]) == ("2026/07/31", "")  # a receivable settled later
    cancelled = deals[6]  # 赤伝: a 収入 of the revenue, negative, unsettled — freee takes it off 売掛金
    assert [(r[5], r[7], r[9], r[14]) for r in cancelled] == [("事業収益", "-5500", "-500", "")]
    paid_late, paid_back = deals[7], deals[8]
    # the fee kept back from a payment of an earlier sale: in that payment's 取引, whose total reached the bank
    assert [(r[5], r[7]) for r in paid_late] == [("売掛金", "70000"), ("売掛金", "660"), ("支払手数料", "-660")]
    assert (paid_late[0][14], paid_late[0][15], paid_late[0][16]) == ("2026/07/25", "普通預金", "70000")
    assert sum(int(r[7]) for r in paid_late) == 70000
    assert (paid_back[0][2], paid_back[0][7], paid_back[0][16]) == ("2026/07/28", "70000", "70000")


def test_freee_counts_each_amount_once():
    """What freee leaves on 売掛金 — every unsettled 収入 取引, 赤伝 included — is what is still open: nothing of
    2026-0003 (issued, then cancelled by its 赤伝); every settlement is money that reached the bank."""
    deals = freee_deals()
    unsettled = sum(int(r[7]) for deal in deals if deal[0][0] == "収入" and not deal[0][14] for r in deal)
    settled = sum(int(deal[0][16]) for deal in deals if deal[0][0] == "収入" and deal[0][16] and deal[0][1])
    assert unsettled == 0  # 2026-0003: 5,500 − 5,500; the others are settled in their own 取引
    assert settled == 70000 + 10000 + 12720 + 70000
    assert all(sum(int(r[7]) for r in deal) != 0 for deal in deals)  # no 取引 of total 0


def test_a_character_the_encoding_cannot_hold_is_named_with_its_row():
    entries = sample_entries()
    bad = journal.invoice_entries(journal.InvoiceFacts(
        9, "2026-0009", "invoice", "event", date(2026, 8, 1), None, "𠮷田製作所", "参加費",
        (("standard_10", 1000, 100),)), A)
    with pytest.raises(UserError) as error:
        journal_yayoi.render([*entries, *bad])
    problems = error.value.problems
    assert problems and problems[0].row == len(rendered("yayoi").split(b"\r\n"))
    assert problems[0].field == "借方補助科目" and "𠮷" in str(problems[0])
    with pytest.raises(UserError):
        journal_mf.render(bad)
    assert journal_freee.render(bad).rows == 1  # UTF-8 holds it


def test_names_longer_than_the_target_allows_are_cut_with_a_warning():
    [entry] = journal.invoice_entries(journal.InvoiceFacts(
        9, "2026-0009", "invoice", "event", date(2026, 8, 1), None, "一般社団法人多摩産業ネットワーク協会",
        "参加費", (("standard_10", 1000, 100),)), A)
    result = journal_yayoi.render([entry])
    row = read_back(result.data, "cp932")[0]
    assert row[5] == "一般社団法人多摩産業ネッ" and len(row[5].encode("cp932")) == 24
    assert {w.field for w in result.warnings} == {"借方補助科目", "貸方補助科目"}
    assert all(w.row == 1 for w in result.warnings)


def test_freee_takes_one_settlement_per_sale_and_never_one_before_the_sale():
    sale = journal.invoice_entries(journal.InvoiceFacts(
        5, "2026-0005", "invoice", "event", date(2026, 8, 1), date(2026, 8, 31), "浅川電子株式会社", "参加費",
        (("standard_10", 10000, 1000),)), A)
    early = journal.payment_entries(journal.PaymentFacts(
        5, date(2026, 7, 30), "浅川電子株式会社", "transfer", 5000, (("2026-0005", "event", 5000),)), A)
    first = journal.payment_entries(journal.PaymentFacts(
        6, date(2026, 8, 10), "浅川電子株式会社", "transfer", 3000, (("2026-0005", "event", 3000),)), A)
    second = journal.payment_entries(journal.PaymentFacts(
        7, date(2026, 8, 20), "浅川電子株式会社", "transfer", 3000, (("2026-0005", "event", 3000),)), A)
    deals = journal_freee.deals([*early, *sale, *first, *second])
    assert [(deal.entry.key, deal.lines[0].account, deal.settlement) for deal in deals] == [
        ("payment:5", "売掛金", (date(2026, 7, 30), "普通預金", 5000)),  # paid before the invoice: its own 取引
        ("invoice:5:issue", "事業収益", (date(2026, 8, 10), "普通預金", 3000)),
        ("payment:7", "売掛金", (date(2026, 8, 20), "普通預金", 3000))]


def test_freee_refuses_a_file_larger_than_it_imports(monkeypatch):
    monkeypatch.setattr(journal_freee, "FILE_LIMIT", 500)
    with pytest.raises(UserError) as error:
        journal_freee.render(sample_entries() + freee_extra_entries())
    assert "5MB" in str(error.value)


def test_freee_refuses_a_write_off_without_money_that_day_naming_it():
    """A write-off with no payment in the file (accounting write-off; a full write-off of an invoice) would be a
    取引 of total 0: refused, named, with what to enter in freee instead; nothing is written."""
    full = journal.WriteOffFacts(7, date(2026, 9, 1), "高尾光学株式会社", "2026-0003", "event", 5500)
    entries = [*sample_entries(), *freee_extra_entries(), *journal.write_off_entries(full, A)]
    with pytest.raises(UserError) as error:
        journal_freee.render(entries)
    assert "合計0円" in str(error.value) and "手数料差引 高尾光学株式会社 2026-0003（2026-09-01）" in str(error.value)
    assert "振替伝票（支払手数料 / 売掛金）" in str(error.value)
    assert "2026-0002" not in str(error.value)  # that fee is folded into the payment of the same day


def test_freee_a_voided_fee_returns_with_its_payment_in_one_取引():
    paid = journal.payment_entries(journal.PaymentFacts(8, date(2026, 8, 5), "多摩電機株式会社", "transfer", 69560,
                                                        (("2025-0200", "annual_fee", 69560),),
                                                        reversed_on=date(2026, 8, 9)), A)
    fee = journal.write_off_entries(journal.WriteOffFacts(8, date(2026, 8, 5), "多摩電機株式会社", "2025-0200",
                                                          "annual_fee", 440, void_on=date(2026, 8, 9)), A)
    deals = journal_freee.deals([*paid, *fee])
    assert [(deal.income, [(line.account, line.amount) for line in deal.lines], deal.settlement) for deal in deals] == [
        (True, [("売掛金", 69560), ("売掛金", 440), ("支払手数料", -440)], (date(2026, 8, 5), "普通預金", 69560)),
        (False, [("売掛金", 69560), ("売掛金", 440), ("支払手数料", -440)], (date(2026, 8, 9), "普通預金", 69560))]
