"""The minutes as the 代表理事 reads them (pdftotext): statutory items, votes, signers, corrections."""

import re
from datetime import date, time

from tama_desk.documents.attendance import render as render_attendance
from tama_desk.documents.minutes import render
from tama_desk.services import meetings, profile
from tests.factories import make_meeting, make_member, pdf_text


def flat(pdf: bytes) -> str:
    """The text with every space and line break removed: a sentence reads the same wherever it wraps."""
    return re.sub(r"\s+", "", pdf_text(pdf))


def has(text: str, expected: str) -> bool:
    return re.sub(r"\s+", "", expected) in text


def board_minutes(db, **settings):
    with db.transaction() as session:
        profile.update_profile(session, {"name": "一般社団法人 多摩産業ネットワーク協会"})
        if settings:
            meetings.update_settings(session, **settings)
        meeting = make_meeting(session, online="Web会議システム（Zoom）")
        remote = next(p for p in meeting.participants if p.name == "鈴木 花子")
        remote.attendance = "Web出席"
        meetings.save_item(session, meeting.id, title="事業計画承認の件", kind="決議", result="承認",
                           summary="議長より説明があった。")
        meetings.save_item(session, meeting.id, title="利益相反取引承認の件", kind="決議", result="可決", votes_for=4,
                           votes_against=1, interested=("佐藤 健一",), summary="取引の内容を審議した。")
        meetings.set_status(session, meeting.id, "議事録確定")
        meetings.amend(session, meeting.id, on=date(2026, 6, 1), what="第2号議案 反対数", before="2名", after="1名",
                       reason="集計誤り")
        return render(meetings.minutes_doc(session, meeting.id))


def test_board_minutes_carry_the_statutory_items(db):
    text = flat(board_minutes(db))
    for expected in ("令和8年度第1回理事会 議事録", "2026年5月20日 10時00分から12時00分まで", "本部会議室",
                     "Web会議システム（Zoom）により", "Web出席: 鈴木 花子", "理事総数 9名中 出席 6名", "監事総数 1名中 出席 1名",
                     "議長 山本 一郎", "議事録作成者 吉田 恵", "本会は適法に成立した", "第1号議案 事業計画承認の件",
                     "出席理事全員異議なく、原案どおり承認した", "賛成 4名、反対 1名、棄権 0名により、原案どおり可決した",
                     "理事 佐藤 健一 は本議案について特別の利害関係を有するため、議決に加わらなかった",
                     "以上の決議を明確にするため、議長及び出席理事・監事は次に記名押印する。", "議長 代表理事 山本 一郎",
                     "監事 加藤 浩二", "訂正記録", "2026年6月1日 第2号議案 反対数: 「2名」を「1名」に訂正（理由: 集計誤り）",
                     "保存期限 2036年5月20日", "一般社団法人 多摩産業ネットワーク協会"):
        assert has(text, expected), expected
    assert "下書き" not in text
    assert text.count("㊞") == 7  # six attending directors and the auditor


def test_signers_follow_the_articles(db):
    text = flat(board_minutes(db, board_signers="representative"))
    assert has(text, "以上の決議を明確にするため、代表理事及び出席監事は次に記名押印する。")
    assert text.count("㊞") == 2


def test_assembly_minutes_count_proxies_and_name_the_signers(db, tmp_path):
    with db.transaction() as session:
        numbers = [make_member(session).number for _ in range(5)]
        meeting = make_meeting(session, kind="社員総会", title="第12回定時社員総会", minute_signers="代表0、代表1")
        for index, (number, attendance) in enumerate(zip(numbers, ["出席", "出席", "委任状", "書面表決", "欠席"],
                                                         strict=True)):
            member = next(m for m in session.query(meetings.Member) if m.number == number)
            meetings.add_participant(session, meeting.id, name=f"代表{index}", role="社員", member_id=member.id,
                                     attendance=attendance)
        meetings.add_participant(session, meeting.id, name="山本 一郎", role="代表理事")
        meetings.save_item(session, meeting.id, title="定款変更の件", kind="決議", result="可決", special=True,
                           votes_for=4, summary="定款第5条の変更")
        doc = meetings.minutes_doc(session, meeting.id)
    text = flat(render(doc))
    for expected in ("総社員数 5名 総社員の議決権の数 5個", "出席社員数 4名（本人出席 2名、委任状 1名、書面表決 1名）",
                     "出席社員の議決権の数 4個", "賛成 4個、反対 0個、棄権 0個（特別決議）により、原案どおり可決した",
                     "議長及び議事録署名人は次に記名押印する", "議事録署名人 代表0", "議事録署名人 代表1",
                     "下書き（未確定）"):
        assert has(text, expected), expected


def test_minutes_without_a_meeting_say_so(db):
    with db.transaction() as session:
        meeting = make_meeting(session, without_meeting=True, deemed_date=date(2026, 6, 10), proposer="山本 一郎",
                               start=None, end=None)
        meetings.save_item(session, meeting.id, title="規程改定の件", kind="決議", result="可決", summary="提案書のとおり")
        for person in meeting.participants:
            meetings.record_consent(session, meeting.id, name=person.name, role=person.role, on=date(2026, 6, 9))
        text = flat(render(meetings.minutes_doc(session, meeting.id)))
    for expected in ("法律第96条第1項の規定により", "決議があったものとみなされた日 2026年6月10日", "提案者 山本 一郎",
                     "監事 加藤 浩二 は異議を述べなかった", "本議案について提案どおり可決されたものとみなされた",
                     "議事録作成者 吉田 恵"):
        assert has(text, expected), expected
    assert "記名押印" not in text


def test_attendance_list_has_a_row_per_participant(db):
    with db.transaction() as session:
        meeting = make_meeting(session)
        text = flat(render_attendance(meetings.attendance_doc(session, meeting.id)))
    assert has(text, "令和8年度第1回理事会 出席者名簿") and "署名" in text and "加藤浩二" in text
    assert has(text, "2026年5月20日 10時00分")


def test_time_formats():
    from tama_desk.documents.minutes import clock

    assert clock(time(9, 5)) == "9時05分" and clock(None) == ""
