from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tama_desk.db.models import AuditLog, DocumentAsset, Invoice, InvoiceLine, Member
from tama_desk.documents.invoice import render
from tama_desk.domain.invoice import DocumentSnapshot, Recipient
from tama_desk.domain.tax import Line
from tama_desk.errors import UserError
from tama_desk.services import fees, invoices, members, payments, profile
from tama_desk.services.invoices import FrozenInvoiceError
from tests import factories
from tests.factories import count, pdf_text

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
ISSUE = date(2026, 4, 10)
PROFILE = {"name": "一般社団法人 多摩産業ネットワーク協会", "registration_number": "T9234567890123",
           "address": "東京都八王子市明神町4-7-1", "bank_name": "多摩みらい信用金庫", "bank_branch": "八王子支店",
           "bank_account_number": "1234567", "bank_account_holder": "ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳ"}


def seal_png(colour=(200, 30, 30, 220)) -> bytes:
    return factories.seal_png(colour, size=60)


@pytest.fixture
def billed(db):
    """Three members billed for fiscal year 2026: invoice ids 2026-0001 … 2026-0003 (70,000 / 70,000 / 30,000)."""
    with db.transaction() as session:
        profile.update_profile(session, PROFILE)
        for number, name, kind in (("0001", "株式会社多摩精機", "正会員"), ("0002", "浅川電子株式会社", "正会員"),
                                   ("0003", "佐藤 花子", "賛助会員")):
            members.save_member(session, {"number": number, "name": name, "kana": "テスト",
                                          "category": "個人" if kind == "賛助会員" else "企業",
                                          "membership_type": kind, "join_date": "2020-04-01"})
        _plan, ids = fees.bill_fiscal_year(session, 2026, ISSUE)
    db.ids = ids
    return db


def snapshot_row(db, invoice_id: int) -> tuple:
    with db.reading() as session:
        invoice = session.get(Invoice, invoice_id)
        return (invoice.number, invoice.total, invoice.snapshot, invoice.status, invoice.due_date,
                [(line.description, line.amount) for line in invoice.lines])


# --- frozen ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [
    ("total", 1), ("snapshot", "{}"), ("number", "2026-9999"), ("due_date", date(2027, 1, 1)),
    ("recipient_name", "別の会社"), ("issue_date", date(2026, 4, 11)), ("member_id", None), ("billed_year", 2027),
])
def test_changing_an_issued_invoice_is_refused(billed, field, value):
    invoice_id = billed.ids[0]
    before = snapshot_row(billed, invoice_id)
    with pytest.raises(FrozenInvoiceError) as caught, billed.transaction() as session:
        setattr(session.get(Invoice, invoice_id), field, value)
        session.flush()
    assert isinstance(caught.value, UserError)
    assert "変更できません" in str(caught.value)
    assert snapshot_row(billed, invoice_id) == before


def test_changing_a_line_is_refused(billed):
    before = snapshot_row(billed, billed.ids[0])
    with pytest.raises(FrozenInvoiceError, match="明細"), billed.transaction() as session:
        session.get(Invoice, billed.ids[0]).lines[0].amount = 1
        session.flush()
    assert snapshot_row(billed, billed.ids[0]) == before


LINE_GUARD_BUG = ("BUG: services/invoices.py _refuse_edits_to_issued_documents (line 35) checks only dirty "
                  "InvoiceLine objects and session.deleted; changes to the Invoice.lines collection pass: a new "
                  "line is INSERTed, and a line removed from the collection is deleted by the delete-orphan "
                  "cascade (orphans are not yet in session.deleted during before_flush)")


def test_adding_a_line_to_an_issued_invoice_is_refused(billed):
    before = snapshot_row(billed, billed.ids[0])
    with pytest.raises(FrozenInvoiceError), billed.transaction() as session:
        invoice = session.get(Invoice, billed.ids[0])
        invoice.lines.append(InvoiceLine(position=2, description="追加", quantity=1, unit_price=5000,
                                         tax_category="out_of_scope", amount=5000))
        session.flush()
    assert snapshot_row(billed, billed.ids[0]) == before


