"""商談会: pairings imported, follow-ups scheduled, contracts recorded, summaries."""

from datetime import date, time

import pytest

from tama_desk.db.models_meetings import FollowUp, Pairing
from tama_desk.errors import UserError
from tama_desk.services import matching_sessions as matching
from tama_desk.services import meetings
from tests.factories import count, make_member

HEADER = "会員番号,相手企業,国,時刻,結果,金額,フォロー期限,メモ\n"


@pytest.fixture
def session_with_members(db):
    with db.transaction() as session:
        firms = [make_member(session).number for _ in range(3)]
        meeting = meetings.create_meeting(session, kind="商談会", title="ミラノ商談会", day=date(2026, 10, 20),
                                          start=time(10), place="ミラノ", country="イタリア")
        return meeting.id, firms


def pairs_file(tmp_path, rows):
    path = tmp_path / "pairs.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_import_schedules_follow_ups_and_summarises(db, tmp_path, session_with_members):
    meeting_id, (a, b, c) = session_with_members
    path = pairs_file(tmp_path, f"{a},Meccanica Srl,,10:00,見積・サンプル依頼,,2026-11-05,サンプル\n"
                                f"{a},Ottica SpA,,10:40,連携継続希望,,,\n{b},Ceramica,,10:00,自社ブランド販売希望,1200000,,\n"
                                f"{c},Tessitura,,10:00,見送り,,,\n{c},Ottica SpA,,10:40,成約,500000,,\n")
    with db.transaction() as session:
        result = matching.import_pairs(session, meeting_id, path)
        assert (result.count, result.follow_ups) == (5, 20)  # 見送り gets none
        first = session.query(Pairing).filter_by(counterpart="Meccanica Srl").one()
        assert [f.due for f in first.follow_ups][:2] == [date(2026, 11, 5), date(2027, 1, 20)]
        summary = matching.session_summary(session, meeting_id)
    assert summary.counts == {"見積・サンプル依頼": 1, "自社ブランド販売希望": 1, "連携継続希望": 1, "成約": 1, "見送り": 1,
                              "その他": 0}
    assert (summary.member_firms, summary.counterpart_firms, summary.meetings) == (3, 4, 5)
    assert (summary.deals, summary.amount) == (1, 1_700_000)
    assert first.country == "イタリア"  # the session's country when the row has none


def test_bad_pair_rows_named_and_nothing_imported(db, tmp_path, session_with_members):
    meeting_id, (a, _b, _c) = session_with_members
    path = pairs_file(tmp_path, f"9999,X,,,成約,abc,2020-01-01,\n{a},,,25:00,いい感じ,,,\n")
    with pytest.raises(UserError) as refused, db.transaction() as session:
        matching.import_pairs(session, meeting_id, path)
    where = {(p.row, p.field) for p in refused.value.problems}
    assert {(2, "会員番号"), (2, "金額"), (2, "フォロー期限"), (3, "相手企業"), (3, "時刻"), (3, "結果")} <= where
    with db.reading() as session:
        assert count(session, Pairing) == 0


def test_the_same_pairing_twice_is_refused(db, tmp_path, session_with_members):
    meeting_id, (a, _b, _c) = session_with_members
    path = pairs_file(tmp_path, f"{a},Meccanica Srl,,,,,,\n")
    with db.transaction() as session:
        matching.import_pairs(session, meeting_id, path)
    with pytest.raises(UserError), db.transaction() as session:
        matching.import_pairs(session, meeting_id, path)


def test_follow_up_and_later_contract(db, tmp_path, session_with_members):
    meeting_id, (a, _b, _c) = session_with_members
    with db.transaction() as session:
        pairing = matching.save_pairing(session, meeting_id, {"member_number": a, "counterpart": "Meccanica Srl",
                                                              "outcome": "見積・サンプル依頼"})
        first = pairing.follow_ups[0]
        matching.record_follow_up(session, first.id, done_on=date(2026, 11, 21), notes="見積送付済")
        matching.record_contract(session, pairing.id, signed_on=date(2027, 2, 1), amount=3_000_000, note="初回発注")
        assert pairing.outcome == "成約"
        assert count(session, FollowUp) == 1  # the done one stays, the rest are no longer needed
        by_year = matching.summaries(session, "fiscal_year")
        assert by_year[0].label == "2026年度" and by_year[0].contract_amount == 3_000_000
        assert matching.summaries(session, "country")[0].label == "イタリア"
        with pytest.raises(UserError):
            matching.record_contract(session, pairing.id, signed_on=date(2026, 1, 1), amount=1)
