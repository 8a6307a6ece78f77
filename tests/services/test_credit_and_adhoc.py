from datetime import date

import pytest
from sqlalchemy import select

from tama_desk.db.models import Invoice, Member
from tama_desk.domain.tax import Line
from tama_desk.errors import UserError
from tama_desk.services import fees, invoices, members, payments


@pytest.fixture
def member_id(db):
    with db.transaction() as session:
        return members.save_member(session, {"name": "株式会社テスト", "kana": "テスト", "category": "企業",
                                             "membership_type": "正会員", "join_date": "2020-04-01"}).id


def test_adhoc_invoice_is_taxed_once_per_rate_and_frozen(db, member_id):
    with db.transaction() as session:
        invoice = invoices.issue_adhoc(session, member_id, "event", "セミナー参加費", date(2026, 6, 1),
                                       date(2026, 6, 30), [Line("参加費", 3, 105, "standard_10")])
        assert (invoice.total, invoice.purpose, invoice.number) == (346, "event", "2026-0001")
        snapshot = invoices.snapshot_of(session, invoice)
        assert snapshot.totals[0].tax == 31 and snapshot.recipient.honorific == "御中"


def test_adhoc_invoice_refuses_a_due_date_before_issue(db, member_id):
    with pytest.raises(UserError, match="お支払期限"), db.transaction() as session:
        invoices.issue_adhoc(session, member_id, "other", "x", date(2026, 6, 1), date(2026, 5, 1),
                             [Line("x", 1, 100, "standard_10")])
    with db.reading() as session:
        assert session.scalars(select(Invoice)).all() == []


def test_overpayment_becomes_credit_and_settles_the_next_invoice(db, member_id):
    with db.transaction() as session:
        fees.bill_fiscal_year(session, 2025, date(2025, 4, 10))
        payments.record_payment(session, member_id, date(2025, 5, 1), 100_000)
        assert payments.member_credit(session, member_id) == 30_000
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10))
        assert payments.apply_credit(session, member_id) == 30_000
        assert payments.member_credit(session, member_id) == 0
        new = session.scalar(select(Invoice).where(Invoice.billed_year == 2026))
        assert invoices.balances(session, [new.id])[new.id].open == 40_000
        assert invoices.status_of(new, invoices.balances(session, [new.id])[new.id]) == "partial"
        assert payments.apply_credit(session, member_id) == 0  # nothing left to apply


def test_list_payments_by_period_with_what_they_settled(db, member_id):
    with db.transaction() as session:
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10))
        first = payments.record_payment(session, member_id, date(2026, 5, 1), 30_000)
        payments.record_payment(session, member_id, date(2026, 7, 1), 40_000)
        payments.reverse_payment(session, first.id, "誤入力")
        rows = payments.list_payments(session, date(2026, 4, 1), date(2026, 6, 30))
        member = session.get(Member, member_id)
    assert len(rows) == 1
    payment, number, name, settled = rows[0]
    assert (number, name, payment.reversed, settled) == (member.number, "株式会社テスト", True, (("2026-0001", 30_000),))


def test_credit_note_for_a_typed_amount(db, member_id):
    with db.transaction() as session:
        invoice = invoices.issue_adhoc(session, member_id, "event", "セミナー参加費", date(2026, 6, 1),
                                       date(2026, 6, 30), [Line("参加費", 1, 11000, "standard_10")])
        note = invoices.credit_note_for_amount(session, invoice.id, "5,500円", date(2026, 6, 10), "一部欠席")
        assert (note.kind, note.total, note.lines[0].description, note.lines[0].tax_category) == (
            "credit_note", 6050, "返還: 一部欠席", "standard_10")  # 5,500 before tax, as the window always did
        invoice_id = invoice.id
    for bad in ("abc", "0", "-100"):
        with pytest.raises(UserError), db.transaction() as session:
            invoices.credit_note_for_amount(session, invoice_id, bad, date(2026, 6, 10))
