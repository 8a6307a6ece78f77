from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import Payment
from tama_desk.db.models_accounting import DebitRecord, DebitRequest
from tama_desk.domain import zengin
from tama_desk.errors import UserError
from tama_desk.services import debits, fees, invoices, members

TODAY = date(2026, 6, 1)  # the day the office makes the requests below


def member(session, number, name, kana):
    return members.save_member(session, {"number": number, "name": name, "kana": kana, "category": "企業",
                                         "membership_type": "正会員"})


@pytest.fixture
def cycle(db):
    """Three members billed 70,000 for 2026; 0001 and 0002 have registered mandates, 0003 only applied."""
    with db.transaction() as session:
        for number, name, kana in (("0001", "株式会社多摩精機", "タマセイキ"), ("0002", "浅川電子株式会社", "アサカワデンシ"),
                                   ("0003", "高尾光学株式会社", "タカオコウガク")):
            member(session, number, name, kana)
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 10), date(2026, 5, 31))
        debits.setup_client(session, "1234567890", "ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳﾈﾂﾄﾜｰｸ", "0001", "001", "1", "1234567")
        debits.save_mandate(session, "0001", "0005", "001", "1", "123", "ｶ)ﾀﾏｾｲｷ")
        debits.save_mandate(session, "0002", "0009", "015", "1", "7654321", "アサカワデンシ（カ")
        debits.save_mandate(session, "0003", "0001", "004", "2", "1111111", "ﾀｶｵｺｳｶﾞｸ")
        debits.set_status(session, "0001", "登録済")
        debits.set_status(session, "0002", "registered")
    return db


def answer(request_bytes: bytes, codes: dict[str, str]) -> bytes:
    """The bank's result file: the request with 振替結果コード filled in and the trailer split."""
    parsed = zengin.parse(request_bytes, year=2026)
    records = tuple(replace(r, result_code=codes.get(r.customer_number, "0")) for r in parsed.records)
    done = [r for r in records if r.result_code == "0"]
    failed = [r for r in records if r.result_code != "0"]
    return zengin.write(zengin.ZenginFile(parsed.header, records, parsed.count, parsed.total, len(done),
                                          sum(r.amount for r in done), len(failed), sum(r.amount for r in failed)))


def open_of(session, *numbers):
    ids = [invoices.find_by_number(session, number).id for number in numbers]
    owed = invoices.balances(session, ids)
    return [owed[i].open for i in ids]


def test_a_debit_cycle_with_one_failure_leaves_the_right_invoices_open(cycle):
    written = []
    with cycle.transaction() as session:
        outcome = debits.create_request(session, date(2026, 6, 27), write=written.append, today=TODAY)  # a Saturday
        assert outcome.request.debit_date == date(2026, 6, 29)
        assert (outcome.request.record_count, outcome.request.total) == (2, 140000)
    request = zengin.parse(written[0], year=2026)
    assert [r.holder for r in request.records] == ["ｶ)ﾀﾏｾｲｷ", "ｱｻｶﾜﾃﾞﾝｼ(ｶ"]
    assert [r.account_number for r in request.records] == ["0000123", "7654321"]
    assert [r.new_code for r in request.records] == ["1", "1"]
    assert request.header.debit_date == date(2026, 6, 29) and request.header.client_code == "1234567890"
    second = request.records[1].customer_number
    with cycle.transaction() as session:
        lines = debits.import_result(session, answer(written[0], {second: "1"}))
    assert [(line.member_number, line.outcome, line.code) for line in lines] == [("0001", "paid", "0"),
                                                                                 ("0002", "failed", "1")]
    assert lines[1].reason == "資金不足"
    with cycle.reading() as session:
        assert open_of(session, "2026-0001", "2026-0002", "2026-0003") == [0, 70000, 70000]
        [payment] = session.scalars(select(Payment)).all()
        assert (payment.method, payment.received_on, payment.amount) == ("direct_debit", date(2026, 6, 29), 70000)
        assert session.get(DebitRequest, 1).answered_at is not None
        failed = debits.failed_open_invoice_ids(session)
        assert failed == [invoices.find_by_number(session, "2026-0002").id]
    # the failed invoice can go into the next request; the paid one does not
    with cycle.transaction() as session:
        again = debits.create_request(session, date(2026, 7, 27), today=TODAY)
        assert [r.invoice_id for r in again.request.records] == failed and again.request.records[0].new_code == "1"


def test_a_debit_date_already_past_is_refused_and_nothing_is_recorded(cycle):
    written = []
    with pytest.raises(UserError) as error, cycle.transaction() as session:
        debits.create_request(session, date(2026, 6, 26), write=written.append, today=date(2026, 6, 30))
    assert "2026-06-26" in str(error.value) and "過ぎています" in str(error.value) and not written
    with cycle.transaction() as session:  # Saturday 6/27 moves to Monday 6/29: not past on 6/29
        assert debits.create_request(session, date(2026, 6, 27), today=date(2026, 6, 29)).request.record_count == 2
    with cycle.reading() as session:
        assert session.scalar(select(func.count()).select_from(DebitRequest)) == 1


