from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import AuditLog, Invoice, Payment, PaymentAllocation
from tama_desk.domain.invoice import Recipient
from tama_desk.domain.tax import Line
from tama_desk.errors import UserError
from tama_desk.services import fees, invoices, members, payments

RECEIVED = date(2026, 6, 1)


def count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def open_amounts(session, *invoice_ids: int) -> list[int]:
    owed = invoices.balances(session, list(invoice_ids))
    return [owed[i].open for i in invoice_ids]


def statuses(session, *invoice_ids: int) -> list[str]:
    owed = invoices.balances(session, list(invoice_ids))
    return [invoices.status_of(session.get(Invoice, i), owed[i]) for i in invoice_ids]


@pytest.fixture
def two_years(db):
    """Member 0001 billed for 2025 (due 2025-05-31) and 2026 (due 2026-05-31), 70,000 each; member 0002 for 2026."""
    with db.transaction() as session:
        one = members.save_member(session, {"number": "0001", "name": "株式会社多摩精機", "kana": "タマセイキ",
                                            "category": "企業", "membership_type": "正会員", "join_date": "2020-04-01",
                                            "payer_name": "ｶ)ﾀﾏｾｲｷ"})
        two = members.save_member(session, {"number": "0002", "name": "浅川電子株式会社", "kana": "アサカワデンシ",
                                            "category": "企業", "membership_type": "正会員", "join_date": "2026-04-01"})
        _p, first = fees.bill_fiscal_year(session, 2025, date(2025, 4, 10), date(2025, 5, 31))
        _p, second = fees.bill_fiscal_year(session, 2026, date(2026, 4, 10), date(2026, 5, 31))
    by_member = {}
    with db.reading() as session:
        for invoice_id in first + second:
            by_member.setdefault(session.get(Invoice, invoice_id).member_id, []).append(invoice_id)
    db.member, db.other = one.id, two.id
    db.old, db.new = by_member[one.id]
    [db.other_invoice] = by_member[two.id]
    return db


def test_payment_settles_the_oldest_invoice_first(two_years):
    db = two_years
    with db.transaction() as session:
        payment = payments.record_payment(session, db.member, RECEIVED, 100000, payer_name="ｶ)ﾀﾏｾｲｷ")
    with db.reading() as session:
        stored = session.get(Payment, payment.id)
        assert [(a.invoice_id, a.amount) for a in stored.allocations] == [(db.old, 70000), (db.new, 30000)]
        assert (stored.amount, stored.method, stored.payer_name, stored.reversed) == (100000, "transfer", "ｶ)ﾀﾏｾｲｷ",
                                                                                       False)
        assert open_amounts(session, db.old, db.new) == [0, 40000]
        assert statuses(session, db.old, db.new) == ["paid", "partial"]
        assert payments.member_credit(session, db.member) == 0
        [summary] = session.scalars(select(AuditLog.summary).where(AuditLog.action == "payment"))
        assert summary == "2026-06-01 100,000円 振込 ｶ)ﾀﾏｾｲｷ → 2025-0001:70,000, 2026-0001:30,000"


def test_the_invoice_the_user_had_open_is_settled_first(two_years):
    db = two_years
    with db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 100000, first_invoice_id=db.new)
    with db.reading() as session:
        assert open_amounts(session, db.old, db.new) == [40000, 0]
        assert statuses(session, db.old, db.new) == ["partial", "paid"]


def test_partial_payment(two_years):
    db = two_years
    with db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 25000)
    with db.reading() as session:
        assert open_amounts(session, db.old, db.new) == [45000, 70000]
        assert statuses(session, db.old, db.new) == ["partial", "unpaid"]
        [row] = [r for r in invoices.list_invoices(session, member_id=db.member) if r.id == db.old]
        assert (row.paid, row.open, row.status) == (25000, 45000, "partial")


def test_overpayment_stays_on_the_member_as_credit(two_years):
    db = two_years
    with db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 150000)
    with db.reading() as session:
        assert open_amounts(session, db.old, db.new) == [0, 0]
        assert payments.member_credit(session, db.member) == 10000
        assert payments.member_credit(session, db.other) == 0
        assert payments.open_invoices(session, db.member) == []


def test_explicit_allocations_and_the_rest_as_credit(two_years):
    db = two_years
    with db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 80000, allocations=[(db.new, 70000), (db.old, 0)])
    with db.reading() as session:
        assert open_amounts(session, db.old, db.new) == [70000, 0]
        assert payments.member_credit(session, db.member) == 10000
        assert count(session, PaymentAllocation) == 1  # zero parts are not stored


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"amount": 0}, "1円以上"),
    ({"amount": -100}, "1円以上"),
    ({"method": "bitcoin"}, "入金方法"),
    ({"allocations": "over open"}, "未入金額"),
    ({"allocations": "over amount"}, "入金額"),
    ({"allocations": "negative"}, "消込額"),
    ({"allocations": "other member"}, "別の会員"),
    ({"allocations": "unknown invoice"}, "見つかりません"),
    ({"member_id": 999}, "会員"),
])
def test_refused_payments_record_nothing(two_years, kwargs, message):
    db = two_years
    allocations = {"over open": [(db.old, 70001)], "over amount": [(db.old, 60000), (db.new, 60000)],
                   "negative": [(db.old, -1), (db.new, 2)], "other member": [(db.other_invoice, 1000)],
                   "unknown invoice": [(9999, 1000)]}
    values = {"member_id": db.member, "received_on": RECEIVED, "amount": 100000} | kwargs
    if "allocations" in kwargs:
        values["allocations"] = allocations[kwargs["allocations"]]
    with pytest.raises(UserError, match=message), db.transaction() as session:
        payments.record_payment(session, **values)
    with db.reading() as session:
        assert count(session, Payment) == count(session, PaymentAllocation) == 0
        assert count(session, AuditLog, AuditLog.action == "payment") == 0


