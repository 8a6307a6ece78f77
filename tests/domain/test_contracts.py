"""Contract rules: status from the facts, the advance deducted once, refunds, 支払遅延防止法 deadlines, margin."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from tama_desk.domain import contracts as rules

START = date(2026, 5, 1)


def facts(**values) -> rules.ContractFacts:
    base = dict(signed_on=date(2026, 4, 20), period_start=START, period_end=date(2027, 2, 28),
                payment_terms="completion", amount=1_100_000)
    return rules.ContractFacts(**{**base, **values})


@pytest.mark.parametrize(("values", "today", "status"), [
    ({"signed_on": None}, date(2026, 6, 1), "estimate"),
    ({}, date(2026, 4, 25), "signed"),
    ({}, date(2026, 6, 1), "running"),
    ({"completed_on": date(2027, 2, 20)}, date(2027, 2, 21), "completed"),
    ({"completed_on": date(2027, 2, 20), "inspected_on": date(2027, 2, 25)}, date(2027, 2, 26), "inspected"),
    ({"completed_on": date(2027, 2, 20), "inspected_on": date(2027, 2, 25), "inspection_passed": False},
     date(2027, 2, 26), "completed"),
    ({"invoiced": 1_100_000, "open": 1_100_000}, date(2027, 3, 1), "invoiced"),
    ({"invoiced": 1_100_000, "open": 0}, date(2027, 3, 1), "paid"),
    ({"invoiced": 500_000, "open": 0, "payment_terms": "partial"}, date(2027, 3, 1), "running"),
    ({"cancelled": True, "invoiced": 1_100_000}, date(2027, 3, 1), "cancelled"),
    # 概算払い: the advance alone never makes it 請求済; after 精算 the net invoiced must equal the 確定額
    ({"payment_terms": "advance", "invoiced": 1_000_000, "open": 0}, date(2026, 6, 1), "running"),
    ({"payment_terms": "advance", "final_amount": 900_000, "invoiced": 900_000, "open": 0}, date(2027, 3, 9), "paid"),
])
def test_status_pipeline_from_the_facts(values, today, status):
    assert rules.status_of(facts(**values), today) == status


def test_settlement_balance_and_refund():
    assert rules.settlement(4_180_000, 4_400_000) == rules.Settlement(4_180_000, 4_400_000, 0, 220_000)
    assert rules.settlement(5_000_000, 4_400_000) == rules.Settlement(5_000_000, 4_400_000, 600_000, 0)
    assert rules.settlement(4_400_000, 4_400_000).balance == 0


def test_the_advance_is_deducted_exactly_once():
    # advance 4,400,000, 確定額 5,000,000: the balance is 600,000 …
    balance = rules.next_invoice_amount("advance", 5_500_000, 4_400_000, final_amount=5_000_000)
    assert balance == 600_000
    # … and once it is invoiced, nothing is left: a second final invoice cannot deduct the advance again
    with pytest.raises(ValueError, match="残額がありません"):
        rules.next_invoice_amount("advance", 5_500_000, 4_400_000 + balance, final_amount=5_000_000)


def test_refund_case_is_negative_and_only_after_settlement():
    assert rules.next_invoice_amount("advance", 5_500_000, 4_400_000, final_amount=4_180_000) == -220_000
    with pytest.raises(ValueError, match="確定額"):
        rules.next_invoice_amount("advance", 5_500_000, 4_400_000)
    with pytest.raises(ValueError, match="精算後"):
        rules.next_invoice_amount("advance", 5_500_000, 4_400_000, advance=100_000, final_amount=4_180_000)


def test_advance_and_milestone_limits():
    with pytest.raises(ValueError):
        rules.next_invoice_amount("advance", 1_000_000, 800_000, advance=300_000)
    with pytest.raises(ValueError, match="部分払い"):
        rules.next_invoice_amount("completion", 1_000_000, 0, milestone_amount=500_000)
    with pytest.raises(ValueError, match="契約金額を超え"):
        rules.next_invoice_amount("partial", 1_000_000, 700_000, milestone_amount=400_000)
    assert rules.next_invoice_amount("completion", 1_000_000, 0) == 1_000_000


def test_tax_included_in_a_contract_amount():
    assert rules.tax_included_in(5_500_000) == 500_000
    assert rules.tax_included_in(1_000_000) == 90_909  # floor(1,000,000 × 10/110)
    assert rules.net_of_tax(1_000_000) == 909_091
    assert rules.tax_included_in(1_000_000, "exempt") == 0


def test_deadlines_inspection_payment_and_deliverables():
    today = date(2026, 11, 20)
    found = rules.deadlines(
        [rules.Completion("全体", date(2026, 11, 5), None), rules.Completion("第1回", date(2026, 9, 1),
                                                                            date(2026, 9, 5))],
        [rules.OpenInvoice("2026-0010", date(2026, 10, 15), 1_000), rules.OpenInvoice("2026-0011", date(2026, 10, 1), 0)],
        [rules.DueItem("実施報告書", date(2026, 12, 4), None), rules.DueItem("写真記録", date(2026, 12, 5), None),
         rules.DueItem("成果報告書", date(2026, 11, 30), date(2026, 11, 10))], today)
    assert [(d.kind, d.due) for d in found] == [
        ("payment", date(2026, 11, 14)),  # 30 days after the invoice; the paid invoice has no deadline
        ("inspection", date(2026, 11, 15)),  # 10 days after the 完了届; the inspected one has none
        ("deliverable", date(2026, 12, 4)),  # due within 14 days; 12-05 is not yet, the submitted one never
    ]
    assert all(d.overdue(today) for d in found if d.kind != "deliverable")
    assert not found[-1].overdue(today) and found[-1].days_left(today) == 14


def test_margin_and_management_fee():
    margin = rules.margin(5_500_000, {"旅費": 1_500_000, "委託費": 900_000}, management_fee_rate=Fraction(1, 10))
    assert margin.revenue == 5_000_000
    assert margin.cost_total == 2_400_000 and margin.margin == 2_600_000
    assert margin.management_fee == 240_000
    assert margin.margin_rate == Fraction(26, 50)


@pytest.mark.parametrize(("text", "value"), [("10%", Fraction(1, 10)), ("0.1", Fraction(1, 10)),
                                             ("1/10", Fraction(1, 10)), ("", Fraction(0)), ("abc", None)])
def test_parse_rate(text, value):
    if value is None:
        with pytest.raises(ValueError):
            rules.parse_rate(text)
    else:
        assert rules.parse_rate(text) == value


def test_a_milestone_change_names_only_what_changed_in_both_languages():
    from tama_desk import i18n
    from tama_desk.domain.contracts import MilestoneChange

    moved = MilestoneChange(3, "changed", "成果報告", "成果報告", date(2027, 3, 1), date(2027, 3, 5), 1_100_000,
                            1_100_000)
    added = MilestoneChange(4, "added", name_after="追加報告会", due_after=date(2027, 3, 10), amount_after=500_000)
    assert moved.text() == "第3回「成果報告」を変更（期限 2027-03-01→2027-03-05）"
    assert added.text() == "第4回「追加報告会」を追加（期限 2027-03-10、500,000円）"
    i18n.set_language("en")
    try:
        assert i18n.t(moved.text()) == "Milestone 3 “成果報告” changed (due 2027-03-01 → 2027-03-05)"
    finally:
        i18n.set_language("ja")
