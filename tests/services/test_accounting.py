from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tama_desk.db.models_accounting import ExportBatch, ExportMark
from tama_desk.errors import UserError
from tama_desk.exports.journal_csv import read_back
from tama_desk.services import accounting, fees, grants, invoices, members, payments


@pytest.fixture
def books(db):
    """Two members billed on 2026-04-10 (70,000 each); one paid 2026-05-20; a grant with a receipt and a cost."""
    with db.transaction() as session:
        one = members.save_member(session, {"number": "0001", "name": "株式会社多摩精機", "kana": "タマセイキ",
                                            "category": "企業", "membership_type": "正会員"})
        members.save_member(session, {"number": "0002", "name": "浅川電子株式会社", "kana": "アサカワデンシ",
                                      "category": "企業", "membership_type": "正会員"})
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10), date(2026, 5, 31))
        payments.record_payment(session, one.id, date(2026, 5, 20), 70000)
        grant = grants.create_grant(session, name="海外販路開拓支援", grantor="関東経済産業局", fiscal_year=2026,
                                    period_start=date(2026, 4, 1), period_end=date(2027, 2, 28),
                                    decided_amount=1000000, rate="2/3", budgets={"旅費": 900000})
        grants.add_expenditure(session, grant.id, {"voucher_number": "V1", "category": "旅費",
                                                   "payment_date": "2026-06-02", "payee": "JTB",
                                                   "description": "渡航", "amount": "110000", "tax": "10000"})
        accounting.record_grant_receipt(session, grant.id, date(2026, 6, 1), 500000, "概算払")
    return db


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_entries_are_chosen_by_their_accounting_date(books):
    with books.reading() as session:
        kinds = [(e.kind, e.on) for e in accounting.entries_for(session, date(2026, 4, 1), date(2026, 5, 31))]
        assert kinds == [("sale", date(2026, 4, 10)), ("sale", date(2026, 4, 10)), ("payment", date(2026, 5, 20))]
        later = [e.kind for e in accounting.entries_for(session, date(2026, 6, 1), date(2026, 6, 30))]
        assert later == ["grant_receipt", "cost"]


def test_an_export_is_a_batch_with_marks_hash_and_totals(books):
    written = []
    with books.transaction() as session:
        result = accounting.export(session, "yayoi", date(2026, 4, 1), date(2026, 6, 30), file_name="y.csv",
                                   write=written.append)
    with books.reading() as session:
        [batch] = session.scalars(select(ExportBatch)).all()
        assert (batch.format, batch.entry_count, batch.row_count, batch.debit_total) == ("yayoi", 5, 5, 820000)
        assert batch.file_name == "y.csv" and len(batch.file_sha256) == 64 and batch.created_by
        assert sorted(session.scalars(select(ExportMark.record_key))) == sorted(
            ["invoice:1:issue", "invoice:2:issue", "payment:1", "grant_receipt:1", "expenditure:1"])
    assert written == [result.data] and len(read_back(result.data, "cp932")) == 5


def test_an_overlapping_period_is_refused_without_again_and_names_the_batch(books):
    with books.transaction() as session:
        accounting.export(session, "yayoi", date(2026, 4, 1), date(2026, 4, 30))
    with pytest.raises(UserError) as error, books.transaction() as session:
        accounting.export(session, "yayoi", date(2026, 4, 15), date(2026, 5, 31))
    assert error.value.params["batch"] == 1 and "--again" in str(error.value)
    with books.reading() as session:
        assert count(session, ExportBatch) == 1
    with books.transaction() as session:  # another format is another hand-off
        accounting.export(session, "mf", date(2026, 4, 15), date(2026, 5, 31))
    with books.transaction() as session:
        again = accounting.export(session, "yayoi", date(2026, 4, 1), date(2026, 5, 31), again=True)
        assert again.batch.entry_count == 3 and again.batch.again and again.batch.reason


def test_a_later_period_exports_only_records_not_yet_exported(books):
    with books.transaction() as session:
        accounting.export(session, "freee", date(2026, 4, 1), date(2026, 4, 30))
        # a cancellation dated in May of an April invoice not paid
        invoices.cancel(session, 2, "二重請求")
    with books.reading() as session:
        cancelled_on = session.get(accounting.Invoice, 2).cancelled_at.date()
    with books.transaction() as session:
        result = accounting.export(session, "freee", date(2026, 5, 1), max(cancelled_on, date(2026, 6, 30)))
    rows = read_back(result.data, "utf-8")[1:]
    assert [(row[0], row[5]) for row in rows] == [("収入", "売掛金"), ("収入", "受取補助金"), ("支出", "旅費交通費"),
                                                  ("収入", "受取会費")]
    assert int(rows[-1][7]) < 0  # the cancellation: a 赤伝 (negative 収入), off freee's 売掛金
    # the April invoice went in the first batch: its May payment clears freee's 売掛金, settled at once
    assert (rows[0][1], rows[0][7], rows[0][14], rows[0][16]) == ("2026-0001", "70000", "2026/05/20", "70000")


