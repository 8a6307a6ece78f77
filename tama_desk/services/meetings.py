"""Meetings: create, attendance (imported or ticked), agenda items with their votes, the statutory check,
confirmation (frozen from then on), amendments, consents for resolutions without a meeting, and the plain
data the minutes and attendance documents print."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from fractions import Fraction
from pathlib import Path

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from tama_desk.db.engine import current_user
from tama_desk.db.guards import check_row, expect_version
from tama_desk.db.models import Member, MembershipType
from tama_desk.db.models_meetings import (
    ActionItem,
    AgendaItem,
    Meeting,
    MeetingAmendment,
    MeetingConsent,
    MeetingSettings,
    Participant,
)
from tama_desk.domain import meetings as rules
from tama_desk.domain import retention
from tama_desk.errors import ProblemList, UserError
from tama_desk.exports.meetings_io import ATTENDEE_SPEC, code_text
from tama_desk.exports.tables import read_table
from tama_desk.i18n import Message, t
from tama_desk.services import audit, profile
from tama_desk.services.importing import REFUSED, ImportRow, clean_rows

CONFIRMED = "議事録確定"


class FrozenMinutesError(UserError):
    pass


def _was_confirmed(meeting: Meeting) -> bool:
    state = inspect(meeting)
    if state.pending or state.transient:
        return False
    history = state.attrs.status.history
    return (history.deleted[0] if history.deleted else meeting.status) == CONFIRMED


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_confirmed_minutes(session: Session, _context, _instances) -> None:
    """Whatever code runs, confirmed minutes (the meeting, its participants, items, consents) stay as they are."""
    touched: list[tuple[Meeting | None, str]] = []
    for obj in (*session.dirty, *session.new, *session.deleted):
        if isinstance(obj, Meeting):
            state = inspect(obj)
            changed = obj in session.deleted or session.is_modified(obj, include_collections=False) or any(
                state.attrs[name].history.has_changes() for name in ("participants", "items", "consents"))
            if changed:
                touched.append((obj, obj.title))
        elif isinstance(obj, (Participant, AgendaItem, MeetingConsent)):
            if obj in session.dirty and not session.is_modified(obj):
                continue
            meeting = getattr(obj, "meeting", None) or (session.get(Meeting, obj.meeting_id) if obj.meeting_id
                                                         else None)
            touched.append((meeting, meeting.title if meeting else ""))
    for meeting, title in touched:
        if meeting is not None and _was_confirmed(meeting):
            raise FrozenMinutesError("「{title}」の議事録は確定済みです。変更は日付付きの訂正として記録してください",
                                     title=title)


# --- settings ------------------------------------------------------------------------------------------------

def get_settings(session: Session) -> MeetingSettings:
    found = session.get(MeetingSettings, 1)
    if found is None:
        found = MeetingSettings(id=1)
        session.add(found)
        session.flush()
    return found


def update_settings(session: Session, *, board_signers: str | None = None, assembly_signer_count: int | None = None,
                    assembly_quorum: str | None = None, follow_up_owner: str | None = None,
                    voting_types: dict[str, bool] | None = None) -> MeetingSettings:
    found = get_settings(session)
    if board_signers is not None:
        if board_signers not in rules.BOARD_SIGNERS:
            raise UserError("理事会議事録の署名者は {choices} から選んでください",
                            choices="、".join(rules.BOARD_SIGNERS))
        found.board_signers = board_signers
    if assembly_signer_count is not None:
        if not 0 <= assembly_signer_count <= 5:
            raise UserError("議事録署名人の人数は0〜5人です")
        found.assembly_signer_count = assembly_signer_count
    if assembly_quorum is not None:
        try:
            share = Fraction(assembly_quorum)
        except (ValueError, ZeroDivisionError):
            share = Fraction(-1)
        if not 0 <= share < 1:
            raise UserError("社員総会の定足数は総議決権に対する割合（例 1/2、1/3、0 は定めなし）で入力してください")
        found.assembly_quorum = str(share)
    if follow_up_owner is not None:
        found.follow_up_owner = follow_up_owner.strip()
    for name, voting in (voting_types or {}).items():
        membership_type = session.scalar(select(MembershipType).where(MembershipType.name == name))
        if membership_type is None:
            raise UserError("会員種別「{name}」は登録されていません", name=name)
        membership_type.voting = voting
    audit.record(session, "update", "meeting_settings", 1, "会議の設定")
    return found


def voting_types(session: Session) -> dict[str, bool]:
    """Membership type → whether its members are 社員 with a vote at the 社員総会."""
    query = select(MembershipType.name, MembershipType.voting).order_by(MembershipType.sort_order, MembershipType.id)
    return dict(session.execute(query).all())


def assembly_rules(session: Session) -> rules.AssemblyRules:
    return rules.AssemblyRules(quorum=Fraction(get_settings(session).assembly_quorum))


# --- meetings ------------------------------------------------------------------------------------------------

def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise UserError("会議（id {id}）が見つかりません", id=meeting_id)
    return meeting


MEETING_FIELDS = ("title", "series", "place", "online", "calling_case", "called_by", "chair", "recorder",
                  "minute_signers", "statements", "city", "country", "counterpart_body", "coordinator", "notes",
                  "proposer")


def create_meeting(session: Session, *, kind: str, title: str, day: date, start: time | None = None,
                   end: time | None = None, without_meeting: bool = False, deemed_date: date | None = None,
                   total_members: int | None = None, total_votes: int | None = None, **values: str) -> Meeting:
    problems = ProblemList()
    if kind not in rules.KINDS:
        problems.add("{choices} のいずれかです", "種類", choices="、".join(rules.KINDS))
    if not title.strip():
        problems.add("入力してください", "件名")
    if start and end and end <= start:
        problems.add("終了時刻が開始時刻より前です", "終了時刻")
    if without_meeting and kind not in rules.STATUTORY:
        problems.add("決議の省略（みなし決議）は理事会と社員総会だけです", "決議の省略")
    if values.get("calling_case", "") not in rules.CALLING_CASES:
        problems.add("{choices} のいずれかです", "招集の事情", choices="、".join(c for c in rules.CALLING_CASES if c))
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown meeting fields: {sorted(unknown)}")
    problems.raise_if_any("会議を登録できません")
    meeting = Meeting(kind=kind, title=title.strip(), day=day, start_time=start, end_time=end,
                      without_meeting=without_meeting, deemed_date=deemed_date, total_members=total_members,
                      total_votes=total_votes, status="予定", retention_until=rules.retention_until(day),
                      **{name: str(value).strip() for name, value in values.items()})
    session.add(meeting)
    session.flush()
    audit.record(session, "create", "meeting", meeting.id, f"{kind} {title} {day.isoformat()}")
    return meeting


def update_meeting(session: Session, meeting_id: int, version: int | None = None, **values) -> Meeting:
    """`version`: the one the user was shown; a save over a change made since is refused (StaleEditError)."""
    meeting = get_meeting(session, meeting_id)
    expect_version(meeting, version)
    for name, value in values.items():
        if name not in (*MEETING_FIELDS, "day", "start_time", "end_time", "deemed_date", "without_meeting",
                        "total_members", "total_votes", "auditor_objection"):
            raise TypeError(f"unknown meeting field: {name}")
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    if "day" in values:
        meeting.retention_until = rules.retention_until(meeting.day)
    session.flush()
    audit.record(session, "update", "meeting", meeting.id, "、".join(values))
    return meeting


def set_status(session: Session, meeting_id: int, status: str, today: date | None = None) -> Meeting:
    """予定 → 開催済 → 議事録確定. Confirming needs a complete check; from then on the record is frozen."""
    meeting = get_meeting(session, meeting_id)
    if status not in rules.STATUSES:
        raise UserError("状態は {choices} のいずれかです", choices="、".join(rules.STATUSES))
    if status == CONFIRMED:
        result = check(session, meeting_id)
        if not result.ok:
            raise UserError("「{title}」の議事録はまだ確定できません（不足 {count} 件）", result.problems,
                            title=meeting.title, count=len(result.problems))
        meeting.confirmed_at, meeting.confirmed_by = datetime.now(), current_user()
    meeting.status = status
    session.flush()
    audit.record(session, "update", "meeting", meeting.id, f"{meeting.title}: {status}")
    if status == CONFIRMED:  # the approved minutes are hashed (sealed at the commit), checked before each print
        audit.record(session, "issue", "meeting", meeting.id, f"議事録確定 {meeting.title}")
    return meeting


def amend(session: Session, meeting_id: int, *, on: date, what: str, after: str, reason: str,
          before: str = "") -> MeetingAmendment:
    """The only change confirmed minutes take: a dated correction with its reason, printed after them."""
    meeting = get_meeting(session, meeting_id)
    if meeting.status != CONFIRMED:
        raise UserError("「{title}」の議事録は未確定です。訂正ではなく直接修正してください", title=meeting.title)
    problems = ProblemList()
    for label, value in (("訂正箇所", what), ("訂正後", after), ("理由", reason)):
        if not value.strip():
            problems.add("入力してください", label)
    problems.raise_if_any("訂正を記録できません")
    amendment = MeetingAmendment(meeting_id=meeting.id, amended_on=on, what=what.strip(), before=before.strip(),
                                 after=after.strip(), reason=reason.strip())
    session.add(amendment)
    session.flush()
    audit.record(session, "update", "meeting", meeting.id, f"訂正 {on.isoformat()} {what}: {before} → {after}（{reason}）")
    return amendment


def delete_meeting(session: Session, meeting_id: int, today: date | None = None) -> None:
    """Only a meeting that has not taken place (予定, a day still ahead) is deleted: minutes are kept ten years
    from the meeting."""
    meeting = get_meeting(session, meeting_id)
    today = today or date.today()
    if meeting.status != "予定" or meeting.day <= today:
        retention.refuse_delete(Message("{day}の{kind}「{title}」", day=meeting.day.isoformat(), kind=meeting.kind,
                                        title=meeting.title),
                                meeting.retention_until or rules.retention_until(meeting.day), today)
    session.delete(meeting)
    session.flush()
    audit.record(session, "delete", "meeting", meeting_id, meeting.title)


@dataclass(frozen=True)
class MeetingRow:
    id: int
    kind: str
    title: str
    day: date
    start: time | None
    place: str
    status: str
    open_actions: int
    participants: int
    items: int


def list_meetings(session: Session, kind: str | None = None, fiscal_year: int | None = None) -> list[MeetingRow]:
    """The meetings, newest first, with their counts: one query each (the counts grouped), never the
    participants themselves (a 社員総会 lists every voting member)."""
    query = select(Meeting.id, Meeting.kind, Meeting.title, Meeting.day, Meeting.start_time, Meeting.place,
                   Meeting.status).order_by(Meeting.day.desc(), Meeting.start_time.desc(), Meeting.id.desc())
    if kind:
        query = query.where(Meeting.kind == kind)
    if fiscal_year is not None:
        from tama_desk.domain.fiscal import fiscal_year_bounds

        first, last = fiscal_year_bounds(fiscal_year)
        query = query.where(Meeting.day >= first, Meeting.day <= last)
    open_counts = dict(session.execute(select(ActionItem.meeting_id, func.count()).where(
        ActionItem.status != "完了").group_by(ActionItem.meeting_id)).all())
    participants = dict(session.execute(select(Participant.meeting_id, func.count())
                                        .group_by(Participant.meeting_id)).all())
    items = dict(session.execute(select(AgendaItem.meeting_id, func.count()).group_by(AgendaItem.meeting_id)).all())
    return [MeetingRow(*row, open_counts.get(row.id, 0), participants.get(row.id, 0), items.get(row.id, 0))
            for row in session.execute(query)]


# --- participants --------------------------------------------------------------------------------------------

@dataclass
class AttendeeImport:
    count: int = 0
    notes: list[tuple[int, str]] = field(default_factory=list)  # line, what the import did with it
    totals: tuple[int, int] | None = None  # 社員総会: (all members, all voting rights)


ATTENDEE_LABELS = {column.key: column.header for column in ATTENDEE_SPEC.columns}

def _check_attendee(meeting: Meeting, row: ImportRow, members: dict[str, Member], problems: ProblemList,
                    seen: dict[str, int], notes: list[tuple[int, str]]) -> None:
    """The meeting's rules over one cleaned row; leaves the participant's values in row.values["clean"]."""
    values, line = row.values, row.line
    before = len(problems.items)
    name, role, attendance = values.get("name") or "", values.get("role") or "", values.get("attendance") or ""
    if role and role not in rules.ROLES:
        problems.add("{choices} のいずれかです", "役職", line, choices="、".join(rules.ROLES))
    if attendance and attendance not in rules.ATTENDANCE:
        problems.add("{choices} のいずれかです", "出欠", line, choices="、".join(rules.ATTENDANCE))
    member = None
    if values.get("member_number"):
        member = members.get(values["member_number"])
        if member is None:
            problems.add("会員番号 {number} は登録されていません", "会員番号", line, number=values["member_number"])
    votes = 1 if values.get("votes") is None else values["votes"]
    if meeting.kind == "理事会" and votes != 1:
        problems.add("理事会の議決権は1人1個です", "議決権数", line)
    arrival, departure = values.get("arrival"), values.get("departure")
    if arrival and departure and departure <= arrival:
        problems.add("退室が入室より前です", "退室", line)
    if values.get("proxy_to") and attendance != "委任状":
        problems.add("委任先は出欠が委任状の行だけに入力します", "委任先", line)
    if name and name in seen:
        problems.add("{name} が{other}行目と重複しています", "氏名", line, name=name, other=seen[name])
    seen.setdefault(name, line)
    if len(problems.items) > before or not (name and role and attendance):
        return
    note = ""
    if meeting.kind == "理事会" and attendance in ("委任状", "書面表決"):
        note = t("{attendance}（理事会では無効: 欠席として記録）", attendance=attendance)
        notes.append((line, t("{name}: 理事会では{attendance}は出席にも議決にも数えません。欠席として記録しました",
                              name=name, attendance=attendance)))
        attendance = "欠席"
    if meeting.kind == "社員総会" and role == "社員" and member is not None and not member.membership_type.voting:
        note = t("{type}（議決権なし）", type=member.membership_type.name)
        notes.append((line, t("{name}: {type}は社員ではないため議決権0として記録しました", name=name,
                              type=member.membership_type.name)))
        votes = 0
    values["clean"] = {"name": name, "role": role, "title": values.get("title") or (member.name if member else ""),
                       "member_id": member.id if member else None, "attendance": attendance,
                       "contact_id": next((c.id for c in member.contacts if c.name.replace(" ", "") ==
                                           name.replace(" ", "")), None) if member else None,
                       "proxy_to": values.get("proxy_to") or "", "votes": votes, "arrival": arrival,
                       "departure": departure, "note": note}
    check_row(Participant, values["clean"], problems, line, ATTENDEE_LABELS)
    if len(problems.items) > before:
        del values["clean"]


def import_attendees(session: Session, meeting_id: int, path: Path) -> AttendeeImport:
    """The whole list of participants from CSV/XLSX, replacing the current one: every row or none."""
    meeting = get_meeting(session, meeting_id)
    table = read_table(path)
    keys = ATTENDEE_SPEC.keys_for(table.headers)
    numbers = {code_text(cells[keys.index("member_number")]) for cells in table.rows
               if cells[keys.index("member_number")] is not None} if "member_number" in keys else set()
    members = {m.number: m for m in session.scalars(select(Member).where(Member.number.in_(numbers)))}
    result, seen = AttendeeImport(), {}
    rows, problems = clean_rows(table, ATTENDEE_SPEC,
                                lambda row, found: _check_attendee(meeting, row, members, found, seen, result.notes))
    problems.raise_if_any(REFUSED, file=path.name)
    clean = [row.values["clean"] for row in rows]
    meeting.participants = [Participant(position=position, **values) for position, values in enumerate(clean)]
    if meeting.kind == "社員総会" and meeting.total_votes is None:
        meeting.total_members, meeting.total_votes = registry_totals(session, clean)
    if meeting.kind == "社員総会":
        result.totals = (meeting.total_members or 0, meeting.total_votes or 0)
    session.flush()
    result.count = len(clean)
    audit.record(session, "import", "meeting", meeting.id, f"{path.name}: 出席者 {result.count} 名")
    return result


def registry_totals(session: Session, rows: list[dict] | None = None) -> tuple[int, int]:
    """All members and voting rights for a 社員総会: active members of a voting type, one vote each;
    without any in the registry, the 社員 rows of the attendance list."""
    count = session.scalar(select(func.count()).select_from(Member).join(MembershipType).where(
        Member.status == "active", MembershipType.voting.is_(True))) or 0
    if count:
        return count, count
    voters = [row for row in rows or [] if row["role"] == "社員"]
    return len(voters), sum(row["votes"] for row in voters)


def member_id_for(session: Session, number: str) -> int:
    found = session.scalar(select(Member.id).where(Member.number == number.strip()))
    if found is None:
        raise UserError("会員番号 {number} は登録されていません", number=number)
    return found


def add_participant(session: Session, meeting_id: int, *, name: str, role: str, attendance: str = "出席",
                    title: str = "", member_id: int | None = None, votes: int = 1, arrival: time | None = None,
                    departure: time | None = None, proxy_to: str = "") -> Participant:
    meeting = get_meeting(session, meeting_id)
    problems = ProblemList()
    if not name.strip():
        problems.add("入力してください", "氏名")
    if any(p.name == name.strip() for p in meeting.participants):
        problems.add("{name} は既に登録されています", "氏名", name=name)
    if role not in rules.ROLES:
        problems.add("{choices} のいずれかです", "役職", choices="、".join(rules.ROLES))
    if attendance not in rules.ATTENDANCE:
        problems.add("{choices} のいずれかです", "出欠", choices="、".join(rules.ATTENDANCE))
    problems.raise_if_any("出席者を追加できません")
    note = ""
    if meeting.kind == "理事会" and attendance in ("委任状", "書面表決"):
        note, attendance = t("{attendance}（理事会では無効: 欠席として記録）", attendance=attendance), "欠席"
    participant = Participant(name=name.strip(), role=role, attendance=attendance, title=title, member_id=member_id,
                              votes=votes, arrival=arrival, departure=departure, proxy_to=proxy_to, note=note,
                              position=len(meeting.participants))
    meeting.participants.append(participant)
    session.flush()
    return participant


def set_attendance(session: Session, meeting_id: int, changes: dict[int, str]) -> int:
    """Bulk attendance (the ticks of the window): participant id → 出欠. 委任状 at a 理事会 is 欠席."""
    meeting = get_meeting(session, meeting_id)
    by_id = {p.id: p for p in meeting.participants}
    for participant_id, attendance in changes.items():
        if attendance not in rules.ATTENDANCE or participant_id not in by_id:
            raise UserError("出欠は {choices} のいずれかです", choices="、".join(rules.ATTENDANCE))
        participant = by_id[participant_id]
        if meeting.kind == "理事会" and attendance in ("委任状", "書面表決"):
            participant.note = t("{attendance}（理事会では無効: 欠席として記録）", attendance=attendance)
            attendance = "欠席"
        participant.attendance = attendance
    session.flush()
    return len(changes)


def remove_participant(session: Session, participant_id: int) -> None:
    participant = session.get(Participant, participant_id)
    if participant is not None:
        participant.meeting.participants.remove(participant)
        session.flush()


# --- agenda items --------------------------------------------------------------------------------------------

def attendees_of(meeting: Meeting) -> list[rules.Attendee]:
    return [rules.Attendee(p.name, p.role, p.attendance, p.votes, p.arrival, p.departure)
            for p in meeting.participants]


def totals_of(meeting: Meeting) -> tuple[int, int]:
    """(all members, all voting rights) of a 社員総会."""
    voters = [p for p in meeting.participants if p.role == "社員"]
    members = meeting.total_members if meeting.total_members is not None else len(voters)
    votes = meeting.total_votes if meeting.total_votes is not None else sum(p.votes for p in voters)
    return members, votes


def tally(session: Session, meeting: Meeting, *, at: time | None, votes: rules.Votes, special: bool = False,
          interested: tuple[str, ...] = ()) -> rules.Tally | None:
    """Quorum and majority of one resolution at a 理事会 or 社員総会 (None for other meetings)."""
    if meeting.without_meeting:
        return None
    if meeting.kind == "理事会":
        return rules.board_tally(attendees_of(meeting), at, votes, interested)
    if meeting.kind == "社員総会":
        members, total = totals_of(meeting)
        return rules.assembly_tally(attendees_of(meeting), at, votes, total, members, special, assembly_rules(session))
    return None


def meeting_quorum(session: Session, meeting: Meeting) -> rules.Tally | None:
    return tally(session, meeting, at=meeting.start_time, votes=rules.Votes())


def item_tally(session: Session, meeting: Meeting, item: AgendaItem) -> rules.Tally | None:
    if item.kind != "決議":
        return None
    return tally(session, meeting, at=item.at, special=item.special, interested=item.interested_names,
                 votes=rules.Votes(item.votes_for, item.votes_against, item.votes_abstain, item.members_for))


def save_item(session: Session, meeting_id: int, *, title: str, kind: str, result: str = "",
              votes_for: int | None = None, votes_against: int = 0, votes_abstain: int = 0,
              interested: tuple[str, ...] = (), special: bool = False, at: time | None = None, summary: str = "",
              members_for: int | None = None, item_id: int | None = None) -> AgendaItem:
    """Add (or, with item_id, change) an agenda item. A resolution recorded as 可決/承認 without its quorum or
    majority is refused with the numbers."""
    meeting = get_meeting(session, meeting_id)
    problems = ProblemList()
    if not title.strip():
        problems.add("入力してください", "議題")
    if kind not in rules.ITEM_KINDS:
        problems.add("決議 か 報告 です", "種類")
    result = result or ("報告" if kind == "報告" else "")
    if result and result not in rules.RESULTS:
        problems.add("{choices} のいずれかです", "結果", choices="、".join(rules.RESULTS))
    if kind == "報告" and result != "報告":
        problems.add("報告事項の結果は「報告」です", "結果")
    if kind == "決議" and result == "報告":
        problems.add("決議事項の結果は 可決・否決・承認・継続審議 のいずれかです", "結果")
    if special and meeting.kind != "社員総会":
        problems.add("特別決議は社員総会の決議だけです", "特別決議")
    directors = {p.name for p in meeting.participants if p.role in rules.DIRECTOR_ROLES}
    for name in interested:
        if meeting.kind != "理事会":
            problems.add("特別の利害関係を有する理事は理事会の決議にだけ記録します", "特別利害関係")
            break
        if name not in directors:
            problems.add("{name} は出席者名簿の理事にいません", "特別利害関係", name=name)
    for label, value in (("賛成", votes_for), ("反対", votes_against), ("棄権", votes_abstain),
                         ("賛成社員数", members_for)):
        if value is not None and value < 0:
            problems.add("0以上の整数で入力してください", label)
    problems.raise_if_any("議題を記録できません")
    votes = rules.Votes(votes_for, votes_against, votes_abstain, members_for)
    result_tally = tally(session, meeting, at=at, votes=votes, special=special, interested=tuple(interested)) \
        if kind == "決議" else None
    if result_tally is not None and result in rules.PASSING and not result_tally.passes:
        raise UserError("「{title}」は{result}とできません: {quorum}／{majority}", title=title.strip(), result=result,
                        quorum=result_tally.quorum_text, majority=result_tally.majority_text)
    item = session.get(AgendaItem, item_id) if item_id else None
    if item is None:
        number = 1 + sum(1 for other in meeting.items if other.kind == kind)
        item = AgendaItem(number=number, kind=kind)
        meeting.items.append(item)
    elif item.kind != kind:
        item.kind, item.number = kind, 1 + sum(1 for other in meeting.items if other.kind == kind)
    item.title, item.summary, item.result, item.special, item.at = title.strip(), summary.strip(), result, special, at
    item.votes_for, item.votes_against, item.votes_abstain = votes_for, votes_against, votes_abstain
    item.members_for, item.interested = members_for, "、".join(interested)
    session.flush()
    audit.record(session, "save", "meeting", meeting.id, f"{rules.item_label(item.kind, item.number)} {item.title}"
                 f" {result}")
    return item


def delete_item(session: Session, item_id: int) -> None:
    item = session.get(AgendaItem, item_id)
    if item is None:
        return
    meeting = item.meeting
    meeting.items.remove(item)
    for number, other in enumerate((o for o in meeting.items if o.kind == item.kind), start=1):
        other.number = number
    session.flush()


def record_consent(session: Session, meeting_id: int, *, name: str, role: str, on: date | None,
                   objection: bool = False) -> MeetingConsent:
    """法96条/58条: a consent (理事・社員) or a 監事's statement (objection or none), with its date."""
    meeting = get_meeting(session, meeting_id)
    if not meeting.without_meeting:
        raise UserError("「{title}」は決議の省略（みなし決議）ではありません", title=meeting.title)
    if role not in rules.ROLES:
        raise UserError("役職「{role}」は一覧にありません: {known}", role=role, known=rules.ROLES)
    consent = next((c for c in meeting.consents if c.name == name), None)
    if consent is None:
        consent = MeetingConsent(name=name, role=role)
        meeting.consents.append(consent)
    consent.consented_on, consent.objection, consent.role = on, objection, role
    meeting.auditor_objection = any(c.objection for c in meeting.consents if c.role == "監事")
    session.flush()
    return consent


