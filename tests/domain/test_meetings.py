"""The 一般社団法人法 rules as plain functions: quorum and majority, the minutes check, schedules."""

from datetime import date, time
from fractions import Fraction

from tama_desk.domain import meetings as rules
from tama_desk.domain.meetings import Attendee, Votes


def board(present: int, absent: int = 0, **times) -> list[Attendee]:
    people = [Attendee(f"理事{i}", "理事", "出席", arrival=times.get(f"in{i}"), departure=times.get(f"out{i}"))
              for i in range(present)]
    people += [Attendee(f"欠席{i}", "理事", "欠席") for i in range(absent)]
    return people + [Attendee("監事", "監事", "出席")]


def test_board_needs_a_majority_of_directors_present_and_of_those_present():
    tally = rules.board_tally(board(5, 4), None, Votes(3, 2))
    assert (tally.eligible, tally.present, tally.quorum_ok, tally.majority_ok) == (9, 5, True, True)
    assert not rules.board_tally(board(4, 5), None, Votes()).quorum_ok  # 4 of 9 is not a majority
    assert not rules.board_tally(board(6, 3), None, Votes(3, 3)).majority_ok  # a tie fails


def test_interested_director_neither_votes_nor_counts():
    people = board(5, 4)
    tally = rules.board_tally(people, None, Votes(3, 1), interested=("理事0",))
    assert (tally.eligible, tally.present) == (8, 4)
    assert not tally.quorum_ok  # 4 of 8 is not a majority
    assert "特別利害関係理事 1名を除く" in tally.quorum_text


def test_presence_follows_arrival_and_departure():
    people = board(5, 4, in0=time(10, 30), out1=time(11, 0))
    assert rules.board_quorum(people, time(10, 0)) == (9, 4)
    assert rules.board_quorum(people, time(10, 45)) == (9, 5)
    assert rules.board_quorum(people, time(11, 0)) == (9, 4)  # gone at the minute of departure
    assert rules.board_quorum(people, None) == (9, 5)  # no time: attendance alone


def test_proxies_and_written_votes_never_count_at_a_board():
    people = board(4, 3) + [Attendee("委任", "理事", "委任状"), Attendee("書面", "理事", "書面表決")]
    assert rules.board_quorum(people, None) == (9, 4)


def test_unanimous_when_votes_are_not_counted():
    tally = rules.board_tally(board(6, 3), None, Votes())
    assert (tally.for_, tally.majority_ok) == (6, True)


def assembly() -> list[Attendee]:
    return ([Attendee(f"社員{i}", "社員", "出席") for i in range(6)] + [Attendee(f"委任{i}", "社員", "委任状")
                                                                     for i in range(4)]
            + [Attendee(f"書面{i}", "社員", "書面表決") for i in range(2)] + [Attendee("理事", "代表理事", "出席")])


def test_assembly_quorum_counts_proxies_and_written_votes():
    tally = rules.assembly_tally(assembly(), None, Votes(10, 2), total_votes=20, total_members=20)
    assert (tally.present, tally.quorum_ok, tally.majority_ok) == (12, True, True)
    assert not rules.assembly_tally(assembly(), None, Votes(), total_votes=24, total_members=24).quorum_ok
    lenient = rules.AssemblyRules(quorum=Fraction(1, 3))
    assert rules.assembly_tally(assembly(), None, Votes(), total_votes=30, total_members=30, rules=lenient).quorum_ok


def test_special_resolution_needs_half_the_members_and_two_thirds_of_all_votes():
    people = assembly()
    passed = rules.assembly_tally(people, None, Votes(12), total_votes=18, total_members=18, special=True)
    assert passed.majority_ok  # 12 of 18 members (≥ 9) and 12 of 18 votes (≥ 12)
    short = rules.assembly_tally(people, None, Votes(11, 1), total_votes=18, total_members=18, special=True)
    assert not short.majority_ok and "3分の2以上 12個" in short.majority_text
    # an ordinary resolution would have passed with the same votes
    assert rules.assembly_tally(people, None, Votes(11, 1), total_votes=18, total_members=18).majority_ok