def test_freee_settles_a_sale_with_its_payment_and_marks_both(books):
    with books.transaction() as session:
        result = accounting.export(session, "freee", date(2026, 4, 1), date(2026, 5, 31))
        assert result.batch.entry_count == 3
    rows = read_back(result.data, "utf-8")[1:]
    assert [(row[1], row[5], row[14], row[16]) for row in rows] == [
        ("2026-0001", "受取会費", "2026/05/20", "70000"), ("2026-0002", "受取会費", "", "")]
    with books.reading() as session:  # the payment is marked: a later period never brings it again
        assert accounting.exported_keys(session, "freee") == {"invoice:1:issue", "invoice:2:issue", "payment:1"}


def test_nothing_to_export_is_refused(books):
    with pytest.raises(UserError), books.transaction() as session:
        accounting.export(session, "mf", date(2025, 1, 1), date(2025, 1, 31))


def test_an_account_missing_from_the_pasted_list_stops_the_export(books):
    with books.transaction() as session:
        accounting.set_options(session, known_accounts="普通預金\n未収会費\n受取会費\n売掛金\n前受金")
        accounting.set_accounts(session, {"dues_revenue": "受取会費"})
        assert "受取補助金" in accounting.check_accounts(session)
    with pytest.raises(UserError) as error, books.transaction() as session:
        accounting.export(session, "yayoi", date(2026, 4, 1), date(2026, 6, 30))
    assert "受取補助金" in error.value.params["names"] and "旅費交通費" in error.value.params["names"]
    with books.reading() as session:
        assert count(session, ExportBatch) == 0
    with books.transaction() as session:
        assert accounting.export(session, "yayoi", date(2026, 4, 1), date(2026, 5, 31)).batch.entry_count == 3


def test_the_mapping_changes_the_accounts_and_department_can_move_to_the_memo(books):
    with books.transaction() as session:
        accounting.set_accounts(session, {"grant_revenue": "補助金収入", "cost:旅費": "旅費"})
        accounting.set_options(session, department_in_memo=True)
        data = accounting.export(session, "yayoi", date(2026, 6, 1), date(2026, 6, 30)).data
    rows = read_back(data, "cp932")
    assert rows[0][10] == "補助金収入" and rows[0][12] == "" and rows[0][16].startswith("【海外販路開拓支援】")
    assert rows[1][4] == "旅費"
    with books.transaction() as session:
        accounting.set_accounts(session, {"grant_revenue": ""})
        assert accounting.accounts(session)["grant_revenue"] == "受取補助金"
        with pytest.raises(UserError):
            accounting.set_accounts(session, {"no_such_role": "x"})


def test_an_unencodable_name_refuses_the_export_naming_the_row(books):
    with books.transaction() as session:
        members.save_member(session, {"number": "0003", "name": "𠮷田製作所", "kana": "ヨシダ", "category": "企業",
                                      "membership_type": "正会員"})
        invoices.issue_adhoc(session, 3, "event", "参加費", date(2026, 7, 1), None,
                             [invoices.Line("セミナー", 1, 1000, "standard_10")])
    with pytest.raises(UserError) as error, books.transaction() as session:
        accounting.export(session, "yayoi", date(2026, 7, 1), date(2026, 7, 31))
    [problem, *_rest] = error.value.problems
    assert problem.row == 1 and "𠮷" in str(problem)
    with books.reading() as session:
        assert count(session, ExportBatch) == 0


def test_a_write_off_settles_the_invoice(books):
    with books.transaction() as session:
        payments.record_payment(session, 2, date(2026, 5, 25), 69560)
        accounting.write_off(session, "2026-0002", 440, date(2026, 5, 25), "振込手数料")
        assert invoices.balances(session, [2])[2].open == 0
        entries = accounting.entries_for(session, date(2026, 5, 25), date(2026, 5, 25))
    assert [(e.kind, e.rows[0].debit.account) for e in entries] == [("payment", "普通預金"), ("write_off", "支払手数料")]


