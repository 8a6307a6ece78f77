"""One cost ledger for grants and contracts: vouchers per source, no double charge without a split, audited moves,
and the cost import's all-or-nothing with line and column."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import AuditLog, Expenditure
from tama_desk.db.models_contracts import ContractCost
from tama_desk.errors import UserError
from tama_desk.services import clients, contracts, cost_ledger, grant_import, grants
from tests import factories

COST = {"voucher_number": "V-001", "category": "旅費", "payment_date": date(2026, 6, 10), "payee": "株式会社JTB",
        "description": "渡航費", "amount": 110_000, "tax": 10_000}


def make_contract(session, title="上海商談会"):
    client = factories.make_client(session, name=f"{title}市", kana="シ", department="", payer_name="")
    return factories.make_contract(session, "completion", 2_200_000, clients.Party(client=client), title=title,
                                   number="")


def make_grant(session):
    return factories.make_grant(session, name="海外展開支援事業", grantor="関東経済産業局", programme="",
                                decision_number="", decision_date=None, advance_paid=0, summary="",
                                decided_amount=1_000_000, budgets={"旅費": 500_000})


def test_voucher_unique_per_source_but_reusable_in_another(db):
    with db.transaction() as session:
        first, second = make_contract(session), make_contract(session, "展示会")
        cost_ledger.add_cost(session, first.id, COST)
        with pytest.raises(UserError) as error:
            cost_ledger.add_cost(session, first.id, {**COST, "payee": "別の会社"})
        assert "証ひょう番号 V-001 は既に登録されています" in str(error.value)
        # each project numbers its own vouchers: V-001 of another contract is another expense
        cost_ledger.add_cost(session, second.id, {**COST, "payee": "株式会社多摩印刷", "amount": 55_000, "tax": 5_000})


def test_same_expense_cannot_be_charged_to_two_contracts(db):
    with db.transaction() as session:
        first, second = make_contract(session), make_contract(session, "展示会")
        cost_ledger.add_cost(session, first.id, COST)
        with pytest.raises(UserError) as error:
            cost_ledger.add_cost(session, second.id, {**COST, "voucher_number": "T-9", "payee": "株式会社ＪＴＢ"})
        assert "「上海商談会」（委託） に計上済み" in str(error.value)
        cost_ledger.add_cost(session, second.id, {**COST, "voucher_number": "V-3", "payee": "多摩印刷",
                                                  "amount": 5_500, "tax": 500, "accounting_ref": "J-1"})
        with pytest.raises(UserError, match="「展示会」（委託）"):  # the same accounting voucher, whatever it says
            cost_ledger.add_cost(session, first.id, {**COST, "voucher_number": "V-4", "payee": "別名", "amount": 7,
                                                     "tax": 0, "accounting_ref": "J-1"})
        assert session.scalar(select(func.count()).select_from(ContractCost)) == 2


def test_contract_and_grant_share_one_ledger_both_ways(db):
    with db.transaction() as session:
        contract, grant = make_contract(session), make_grant(session)
        grants.add_expenditure(session, grant.id, {**COST})
        with pytest.raises(UserError, match="補助金"):
            cost_ledger.add_cost(session, contract.id, {**COST, "voucher_number": "C-1"})
        cost_ledger.add_cost(session, contract.id, {**COST, "voucher_number": "C-2", "amount": 220_000, "tax": 20_000})
        with pytest.raises(UserError, match="委託"):
            grants.add_expenditure(session, grant.id, {**COST, "voucher_number": "G-2", "amount": 220_000,
                                                       "tax": 20_000})


def test_an_explicit_split_is_allowed_within_the_whole_and_audited(db):
    with db.transaction() as session:
        first, second = make_contract(session), make_contract(session, "展示会")
        share = {**COST, "amount": 60_000, "tax": 5_454, "accounting_ref": "J-10"}
        with pytest.raises(UserError, match="理由"):
            cost_ledger.add_cost(session, first.id, share, split_total=110_000)
        cost_ledger.add_cost(session, first.id, share, split_total=110_000, split_note="2事業で按分（人数比）")
        cost_ledger.add_cost(session, second.id, {**share, "amount": 50_000, "tax": 4_546}, split_total=110_000,
                             split_note="2事業で按分（人数比）")
        with pytest.raises(UserError, match="超えます"):
            cost_ledger.add_cost(session, second.id, {**share, "voucher_number": "V-9", "amount": 1, "tax": 0},
                                 split_total=110_000, split_note="追加")
        summaries = session.scalars(select(AuditLog.summary).where(AuditLog.action == "cost")).all()
        assert sum("按分" in summary for summary in summaries) == 2


def test_moving_an_expense_between_sources_is_audited(db):
    with db.transaction() as session:
        first, second, grant = make_contract(session), make_contract(session, "展示会"), make_grant(session)
        cost = cost_ledger.add_cost(session, first.id, COST)
        cost_ledger.move_cost(session, cost.id, to_contract=second.id, reason="計上先の誤り")
        assert cost.contract_id == second.id
        expenditure = cost_ledger.move_cost(session, cost.id, to_grant=grant.id, reason="補助対象に振替")
        assert isinstance(expenditure, Expenditure) and expenditure.eligible_amount == 100_000
        assert session.get(ContractCost, cost.id) is None
        moves = session.scalars(select(AuditLog.entity).where(AuditLog.action == "cost_move")).all()
        assert sorted(moves) == ["contract", "contract", "contract", "grant"]
        with pytest.raises(UserError):
            cost_ledger.move_cost(session, 999, to_contract=first.id, reason="x")


def test_import_costs_all_or_nothing_with_line_and_column(db, tmp_path):
    with db.transaction() as session:
        contract_id = make_contract(session).id
        grant = make_grant(session)
        grants.add_expenditure(session, grant.id, {**COST, "voucher_number": "G-1", "payee": "京王バス",
                                                   "amount": 33_000, "tax": 3_000})
    bad = tmp_path / "costs.csv"
    bad.write_text("証ひょう番号,費目,支払日,支払先,内容,支出額（税込）,消費税\n"
                   "C-1,旅費,2026/06/10,株式会社JTB,渡航費,110000,10000\n"
                   "C-2,会議費,2026/13/01,ホテル,会場,abc,0\n"
                   "C-1,印刷製本費,2026/07/01,多摩印刷,チラシ,22000,2000\n"
                   "C-4,旅費,2026/06/10,京王バス,送迎,33000,3000\n", encoding="utf-8")
    with pytest.raises(UserError) as error, db.transaction() as session:
        cost_ledger.import_costs(session, contract_id, bad)
    text = str(error.value)
    assert "何も取り込んでいません" in text
    assert "3行目 「支払日」" in text and "3行目 「支出額（税込）」" in text
    assert "4行目 「証ひょう番号」: 証ひょう番号 C-1 が2行目と重複しています" in text
    assert "5行目 「証ひょう番号」" in text and "海外展開支援事業" in text
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ContractCost)) == 0
    good = tmp_path / "good.csv"
    good.write_text("証ひょう番号,費目,支払日,支払先,支出額（税込）,消費税\nC-1,旅費,R8.6.10,株式会社JTB,\"110,000\",10000\n",
                    encoding="cp932")
    with db.transaction() as session:
        assert cost_ledger.import_costs(session, contract_id, good, dry_run=True).created == [(2, "C-1", 110_000)]
        assert session.scalar(select(func.count()).select_from(ContractCost)) == 0
        cost_ledger.import_costs(session, contract_id, good)
        assert contracts.costs_by_category(session, contract_id) == {"旅費": 100_000}


def test_grant_import_refuses_an_expense_charged_to_a_contract(db, tmp_path):
    with db.transaction() as session:
        contract, grant = make_contract(session), make_grant(session)
        cost_ledger.add_cost(session, contract.id, COST)
        grant_id = grant.id
    file = tmp_path / "expenses.csv"
    file.write_text("証ひょう番号,費目,支払日,支払先,内容,支出額（税込）,消費税\nG-1,旅費,2026/06/10,株式会社JTB,渡航費,110000,10000\n",
                    encoding="utf-8")
    with pytest.raises(UserError, match="委託"), db.transaction() as session:
        grant_import.import_expenditures(session, grant_id, file)


def test_a_split_between_a_contract_and_a_grant_stays_within_the_whole(db):
    with db.transaction() as session:
        contract, grant = make_contract(session), make_grant(session)
        cost_ledger.add_cost(session, contract.id, {**COST, "amount": 60_000, "tax": 5_454}, split_total=110_000,
                             split_note="委託と補助金で按分")
        with pytest.raises(UserError, match="超えます"):
            grants.add_expenditure(session, grant.id, {**COST, "voucher_number": "G-1", "amount": 60_000,
                                                       "tax": 5_454})
        grants.add_expenditure(session, grant.id, {**COST, "voucher_number": "G-1", "amount": 50_000, "tax": 4_546})
        with pytest.raises(UserError, match="超えます"):  # the grant's share counts too
            cost_ledger.add_cost(session, make_contract(session, "展示会").id, {**COST, "amount": 1, "tax": 0},
                                 split_total=110_000, split_note="さらに按分")


def test_import_problems_read_in_english(db, tmp_path):
    from tama_desk import i18n

    with db.transaction() as session:
        contract_id = make_contract(session).id
    bad = tmp_path / "costs.csv"
    bad.write_text("証ひょう番号,費目,支払日,支払先,支出額（税込）\nC-1,旅費,2026/06/10,JTB,110000\nC-1,旅費,2026/06/11,JTB,5\n",
                   encoding="utf-8")
    i18n.set_language("en")
    with pytest.raises(UserError) as error, db.transaction() as session:
        cost_ledger.import_costs(session, contract_id, bad)
    assert "Voucher C-1 repeats line 2" in str(error.value) and "line 3" in str(error.value).lower()


def test_a_cost_voucher_lands_after_the_commit_and_never_after_a_rollback(db, tmp_path, _isolated_home):
    scan = tmp_path / "領収書 5月.PDF"
    scan.write_bytes(b"%PDF-1.4 voucher")
    with db.transaction() as session:
        contract_id = make_contract(session).id
    with pytest.raises(UserError), db.transaction() as session:  # refused after the file was staged
        cost = cost_ledger.add_cost(session, contract_id, COST, voucher=scan)
        staged = _isolated_home / cost.attachment_path
        assert not staged.exists()  # not before the commit
        cost_ledger.add_cost(session, contract_id, COST)  # the same voucher again: refused, all rolled back
    assert not staged.exists() and not list(staged.parent.iterdir())
    with db.transaction() as session:
        cost_id = cost_ledger.add_cost(session, contract_id, COST, voucher=scan).id
    with db.reading() as session:
        stored = cost_ledger.attachment_file(session, cost_id)
        cost = session.get(ContractCost, cost_id)
        assert (cost.attachment_name, stored.read_bytes()) == ("領収書 5月.PDF", b"%PDF-1.4 voucher")
    assert stored.parent.name == f"contract_{contract_id}" and stored.name == f"{cost_id}_V-001.pdf"


def test_a_cost_voucher_is_replaced_without_overwriting_and_never_executable(db, tmp_path, _isolated_home):
    first, second = tmp_path / "scan.jpg", tmp_path / "invoice.exe"
    first.write_bytes(b"jpeg")
    second.write_bytes(b"MZ")
    with db.transaction() as session:
        cost_id = cost_ledger.add_cost(session, make_contract(session).id, COST).id
        assert cost_ledger.attachment_file(session, cost_id) is None
    with db.transaction() as session:
        before = cost_ledger.attach_file(session, cost_id, first)
    with db.transaction() as session:
        after = cost_ledger.attach_file(session, cost_id, second)
    assert after.suffix == ".bin" and before.read_bytes() == b"jpeg" and after.read_bytes() == b"MZ"
    with db.reading() as session:
        assert cost_ledger.attachment_file(session, cost_id) == after
        history = session.scalars(select(AuditLog.summary).where(AuditLog.action == "attach")).all()
    assert history[-1] == "V-001: invoice.exe（差し替え前 scan.jpg）"
    with pytest.raises(UserError, match="見つかりません"), db.transaction() as session:
        cost_ledger.attach_file(session, cost_id, tmp_path / "missing.pdf")


def test_check_reads_contract_cost_vouchers(db, tmp_path, _isolated_home):
    from tama_desk.services import check

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF")
    with db.transaction() as session:
        cost_ledger.add_cost(session, make_contract(session).id, COST, voucher=scan)
    assert check.run_check(db).files_checked == 1 and not check.run_check(db).problems
    for file in (_isolated_home / "attachments").rglob("*.pdf"):
        file.unlink()
    assert "contract cost" in check.run_check(db).problems[0]
