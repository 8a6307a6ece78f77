"""One cost ledger for grants and contracts: vouchers per source, no double charge without a split, audited moves,
and the cost import's all-or-nothing with line and column."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tama_desk.db.guards import StaleEditError
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


def write_costs(path, count, first=1, extra_header="", extra=lambda n: ""):
    lines = [f"証ひょう番号,費目,支払日,支払先,支出額（税込）,消費税,会計伝票番号{extra_header}"]
    lines += [f"C-{n},旅費,2026/{6 + n % 6}/{1 + n % 28},支払先{n},{1_100 + n},100,J-{n}{extra(n)}"
              for n in range(first, first + count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_cost_import_runs_the_same_number_of_queries_for_10_or_300_rows(db, tmp_path):
    from sqlalchemy import event

    with db.transaction() as session:
        small, large = make_contract(session).id, make_contract(session, "展示会").id
        grants.add_expenditure(session, make_grant(session).id, {**COST, "voucher_number": "G-1"})
    statements = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        counts = []
        for contract_id, rows, first in ((small, 10, 1), (large, 300, 1000)):
            statements.clear()
            with db.transaction() as session:
                file = write_costs(tmp_path / f"{rows}.csv", rows, first)
                assert len(cost_ledger.import_costs(session, contract_id, file).created) == rows
            counts.append(len(statements))
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert counts[0] == counts[1], counts
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ContractCost)) == 310
        cost = session.scalar(select(ContractCost).where(ContractCost.voucher_number == "C-7"))
        assert (cost.amount, cost.tax, cost.accounting_ref, cost.version) == (1_107, 100, "J-7", 1) and cost.created_by


def test_the_cost_import_still_refuses_a_double_charge_and_a_taken_voucher(db, tmp_path):
    with db.transaction() as session:
        first, second = make_contract(session).id, make_contract(session, "展示会").id
    with db.transaction() as session:
        cost_ledger.import_costs(session, first, write_costs(tmp_path / "a.csv", 3))
    again = write_costs(tmp_path / "b.csv", 2, first=3)  # C-3 is charged to the first contract already
    with pytest.raises(UserError) as error, db.transaction() as session:
        cost_ledger.import_costs(session, second, again)
    assert "2行目 「証ひょう番号」: 同じ支出が 「上海商談会」（委託） に計上済みです" in str(error.value)
    with pytest.raises(UserError) as error, db.transaction() as session:
        cost_ledger.import_costs(session, first, write_costs(tmp_path / "c.csv", 1, first=3))
    assert "2行目 「証ひょう番号」: 証ひょう番号 C-3 は既に登録されています" in str(error.value)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ContractCost)) == 3


def test_the_cost_import_takes_a_voucher_column(db, tmp_path, _isolated_home):
    with db.transaction() as session:
        contract_id = make_contract(session).id
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "c1.pdf").write_bytes(b"%PDF c1")
    absolute = tmp_path / "elsewhere.png"
    absolute.write_bytes(b"png")
    names = {1: ",scans/c1.pdf", 2: "", 3: f",{absolute}"}
    good = write_costs(tmp_path / "good.csv", 3, extra_header=",証ひょうファイル", extra=lambda n: names[n] or ",")
    missing = write_costs(tmp_path / "missing.csv", 3, extra_header=",証ひょうファイル",
                          extra=lambda n: {**names, 2: ",scans/none.pdf"}[n])
    with pytest.raises(UserError) as error, db.transaction() as session:
        cost_ledger.import_costs(session, contract_id, missing)
    assert "3行目 「証ひょうファイル」: ファイルが見つかりません: scans/none.pdf" in str(error.value)
    with pytest.raises(UserError), db.transaction() as session:  # a dry run names it too
        cost_ledger.import_costs(session, contract_id, missing, dry_run=True)
    attachments = _isolated_home / "attachments"
    with db.reading() as session:  # nothing half-written: no row, no file
        assert session.scalar(select(func.count()).select_from(ContractCost)) == 0
    assert not attachments.exists() or not [f for f in attachments.rglob("*") if f.is_file()]
    with pytest.raises(RuntimeError), db.transaction() as session:  # rolled back after the import: no file lands
        cost_ledger.import_costs(session, contract_id, good)
        raise RuntimeError("the caller fails before the commit")
    assert not [f for f in attachments.rglob("*") if f.is_file()]
    with db.transaction() as session:
        cost_ledger.import_costs(session, contract_id, good)
    with db.reading() as session:
        costs = {c.voucher_number: c for c in session.scalars(select(ContractCost))}
        assert (costs["C-1"].attachment_name, costs["C-2"].attachment_path, costs["C-3"].attachment_name) == (
            "c1.pdf", "", "elsewhere.png")
        assert cost_ledger.attachment_file(session, costs["C-1"].id).read_bytes() == b"%PDF c1"
        assert cost_ledger.attachment_file(session, costs["C-3"].id).name == f"{costs['C-3'].id}_C-3.png"


def snapshot_of_costs(session):
    return [(c.voucher_number, c.category, c.payment_date, c.payee, c.amount, c.tax, c.version)
            for c in session.scalars(select(ContractCost).order_by(ContractCost.id))]


def test_a_cost_is_corrected_checked_again_and_audited_with_before_and_after(db):
    with db.transaction() as session:
        contract = make_contract(session)
        cost = cost_ledger.add_cost(session, contract.id, COST)
        cost_ledger.add_cost(session, contract.id, {**COST, "voucher_number": "V-002", "payee": "多摩印刷",
                                                    "amount": 22_000, "tax": 2_000})
        cost_id, version = cost.id, cost.version
    for change, refusal in (({"voucher_number": "V-002"}, "証ひょう番号 V-002 は既に登録されています"),
                            ({"tax": 200_000}, "消費税が支出額を超えています")):
        with pytest.raises(UserError) as error, db.transaction() as session:
            cost_ledger.update_cost(session, cost_id, change, version=version)
        assert "上海商談会: 経費 V-001 を修正できません" in str(error.value) and refusal in str(error.value)
    with db.transaction() as session:
        edit = cost_ledger.update_cost(session, cost_id, {"amount": 121_000, "tax": 11_000, "payee": "株式会社JTB 多摩",
                                                         "payment_date": date(2026, 6, 11)}, version=version)
        assert [label for label, _before, _after in edit.changes] == ["支払日", "支払先", "支出額（税込）", "消費税"]
    with db.reading() as session:
        cost = session.get(ContractCost, cost_id)
        assert (cost.amount, cost.tax, cost.payee, cost.payment_date, cost.version) == (
            121_000, 11_000, "株式会社JTB 多摩", date(2026, 6, 11), version + 1)
        [summary] = session.scalars(select(AuditLog.summary).where(AuditLog.action == "cost_update")).all()
    assert summary == ("V-001 修正: 支払日 2026-06-10→2026-06-11、支払先 株式会社JTB→株式会社JTB 多摩、"
                       "支出額（税込） 110,000円→121,000円、消費税 10,000円→11,000円")
    with pytest.raises(StaleEditError), db.transaction() as session:  # shown before the edit above
        cost_ledger.update_cost(session, cost_id, {"amount": 1}, version=version)
    with db.reading() as session:
        assert session.get(ContractCost, cost_id).amount == 121_000


def test_a_correction_is_not_a_way_around_the_one_ledger(db):
    with db.transaction() as session:
        first, second = make_contract(session), make_contract(session, "展示会")
        cost_ledger.add_cost(session, first.id, COST)
        other = cost_ledger.add_cost(session, second.id, {**COST, "payee": "多摩印刷"}).id
    with pytest.raises(UserError, match="「上海商談会」（委託） に計上済み"), db.transaction() as session:
        cost_ledger.update_cost(session, other, {"payee": "株式会社ＪＴＢ"})


@pytest.mark.parametrize("how", ["cancelled", "settled", "paid", "exported"])
def test_a_cost_of_a_closed_contract_or_an_exported_one_is_not_changed(db, how):
    from tama_desk.services import accounting, payments

    with db.transaction() as session:
        contract = make_contract(session)
        cost_id = cost_ledger.add_cost(session, contract.id, COST).id
        if how == "cancelled":
            contracts.cancel_contract(session, contract.id, date(2026, 7, 1), "中止の依頼")
        elif how == "settled":
            contract.payment_terms = "advance"
            contracts.complete(session, contract.id, date(2027, 2, 20))
            contracts.settle(session, contract.id, 2_000_000, date(2027, 3, 1))
        elif how == "paid":
            contracts.complete(session, contract.id, date(2027, 2, 20))
            contracts.inspect(session, contract.id, date(2027, 2, 25))
            invoice = contracts.issue_invoice(session, contract.id, date(2027, 2, 26), final=True)
            payments.record_payment(session, None, date(2027, 3, 10), invoice.total, client_id=contract.client_id,
                                    allocations=[(invoice.id, invoice.total)])
        else:
            accounting.export(session, "yayoi", date(2026, 6, 1), date(2026, 6, 30), file_name="y.csv")
    with db.reading() as session:
        before = snapshot_of_costs(session)
        audits = session.scalar(select(func.count()).select_from(AuditLog))
    expected = {"cancelled": "上海商談会 は中止されているため、経費 V-001 は修正できません",
                "settled": "上海商談会 は精算済み（2027-03-01、確定額 2,000,000円）のため、経費 V-001 は修正できません",
                "paid": "上海商談会 は入金済み（完了）のため、経費 V-001 は修正できません",
                "exported": "経費 V-001 は会計ソフトへ書き出し済み（バッチ 1、yayoi）のため修正できません"}[how]
    with pytest.raises(UserError) as error, db.transaction() as session:
        cost_ledger.update_cost(session, cost_id, {"amount": 99_000, "tax": 9_000}, today=date(2027, 3, 20))
    assert str(error.value) == expected
    with db.reading() as session:
        assert snapshot_of_costs(session) == before
        assert session.scalar(select(func.count()).select_from(AuditLog)) == audits


def test_the_cost_import_names_a_repeated_voucher_even_on_a_line_with_problems_and_a_blank_date_once(db, tmp_path):
    with db.transaction() as session:
        contract_id = make_contract(session).id
    bad = tmp_path / "costs.csv"
    bad.write_text("証ひょう番号,費目,支払日,支払先,内容,支出額（税込）,消費税\n"
                   "C-1,旅費,,株式会社JTB,渡航費,110000,10000\n"
                   "C-1,印刷製本費,2026/07/01,多摩印刷,チラシ,22000,2000\n", encoding="utf-8")
    with pytest.raises(UserError) as error, db.transaction() as session:
        cost_ledger.import_costs(session, contract_id, bad)
    on_date = [problem for problem in error.value.problems if problem.row == 2 and problem.field == "支払日"]
    assert len(on_date) == 1, on_date
    assert "3行目 「証ひょう番号」: 証ひょう番号 C-1 が2行目と重複しています" in str(error.value)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ContractCost)) == 0