def test_removing_a_line_from_an_issued_invoice_is_refused(billed):
    before = snapshot_row(billed, billed.ids[0])
    with pytest.raises(FrozenInvoiceError), billed.transaction() as session:
        invoice = session.get(Invoice, billed.ids[0])
        invoice.lines.remove(invoice.lines[0])
        session.flush()
    assert snapshot_row(billed, billed.ids[0]) == before


@pytest.mark.parametrize("what", ["invoice", "line"])
def test_deleting_is_refused(billed, what):
    before = snapshot_row(billed, billed.ids[0])
    with pytest.raises(FrozenInvoiceError, match="削除"), billed.transaction() as session:
        invoice = session.get(Invoice, billed.ids[0])
        session.delete(invoice if what == "invoice" else invoice.lines[0])
        session.flush()
    assert snapshot_row(billed, billed.ids[0]) == before


def test_status_change_by_cancel_is_not_blocked_by_the_guard(billed):
    with billed.transaction() as session:
        invoice = session.get(Invoice, billed.ids[0])
        invoices.cancel(session, invoice.id, "誤り")
        session.flush()  # status, reason and who/when are not frozen fields
        assert invoice.status == "cancelled"


# --- cancel ---------------------------------------------------------------------------------------


def test_cancel_needs_a_reason_and_happens_once(billed):
    invoice_id = billed.ids[0]
    for reason in ("", "   "):
        with pytest.raises(UserError, match="理由"), billed.transaction() as session:
            invoices.cancel(session, invoice_id, reason)
    with billed.transaction() as session:
        invoices.cancel(session, invoice_id, "  宛名誤り ")
    with pytest.raises(UserError, match="既に取り消され"), billed.transaction() as session:
        invoices.cancel(session, invoice_id, "もう一度")
    with billed.reading() as session:
        invoice = session.get(Invoice, invoice_id)
        assert (invoice.status, invoice.cancel_reason) == ("cancelled", "宛名誤り")
        assert invoice.cancelled_at is not None and invoice.cancelled_by
        assert invoice.total == 70000 and invoice.number == "2026-0001"  # kept as issued
        cancels = list(session.scalars(select(AuditLog.summary).where(AuditLog.action == "cancel")))
        assert cancels == ["2026-0001: 宛名誤り"]
        assert invoices.status_of(invoice, invoices.balances(session, [invoice_id])[invoice_id]) == "cancelled"


def test_paid_invoice_cannot_be_cancelled_until_the_payment_is_reversed(billed):
    invoice_id = billed.ids[0]
    with billed.transaction() as session:
        member_id = invoices.get_invoice(session, invoice_id).member_id
        payment = payments.record_payment(session, member_id, date(2026, 5, 1), 30000,
                                          allocations=[(invoice_id, 30000)])
    with pytest.raises(UserError, match="入金"), billed.transaction() as session:
        invoices.cancel(session, invoice_id, "誤請求")
    with billed.reading() as session:
        assert session.get(Invoice, invoice_id).status == "issued"
    with billed.transaction() as session:
        payments.reverse_payment(session, payment.id, "誤入力")
        invoices.cancel(session, invoice_id, "誤請求")
    with billed.reading() as session:
        assert session.get(Invoice, invoice_id).status == "cancelled"


def test_unknown_invoice(billed):
    with billed.reading() as session:
        with pytest.raises(UserError, match="見つかりません"):
            invoices.cancel(session, 999, "x")
        with pytest.raises(UserError, match="9999"):
            invoices.find_by_number(session, "2026-9999")
        assert invoices.find_by_number(session, "2026-0002").id == billed.ids[1]


# --- snapshot and seal ----------------------------------------------------------------------------


