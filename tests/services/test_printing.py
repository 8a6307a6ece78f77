from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tama_desk.db.models import Invoice, Member
from tama_desk.documents.invoice import file_name, render
from tama_desk.domain.tax import Line
from tama_desk.errors import UserError
from tama_desk.services import fees, invoices, members, payments, printing, profile
from tests.factories import pdf_text

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
ISSUE = date(2026, 4, 10)
DUE = date(2026, 5, 31)


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def billed(db):
    """Four members billed for 2026 on 2026-04-10, due 2026-05-31; 0001 paid in full, 0002 paid half."""
    with db.transaction() as session:
        profile.update_profile(session, {"name": "一般社団法人 多摩産業ネットワーク協会",
                                         "registration_number": "T9234567890123"})
        for number, name in (("0001", "株式会社多摩精機"), ("0002", "浅川電子株式会社"), ("0003", "有限会社高尾技研"),
                             ("0004", "株式会社相模光学")):
            members.save_member(session, {"number": number, "name": name, "kana": "テスト", "category": "企業",
                                          "membership_type": "正会員", "join_date": "2020-04-01"})
        _plan, ids = fees.bill_fiscal_year(session, 2026, ISSUE, DUE)
        paid = payments.record_payment(session, invoices.get_invoice(session, ids[0]).member_id, date(2026, 5, 1),
                                       70000)
        half = payments.record_payment(session, invoices.get_invoice(session, ids[1]).member_id, date(2026, 5, 2),
                                       35000)
    db.ids, db.paid, db.half = ids, paid.id, half.id
    return db


