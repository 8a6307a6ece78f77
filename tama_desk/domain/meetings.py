"""Meetings by the rules of 一般社団法人法: quorum and majority per resolution, the statutory items of the
minutes, follow-up schedules and retention. Plain values in, plain values out (no database, no window).

理事会 (法95条): a majority of the directors entitled to vote present, resolutions by a majority of those
present; a director with a special interest neither votes nor counts. Directors cannot vote by proxy or in
writing, so 委任状/書面表決 never count as presence at a 理事会.
社員総会 (法49条): the 定款's quorum (default: members holding a majority of all voting rights, proxies and
written votes counted as present), an ordinary resolution by a majority of the votes present, a special
resolution by at least half of all members and two thirds of all voting rights.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from fractions import Fraction

from tama_desk.domain.dates import add_months
from tama_desk.i18n import t

KINDS = ("理事会", "社員総会", "委員会", "研究会", "商談会", "交流会", "その他")
STATUSES = ("予定", "開催済", "議事録確定")
ROLES = ("代表理事", "理事", "監事", "会計監査人", "社員", "職員", "来賓", "海外カウンターパート", "コーディネーター")
DIRECTOR_ROLES = ("代表理事", "理事")
ATTENDANCE = ("出席", "Web出席", "欠席", "委任状", "書面表決")
PRESENT = ("出席", "Web出席")
ITEM_KINDS = ("決議", "報告")
RESULTS = ("可決", "否決", "承認", "継続審議", "報告")
PASSING = ("可決", "承認")
OUTCOMES = ("見積・サンプル依頼", "自社ブランド販売希望", "連携継続希望", "成約", "見送り", "その他")
ACTION_STATUSES = ("未着手", "対応中", "完了")
# 施行規則15条3項2号: why the 理事会 was called, when not by the usual convener.
CALLING_CASES = ("", "理事の請求を受けて招集", "請求をした理事が招集", "監事の請求を受けて招集", "請求をした監事が招集")
BOARD_SIGNERS = {"attending": "出席した理事及び監事", "representative": "代表理事及び監事"}
RETENTION_YEARS = 10
FOLLOW_UP_MONTHS = (1, 3, 6, 9, 12)  # a month later, then quarterly until a year has passed
STATUTORY = ("理事会", "社員総会")


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str
    attendance: str
    votes: int = 1  # 議決権数 (社員総会); a director always holds one
    arrival: time | None = None
    departure: time | None = None

    def present_at(self, at: time | None) -> bool:
        """In the room (or on the Web call) at `at`; without a time only the attendance counts."""
        if self.attendance not in PRESENT:
            return False
        if at is None:
            return True
        return (self.arrival is None or self.arrival <= at) and (self.departure is None or at < self.departure)


@dataclass(frozen=True)
class Votes:
    for_: int | None = None  # None: not counted (全員異議なく) → every eligible vote present is for
    against: int = 0
    abstain: int = 0
    members_for: int | None = None  # 社員総会 special resolution: the head count of members for


@dataclass(frozen=True)
class Tally:
    """The numbers behind one resolution (or the meeting's quorum): what the minutes and the check print."""

    eligible: int  # directors entitled to vote / all voting rights
    present: int  # of them present (votes present at a 社員総会, proxies and written votes included)
    for_: int
    against: int
    abstain: int
    quorum_ok: bool
    majority_ok: bool
    quorum_text: str
    majority_text: str
    members_total: int = 0
    members_for: int = 0

    @property
    def passes(self) -> bool:
        return self.quorum_ok and self.majority_ok


@dataclass(frozen=True)
class AssemblyRules:
    """The 定款's numbers for a 社員総会 (defaults from 法49条)."""

    quorum: Fraction = Fraction(1, 2)  # of all voting rights present; more than this share (0: no quorum)
    special_members: Fraction = Fraction(1, 2)  # at least this share of all members for
    special_votes: Fraction = Fraction(2, 3)  # at least this share of all voting rights for


def _more_than(part: int, whole: int, share: Fraction) -> bool:
    return part * share.denominator > whole * share.numerator


def _at_least(part: int, whole: int, share: Fraction) -> bool:
    return part * share.denominator >= whole * share.numerator


def _ceil(whole: int, share: Fraction) -> int:
    return -(-whole * share.numerator // share.denominator)


def _share(share: Fraction) -> str:
    return t("過半数") if share == Fraction(1, 2) else t("{share}超", share=f"{share.numerator}/{share.denominator}")


def _verdict(ok: bool) -> str:
    return t("可決要件を満たす") if ok else t("可決要件を満たさない")


def board_quorum(attendees: list[Attendee], at: time | None, interested: tuple[str, ...] = ()) -> tuple[int, int]:
    """(directors entitled to vote, of them present at `at`), interested directors left out of both."""
    entitled = [a for a in attendees if a.role in DIRECTOR_ROLES and a.name not in interested]
    return len(entitled), sum(1 for a in entitled if a.present_at(at))


def board_tally(attendees: list[Attendee], at: time | None, votes: Votes, interested: tuple[str, ...] = ()) -> Tally:
    eligible, present = board_quorum(attendees, at, interested)
    for_ = present - votes.against - votes.abstain if votes.for_ is None else votes.for_
    quorum_ok = present * 2 > eligible
    majority_ok = for_ * 2 > present and for_ + votes.against + votes.abstain <= present
    excluded = t("（特別利害関係理事 {n}名を除く）", n=len(interested)) if interested else ""
    return Tally(eligible, present, for_, votes.against, votes.abstain, quorum_ok, majority_ok,
                 t("議決に加わることができる理事 {eligible}名中 出席 {present}名{excluded}（定足数 過半数 {need}名）: {verdict}",
                   eligible=eligible, present=present, excluded=excluded, need=eligible // 2 + 1,
                   verdict=t("成立") if quorum_ok else t("不成立")),
                 t("賛成 {for_}名・反対 {against}名・棄権 {abstain}名 / 出席 {present}名（過半数 {need}名）: {verdict}",
                   for_=for_, against=votes.against, abstain=votes.abstain, present=present, need=present // 2 + 1,
                   verdict=_verdict(majority_ok)))


def assembly_present(attendees: list[Attendee], at: time | None) -> int:
    """Voting rights present at `at`: in the room or on the call, by proxy (委任状) or in writing (書面表決)."""
    return sum(a.votes for a in attendees if a.role == "社員"
               and (a.present_at(at) or a.attendance in ("委任状", "書面表決")))


def assembly_tally(attendees: list[Attendee], at: time | None, votes: Votes, total_votes: int, total_members: int,
                   special: bool = False, rules: AssemblyRules = AssemblyRules()) -> Tally:
    present = assembly_present(attendees, at)
    for_ = present - votes.against - votes.abstain if votes.for_ is None else votes.for_
    members_for = votes.members_for
    if members_for is None:  # one vote each: the head count is the vote count
        members_for = for_ if all(a.votes == 1 for a in attendees if a.role == "社員" and a.votes) else 0
    quorum_ok = rules.quorum == 0 or _more_than(present, total_votes, rules.quorum)
    quorum_text = t("総議決権 {total}個中 出席（委任状・書面表決を含む） {present}個（定足数 {share}）: {verdict}",
                    total=total_votes, present=present, share=_share(rules.quorum),
                    verdict=t("成立") if quorum_ok else t("不成立"))
    if rules.quorum == 0:
        quorum_text = t("総議決権 {total}個中 出席（委任状・書面表決を含む） {present}個（定足数の定めなし）",
                        total=total_votes, present=present)
    counted = for_ + votes.against + votes.abstain <= present
    if special:
        majority_ok = counted and _at_least(members_for, total_members, rules.special_members) and _at_least(
            for_, total_votes, rules.special_votes)
        majority_text = t("特別決議: 賛成 社員 {members_for}名 / 総社員 {members}名（半数以上 {need_members}名）、"
                          "賛成 {for_}個 / 総議決権 {total}個（3分の2以上 {need_votes}個）: {verdict}",
                          members_for=members_for, members=total_members,
                          need_members=_ceil(total_members, rules.special_members), for_=for_, total=total_votes,
                          need_votes=_ceil(total_votes, rules.special_votes), verdict=_verdict(majority_ok))
    else:
        majority_ok = counted and for_ * 2 > present
        majority_text = t("賛成 {for_}個・反対 {against}個・棄権 {abstain}個 / 出席 {present}個（過半数 {need}個）: {verdict}",
                          for_=for_, against=votes.against, abstain=votes.abstain, present=present,
                          need=present // 2 + 1, verdict=_verdict(majority_ok))
    return Tally(total_votes, present, for_, votes.against, votes.abstain, quorum_ok, majority_ok,
                 quorum_text, majority_text, total_members, members_for)


# --- the statutory items of the minutes --------------------------------------------------------------------

def item_label(kind: str, number: int) -> str:
    return t("第{n}号議案", n=number) if kind == "決議" else t("報告事項{n}", n=number)


@dataclass(frozen=True)
class ItemRecord:
    number: int
    kind: str  # 決議 | 報告
    title: str
    summary: str
    result: str
    tally: Tally | None = None  # resolutions only
    interested: tuple[str, ...] = ()


@dataclass(frozen=True)
class MinutesRecord:
    """What the check needs to know about one meeting's record."""

    kind: str
    day: date | None
    start: time | None
    place: str
    online: str
    chair: str
    recorder: str
    attendees: list[Attendee]
    items: list[ItemRecord]
    calling_case: str = ""
    called_by: str = ""
    without_meeting: bool = False
    deemed_date: date | None = None
    proposer: str = ""
    consents: list[tuple[str, str, date | None]] = field(default_factory=list)  # name, role, consented on
    auditor_objection: bool = False
    quorum: Tally | None = None


def check_minutes(record: MinutesRecord) -> list[str]:
    """Every item 施行規則15条3項 (理事会) or 11条3項 (社員総会) requires that the record lacks.

    Committees and other meetings are checked for date, place, the course of proceedings and the recorder only.
    """
    missing: list[str] = []
    statutory = record.kind in STATUTORY
    board = record.kind == "理事会"
    rule = t("施行規則15条3項") if board else t("施行規則11条3項")

    def law(text: str, number: int, **params: object) -> str:
        return t("{item}（{rule}{number}号）", item=t(text, **params), rule=rule, number=number) if statutory \
            else t(text, **params)

    if record.without_meeting:
        return _check_without_meeting(record)
    if record.day is None or record.start is None:
        missing.append(law("開催日時", 1))
    if not record.place.strip():
        missing.append(law("開催場所", 1))
    remote = [a.name for a in record.attendees if a.attendance == "Web出席"]
    if remote and not record.online.strip():
        missing.append(law("場所に存しない者の出席の方法（Web会議の方法。Web出席: {names}）", 1, names="、".join(remote)))
    if record.calling_case and not record.called_by.strip():
        missing.append(law("招集を請求した者・招集した者の氏名", 2))
    if not record.items:
        missing.append(law("議事の経過の要領及びその結果（議題がありません）", 3 if board else 2))
    names = {a.name for a in record.attendees}
    for item in record.items:
        label = f"{item_label(item.kind, item.number)} {item.title}"
        if not item.summary.strip():
            missing.append(t("{label}: 議事の経過の要領", label=label))
        if not item.result:
            missing.append(t("{label}: 結果", label=label))
        if item.kind == "決議" and item.tally is not None and item.result in PASSING and not item.tally.passes:
            missing.append(t("{label}: 定足数又は可決要件を満たしていません（{quorum}／{majority}）", label=label,
                             quorum=item.tally.quorum_text, majority=item.tally.majority_text))
        for name in item.interested:
            if name not in names:
                missing.append(law("{label}: 特別の利害関係を有する理事 {name} が出席者名簿にいません", 4, label=label,
                                   name=name))
    if statutory:
        officers = [a for a in record.attendees if a.role in (*DIRECTOR_ROLES, "監事") and a.attendance in PRESENT]
        if board and not any(a.role in DIRECTOR_ROLES for a in officers):
            missing.append(t("出席した理事の氏名"))
        if not board and not officers:
            missing.append(law("出席した理事・監事の氏名", 4))
        if not record.chair.strip():
            missing.append(law("議長の氏名", 8 if board else 5))
        if record.quorum is not None and not record.quorum.quorum_ok:
            missing.append(t("定足数を満たしていません（{quorum}）", quorum=record.quorum.quorum_text))
    if not record.recorder.strip():
        missing.append(law("議事録の作成に係る職務を行った者の氏名", 6) if not board else t("議事録作成者"))
    return missing


def _check_without_meeting(record: MinutesRecord) -> list[str]:
    """法96条・58条 (resolution) and 98条・59条 (report) without a meeting: 施行規則15条4項 / 11条4項."""
    board = record.kind == "理事会"
    section = t("施行規則15条4項") if board else t("施行規則11条4項")

    def law(text: str, **params: object) -> str:
        return t("{item}（{rule}）", item=t(text, **params), rule=section)

    missing = []
    if not record.items:
        missing.append(law("決議（報告）があったものとみなされた事項の内容"))
    if record.deemed_date is None:
        missing.append(law("決議（報告）があったものとみなされた日"))
    if not record.proposer.strip():
        missing.append(law("事項の提案をした者の氏名"))
    if not record.recorder.strip():
        missing.append(law("議事録の作成に係る職務を行った者の氏名"))
    voters = [a for a in record.attendees if (a.role in DIRECTOR_ROLES if board else a.role == "社員")]
    consented = {name for name, _role, on in record.consents if on is not None}
    for person in voters:
        if person.name not in consented:
            missing.append(t("{name} の同意（書面又は電磁的記録）", name=person.name))
    if not voters:
        missing.append(t("議決に加わることができる理事全員の同意") if board else t("社員全員の同意"))
    if board and record.auditor_objection:
        missing.append(t("監事が異議を述べています（法96条）"))
    return missing


# --- dates ---------------------------------------------------------------------------------------------------


def follow_up_schedule(session_day: date, first: date | None = None) -> list[date]:
    """A month after the session (or `first` when the pairing names its own), then quarterly for a year."""
    dates = [add_months(session_day, months) for months in FOLLOW_UP_MONTHS]
    if first is not None:
        dates = [first, *(d for d in dates[1:] if d > first)]
    return dates


def retention_until(meeting_day: date) -> date:
    """法57条・97条: kept ten years from the day of the meeting."""
    return add_months(meeting_day, 12 * RETENTION_YEARS)


def proxies_kept_until(meeting_day: date) -> date:
    """法50条・51条: proxies and written votes kept three months from the 社員総会."""
    return add_months(meeting_day, 3)


def parse_time(value: object) -> time:
    """`9:30`, `09:30`, `９：３０` or a time cell. Raises ValueError whose text is a message key."""
    import unicodedata
    from datetime import datetime

    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    hours, sep, minutes = text.partition(":")
    if not sep or not hours.isdigit() or not minutes[:2].isdigit() or len(minutes) not in (2, 5):
        raise ValueError("時刻は「9:30」の形で入力してください")
    try:
        return time(int(hours), int(minutes[:2]))
    except ValueError:
        raise ValueError("時刻は「9:30」の形で入力してください") from None


def summary_counts(outcomes: list[str]) -> dict[str, int]:
    """Pairings per outcome, every outcome listed in order (zero included); a blank outcome is その他."""
    counts = dict.fromkeys(OUTCOMES, 0)
    for outcome in outcomes:
        counts[outcome if outcome in counts else "その他"] += 1
    return counts
