"""The contract PDFs read back as text (pdftotext): letters, 精算書, 収支報告, 見積書, contract invoices."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest

from tama_desk.documents import contract_letter, contract_report
from tama_desk.documents import invoice as invoice_pdf
from tama_desk.services import contract_documents, contracts, invoices
from tests.factories import make_contract

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
ON = date(2027, 3, 10)


def text_of(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    return "".join(text.split())  # letter-spaced titles and column layout do not matter


@pytest.fixture
def settled(db):
    """A 概算払い contract settled below its advance, with its refund credit note and two costs."""
    from tama_desk.services import cost_ledger

    with db.transaction() as session:
        contract = make_contract(session, management_fee_rate="10%")
        contracts.add_deliverable(session, contract.id, "実施報告書", date(2027, 2, 28))
        contracts.issue_invoice(session, contract.id, date(2026, 5, 10), advance=4_400_000)
        contracts.complete(session, contract.id, date(2027, 2, 20))
        contracts.settle(session, contract.id, 4_180_000, date(2027, 3, 5))
        contracts.issue_invoice(session, contract.id, date(2027, 3, 6), final=True)
        for number, (category, amount) in enumerate((("旅費", 1_650_000), ("委託費", 990_000)), start=1):
            cost_ledger.add_cost(session, contract.id, {
                "voucher_number": f"V-{number}", "category": category, "payment_date": date(2026, 6, number),
                "payee": f"支払先{number}", "amount": amount, "tax": amount // 11})
        return contract.id


def test_completion_letter(db, settled, tmp_path):
    with db.reading() as session:
        data = contract_documents.letter_data(session, "completion", settled, ON, wareki=False)
    text = text_of(contract_letter.render(data), tmp_path)
    for expected in ("業務完了届", "八王子市産業振興課", "御中", "八王子CitySalesinShanghai", "八産第123号",
                     "2027年2月20日", "実施報告書", "5,500,000円", "記", "以上"):
        assert expected in text


def test_settlement_statement_shows_the_refund_in_wareki(db, settled, tmp_path):
    with db.reading() as session:
        data = contract_documents.letter_data(session, "settlement", settled, ON, wareki=True)
    text = text_of(contract_letter.render(data), tmp_path)
    assert "委託料精算書" in text
    assert "4,180,000" in text and "4,400,000" in text and "返還額" in text and "220,000" in text
    assert "令和9年3月10日" in text and "令和8年4月20日" in text


def test_balance_report(db, settled, tmp_path):
    with db.reading() as session:
        report = contract_documents.balance_report(session, settled, ON, wareki=False)
    assert (report.revenue_net, report.cost_total) == (3_800_000, 2_400_000)
    assert report.margin == 1_400_000 and report.management_fee == 240_000
    text = text_of(contract_report.render(report), tmp_path)
    for expected in ("収支報告書", "3,800,000", "1,500,000", "900,000", "2,400,000", "1,400,000", "36.8%",
                     "一般管理費", "V-1", "支払先2", "入金済" if report.status == "入金済" else report.status):
        assert expected in text


def test_estimate_and_contract_invoice_carry_the_contract(db, settled, tmp_path):
    with db.reading() as session:
        estimate = contracts.estimate_snapshot(session, settled, date(2026, 4, 1))
        advance = contracts.contract_invoices(session, settled)[0]
        invoice = invoices.snapshot_of(session, advance)
    text = text_of(invoice_pdf.render(estimate), tmp_path)
    assert "見積書" in text and "お見積金額" in text and "¥5,500,000-" in text and "八産第123号" in text
    assert "お振込先" not in text and "500,000" in text  # the tax inside, computed once
    text = text_of(invoice_pdf.render(invoice), tmp_path)
    assert "請求書" in text and "契約番号" in text and "八産第123号" in text and "¥4,400,000-" in text


def test_balance_report_shows_the_tax_category_and_every_amendment(db, tmp_path):
    from tama_desk.domain.contracts import MilestoneEdit

    with db.transaction() as session:
        contract = make_contract(session, "partial", tax_category="reduced_8")
        contracts.add_milestone(session, contract.id, "中間報告", date(2026, 10, 31), 2_000_000)
        contracts.amend(session, contract.id, date(2026, 9, 1), "対象企業の追加", amount=6_050_000,
                        period_end=date(2027, 3, 31))
        contracts.amend(session, contract.id, date(2026, 11, 2), "報告会の延期",
                        milestones=[MilestoneEdit(1, due=date(2026, 11, 30))])
        contract_id = contract.id
    with db.reading() as session:
        report = contract_documents.balance_report(session, contract_id, ON, wareki=False)
    text = text_of(contract_report.render(report), tmp_path)
    for expected in ("税区分", "軽減8%", "当初5,500,000円", "変更契約", "2回（最終2026年11月2日）", "第1回", "2026年9月1日",
                     "5,500,000円→6,050,000円", "2027年2月28日→", "2027年3月31日", "対象企業の追加", "第2回",
                     "6,050,000円（変更なし）", "報告会の延期", "第1回「中間報告」を変更（期限2026-10-31→2026-11-30）",
                     "3.収支（税抜）", "4.経費の明細" if report.lines else "3.収支"):
        assert expected in text, expected
