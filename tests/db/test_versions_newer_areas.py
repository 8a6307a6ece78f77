"""Optimistic locking in the newer areas: an edit made from what another PC has changed since is refused,
naming who and when, and nothing of it is written."""

from __future__ import annotations

from datetime import date

import pytest

from tama_desk.db import guards
from tama_desk.db.models_contracts import Contract
from tama_desk.db.models_meetings import Meeting
from tama_desk.services import clients, contracts, meetings
from tests.factories import make_meeting


def _contract(session) -> Contract:
    client = clients.add_client(session, {"name": "八王子市", "kana": "ハチオウジシ"})
    return contracts.create_contract(session, party=clients.Party(client=client), title="販路開拓支援",
                                     signed_on=date(2026, 4, 20), period_start=date(2026, 5, 1),
                                     period_end=date(2027, 2, 28), amount=5_500_000, payment_terms="completion")


def test_stale_contract_amendment_is_refused(db):
    with db.transaction() as session:
        contract_id = _contract(session).id
    with db.reading() as session:  # what this PC's window shows
        shown = contracts.detail_view(session, contract_id, date(2026, 12, 1))["header"]["version"]
    with db.transaction() as session:  # another PC amends meanwhile
        contracts.amend(session, contract_id, date(2026, 6, 1), "増額", amount=6_600_000, version=shown)
    with pytest.raises(guards.StaleEditError) as error, db.transaction() as session:
        contracts.amend(session, contract_id, date(2026, 6, 2), "期間延長", period_end=date(2027, 3, 15),
                        version=shown)
    assert "他のPCで" in str(error.value) and "最新の内容を読み込みますか" in str(error.value)
    with db.reading() as session:
        contract = session.get(Contract, contract_id)
        assert (contract.amount, contract.period_end, len(contract.amendments)) == (6_600_000, date(2027, 2, 28), 1)


def test_stale_meeting_edit_is_refused(db):
    with db.transaction() as session:
        meeting_id = make_meeting(session).id
    with db.reading() as session:
        shown = meetings.meeting_detail(session, meeting_id)
    with db.transaction() as session:
        meetings.update_meeting(session, meeting_id, shown.version, place="第2会議室")
    with pytest.raises(guards.StaleEditError), db.transaction() as session:
        meetings.update_meeting(session, meeting_id, shown.version, place="オンライン")
    with db.reading() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting.place == "第2会議室" and meeting.version == shown.version + 1


def test_stale_client_edit_is_refused(db):
    with db.transaction() as session:
        client = clients.add_client(session, {"name": "八王子市", "kana": "ハチオウジシ"})
        client_id, shown = client.id, client.version
    with db.transaction() as session:
        clients.update_client(session, client_id, {"phone": "042-000-0000", "version": shown})
    with pytest.raises(guards.StaleEditError), db.transaction() as session:
        clients.update_client(session, client_id, {"phone": "042-111-1111", "version": shown})
    with db.reading() as session:
        assert clients.get_client(session, client_id).phone == "042-000-0000"


def test_an_account_another_pc_changed_is_not_overwritten(db):
    from tama_desk.services import accounting

    with db.reading() as session:
        shown = {row["role"]: row["account"] for row in accounting.mapping_rows(session)}
    role = next(iter(shown))
    other = next(r for r in shown if r != role)
    with db.transaction() as session:  # another PC
        accounting.set_accounts(session, {role: "雑収入"}, shown)
    with pytest.raises(guards.StaleEditError), db.transaction() as session:  # this PC saves every field it showed
        accounting.set_accounts(session, {**shown, other: "預り金"}, shown)
    with db.reading() as session:
        assert accounting.accounts(session)[role] == "雑収入" and accounting.accounts(session)[other] == shown[other]
    with db.transaction() as session:  # reloaded: saved
        fresh = {row["role"]: row["account"] for row in accounting.mapping_rows(session)}
        accounting.set_accounts(session, {**fresh, other: "預り金"}, fresh)


def test_stale_pairing_edit_is_refused(db):
    from tama_desk.services import matching_sessions
    from tests.factories import make_member

    with db.transaction() as session:
        make_member(session, number="0001")
        meeting_id = meetings.create_meeting(session, kind="商談会", title="上海商談会", day=date(2026, 6, 10),
                                             place="上海").id
        matching_sessions.save_pairing(session, meeting_id, {"member_number": "0001", "counterpart": "上海貿易公司"})
    with db.reading() as session:
        [shown] = matching_sessions.pairing_rows(session, meeting_id)
    values = {"member_number": "0001", "counterpart": "上海貿易公司"}
    with db.transaction() as session:
        matching_sessions.save_pairing(session, meeting_id, {**values, "notes": "サンプル送付"}, shown.id, shown.version)
    with pytest.raises(guards.StaleEditError), db.transaction() as session:
        matching_sessions.save_pairing(session, meeting_id, {**values, "notes": "見送り"}, shown.id, shown.version)
    with db.reading() as session:
        assert matching_sessions.pairing_rows(session, meeting_id)[0].notes == "サンプル送付"