# --- the check -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ItemCheck:
    label: str
    title: str
    result: str
    tally: rules.Tally | None


@dataclass(frozen=True)
class CheckResult:
    missing: list[str]
    quorum: rules.Tally | None
    items: list[ItemCheck]

    @property
    def ok(self) -> bool:
        return not self.missing and (self.quorum is None or self.quorum.quorum_ok)

    @property
    def problems(self) -> list:
        from tama_desk.errors import Problem

        return [Problem(text) for text in self.missing]


def minutes_record(session: Session, meeting: Meeting) -> rules.MinutesRecord:
    items = [rules.ItemRecord(i.number, i.kind, i.title, i.summary, i.result, item_tally(session, meeting, i),
                              i.interested_names) for i in meeting.items]
    return rules.MinutesRecord(
        kind=meeting.kind, day=meeting.day, start=meeting.start_time, place=meeting.place, online=meeting.online,
        chair=meeting.chair, recorder=meeting.recorder, attendees=attendees_of(meeting), items=items,
        calling_case=meeting.calling_case, called_by=meeting.called_by, without_meeting=meeting.without_meeting,
        deemed_date=meeting.deemed_date, proposer=meeting.proposer,
        consents=[(c.name, c.role, c.consented_on) for c in meeting.consents if not c.objection],
        auditor_objection=meeting.auditor_objection, quorum=meeting_quorum(session, meeting))