def test_snapshot_round_trip_and_seal_stored_once(db):
    seal = seal_png()
    with db.transaction() as session:
        profile.update_profile(session, PROFILE | {"seal_png": seal})
        member = members.save_member(session, {"name": "株式会社多摩精機", "kana": "タマセイキ", "category": "企業",
                                               "membership_type": "正会員"})
        first = invoices.issue(session, dict(kind="invoice", issue_date=ISSUE, recipient=Recipient("株式会社多摩精機"),
                                             lines=[Line("セミナー参加費", 1, 105, "standard_10")] * 3),
                               member=member)
        second = invoices.issue(session, dict(kind="invoice", issue_date=ISSUE, recipient=Recipient("株式会社多摩精機"),
                                              lines=[Line("資料代", 1, 1000, "standard_10")]), member=member)
    digest = hashlib.sha256(seal).hexdigest()
    with db.reading() as session:
        assert count(session, DocumentAsset) == 1
        assert session.get(DocumentAsset, digest).data == seal
        for invoice in (session.get(Invoice, first.id), session.get(Invoice, second.id)):
            stored = json.loads(invoice.snapshot)
            assert stored["issuer"]["seal_sha256"] == digest
            assert stored["issuer"]["seal_png"] is None  # not copied into every snapshot
            plain = DocumentSnapshot.from_json(invoice.snapshot)
            assert plain.to_json() == invoice.snapshot
            full = invoices.snapshot_of(session, invoice)
            assert full.issuer.seal_png == seal
            assert DocumentSnapshot.from_json(full.to_json()) == full
        one = invoices.snapshot_of(session, session.get(Invoice, first.id))
        assert (one.number, one.total, one.rounding) == ("2026-0001", 346, "floor")  # 315 + 31: once per rate
        assert one.issuer.registration_number == "T9234567890123"


def test_profile_rounding_applies_to_new_invoices(db):
    with db.transaction() as session:
        profile.update_profile(session, {"tax_rounding": "half_up"})
        invoice = invoices.issue(session, dict(kind="invoice", issue_date=ISSUE, recipient=Recipient("相手先"),
                                               lines=[Line("セミナー参加費", 1, 105, "standard_10")] * 3), member=None)
        assert invoice.total == 347
        assert invoices.snapshot_of(session, invoice).rounding == "half_up"


def test_issue_refuses_bad_lines(db):
    with db.transaction() as session:
        for lines in ([], [Line("x", 0, 100, "standard_10")], [Line("x", 1, -1, "standard_10")],
                      [Line(" ", 1, 100, "standard_10")]):
            with pytest.raises(UserError, match="明細"):
                invoices.issue(session, dict(kind="invoice", issue_date=ISSUE, recipient=Recipient("相手先"),
                                             lines=lines), member=None)
        assert count(session, Invoice) == 0


def test_issued_document_keeps_the_issuer_of_its_day(billed):
    old_seal, new_seal = seal_png(), seal_png((30, 30, 200, 220))
    with billed.transaction() as session:
        profile.update_profile(session, {"seal_png": old_seal})
        member = session.scalar(select(Member).where(Member.number == "0001"))
        invoice = invoices.issue(session, dict(kind="invoice", issue_date=date(2026, 6, 1),
                                               recipient=invoices.recipient_snapshot(member),
                                               lines=[Line("セミナー参加費", 2, 5000, "standard_10")]), member=member)
    with billed.reading() as session:
        before = render(invoices.snapshot_of(session, session.get(Invoice, invoice.id)))
    with billed.transaction() as session:
        profile.update_profile(session, {"name": "一般社団法人 新多摩産業協会", "address": "東京都立川市曙町1-1",
                                         "seal_png": new_seal})
    with billed.transaction() as session:
        snapshot = invoices.snapshot_of(session, session.get(Invoice, invoice.id))
        after = render(snapshot)
        assert snapshot.issuer.name == "一般社団法人 多摩産業ネットワーク協会"
        assert snapshot.issuer.seal_png == old_seal
        newer = invoices.issue(session, dict(kind="invoice", issue_date=date(2026, 6, 2),
                                             recipient=Recipient("相手先"), lines=[Line("資料代", 1, 100, "exempt")]),
                               member=None)
        assert invoices.snapshot_of(session, newer).issuer.name == "一般社団法人 新多摩産業協会"
        assert count(session, DocumentAsset) == 2
    assert after == before


# --- credit notes ---------------------------------------------------------------------------------