def test_contract_invoices_payments_and_costs_carry_the_contract_and_the_client(db):
    from tama_desk.services import clients, contracts, cost_ledger

    with db.transaction() as session:
        city = clients.add_client(session, {"name": "八王子市", "kana": "ハチオウジシ", "department": "産業政策課"})
        contract = contracts.create_contract(
            session, party=clients.Party(client=city), title="City Sales in Shanghai", signed_on=date(2026, 4, 1),
            period_start=date(2026, 4, 1), period_end=date(2026, 9, 30), amount=1_100_000, payment_terms="advance")
        invoice = contracts.issue_invoice(session, contract.id, date(2026, 4, 10), advance=1_100_000)
        payments.record_payment(session, None, date(2026, 5, 1), 1_100_000, "transfer", "ﾊﾁｵｳｼﾞｼ",
                                [(invoice.id, 1_100_000)], client_id=city.id)
        cost_ledger.add_cost(session, contract.id, {"voucher_number": "C1", "category": "旅費",
                                                    "payment_date": "2026-05-10", "payee": "JTB", "amount": "110000",
                                                    "tax": "10000", "description": "渡航"})
        entries = accounting.entries_for(session, date(2026, 4, 1), date(2026, 5, 31))
    sale, paid, cost = entries
    assert (sale.rows[0].debit.account, sale.rows[0].credit.account, sale.rows[0].credit.tax) == (
        "売掛金", "受託事業収益", "sales_10")
    assert sale.rows[0].credit.sub == "八王子市" and sale.rows[0].credit.department == "City Sales in Shanghai"
    assert (paid.kind, paid.partner, paid.rows[0].credit.account) == ("payment", "八王子市", "売掛金")
    assert (cost.key.split(":")[0], cost.rows[0].debit.account, cost.rows[0].debit.department) == (
        "contract_cost", "旅費交通費", "City Sales in Shanghai")


def test_a_transfer_fee_write_off_is_exported_once_and_reversed_when_voided(books):
    """振込手数料差引 of the reconciliation (a WriteOff row, issue 12) becomes 支払手数料 / 未収会費."""
    from datetime import datetime

    from tama_desk.db.models import Payment

    with books.transaction() as session:
        paid = payments.record_payment(session, 2, date(2026, 5, 25), 69560, allocations=[(2, 69560)])
        payments.write_off(session, 2, 440, date(2026, 5, 25), paid.id)
        first = accounting.export(session, "yayoi", date(2026, 5, 21), date(2026, 5, 31))
    fee = [row for row in read_back(first.data, "cp932") if row[4] == "支払手数料"]
    assert [(row[3], row[8], row[9], row[10], row[14]) for row in fee] == [
        ("2026/05/25", "440", "40", "未収会費", "440")]
    with pytest.raises(UserError), books.transaction() as session:  # the same period again needs --again
        accounting.export(session, "yayoi", date(2026, 5, 21), date(2026, 5, 31))
    with books.transaction() as session:  # the payment is reversed in June: the write-off is void
        payments.reverse_payment(session, paid.id, "誤入金")
        session.get(Payment, paid.id).reversed_at = datetime(2026, 6, 3, 10, 0)
    with books.transaction() as session:
        june = read_back(accounting.export(session, "yayoi", date(2026, 6, 1), date(2026, 6, 30)).data, "cp932")
        never_exported = accounting.export(session, "mf", date(2026, 5, 21), date(2026, 5, 31))
    assert [(row[3], row[10], row[14]) for row in june if "支払手数料" in (row[4], row[10])] == [
        ("2026/06/03", "支払手数料", "440")]  # reversed once, never booked twice
    assert "write_off:1" not in {mark.record_key for mark in never_exported.batch.marks}
    assert not any("支払手数料" in row for row in read_back(never_exported.data, "cp932"))  # void, never exported


def test_a_write_off_by_hand_is_one_writeoff_record_and_one_yayoi_entry(books):
    """Issue 12: `accounting write-off` and the statement's 手数料差引 are one kind of record (WriteOff): not a
    payment (no receipt, not 入金), on the ledger as 差引, and one 支払手数料 entry in the journal."""
    from tama_desk.db.models import Payment
    from tama_desk.db.models_feedocs import WriteOff
    from tama_desk.services import printing

    with books.transaction() as session:
        payments.record_payment(session, 2, date(2026, 5, 25), 69560)
        row = accounting.write_off(session, "2026-0002", 440, date(2026, 5, 25), "振込手数料")
        assert isinstance(row, WriteOff) and row.note == "振込手数料" and row.account == "支払手数料"
        assert count(session, Payment) == 2  # the two payments received, nothing for the write-off
        balance = invoices.balances(session, [2])[2]
        assert (balance.paid, balance.written_off, balance.open) == (69560, 440, 0)
        [ledger_row] = [r for r in fees.ledger_rows(session, 2026) if r.invoice_number == "2026-0002"]
        assert ledger_row.written_off == 440
        issued = printing.issue_receipts(session, 2026)
        assert sorted(snapshot.amount for snapshot in issued) == [69560, 70000]  # no receipt for the 440円
        result = accounting.export(session, "yayoi", date(2026, 5, 21), date(2026, 5, 31))
    fee = [line for line in read_back(result.data, "cp932") if "支払手数料" in (line[4], line[10])]
    assert [(line[4], line[8], line[10], line[14]) for line in fee] == [("支払手数料", "440", "未収会費", "440")]


def test_the_payment_form_no_longer_offers_write_off_as_a_method(books):
    assert "write_off" not in payments.ENTRY_METHODS
    with pytest.raises(UserError), books.transaction() as session:
        payments.record_payment(session, 2, date(2026, 5, 25), 440, method="write_off")