def check(session: Session, meeting_id: int) -> CheckResult:
    meeting = get_meeting(session, meeting_id)
    record = minutes_record(session, meeting)
    missing = rules.check_minutes(record)
    if meeting.kind == "社員総会" and not meeting.without_meeting:
        wanted = get_settings(session).assembly_signer_count
        named = [name for name in meeting.minute_signers.split("、") if name.strip()]
        if len(named) < wanted:
            missing.append(t("議事録署名人（定款: {count}名、記入 {named}名）", count=wanted, named=len(named)))
    items = [ItemCheck(rules.item_label(i.kind, i.number), i.title, i.result, item.tally)
             for i, item in zip(meeting.items, record.items, strict=True) if i.kind == "決議"]
    return CheckResult(missing, record.quorum, items)


# --- what the documents print --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MinutesItem:
    label: str
    kind: str
    title: str
    summary: str
    result_text: str
    interested_text: str


@dataclass(frozen=True)
class Signer:
    role: str
    name: str


@dataclass(frozen=True)
class MinutesDoc:
    association: str
    kind: str
    title: str
    day: date
    start: time | None
    end: time | None
    place: str
    online: str
    remote: list[str]
    calling_text: str
    counts: list[str]  # 理事総数 9名中 出席 6名 …
    present_lines: list[tuple[str, str]]  # (出席理事, 名前、名前 …)
    chair: str
    chair_text: str
    recorder: str
    quorum_text: str
    items: list[MinutesItem]
    statements: str
    closing: str
    signers: list[Signer]
    retention_until: date | None
    status: str
    missing: list[str]
    without_meeting: bool = False
    without_meeting_lines: list[str] = field(default_factory=list)
    amendments: list[tuple[date, str, str, str, str]] = field(default_factory=list)