def test_more_votes_than_present_never_pass():
    assert not rules.board_tally(board(5, 4), None, Votes(6)).majority_ok


def record(**overrides) -> rules.MinutesRecord:
    values = dict(kind="理事会", day=date(2026, 5, 20), start=time(10), place="本部会議室", online="", chair="山本",
                  recorder="吉田", attendees=board(6, 3),
                  items=[rules.ItemRecord(1, "決議", "事業計画承認の件", "説明があった", "承認",
                                          rules.board_tally(board(6, 3), None, Votes()))])
    values.update(overrides)
    return rules.MinutesRecord(**values)


def test_complete_minutes_have_nothing_missing():
    assert rules.check_minutes(record()) == []


def test_each_missing_statutory_item_is_named():
    web = board(5, 3) + [Attendee("遠隔", "理事", "Web出席")]
    missing = rules.check_minutes(record(place="", chair="", recorder="", attendees=web, calling_case="監事の請求を受けて招集",
                                         items=[rules.ItemRecord(1, "決議", "予算の件", "", "")]))
    text = "\n".join(missing)
    for expected in ("開催場所（施行規則15条3項1号）", "Web出席: 遠隔", "招集を請求した者", "第1号議案 予算の件: 議事の経過の要領",
                     "第1号議案 予算の件: 結果", "議長の氏名（施行規則15条3項8号）", "議事録作成者"):
        assert expected in text


def test_check_names_a_passed_resolution_without_its_quorum():
    thin = board(4, 5)
    item = rules.ItemRecord(1, "決議", "予算の件", "説明", "可決", rules.board_tally(thin, None, Votes()))
    assert any("定足数又は可決要件" in m for m in rules.check_minutes(record(attendees=thin, items=[item])))


def test_without_a_meeting_every_director_consents_and_no_auditor_objects():
    people = board(3) + [Attendee("監事", "監事", "出席")]
    consents = [("理事0", "理事", date(2026, 6, 1)), ("理事1", "理事", date(2026, 6, 2))]
    missing = rules.check_minutes(record(without_meeting=True, attendees=people, consents=consents,
                                         deemed_date=date(2026, 6, 3), proposer="山本", auditor_objection=True))
    assert any("理事2 の同意" in m for m in missing)
    assert any("監事が異議" in m for m in missing)
    complete = consents + [("理事2", "理事", date(2026, 6, 3))]
    assert rules.check_minutes(record(without_meeting=True, attendees=people, consents=complete,
                                      deemed_date=date(2026, 6, 3), proposer="山本")) == []


def test_follow_up_schedule_a_month_then_quarterly_for_a_year():
    assert rules.follow_up_schedule(date(2026, 10, 31)) == [
        date(2026, 11, 30), date(2027, 1, 31), date(2027, 4, 30), date(2027, 7, 31), date(2027, 10, 31)]
    assert rules.follow_up_schedule(date(2026, 10, 20), first=date(2026, 11, 5))[:2] == [date(2026, 11, 5),
                                                                                      date(2027, 1, 20)]


def test_retention_ten_years_and_proxies_three_months():
    assert rules.retention_until(date(2028, 2, 29)) == date(2038, 2, 28)
    assert rules.proxies_kept_until(date(2026, 6, 15)) == date(2026, 9, 15)


def test_summary_counts_every_outcome_in_order():
    counts = rules.summary_counts(["見積・サンプル依頼", "連携継続希望", "連携継続希望", ""])
    assert list(counts) == list(rules.OUTCOMES)
    assert counts["連携継続希望"] == 2 and counts["その他"] == 1 and counts["成約"] == 0


def test_parse_time():
    assert rules.parse_time("９：０５") == time(9, 5)
    for bad in ("25:00", "9時", "", "9:5"):
        try:
            rules.parse_time(bad)
        except ValueError:
            continue
        raise AssertionError(bad)