def test_credit_note_is_numbered_in_sequence_and_limited_to_what_remains(billed):
    original_id = billed.ids[0]
    with billed.transaction() as session:
        note = invoices.credit_note(session, original_id, [Line("年会費 減額分", 1, 20000, "out_of_scope")],
                                    date(2026, 6, 1), "退会に伴う減額")
        assert (note.kind, note.original_invoice_id, note.number, note.total) == (
            "credit_note", original_id, "2026-0004", 20000)
        assert (note.purpose, note.member_id, note.status) == ("annual_fee", session.get(Invoice, original_id).member_id,
                                                               "issued")
    with pytest.raises(UserError, match="超えています"), billed.transaction() as session:
        invoices.credit_note(session, original_id, [Line("返還", 1, 50001, "out_of_scope")], date(2026, 6, 2), "x")
    with billed.transaction() as session:
        last = invoices.credit_note(session, original_id, [Line("返還", 1, 50000, "out_of_scope")],
                                    date(2026, 6, 2), "全額")
        assert last.number == "2026-0005"  # the refused one used no number
    with pytest.raises(UserError, match="超えています"), billed.transaction() as session:
        invoices.credit_note(session, original_id, [Line("返還", 1, 1, "out_of_scope")], date(2026, 6, 3), "x")
    with billed.reading() as session:
        balance = invoices.balances(session, [original_id])[original_id]
        assert (balance.total, balance.credited, balance.due, balance.open) == (70000, 70000, 0, 0)
        assert [n.number for n in invoices.credit_notes_of(session, original_id)] == ["2026-0004", "2026-0005"]
        assert count(session, Invoice, Invoice.kind == "credit_note") == 2
        rows = {row.number: row for row in invoices.list_invoices(session, 2026)}
        assert rows["2026-0004"].status == "credit_note"
        assert "返還請求書 2026-0004 株式会社多摩精機 20,000円" in session.scalars(
            select(AuditLog.summary).where(AuditLog.action == "issue")).all()


def test_credit_note_reduces_the_open_amount(billed):
    original_id = billed.ids[2]  # 30,000
    with billed.transaction() as session:
        invoices.credit_note(session, original_id, [Line("返還", 1, 10000, "out_of_scope")], date(2026, 6, 1), "減額")
        member_id = invoices.get_invoice(session, original_id).member_id
        assert [(i.id, amount) for i, amount in payments.open_invoices(session, member_id)] == [(original_id, 20000)]
        payments.record_payment(session, member_id, date(2026, 6, 5), 20000)
    with billed.reading() as session:
        balance = invoices.balances(session, [original_id])[original_id]
        assert (balance.credited, balance.paid, balance.open) == (10000, 20000, 0)
        assert invoices.status_of(session.get(Invoice, original_id), balance) == "paid"


def test_no_credit_note_for_a_credit_note_or_a_cancelled_invoice(billed):
    with billed.transaction() as session:
        note = invoices.credit_note(session, billed.ids[0], [Line("返還", 1, 100, "out_of_scope")], date(2026, 6, 1), "x")
        invoices.cancel(session, billed.ids[1], "誤り")
    for target in (note.id, billed.ids[1]):
        with pytest.raises(UserError, match="返還請求書を発行できません"), billed.transaction() as session:
            invoices.credit_note(session, target, [Line("返還", 1, 100, "out_of_scope")], date(2026, 6, 1), "x")
    with billed.reading() as session:
        assert count(session, Invoice, Invoice.kind == "credit_note") == 1


@needs_poppler
def test_credit_note_pdf_names_itself_and_the_original(billed):
    with billed.transaction() as session:
        note = invoices.credit_note(session, billed.ids[1], [Line("年会費 返還", 1, 35000, "out_of_scope")],
                                    date(2026, 9, 30), "年度途中退会")
        snapshot = invoices.snapshot_of(session, note)
    assert (snapshot.original_number, snapshot.original_issue_date) == ("2026-0002", ISSUE)
    text = pdf_text(render(snapshot))
    assert "適格返還請求書" in text
    assert "2026-0002" in text and "2026-0004" in text
    assert "35,000" in text
    assert "T9234567890123" in text
    assert "浅川電子株式会社" in text