def _names(people: list[Participant]) -> str:
    return "、".join(p.name for p in people) or "なし"


def _result_text(meeting: Meeting, item: AgendaItem, item_tally: rules.Tally | None) -> str:
    if item.kind == "報告":
        return "" if item.summary.strip() else "以上のとおり報告があった。"
    if item.result == "継続審議":
        return "審議の結果、継続審議とすることとした。"
    if meeting.without_meeting:
        return f"本議案について提案どおり{item.result}されたものとみなされた。"
    unit = "個" if meeting.kind == "社員総会" else "名"
    verb = {"可決": "原案どおり可決した", "承認": "原案どおり承認した", "否決": "否決した"}.get(item.result, item.result)
    if item_tally is None:
        return f"議長がその賛否を諮ったところ、{verb}。"
    if item.votes_for is None and item.result in rules.PASSING:
        who = "出席者（委任状・書面表決を含む）" if meeting.kind == "社員総会" else "出席理事"
        return f"議長がその賛否を諮ったところ、{who}全員異議なく、{verb}。"
    special = "（特別決議）" if item.special else ""
    return (f"議長がその賛否を諮ったところ、賛成 {item_tally.for_}{unit}、反対 {item_tally.against}{unit}、"
            f"棄権 {item_tally.abstain}{unit}{special}により、{verb}。")


