"""Meetings through the services: attendance imports, refused resolutions, the frozen record, consents."""

from datetime import date, time

import pytest
from sqlalchemy import select

from tama_desk.db.models_meetings import AgendaItem, Meeting, MeetingAmendment, Participant
from tama_desk.errors import UserError
from tama_desk.services import audit, meetings
from tests.factories import count, make_meeting, make_member

HEADER = "氏名,役職,会員番号,出欠,委任先,議決権数,入室,退室\n"


def write(tmp_path, text, name="attendees.csv"):
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def test_board_import_records_a_proxy_as_absent_and_says_so(db, tmp_path):
    path = write(tmp_path, "山本 一郎,代表理事,,出席,,,,\n佐藤 健一,理事,,委任状,山本 一郎,,,\n"
                           "鈴木 花子,理事,,出席,,,10:30,\n加藤 浩二,監事,,Web出席,,,,\n")
    with db.transaction() as session:
        meeting = make_meeting(session, present=())
        result = meetings.import_attendees(session, meeting.id, path)
        assert result.count == 4
        assert result.notes == [(3, "佐藤 健一: 理事会では委任状は出席にも議決にも数えません。欠席として記録しました")]
        people = {p.name: p for p in meeting.participants}
        assert people["佐藤 健一"].attendance == "欠席" and "委任状" in people["佐藤 健一"].note
        assert people["鈴木 花子"].arrival == time(10, 30)
        assert len(people) == 4  # the list replaced the factory's


def test_bad_attendee_rows_are_named_by_line_and_column_and_nothing_changes(db, tmp_path):
    path = write(tmp_path, "山本 一郎,代表理事,,出席,,,,\n,理事,,出席,,,,\n佐藤,部長,,出席,,,9時,\n鈴木,理事,9999,来た,,2,,\n")
    with db.transaction() as session:
        meeting_id = make_meeting(session).id
    with pytest.raises(UserError) as refused, db.transaction() as session:
        meetings.import_attendees(session, meeting_id, path)
    where = {(p.row, p.field) for p in refused.value.problems}
    assert {(3, "氏名"), (4, "役職"), (4, "入室"), (5, "会員番号"), (5, "出欠"), (5, "議決権数")} <= where
    with db.reading() as session:
        assert count(session, Participant, Participant.meeting_id == meeting_id) == 10  # untouched


def test_assembly_import_counts_voting_rights_from_the_registry(db, tmp_path):
    with db.transaction() as session:
        regular = [make_member(session) for _ in range(4)]
        supporter = make_member(session, membership_type="賛助会員")
        meeting = make_meeting(session, kind="社員総会")
        path = write(tmp_path, "".join(f"代表{i},社員,{m.number},{a},,1,,\n" for i, (m, a) in enumerate(
            zip(regular, ["出席", "委任状", "書面表決", "欠席"], strict=True))) + f"賛助,社員,{supporter.number},出席,,1,,\n")
        result = meetings.import_attendees(session, meeting.id, path)
        assert result.totals == (4, 4)  # 賛助会員 are not 社員
        assert [p.votes for p in meeting.participants] == [1, 1, 1, 1, 0]
        assert [p.member_id for p in meeting.participants] == [m.id for m in regular] + [supporter.id]
        assert "賛助会員は社員ではない" in result.notes[0][1]
        quorum = meetings.meeting_quorum(session, meeting)
        assert (quorum.present, quorum.quorum_ok) == (3, True)  # in person, proxy and written vote


def test_a_resolution_without_its_quorum_is_refused_with_the_numbers(db):
    with db.transaction() as session:
        meeting_id = make_meeting(session, present=("山本 一郎", "佐藤 健一", "鈴木 花子", "高橋 誠", "伊藤 隆")).id
    with pytest.raises(UserError) as refused, db.transaction() as session:
        meetings.save_item(session, meeting_id, title="予算の件", kind="決議", result="可決", votes_for=4,
                           interested=("佐藤 健一",))
    assert "8名中 出席 4名" in str(refused.value) and "不成立" in str(refused.value)
    with db.reading() as session:
        assert count(session, AgendaItem) == 0
    with db.transaction() as session:  # 否決 or 継続審議 need no quorum to be recorded
        item = meetings.save_item(session, meeting_id, title="予算の件", kind="決議", result="継続審議",
                                  interested=("佐藤 健一",), summary="継続")
        assert item.number == 1


def test_late_arrival_counts_only_for_items_after_it(db):
    with db.transaction() as session:
        meeting = make_meeting(session, present=("山本 一郎", "佐藤 健一", "鈴木 花子", "高橋 誠", "伊藤 隆"))
        late = next(p for p in meeting.participants if p.name == "高橋 誠")
        late.arrival = time(10, 30)
        with pytest.raises(UserError):
            meetings.save_item(session, meeting.id, title="早い議案", kind="決議", result="可決", at=time(10, 10))
        item = meetings.save_item(session, meeting.id, title="遅い議案", kind="決議", result="可決", at=time(10, 40),
                                  summary="審議した")
        assert meetings.item_tally(session, meeting, item).present == 5


def test_interested_director_must_be_a_director_of_the_meeting(db):
    with db.transaction() as session:
        meeting = make_meeting(session)
        with pytest.raises(UserError, match="理事にいません"):
            meetings.save_item(session, meeting.id, title="取引の件", kind="決議", result="可決",
                               interested=("部外者",))


def test_check_lists_what_is_missing(db):
    with db.transaction() as session:
        meeting = make_meeting(session, chair="", place="")
        meetings.save_item(session, meeting.id, title="報告の件", kind="報告")
        result = meetings.check(session, meeting.id)
        assert not result.ok
        assert any("開催場所" in m for m in result.missing) and any("議長" in m for m in result.missing)
        assert any("報告事項1 報告の件: 議事の経過の要領" in m for m in result.missing)