def test_the_same_invoice_twice_cannot_be_over_allocated(two_years):
    db = two_years
    with pytest.raises(UserError), db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 80000, allocations=[(db.old, 40000), (db.old, 40000)])
    with db.reading() as session:
        assert invoices.balances(session, [db.old])[db.old].paid == 0


def test_cancelled_invoice_cannot_be_settled(two_years):
    db = two_years
    with db.transaction() as session:
        invoices.cancel(session, db.old, "誤請求")
    with pytest.raises(UserError, match="取消済み"), db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 70000, allocations=[(db.old, 70000)])
    with db.transaction() as session:  # oldest-first skips the cancelled one
        payments.record_payment(session, db.member, RECEIVED, 70000)
    with db.reading() as session:
        assert invoices.balances(session, [db.old, db.new])[db.old].paid == 0
        assert open_amounts(session, db.new) == [0]


def test_credit_note_cannot_be_settled(two_years):
    db = two_years
    with db.transaction() as session:
        note = invoices.credit_note(session, db.old, [Line("返還", 1, 5000, "out_of_scope")], RECEIVED, "減額")
    with pytest.raises(UserError), db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 5000, allocations=[(note.id, 5000)])


def test_payment_without_member_is_credit_only(two_years):
    with two_years.transaction() as session:
        payment = payments.record_payment(session, None, RECEIVED, 3000, method="cash", payer_name="不明")
        assert payment.allocations == []
        assert payments.member_credit(session, two_years.member) == 0


def test_reverse_payment_restores_the_open_amount(two_years):
    db = two_years
    with db.transaction() as session:
        payment = payments.record_payment(session, db.member, RECEIVED, 100000)
    for reason in ("", "  "):
        with pytest.raises(UserError, match="理由"), db.transaction() as session:
            payments.reverse_payment(session, payment.id, reason)
    with db.transaction() as session:
        payments.reverse_payment(session, payment.id, " 二重入力 ")
    with pytest.raises(UserError, match="既に取り消され"), db.transaction() as session:
        payments.reverse_payment(session, payment.id, "もう一度")
    with pytest.raises(UserError, match="見つかりません"), db.transaction() as session:
        payments.reverse_payment(session, 999, "x")
    with db.reading() as session:
        stored = session.get(Payment, payment.id)
        assert (stored.reversed, stored.reversal_reason, stored.amount) == (True, "二重入力", 100000)
        assert stored.reversed_at is not None and stored.reversed_by
        assert len(stored.allocations) == 2  # kept, no longer counted
        assert open_amounts(session, db.old, db.new) == [70000, 70000]
        assert statuses(session, db.old, db.new) == ["unpaid", "unpaid"]
        assert payments.member_credit(session, db.member) == 0
        assert list(session.scalars(select(AuditLog.summary).where(AuditLog.action == "reverse"))) == [
            "100,000円: 二重入力"]


def test_statement_reference_cannot_be_recorded_twice(two_years):
    db = two_years
    with db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 70000, statement_ref="a" * 64)
    with pytest.raises(UserError, match="取込済み"), db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 70000, statement_ref="a" * 64)
    with db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 70000, statement_ref="b" * 64)
    with db.reading() as session:
        assert count(session, Payment) == 2
        assert open_amounts(session, db.old, db.new) == [0, 0]


# --- aging ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "bucket"), [
    (-30, "not_due"), (-1, "not_due"), (0, "not_due"), (1, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"),
    (61, "61-90"), (90, "61-90"), (91, "90+"), (3650, "90+"),
])
def test_bucket_boundaries(days, bucket):
    assert payments.bucket_for(days) == bucket
    assert bucket in dict(payments.AGING_BUCKETS)


def test_aging_lists_only_open_invoices(two_years):
    db = two_years
    with db.transaction() as session:
        payments.record_payment(session, db.member, RECEIVED, 70000 + 20000)  # old paid, new partly
        no_due = invoices.issue(session, dict(kind="invoice", issue_date=date(2026, 7, 1), recipient=Recipient("相手先"),
                                              lines=[Line("資料代", 1, 1000, "standard_10")]), member=None)
        cancelled = invoices.issue(session, dict(kind="invoice", issue_date=date(2026, 7, 1), due_date=date(2026, 7, 31),
                                                 recipient=Recipient("相手先"), lines=[Line("x", 1, 500, "exempt")]),
                                   member=None)
        invoices.cancel(session, cancelled.id, "誤り")
        invoices.credit_note(session, db.other_invoice, [Line("返還", 1, 10000, "out_of_scope")], RECEIVED, "減額")
    as_of = date(2026, 5, 31) + timedelta(days=45)
    with db.reading() as session:
        rows = {row.invoice_id: row for row in payments.aging(session, as_of)}
    assert set(rows) == {db.new, db.other_invoice, no_due.id}
    assert (rows[db.new].open, rows[db.new].days_past_due, rows[db.new].bucket) == (50000, 45, "31-60")
    assert (rows[db.other_invoice].open, rows[db.other_invoice].bucket) == (60000, "31-60")
    assert (rows[db.new].member_number, rows[db.new].name, rows[db.new].number) == ("0001", "株式会社多摩精機", "2026-0001")
    assert (rows[no_due.id].days_past_due, rows[no_due.id].bucket, rows[no_due.id].member_number) == (0, "not_due", "")
    with db.reading() as session:
        on_due_day = {row.invoice_id: row.bucket for row in payments.aging(session, date(2026, 5, 31))}
        assert on_due_day[db.new] == "not_due"