def test_a_number_taken_by_another_pc_meanwhile_saves_nothing_and_says_so(billed, monkeypatch):
    """Two PCs issuing at once: this PC's numbering read the sequence before the other PC committed."""
    original_init = invoices.Numbering.__init__

    def stale(self, session):
        original_init(self, session)
        self.last = {2026: 0}  # what the maximum was before the other PC's invoices landed

    monkeypatch.setattr(invoices.Numbering, "__init__", stale)
    with billed.reading() as session:
        before = count(session, Invoice), count(session, AuditLog)
        member_id = session.scalar(select(Member.id).where(Member.number == "0001"))
    with pytest.raises(invoices.IssuedElsewhereError) as caught, billed.transaction() as session:
        invoices.issue_adhoc(session, member_id, "event", "セミナー参加費", ISSUE, ISSUE + timedelta(days=30),
                             [Line("参加費", 1, 1000, "standard_10")])
    assert "別のPCが同時に" in str(caught.value) and "何も保存していません" in str(caught.value)
    with billed.reading() as session:
        assert (count(session, Invoice), count(session, AuditLog)) == before


# --- credit notes per rate, with the original's transaction date (issue 12) ------------------------


def test_credit_note_checks_each_rate_against_what_remains_of_it(billed):
    with billed.transaction() as session:
        member_id = invoices.get_invoice(session, billed.ids[0]).member_id
        mixed = invoices.issue_adhoc(session, member_id, "event", "交流会", date(2026, 6, 1), date(2026, 6, 30),
                                     [Line("参加費", 1, 10000, "standard_10"), Line("会費", 1, 5000, "out_of_scope")],
                                     transaction_date=date(2026, 5, 20))
        mixed_id = mixed.id
    with pytest.raises(UserError) as caught, billed.transaction() as session:
        invoices.credit_note(session, billed.ids[0], [Line("返還", 1, 1000, "standard_10")], date(2026, 6, 1), "x")
    assert "課税10%" in caught.value.text() and "不課税" in caught.value.text()
    with billed.transaction() as session:
        invoices.credit_note_for_amount(session, mixed_id, "6,600", date(2026, 6, 2), "一部", "standard_10",
                                        tax_included=True)
    with pytest.raises(UserError) as caught, billed.transaction() as session:
        invoices.credit_note_for_amount(session, mixed_id, "5,000", date(2026, 6, 3), "残り", "standard_10",
                                        tax_included=True)  # 11,000 − 6,600 = 4,400 left at 10 %
    assert all(figure in caught.value.text() for figure in ("5,000", "4,400", "11,000", "6,600"))
    with billed.transaction() as session:
        note = invoices.credit_note_for_amount(session, mixed_id, "5000", date(2026, 6, 3), "会費", "out_of_scope")
        snapshot = invoices.snapshot_of(session, note)
        assert note.total == 5000
    assert snapshot.original_transaction_date == date(2026, 5, 20)


@needs_poppler
def test_credit_note_prints_the_original_transaction_date_or_the_dues_period(billed):
    with billed.transaction() as session:
        member_id = invoices.get_invoice(session, billed.ids[0]).member_id
        event = invoices.issue_adhoc(session, member_id, "event", "セミナー", date(2026, 6, 10), date(2026, 6, 30),
                                     [Line("参加費", 1, 10000, "standard_10")], transaction_date=date(2026, 5, 20))
        dues_note = invoices.credit_note(session, billed.ids[0], [Line("返還", 1, 1000, "out_of_scope")],
                                         date(2026, 7, 1), "減額")
        event_note = invoices.credit_note(session, event.id, [Line("返還", 1, 1000, "standard_10")],
                                          date(2026, 7, 1), "減額")
        dues_text = pdf_text(render(invoices.snapshot_of(session, dues_note)))
        event_text = pdf_text(render(invoices.snapshot_of(session, event_note)))
    assert "元の取引期間" in dues_text and "2026年4月1日〜2027年3月31日" in dues_text.replace(" ", "")
    assert "元の取引年月日" in event_text and "2026年5月20日" in event_text.replace(" ", "")
    assert "2026年6月10日" not in event_text.replace(" ", "")