def test_one_file_per_document_named_for_search_and_a_combined_file(billed, tmp_path):
    documents = printing.year_documents(billed, 2026)
    assert [snapshot.number for snapshot, *_rest in documents] == ["2026-0001", "2026-0002", "2026-0003", "2026-0004"]
    progress = []
    result = printing.write_pdfs(documents, tmp_path / "out", tmp_path / "all.pdf",
                                 progress=lambda done, total: progress.append((done, total)))
    assert [path.name for path in result.files] == [
        "20260410_株式会社多摩精機_70000.pdf", "20260410_浅川電子株式会社_70000.pdf",
        "20260410_有限会社高尾技研_70000.pdf", "20260410_株式会社相模光学_70000.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in result.files)
    assert progress == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert result.combined == tmp_path / "all.pdf"
    combined = result.combined.read_bytes()
    assert pages(combined) == sum(pages(path.read_bytes()) for path in result.files)
    for (snapshot, *_rest), path in zip(documents, result.files, strict=True):
        data = path.read_bytes()
        assert data == render(snapshot)  # the file is the frozen document, re-rendered identically
        text = pdf_text(data)
        assert snapshot.number in text and snapshot.recipient.name in text and "T9234567890123" in text
    text = pdf_text(combined)
    assert all(number in text for number in ("2026-0001", "2026-0002", "2026-0003", "2026-0004"))


def test_same_day_recipient_and_amount_are_told_apart_by_number(billed, tmp_path):
    with billed.transaction() as session:
        member = session.scalar(select(Member).where(Member.number == "0003"))
        for _ in range(2):
            invoices.issue(session, dict(kind="invoice", issue_date=date(2026, 6, 1),
                                         recipient=invoices.recipient_snapshot(member),
                                         lines=[Line("セミナー参加費", 1, 5000, "standard_10")]), member=member)
    documents = [doc for doc in printing.year_documents(billed, 2026) if doc[0].issue_date == date(2026, 6, 1)]
    result = printing.write_pdfs(documents, tmp_path)
    assert [path.name for path in result.files] == ["20260601_有限会社高尾技研_5500.pdf",
                                                    "20260601_有限会社高尾技研_5500_2026-0006.pdf"]
    assert result.combined is None
    assert "2026-0006" in pdf_text(result.files[1].read_bytes())
    assert file_name(documents[1][0]) == result.files[0].name  # the plain name, before de-duplication


def test_cancelled_documents_only_on_request_and_stamped(billed, tmp_path):
    with billed.transaction() as session:
        invoices.cancel(session, billed.ids[3], "宛名誤り")
    assert [s.number for s, *_rest in printing.year_documents(billed, 2026)] == ["2026-0001", "2026-0002", "2026-0003"]
    everything = printing.year_documents(billed, 2026, include_cancelled=True)
    assert [(s.number, r) for s, r, _on in everything][-1] == ("2026-0004", "宛名誤り")
    cancelled_on = everything[-1][2]
    assert cancelled_on == date.today()
    result = printing.write_pdfs(everything[-1:], tmp_path)
    text = pdf_text(result.files[0].read_bytes())
    assert f"この請求書は取り消されました（{cancelled_on.year}年{cancelled_on.month}月{cancelled_on.day}日取消）: 宛名誤り" \
        in text
    assert printing.year_documents(billed, 2027) == []


def test_receipt(billed):
    with billed.reading() as session:
        snapshot = printing.receipt_snapshot(session, billed.paid)
    assert (snapshot.kind, snapshot.amount, snapshot.total, snapshot.issue_date) == ("receipt", 70000, 70000,
                                                                                     date(2026, 5, 1))
    assert (snapshot.original_number, snapshot.subject) == ("2026-0001", "2026年度 年会費として")
    text = pdf_text(render(snapshot))
    assert "領収書" in text and "70,000" in text and "2026-0001" in text and "株式会社多摩精機" in text


def test_receipt_refused_for_reversed_or_unallocated_payments(billed):
    with billed.transaction() as session:
        payments.reverse_payment(session, billed.half, "誤入力")
        credit_only = payments.record_payment(session, None, date(2026, 5, 3), 1000)
    with billed.reading() as session:
        for payment_id in (billed.half, credit_only.id, 9999):
            with pytest.raises(UserError):
                printing.receipt_snapshot(session, payment_id)


def test_dunning_only_for_overdue_open_invoices(billed):
    with billed.reading() as session:
        assert printing.overdue_invoice_ids(session, DUE) == []  # due today: not overdue yet
        overdue = printing.overdue_invoice_ids(session, date(2026, 6, 1))
        assert overdue == billed.ids[1:]  # 0001 is paid
        letter = printing.dunning_snapshot(session, billed.ids[1], date(2026, 6, 10), date(2026, 6, 24))
        strong = printing.dunning_snapshot(session, billed.ids[2], date(2026, 6, 10), date(2026, 6, 24), strong=True)
        with pytest.raises(UserError, match="未入金額がありません"):
            printing.dunning_snapshot(session, billed.ids[0], date(2026, 6, 10), date(2026, 6, 24))
    assert (letter.kind, letter.amount, letter.number, letter.original_number) == ("dunning", 35000, "2026-0002-D",
                                                                                   "2026-0002")
    assert (letter.due_date, letter.transaction_date, letter.issue_date) == (date(2026, 6, 24), DUE, date(2026, 6, 10))
    text = pdf_text(render(letter))
    assert "お支払いのお願い" in text and "35,000" in text and "2026-0002" in text and "浅川電子株式会社" in text
    strong_text = pdf_text(render(strong))
    assert "督促状" in strong_text and "70,000" in strong_text


def test_a_part_paid_invoice_gets_its_own_wording_and_amounts(billed):
    with billed.reading() as session:
        part = printing.dunning_snapshot(session, billed.ids[1], date(2026, 6, 10), date(2026, 6, 24))
        unpaid = printing.dunning_snapshot(session, billed.ids[2], date(2026, 6, 10), date(2026, 6, 24))
    text = pdf_text(render(part))
    assert "ご入金を確認できておりません" in text  # of the rest, said as such:
    assert "ご請求額70,000円のうち35,000円のご入金を確認いたしましたが、残額35,000円の" in re.sub(r"\s", "", text)
    for label, amount in (("ご請求額", "¥70,000-"), ("ご入金済額", "¥35,000-"), ("未入金額", "¥35,000-")):
        assert re.search(f"{label} {amount}", text), label
    plain = pdf_text(render(unpaid))
    assert "ご入金済額" not in plain and "のうち" not in plain and "本日現在、ご入金を確認できておりません" in plain
    assert "ご清栄" in plain and "ご清祥" not in plain  # to an organisation


def test_a_person_is_wished_seisho():
    from tests.documents.test_invoice_pdf import dunning

    letter = dunning()
    person = replace(letter, recipient=replace(letter.recipient, name="山田 花子", honorific="様", contact=""))
    text = pdf_text(render(person))
    assert "ご清祥" in text and "ご清栄" not in text and "山田 花子 様" in text


def test_no_dunning_for_cancelled_or_paid_up_invoices(billed):
    with billed.transaction() as session:
        invoices.cancel(session, billed.ids[3], "誤請求")
        payments.record_payment(session, invoices.get_invoice(session, billed.ids[1]).member_id, date(2026, 6, 5), 35000)
    with billed.reading() as session:
        assert printing.overdue_invoice_ids(session, date(2026, 7, 1)) == [billed.ids[2]]
        with pytest.raises(UserError):
            printing.dunning_snapshot(session, billed.ids[3], date(2026, 7, 1), date(2026, 7, 15))


def test_today_folder(tmp_path):
    folder = printing.today_folder(tmp_path, 2026)
    assert folder.parent == tmp_path / "2026年度"
    assert folder.name == f"{date.today():%Y%m%d}"


def test_documents_are_issued_invoices_of_the_fiscal_year_in_number_order(billed):
    with billed.transaction() as session:
        note = invoices.credit_note(session, billed.ids[2], [Line("返還", 1, 1000, "out_of_scope")], date(2026, 7, 1),
                                    "減額")
    kinds = [(s.number, s.kind) for s, *_rest in printing.year_documents(billed, 2026)]
    assert kinds[-1] == (note.number, "credit_note")
    with billed.reading() as session:
        assert len(kinds) == len(session.scalars(select(Invoice).where(Invoice.fiscal_year == 2026)).all())