def _signers(meeting: Meeting, settings: MeetingSettings) -> tuple[str, list[Signer]]:
    present = [p for p in meeting.participants if p.attendance in rules.PRESENT]
    if meeting.without_meeting:
        return ("以上のとおり、一般社団法人及び一般財団法人に関する法律第{law}条第1項の規定により、{what}が"
                "あったものとみなされたので、これを証するため、この議事録を作成する。"
                .format(law=96 if meeting.kind == "理事会" else 58,
                        what="理事会の決議" if meeting.kind == "理事会" else "社員総会の決議"),
                [Signer("議事録作成者", meeting.recorder)])
    if meeting.kind == "理事会":
        auditors = [Signer("監事", p.name) for p in present if p.role == "監事"]
        if settings.board_signers == "representative":
            reps = [Signer("代表理事", p.name) for p in present if p.role == "代表理事"]
            return "以上の決議を明確にするため、代表理事及び出席監事は次に記名押印する。", reps + auditors
        directors = [p for p in present if p.role in rules.DIRECTOR_ROLES]
        chair = [Signer(f"議長 {p.role}", p.name) for p in directors if p.name == meeting.chair]
        others = [Signer(p.role, p.name) for p in directors if p.name != meeting.chair]
        return "以上の決議を明確にするため、議長及び出席理事・監事は次に記名押印する。", chair + others + auditors
    if meeting.kind == "社員総会":
        named = [name.strip() for name in meeting.minute_signers.split("、") if name.strip()]
        return ("以上の決議を明確にするため、議長及び議事録署名人は次に記名押印する。",
                [Signer("議長", meeting.chair)] + [Signer("議事録署名人", name) for name in named])
    return "", [Signer("議事録作成者", meeting.recorder)] if meeting.recorder else []