def complete_board(session) -> Meeting:
    meeting = make_meeting(session)
    meetings.save_item(session, meeting.id, title="事業計画承認の件", kind="決議", result="承認", summary="説明があった")
    return meeting


def test_confirmed_minutes_are_frozen_and_corrected_by_an_amendment(db):
    with db.transaction() as session:
        meeting_id = complete_board(session).id
    with db.transaction() as session:
        meetings.set_status(session, meeting_id, "議事録確定")
    for change in (lambda s: setattr(meetings.get_meeting(s, meeting_id), "place", "別室"),
                   lambda s: setattr(meetings.get_meeting(s, meeting_id).participants[0], "attendance", "欠席"),
                   lambda s: meetings.save_item(s, meeting_id, title="追加", kind="報告", summary="x")):
        with pytest.raises(meetings.FrozenMinutesError), db.transaction() as session:
            change(session)
            session.flush()
    with db.transaction() as session:
        meetings.amend(session, meeting_id, on=date(2026, 6, 1), what="第1号議案 議事の経過", before="説明があった",
                       after="理事長より説明があった", reason="発言者の記載漏れ")
    with db.reading() as session:
        meeting = meetings.get_meeting(session, meeting_id)
        assert (meeting.place, len(meeting.items)) == ("本部会議室", 1)
        assert session.scalar(select(MeetingAmendment.reason)) == "発言者の記載漏れ"
        assert [entry.action for entry in audit.history(session, "meeting", meeting_id)][-3:] == [
            "update", "issue", "update"]  # confirmed (the approved minutes hashed), then corrected
        assert audit.history(session, "meeting", meeting_id)[-1].summary.startswith("訂正 2026-06-01")
        doc = meetings.minutes_doc(session, meeting_id)
        assert doc.amendments[0][1:4] == ("第1号議案 議事の経過", "説明があった", "理事長より説明があった")
        assert doc.retention_until == date(2036, 5, 20)


def test_approved_minutes_are_hashed_and_a_change_behind_the_app_refuses_printing(db):
    with db.transaction() as session:
        meeting_id = complete_board(session).id
    with db.reading() as session:
        meetings.minutes_doc(session, meeting_id)  # a draft: nothing to check against yet
    with db.transaction() as session:
        meetings.set_status(session, meeting_id, "議事録確定")
    with db.transaction() as session:  # a correction is printed after the minutes: no change to what was approved
        meetings.amend(session, meeting_id, on=date(2026, 6, 1), what="議事の経過", after="追記", reason="記載漏れ")
    with db.reading() as session:
        [issued] = [entry for entry in audit.history(session, "meeting", meeting_id) if entry.action == "issue"]
        assert len(issued.record_hash) == 64 and issued.summary.startswith("議事録確定")
        assert audit.tampered(session, "meeting", [meeting_id]) == []
        assert meetings.minutes_doc(session, meeting_id).items
        assert audit.verify(session)[2] is None
    with db.engine.begin() as connection:  # another program rewrites the result of a resolution
        connection.exec_driver_sql("UPDATE meeting_item SET title = '書き換え' WHERE meeting_id = ?", (meeting_id,))
    with db.reading() as session:
        with pytest.raises(audit.TamperedDocumentError, match="発行時の記録"):
            meetings.minutes_doc(session, meeting_id)
        assert "changed after it was approved" in str(audit.verify(session)[2])
        meeting = meetings.get_meeting(session, meeting_id)
        assert audit.tampered(session, "meeting", [meeting_id]) == [f"{meeting.day:%Y-%m-%d} {meeting.title}"]


def test_incomplete_minutes_cannot_be_confirmed(db):
    with db.transaction() as session:
        meeting_id = make_meeting(session, recorder="").id
    with pytest.raises(UserError, match="まだ確定できません"), db.transaction() as session:
        meetings.set_status(session, meeting_id, "議事録確定")


def test_resolution_without_a_meeting(db):
    with db.transaction() as session:
        meeting = make_meeting(session, without_meeting=True, deemed_date=date(2026, 6, 10), proposer="山本 一郎")
        meetings.save_item(session, meeting.id, title="規程改定の件", kind="決議", result="可決", summary="提案書のとおり")
        for person in meeting.participants:
            if person.role != "監事":
                meetings.record_consent(session, meeting.id, name=person.name, role=person.role, on=date(2026, 6, 9))
        assert meetings.check(session, meeting.id).ok
        meetings.record_consent(session, meeting.id, name="加藤 浩二", role="監事", on=date(2026, 6, 9),
                                objection=True)
        assert any("監事が異議" in m for m in meetings.check(session, meeting.id).missing)
        meetings.record_consent(session, meeting.id, name="加藤 浩二", role="監事", on=date(2026, 6, 9))
        assert meetings.check(session, meeting.id).ok
        doc = meetings.minutes_doc(session, meeting.id)
        assert "第96条" in doc.closing and any("監事 加藤 浩二 は異議を述べなかった" in line
                                               for line in doc.without_meeting_lines)


def test_the_minutes_hash_is_the_same_in_english(db):
    from tama_desk import i18n

    with db.transaction() as session:
        meeting_id = complete_board(session).id
    with db.transaction() as session:
        meetings.set_status(session, meeting_id, "議事録確定")
    i18n.set_language("en")
    try:
        with db.reading() as session:
            assert audit.tampered(session, "meeting", [meeting_id]) == []
            assert meetings.minutes_doc(session, meeting_id).items[0].label != "第1号議案"
    finally:
        i18n.set_language("ja")
