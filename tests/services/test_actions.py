"""One list of action items: meetings, matching follow-ups and other areas' sources."""

from datetime import date

from tama_desk.services import actions, matching_sessions, meetings
from tests.factories import make_meeting, make_member


def test_one_list_across_meetings_follow_ups_and_extra_sources(db):
    with db.transaction() as session:
        board = make_meeting(session)
        item = meetings.save_item(session, board.id, title="展示会出展の件", kind="決議", result="可決", summary="x")
        actions.add_action(session, owner="吉田", what="出展申込書を提出", due=date(2026, 6, 30), item_id=item.id)
        done = actions.add_action(session, owner="吉田", what="済んだこと", due=date(2026, 6, 1), meeting_id=board.id)
        actions.set_action_status(session, done.id, "完了", date(2026, 6, 2))
        member = make_member(session, name="株式会社多摩精機")
        fair = meetings.create_meeting(session, kind="商談会", title="上海商談会", day=date(2026, 9, 10))
        matching_sessions.save_pairing(session, fair.id, {"member_number": member.number, "counterpart": "上海機電"})

        def deliverables(_session):
            yield actions.ActionRow(date(2026, 7, 15), "事務局", "実績報告書の提出", "委託事業 帯広 City Sales", kind="contract")

        rows = actions.list_actions(session, date(2026, 10, 5), extra_sources=[deliverables])
    assert [(r.due, r.what) for r in rows] == [
        (date(2026, 6, 30), "出展申込書を提出"), (date(2026, 7, 15), "実績報告書の提出"),
        (date(2026, 10, 10), "フォローアップ: 株式会社多摩精機 × 上海機電")]
    assert rows[0].source == "理事会 2026-05-20 令和8年度第1回理事会 第1号議案"
    assert all(r.overdue(date(2026, 10, 5)) for r in rows[:2]) and not rows[2].overdue(date(2026, 10, 5))


def test_overdue_only_and_carry_over_to_the_next_meeting(db):
    with db.transaction() as session:
        first = make_meeting(session)
        actions.add_action(session, owner="佐藤", what="規程案の作成", due=date(2026, 6, 30), meeting_id=first.id)
        actions.add_action(session, owner="鈴木", what="年内の件", due=date(2026, 12, 31), meeting_id=first.id)
        assert [r.what for r in actions.overdue(session, date(2026, 7, 1))] == ["規程案の作成"]
        second = make_meeting(session, title="第2回理事会", day=date(2026, 8, 20))
        offered = actions.carry_over(session, second.id)
        assert [r.what for r in offered] == ["規程案の作成", "年内の件"]
        assert actions.carry_to_agenda(session, second.id, [offered[0].id]) == 1
        assert second.items[0].kind == "報告" and "規程案の作成" in second.items[0].title


def test_each_pairing_lists_its_next_open_follow_up_with_the_outcome_and_the_session(db):
    with db.transaction() as session:
        member = make_member(session, name="株式会社多摩精機")
        other = make_member(session, name="昭島工業株式会社")
        fair = meetings.create_meeting(session, kind="商談会", title="上海商談会", day=date(2026, 9, 10))
        first = matching_sessions.save_pairing(session, fair.id, {"member_number": member.number,
                                                                  "counterpart": "上海機電", "outcome": "連携継続希望"})
        matching_sessions.save_pairing(session, fair.id, {"member_number": other.number, "counterpart": "蘇州精密"})
        matching_sessions.save_pairing(session, fair.id, {"member_number": other.number, "counterpart": "寧波電子",
                                                          "outcome": "見送り"})  # no follow-up
        follow_ups = sorted(first.follow_ups, key=lambda f: f.due)
        matching_sessions.record_follow_up(session, follow_ups[0].id, done_on=date(2026, 10, 9))
        rows = list(actions.follow_up_actions(session))
        assert [(r.due, r.what, r.source, r.kind, r.meeting_id) for r in rows] == [
            (follow_ups[1].due, "フォローアップ: 株式会社多摩精機 × 上海機電（連携継続希望）",
             "商談会 2026-09-10 上海商談会", "follow_up", fair.id),
            (date(2026, 10, 10), "フォローアップ: 昭島工業株式会社 × 蘇州精密", "商談会 2026-09-10 上海商談会",
             "follow_up", fair.id)]
        assert rows[0].id == follow_ups[1].id and len(follow_ups) > 2