def minutes_doc(session: Session, meeting_id: int) -> MinutesDoc:
    """The 議事録 to print; approved minutes that no longer match the hash recorded when they were confirmed are
    refused (audit.TamperedDocumentError), like an issued invoice."""
    if get_meeting(session, meeting_id).status == CONFIRMED:
        audit.refuse_tampered(session, minutes=[meeting_id])
    return minutes_content(session, meeting_id)


def minutes_content(session: Session, meeting_id: int) -> MinutesDoc:
    """What the minutes say, unchecked (what audit hashes when they are confirmed)."""
    meeting = get_meeting(session, meeting_id)
    settings = get_settings(session)
    result = check(session, meeting_id)
    people = meeting.participants
    present = [p for p in people if p.attendance in rules.PRESENT]
    directors = [p for p in people if p.role in rules.DIRECTOR_ROLES]
    auditors = [p for p in people if p.role == "監事"]
    counts, lines = [], []
    if meeting.kind == "社員総会":
        members, total_votes = totals_of(meeting)
        voters = [p for p in people if p.role == "社員" and p.votes]
        in_room = [p for p in voters if p.attendance in rules.PRESENT]
        proxies = [p for p in voters if p.attendance == "委任状"]
        written = [p for p in voters if p.attendance == "書面表決"]
        counts += [f"総社員数 {members}名　総社員の議決権の数 {total_votes}個",
                   f"出席社員数 {len(in_room) + len(proxies) + len(written)}名（本人出席 {len(in_room)}名、"
                   f"委任状 {len(proxies)}名、書面表決 {len(written)}名）",
                   f"出席社員の議決権の数 {rules.assembly_present(attendees_of(meeting), meeting.start_time)}個"]
        lines.append(("出席理事", _names([p for p in directors if p in present])))
        lines.append(("出席監事", _names([p for p in auditors if p in present])))
    elif meeting.kind == "理事会":
        counts += [f"理事総数 {len(directors)}名中 出席 {sum(p in present for p in directors)}名",
                   f"監事総数 {len(auditors)}名中 出席 {sum(p in present for p in auditors)}名"]
        lines.append(("出席理事", _names([p for p in directors if p in present])))
        lines.append(("出席監事", _names([p for p in auditors if p in present])))
        late = [p for p in directors if p in present and (p.arrival or p.departure)]
        if late:
            lines.append(("途中入退室", "、".join(
                f"{p.name}（{'入室 ' + p.arrival.strftime('%H:%M') if p.arrival else ''}"
                f"{'　' if p.arrival and p.departure else ''}"
                f"{'退室 ' + p.departure.strftime('%H:%M') if p.departure else ''}）" for p in late)))
    else:
        lines.append(("出席者", _names(present)))
    others = [p for p in present if p.role in ("会計監査人",)]
    if others:
        lines.append(("出席会計監査人", _names(others)))
    guests = [p for p in present if p.role in ("職員", "来賓", "海外カウンターパート", "コーディネーター")]
    if guests and meeting.kind in rules.STATUTORY:
        lines.append(("陪席", _names(guests)))
    items = []
    for item, check_item in zip(meeting.items, minutes_record(session, meeting).items, strict=True):
        interested = "、".join(item.interested_names)
        items.append(MinutesItem(
            rules.item_label(item.kind, item.number), item.kind, item.title, item.summary,
            _result_text(meeting, item, check_item.tally),
            f"なお、理事 {interested} は本議案について特別の利害関係を有するため、議決に加わらなかった。"
            if interested else ""))
    closing, signers = _signers(meeting, settings)
    quorum = result.quorum
    quorum_text = ""
    if quorum is not None:
        quorum_text = ("以上のとおり出席があり、定足数を満たしたので、本会は適法に成立した。" if quorum.quorum_ok
                       else "定足数を満たしていない。")
    chair_text = ""
    if meeting.chair and not meeting.without_meeting:
        chair_text = f"定款の定めにより {meeting.chair} が議長となり、開会を宣し、議事に入った。"
    without_lines = []
    if meeting.without_meeting:
        consents = [c for c in meeting.consents if c.role != "監事" and not c.objection and c.consented_on]
        auditors_ok = [c for c in meeting.consents if c.role == "監事" and not c.objection]
        who = "理事" if meeting.kind == "理事会" else "社員"
        without_lines = [
            f"提案者　{meeting.proposer}",
            f"決議があったものとみなされた日　{_date(meeting.deemed_date)}",
            f"同意の意思表示　{who}全員（{len(consents)}名）が書面又は電磁的記録により同意した。",
            *[f"　{c.name}（{c.role}）{_date(c.consented_on)} 同意" for c in consents],
        ]
        if meeting.kind == "理事会":
            without_lines.append(f"監事 {'、'.join(c.name for c in auditors_ok) or 'なし'} は異議を述べなかった。")
        without_lines.append(f"議事録の作成に係る職務を行った者　{meeting.recorder}")
    calling = ""
    if meeting.calling_case:
        calling = f"招集の事情　{meeting.calling_case}（{meeting.called_by}）"
    return MinutesDoc(
        association=profile.get_profile(session).name, kind=meeting.kind, title=meeting.title, day=meeting.day,
        start=meeting.start_time, end=meeting.end_time, place=meeting.place, online=meeting.online,
        remote=[p.name for p in people if p.attendance == "Web出席"], calling_text=calling, counts=counts,
        present_lines=lines, chair=meeting.chair, chair_text=chair_text, recorder=meeting.recorder, quorum_text=quorum_text, items=items,
        statements=meeting.statements, closing=closing, signers=signers, retention_until=meeting.retention_until,
        status=meeting.status, missing=result.missing, without_meeting=meeting.without_meeting,
        without_meeting_lines=without_lines,
        amendments=[(a.amended_on, a.what, a.before, a.after, a.reason) for a in meeting.amendments])


