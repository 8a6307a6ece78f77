"""Contracts end to end against a database: invoices through the invoice engine, settlement, matching."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import AuditLog, Invoice, Payment
from tama_desk.domain.invoice import DocumentSnapshot
from tama_desk.domain.matching import propose_matches
from tama_desk.domain.statement import StatementLine
from tama_desk.errors import UserError
from tama_desk.services import clients, contracts, invoices, members, payments
from tama_desk.services.reconcile import apply, open_items
from tests.factories import make_client, make_contract

TODAY = date(2026, 12, 1)


def snapshot(invoice: Invoice) -> DocumentSnapshot:
    return DocumentSnapshot.from_json(invoice.snapshot)


def test_advance_settled_below_is_refunded_by_a_credit_note_once(db):
    with db.transaction() as session:
        contract = make_contract(session)
        advance = contracts.issue_invoice(session, contract.id, date(2026, 5, 10), advance=4_400_000)
        assert (advance.total, advance.contract_stage, advance.client_id, advance.member_id) == (
            4_400_000, "advance", contract.client_id, None)
        contracts.complete(session, contract.id, date(2027, 2, 20))
        result = contracts.settle(session, contract.id, 4_180_000, date(2027, 3, 5))
        assert (result.advance, result.balance, result.refund) == (4_400_000, 0, 220_000)
        note = contracts.issue_invoice(session, contract.id, date(2027, 3, 6), final=True)
        assert note.kind == "credit_note" and note.total == 220_000 and note.original_invoice_id == advance.id
        assert note.contract_id == contract.id and note.client_id == contract.client_id
        totals = snapshot(note).totals
        assert [(t.net, t.tax) for t in totals] == [(200_000, 20_000)]  # tax inside the tax-included refund
        assert contracts.invoiced_total(session, contract.id) == 4_180_000
        with pytest.raises(UserError, match="残額がありません"):
            contracts.issue_invoice(session, contract.id, date(2027, 3, 7), final=True)
        with pytest.raises(UserError, match="発行済み"):
            contracts.settle(session, contract.id, 4_000_000, date(2027, 3, 8))


def test_advance_settled_above_invoices_the_balance_once(db):
    with db.transaction() as session:
        contract = make_contract(session)
        contracts.issue_invoice(session, contract.id, date(2026, 5, 10), advance=4_400_000)
        with pytest.raises(UserError, match="確定額"):
            contracts.issue_invoice(session, contract.id, date(2026, 6, 1), final=True)
        contracts.complete(session, contract.id, date(2027, 2, 20))
        contracts.settle(session, contract.id, 5_000_000, date(2027, 3, 5))
        balance = contracts.issue_invoice(session, contract.id, date(2027, 3, 6), final=True)
        assert balance.kind == "invoice" and balance.total == 600_000 and balance.contract_stage == "final"
        text = snapshot(balance)
        assert "確定額 5,000,000円" in text.lines[0].description and "4,400,000" in text.lines[0].description
        assert ("契約番号", "八産第123号") in text.references and text.subject == contract.title
        assert text.due_date == date(2027, 4, 5)  # 30 days (支払遅延防止法)
        with pytest.raises(UserError, match="残額がありません"):
            contracts.issue_invoice(session, contract.id, date(2027, 3, 7), final=True)
        assert contracts.invoiced_total(session, contract.id) == 5_000_000


def test_tax_is_rounded_once_per_invoice(db):
    with db.transaction() as session:
        contract = make_contract(session, "partial", amount=1_000_003)
        for name in ("準備", "実施", "報告"):
            contracts.add_milestone(session, contract.id, name, date(2026, 9, 1), 333_334 if name != "報告" else 333_335)
        for n in (1, 2, 3):
            contracts.complete(session, contract.id, date(2026, 9, 1), milestone=n)
            contracts.inspect(session, contract.id, date(2026, 9, 5), milestone=n)
        issued = [contracts.issue_invoice(session, contract.id, date(2026, 9, 10), milestone=n) for n in (1, 2, 3)]
        for invoice in issued:
            [total] = snapshot(invoice).totals
            assert total.tax == invoice.total * 10 // 110  # once on the invoice's own amount, floor
            assert total.gross == invoice.total
        assert "請求累計 1,000,003円" in snapshot(issued[-1]).notes and "残額 0円" in snapshot(issued[-1]).notes
        with pytest.raises(UserError, match="発行済み"):
            contracts.issue_invoice(session, contract.id, date(2026, 9, 11), milestone=1)


def test_partial_and_completion_invoice_only_after_inspection(db):
    with db.transaction() as session:
        partial = make_contract(session, "partial", amount=2_200_000)
        contracts.add_milestone(session, partial.id, "第1期", date(2026, 8, 31), 1_100_000)
        with pytest.raises(UserError, match="検査に合格していません"):
            contracts.issue_invoice(session, partial.id, date(2026, 9, 1), milestone=1)
        with pytest.raises(UserError, match="完了届の前"):
            contracts.inspect(session, partial.id, date(2026, 9, 1), milestone=1)
        contracts.complete(session, partial.id, date(2026, 8, 31), milestone=1)
        contracts.inspect(session, partial.id, date(2026, 9, 2), milestone=1, passed=False)
        with pytest.raises(UserError, match="検査に合格していません"):
            contracts.issue_invoice(session, partial.id, date(2026, 9, 3), milestone=1)
        with pytest.raises(UserError, match="合計"):
            contracts.add_milestone(session, partial.id, "第2期", date(2026, 12, 1), 1_200_000)
        whole = make_contract(session, "completion", amount=1_980_000, party=clients.Party(client=partial.client))
        with pytest.raises(UserError):
            contracts.issue_invoice(session, whole.id, date(2027, 3, 1), final=True)
        contracts.complete(session, whole.id, date(2027, 2, 20))
        contracts.inspect(session, whole.id, date(2027, 2, 27))
        invoice = contracts.issue_invoice(session, whole.id, date(2027, 3, 1), final=True)
        assert invoice.total == 1_980_000 and invoice.contract_stage == "completion"
        [row] = [r for r in contracts.list_contracts(session, date(2027, 3, 2)) if r.id == whole.id]
        assert row.status == "invoiced" and row.open == 1_980_000
        assert row.next_deadline.kind == "payment" and row.next_deadline.due == date(2027, 3, 31)


def test_status_and_deadlines_in_the_list(db):
    with db.transaction() as session:
        contract = make_contract(session, "completion", amount=1_100_000)
        contracts.add_deliverable(session, contract.id, "実施報告書", date(2026, 12, 10))
        [row] = contracts.list_contracts(session, TODAY)
        assert row.status == "running" and row.next_deadline.kind == "deliverable"
        contracts.complete(session, contract.id, date(2026, 11, 18))
        [row] = contracts.list_contracts(session, TODAY)
        assert row.status == "completed" and row.overdue  # inspection was due 11-28
        assert row.next_deadline.kind == "inspection" and row.next_deadline.due == date(2026, 11, 28)
        attention = contracts.attention(session, TODAY)
        assert [a.deadline.kind for a in attention] == ["inspection", "deliverable"] and attention[0].overdue


def test_member_as_client_and_ambiguous_names(db):
    with db.transaction() as session:
        member = members.save_member(session, {"name": "八王子市", "kana": "ハチオウジシ", "category": "自治体",
                                               "membership_type": "正会員"})
        client = make_client(session)
        with pytest.raises(UserError) as error:
            clients.find_party(session, "八王子市")
        assert f"{client.id} 八王子市" in str(error.value) and f"M:{member.number} 八王子市" in str(error.value)
        party = clients.find_party(session, f"M:{member.number}")
        assert party.member.id == member.id
        contract = make_contract(session, "advance", party=party)
        invoice = contracts.issue_invoice(session, contract.id, date(2026, 5, 10), advance=1_000_000)
        assert invoice.member_id == member.id and invoice.client_id is None
        assert payments.open_invoices(session, member.id)[0][0].id == invoice.id  # fees code sees it too


def test_addressee_as_the_client_wants_it(db):
    with db.transaction() as session:
        department = clients.recipient_of(make_client(session, contact_person="高橋 健"))
        assert (department.name, department.honorific) == ("八王子市 産業振興課", "御中")
        head = clients.recipient_of(make_client(session, addressee="head", head_title="八王子市長",
                                                head_name="初宿 和夫"))
        assert (head.name, head.honorific) == ("八王子市長 初宿 和夫", "様")
        with pytest.raises(UserError, match="職名"):
            make_client(session, addressee="head")
        with pytest.raises(UserError, match="法人番号"):
            make_client(session, corporate_number="1234567890123")


def test_statement_from_the_treasury_pays_the_client_invoice(db):
    with db.transaction() as session:
        contract = make_contract(session)
        advance = contracts.issue_invoice(session, contract.id, date(2026, 5, 10), advance=4_400_000)
        items = [item for item in open_items(session) if item.client_id]
        assert [item.invoice_id for item in items] == [advance.id]
        line = StatementLine(line=2, date=date(2026, 6, 1), amount=4_400_000, payer="ﾊﾁｵｳｼﾞｼ ｶｲｹｲｶﾝﾘｼﾔ", raw=())
        [proposal] = propose_matches([line], open_items(session))
        assert proposal.auto and proposal.best.client_id == contract.client_id
        [payment] = apply(session, [(line, proposal.best)])
        assert payment.client_id == contract.client_id and payment.member_id is None
        assert invoices.balances(session, [advance.id])[advance.id].open == 0
        [row] = contracts.list_contracts(session, date(2026, 6, 2))
        assert row.paid == 4_400_000 and row.open == 0 and row.status == "running"


def test_amendment_keeps_history_and_is_audited(db):
    with db.transaction() as session:
        contract = make_contract(session, "completion", amount=1_100_000)
        contracts.amend(session, contract.id, date(2026, 9, 1), "対象企業の追加", amount=1_320_000,
                        period_end=date(2027, 3, 15))
        assert (contract.amount, contract.tax_amount, contract.period_end) == (1_320_000, 120_000, date(2027, 3, 15))
        [amendment] = contract.amendments
        assert (amendment.amount_before, amendment.amount_after) == (1_100_000, 1_320_000)
        actions = session.scalars(select(AuditLog.action).where(AuditLog.entity == "contract")).all()
        assert "amend" in actions
        with pytest.raises(UserError, match="理由"):
            contracts.amend(session, contract.id, date(2026, 9, 2), " ", amount=1)


def test_refused_invoice_writes_nothing(db):
    with db.transaction() as session:
        contract_id = make_contract(session, "completion").id
    with pytest.raises(UserError), db.transaction() as session:
        contracts.issue_invoice(session, contract_id, date(2026, 6, 1), final=True)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Invoice)) == 0
        assert session.scalar(select(func.count()).select_from(Payment)) == 0


def test_dashboard_cards_and_margins(demo_db):
    with demo_db.reading() as session:
        cards = contracts.dashboard_cards(session, date.today())
        margins = contracts.margins_by_client(session, date.today())
    [card] = cards
    assert card.area == "contracts" and "委託事業" in card.label and card.figure == "11,660,000円"[:0] + card.figure
    assert card.figure == f"{5_500_000 - 1_320_000 + 3_300_000 + 1_980_000:,}円"  # 確定額 once settled; no 見積
    assert card.note == "期限 3 件・うち超過 1 件"  # the survey's payment is overdue
    shanghai = next(row for row in margins if row.client == "八王子市")
    assert (shanghai.revenue, shanghai.cost, shanghai.margin) == (3_800_000, 2_990_000, 810_000)


def test_a_quotation_is_signed_once(db):
    with db.transaction() as session:
        contract = make_contract(session, "completion", signed_on=None, period_start=date(2027, 4, 10),
                                 period_end=date(2027, 9, 30))
        assert contract.fiscal_year == 2027
        with pytest.raises(UserError, match="まだ契約されていません"):
            contracts.complete(session, contract.id, date(2027, 5, 1))
        contracts.sign(session, contract.id, date(2027, 3, 25))
        assert contract.fiscal_year == 2026  # the year it was signed
        with pytest.raises(UserError, match="契約済み"):
            contracts.sign(session, contract.id, date(2027, 3, 26))
