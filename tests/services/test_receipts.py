"""領収書 from the payment's allocations, frozen and numbered (issue 12, receipts)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image
from sqlalchemy import func, select

from tama_desk.db.models_receipts import Receipt
from tama_desk.documents.invoice import render
from tama_desk.domain.invoice import OUT_OF_SCOPE_NOTICE
from tama_desk.errors import UserError
from tama_desk.services import fees, invoices, members, payments, printing, profile
from tests.factories import pdf_text


def seal() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (60, 60), (200, 30, 30, 255)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def two_years(db):
    """Member 0001 billed 70,000円 for 2025 (2025-04-10) and 2026 (2026-04-10); member 0002 for 2026 only."""
    with db.transaction() as session:
        profile.update_profile(session, {"name": "一般社団法人 多摩産業ネットワーク協会",
                                         "registration_number": "T9234567890123"})
        for number, name, joined in (("0001", "株式会社多摩精機", "2020-04-01"), ("0002", "浅川電子株式会社", "2026-04-01")):
            members.save_member(session, {"number": number, "name": name, "kana": "テスト", "category": "企業",
                                          "membership_type": "正会員", "join_date": joined})
        _plan, old = fees.bill_fiscal_year(session, 2025, date(2025, 4, 10), date(2025, 5, 31))
        _plan, new = fees.bill_fiscal_year(session, 2026, date(2026, 4, 10), date(2026, 5, 31))
        db.member = invoices.get_invoice(session, new[0]).member_id
        db.other = invoices.get_invoice(session, new[1]).member_id
    return db


def pay(db, member_id, amount, day=date(2026, 6, 1)):
    with db.transaction() as session:
        return payments.record_payment(session, member_id, day, amount).id


def test_one_payment_for_two_years_lists_both_invoices(two_years):
    payment = pay(two_years, two_years.member, 140000)
    with two_years.reading() as session:
        receipt = printing.receipt_snapshot(session, payment)
    assert receipt.amount == 140000
    assert receipt.original_number.count("、") == 1  # both invoices
    assert receipt.subject == "2025年度・2026年度 年会費として"
    text = pdf_text(render(receipt))
    assert "但し 2025年度・2026年度 年会費として" in text
    assert "不課税 140,000" in text and OUT_OF_SCOPE_NOTICE in text  # the breakdown by rate


def test_overpayment_is_shown_apart_as_deposit(two_years):
    payment = pay(two_years, two_years.other, 75000)
    with two_years.reading() as session:
        receipt = printing.receipt_snapshot(session, payment)
    text = pdf_text(render(receipt))
    assert receipt.amount == 70000 and "¥70,000-" in text and "75,000" not in text.split("備考")[0]
    assert "5,000円を預り金としてお預かりしております" in text


def test_part_payment_of_a_one_rate_invoice(two_years):
    payment = pay(two_years, two_years.other, 35000)
    with two_years.reading() as session:
        receipt = printing.receipt_snapshot(session, payment)
    assert receipt.amount == 35000 and [(t.tax_category, t.net, t.tax) for t in receipt.totals] == [
        ("out_of_scope", 35000, 0)]


def test_issued_receipts_are_numbered_frozen_and_use_the_issuer_of_the_day(two_years):
    first = pay(two_years, two_years.member, 70000, date(2026, 5, 1))
    second = pay(two_years, two_years.other, 70000, date(2026, 5, 2))
    with two_years.transaction() as session:  # a seal registered after the invoices were issued
        profile.update_profile(session, {"seal_png": seal(), "address": "東京都立川市曙町二丁目1番1号"})
    with two_years.transaction() as session:
        issued = printing.issue_receipts(session, 2026)
    assert [r.number for r in issued] == ["R2026-0001", "R2026-0002"]
    assert all(r.issuer.seal_png and r.issuer.address == "東京都立川市曙町二丁目1番1号" for r in issued)
    with two_years.transaction() as session:
        assert printing.issue_receipts(session, 2026) == []  # issued once
        profile.update_profile(session, {"address": "東京都八王子市旭町9番1号"})
    with two_years.reading() as session:
        again = printing.year_receipts(session, 2026)
        assert [printing.receipt_snapshot(session, p).number for p in (first, second)] == ["R2026-0001", "R2026-0002"]
        assert session.scalar(select(func.count()).select_from(Receipt)) == 2
    assert [render(r) for r in again] == [render(r) for r in issued]  # re-rendered identically
    with two_years.reading() as session:
        assert [r.recipient.name for r in printing.year_receipts(session, 2026, "0002")] == ["浅川電子株式会社"]


def test_a_preview_stores_nothing_and_unknown_members_are_refused(two_years):
    payment = pay(two_years, two_years.member, 70000)
    with two_years.reading() as session:
        printing.receipt_snapshot(session, payment)
    with two_years.reading() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == 0
    with two_years.transaction() as session, pytest.raises(UserError):
        printing.issue_receipts(session, 2026, "9999")


# --- 収入印紙: a setting, never decided silently (issue 12) ------------------------------------------


def test_the_stamp_duty_setting_is_printed_on_the_receipt(db):
    from datetime import date as _date

    from tama_desk.documents.invoice import render as _render
    from tama_desk.services import fees as _fees
    from tama_desk.services import invoices as _invoices
    from tama_desk.services import members as _members
    from tama_desk.services import payments as _payments
    from tama_desk.services import printing as _printing
    from tama_desk.services import profile as _profile
    from tests.factories import pdf_text as _text

    with db.transaction() as session:
        assert _profile.get_profile(session).stamp_duty == "exempt"  # a 一般社団法人's dues: not for business
        for number in ("0001", "0002"):
            _members.save_member(session, {"number": number, "name": f"株式会社テスト{number}", "kana": "テスト",
                                           "category": "企業", "membership_type": "正会員", "join_date": "2020-04-01"})
        _plan, ids = _fees.bill_fiscal_year(session, 2026, _date(2026, 4, 10))
        first, second = (_invoices.get_invoice(session, i).member_id for i in ids[:2])
        _payments.record_payment(session, first, _date(2026, 5, 1), 70000)
        [exempt] = _printing.issue_receipts(session, 2026)
        _profile.update_profile(session, {"stamp_duty": "5万円以上は収入印紙欄を印字"})
        _payments.record_payment(session, second, _date(2026, 5, 2), 70000)
        [stamped] = _printing.issue_receipts(session, 2026)
        with pytest.raises(UserError):
            _profile.update_profile(session, {"stamp_duty": "適当に"})
    exempt_text, stamped_text = _text(_render(exempt)), _text(_render(stamped))
    assert "印紙税: 非課税（営業に関しない受取書）" in exempt_text and "収入印紙" not in exempt_text
    assert "収入印紙" in stamped_text and "非課税（営業に関しない受取書）" not in stamped_text


def test_issue_receipt_numbers_one_payment_once_and_then_reprints_it(db):
    from tama_desk.services import fees as _fees
    from tama_desk.services import invoices as _invoices
    from tama_desk.services import members as _members
    from tama_desk.services import payments as _payments
    from tama_desk.services import printing as _printing

    with db.transaction() as session:
        _members.save_member(session, {"number": "0001", "name": "株式会社テスト", "kana": "テスト", "category": "企業",
                                       "membership_type": "正会員", "join_date": "2020-04-01"})
        _plan, ids = _fees.bill_fiscal_year(session, 2026, date(2026, 4, 10))
        payment = _payments.record_payment(session, _invoices.get_invoice(session, ids[0]).member_id,
                                           date(2026, 5, 1), 70000)
        first = _printing.issue_receipt(session, payment.id)
    with db.transaction() as session:
        again = _printing.issue_receipt(session, payment.id)
        assert session.scalar(select(func.count()).select_from(Receipt)) == 1
    assert first.number == again.number == "R2026-0001" and first.to_json() == again.to_json()


def test_reversing_a_payment_cancels_its_receipt(two_years, tmp_path):
    """Issue 12: 取消 of a payment marks its 領収書 cancelled (date, reason), a re-render shows 取消, it is not
    issued again, and the audit records it."""
    from tama_desk.services import audit

    payment = pay(two_years, two_years.other, 70000)
    with two_years.transaction() as session:
        [issued] = printing.issue_receipts(session, 2026)
        payments.reverse_payment(session, payment, "誤入金（別会員の振込）")
    with two_years.reading() as session:
        receipt = session.scalar(select(Receipt).where(Receipt.payment_id == payment))
        assert receipt.cancelled_at is not None and receipt.cancel_reason == "誤入金（別会員の振込）"
        assert [entry.summary for entry in audit.history(session, "receipt", receipt.id)] == [
            issued.number, f"{issued.number} 取消（入金取消）: 誤入金（別会員の振込）"]  # issued, then cancelled
        [(snapshot, reason, on)] = printing.year_receipt_documents(session, 2026, "0002")
    assert (snapshot.number, reason, on) == (issued.number, "誤入金（別会員の振込）", receipt.cancelled_at.date())
    text = pdf_text(render(snapshot, reason, on))
    assert "取消" in text and "誤入金（別会員の振込）" in text
    assert "取消" not in pdf_text(render(issued))
    with two_years.transaction() as session:
        assert printing.issue_receipts(session, 2026, "0002") == []  # never issued again for that payment
        assert printing.receipt_document(session, payment)[1] == "誤入金（別会員の振込）"  # the window's button
        assert session.scalar(select(func.count()).select_from(Receipt)) == 1


def test_receipts_pdf_writes_a_cancelled_receipt_with_its_stamp_and_says_so(two_years, tmp_path, capsys):
    from tama_desk.cli import main

    payment = pay(two_years, two_years.other, 70000)
    with two_years.transaction() as session:
        printing.issue_receipts(session, 2026)
        payments.reverse_payment(session, payment, "二重計上")
    database = str(two_years.engine.url.database)
    assert main(["--db", database, "receipts", "pdf", "--fiscal-year", "2026", "--out", str(tmp_path / "r")]) == 0
    out = capsys.readouterr().out
    assert "新たに 0 件" in out and "取消（入金の取消による） 1 件" in out
    [path] = (tmp_path / "r").glob("*.pdf")
    assert "二重計上" in pdf_text(path.read_bytes())