def _date(value: date | None) -> str:
    from tama_desk.domain.dates import format_date_ja

    return format_date_ja(value) or "（未記入）"


@dataclass(frozen=True)
class AttendanceDoc:
    association: str
    kind: str
    title: str
    day: date
    start: time | None
    place: str
    rows: list[tuple[str, str, str, str]]  # 役職, 氏名, 所属, 出欠


def attendance_doc(session: Session, meeting_id: int) -> AttendanceDoc:
    meeting = get_meeting(session, meeting_id)
    return AttendanceDoc(profile.get_profile(session).name, meeting.kind, meeting.title, meeting.day,
                         meeting.start_time, meeting.place,
                         [(p.role, p.name, p.title, "" if meeting.status == "予定" else p.attendance)
                          for p in meeting.participants])


# --- what the window shows (plain data: the window never holds ORM rows) -----------------------------------

@dataclass(frozen=True)
class ParticipantRow:
    id: int
    name: str
    role: str
    title: str
    attendance: str
    votes: int
    arrival: time | None
    departure: time | None
    note: str


@dataclass(frozen=True)
class ItemRow:
    id: int
    label: str
    kind: str
    title: str
    result: str
    summary: str
    at: time | None
    votes_for: int | None
    votes_against: int
    votes_abstain: int
    special: bool
    interested: str
    quorum_text: str
    majority_text: str
    passes: bool | None


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    kind: str
    title: str
    day: date
    start: time | None
    end: time | None
    place: str
    online: str
    chair: str
    recorder: str
    status: str
    series: str
    country: str
    counterpart_body: str
    participants: list[ParticipantRow]
    items: list[ItemRow]
    quorum_text: str
    quorum_ok: bool
    missing: list[str]
    counts: list[str]
    amendments: int
    version: int = 1  # what the edit dialog was shown (a save over a newer change is refused)