def test_an_invoice_in_an_unanswered_request_is_never_requested_twice(cycle):
    with cycle.transaction() as session:
        debits.create_request(session, date(2026, 6, 26), today=TODAY)
    with pytest.raises(UserError), cycle.transaction() as session:
        debits.create_request(session, date(2026, 7, 27), today=TODAY)
    with cycle.reading() as session:
        assert session.scalar(select(func.count()).select_from(DebitRecord)) == 2


def test_the_same_result_file_twice_changes_nothing(cycle):
    with cycle.transaction() as session:
        data = debits.create_request(session, date(2026, 6, 26), today=TODAY).data
    result = answer(data, {})
    with cycle.transaction() as session:
        debits.import_result(session, result)
    with cycle.transaction() as session:
        lines = debits.import_result(session, result)
    assert [line.outcome for line in lines] == ["already", "already"]
    with cycle.reading() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 2
        assert open_of(session, "2026-0001", "2026-0002") == [0, 0]


def test_a_result_whose_trailer_or_records_do_not_match_is_refused_whole(cycle):
    with cycle.transaction() as session:
        data = debits.create_request(session, date(2026, 6, 26), today=TODAY).data
    good = answer(data, {})
    broken = bytearray(good)
    broken[122 * 3 + 7:122 * 3 + 19] = b"000000000001"  # trailer 金額
    with pytest.raises(UserError), cycle.transaction() as session:
        debits.import_result(session, bytes(broken))
    parsed = zengin.parse(good, year=2026)
    unknown = replace(parsed, records=(parsed.records[0], replace(parsed.records[1], customer_number="9" * 20)))
    with pytest.raises(UserError) as error, cycle.transaction() as session:
        debits.import_result(session, zengin.write(unknown))
    assert error.value.problems[0].row == 3
    with cycle.reading() as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 0


def test_mandates_are_validated_against_the_bank_code_data(cycle):
    with cycle.transaction() as session:
        for args in (("0001", "9999", "001", "1", "1", "ﾀﾏ"), ("0001", "0001", "998", "1", "1", "ﾀﾏ"),
                     ("0001", "0001", "001", "3", "1", "ﾀﾏ"), ("0001", "0001", "001", "1", "12345678", "ﾀﾏ"),
                     ("0001", "0001", "001", "1", "1", "ﾀﾏ&ｾｲｷ"), ("9999", "0001", "001", "1", "1", "ﾀﾏ")):
            with pytest.raises(UserError):
                debits.save_mandate(session, *args)
        mandate = debits.save_mandate(session, "0003", "0001", "001", "1", "42", "たかお こうがく")
        assert (mandate.bank_name, mandate.branch_name, mandate.holder, mandate.status) == (
            "ﾐｽﾞﾎ", "ﾄｳｷﾖｳ", "ﾀｶｵ ｺｳｶﾞｸ", "applied")
        with pytest.raises(UserError):
            debits.setup_client(session, "12345", "ﾀﾏ", "0001", "001", "1", "1")


def test_no_setup_or_nothing_to_debit_is_refused(db):
    with pytest.raises(UserError), db.transaction() as session:
        debits.create_request(session, date(2026, 6, 26), today=TODAY)


def test_a_result_for_another_debit_date_is_refused(cycle):
    with cycle.transaction() as session:
        data = debits.create_request(session, date(2026, 6, 26), today=TODAY).data
    parsed = zengin.parse(answer(data, {}), year=2026)
    moved = replace(parsed, header=replace(parsed.header, debit_date=date(2026, 7, 27)))
    with pytest.raises(UserError) as error, cycle.transaction() as session:
        debits.import_result(session, zengin.write(moved))
    assert error.value.problems[0].field == "顧客番号"


def test_an_old_result_file_again_never_touches_the_next_request(cycle):
    with cycle.transaction() as session:
        first = debits.create_request(session, date(2026, 6, 26), today=TODAY).data
    failing = answer(first, {zengin.parse(first, year=2026).records[1].customer_number: "1"})
    with cycle.transaction() as session:
        debits.import_result(session, failing)
        debits.create_request(session, date(2026, 7, 27), today=TODAY)  # the failed invoice again
    with cycle.transaction() as session:
        lines = debits.import_result(session, failing)
    assert [line.outcome for line in lines] == ["already", "already"]
    with cycle.reading() as session:
        assert session.scalar(select(func.count()).select_from(DebitRecord).where(
            DebitRecord.result_code.is_(None))) == 1