def meeting_detail(session: Session, meeting_id: int) -> MeetingDetail:
    meeting = get_meeting(session, meeting_id)
    result = check(session, meeting_id)
    items = []
    for item in meeting.items:
        found = item_tally(session, meeting, item)
        items.append(ItemRow(item.id, rules.item_label(item.kind, item.number), item.kind, item.title, item.result,
                             item.summary, item.at, item.votes_for, item.votes_against, item.votes_abstain,
                             item.special, item.interested, found.quorum_text if found else "",
                             found.majority_text if found else "", found.passes if found else None))
    quorum = result.quorum
    return MeetingDetail(
        meeting.id, meeting.kind, meeting.title, meeting.day, meeting.start_time, meeting.end_time, meeting.place,
        meeting.online, meeting.chair, meeting.recorder, meeting.status, meeting.series, meeting.country,
        meeting.counterpart_body,
        [ParticipantRow(p.id, p.name, p.role, p.title, p.attendance, p.votes, p.arrival, p.departure, p.note)
         for p in meeting.participants], items, quorum.quorum_text if quorum else "",
        quorum.quorum_ok if quorum else True, result.missing, minutes_doc(session, meeting_id).counts,
        len(meeting.amendments), meeting.version)


def preview_tally(session: Session, meeting_id: int, **values) -> rules.Tally | None:
    """The quorum and majority an item being typed would have (nothing is saved)."""
    meeting = get_meeting(session, meeting_id)
    return tally(session, meeting, at=values.get("at"), special=values.get("special", False),
                 interested=tuple(values.get("interested", ())),
                 votes=rules.Votes(values.get("votes_for"), values.get("votes_against", 0),
                                   values.get("votes_abstain", 0), values.get("members_for")))
