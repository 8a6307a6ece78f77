"""Business matching (商談会): pairings of our members with counterpart companies, their outcomes, the
follow-ups (a month later, then quarterly for a year), contracts signed later, and the summary the grant and
contract reports need (per session, per country, per fiscal year)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tama_desk.db.guards import check_row, expect_version
from tama_desk.db.models import Member
from tama_desk.db.models_meetings import FollowUp, Meeting, Pairing
from tama_desk.domain import meetings as rules
from tama_desk.domain.fiscal import fiscal_year_of
from tama_desk.errors import ProblemList, UserError
from tama_desk.exports.meetings_io import PAIR_SPEC, code_text
from tama_desk.exports.tables import read_table
from tama_desk.i18n import t
from tama_desk.services import audit
from tama_desk.services.importing import REFUSED, ImportRow, clean_rows
from tama_desk.services.meetings import get_meeting, get_settings

NO_FOLLOW_UP = ("見送り",)


def _matching(session: Session, meeting_id: int) -> Meeting:
    meeting = get_meeting(session, meeting_id)
    if meeting.kind != "商談会":
        raise UserError("「{title}」は商談会ではありません", title=meeting.title)
    return meeting


def schedule_follow_ups(session: Session, pairing: Pairing, owner: str | None = None) -> list[FollowUp]:
    """Replace the open follow-ups of a pairing by the schedule (none after 見送り); done ones stay."""
    owner = owner if owner is not None else get_settings(session).follow_up_owner
    kept = [f for f in pairing.follow_ups if f.done_on is not None]
    pairing.follow_ups = kept
    if pairing.outcome in NO_FOLLOW_UP:
        return []
    created = [FollowUp(due=due, owner=owner) for due in rules.follow_up_schedule(pairing.meeting.day,
                                                                                  pairing.follow_up_date)]
    pairing.follow_ups.extend(created)
    return created


def _check_pair(meeting: Meeting, row: ImportRow, members: dict[str, Member], problems: ProblemList) -> None:
    """The session's rules over one cleaned row; leaves the pairing's values in row.values["clean"]."""
    values, line = row.values, row.line
    before = len(problems.items)
    member = members.get(values.get("member_number") or "")
    if values.get("member_number") and member is None:
        problems.add("会員番号 {number} は登録されていません", "会員番号", line, number=values["member_number"])
    outcome = values.get("outcome") or ""
    if outcome and outcome not in rules.OUTCOMES:
        problems.add("{choices} のいずれかです", "結果", line, choices="、".join(rules.OUTCOMES))
    follow_up = values.get("follow_up_date")
    if follow_up and follow_up < meeting.day:
        problems.add("フォロー期限が商談会の日より前です", "フォロー期限", line)
    existing = {(p.member_id, p.counterpart) for p in meeting.pairings if p.id != values.get("_pairing_id")}
    if member is not None and (member.id, values.get("counterpart")) in existing:
        problems.add("{member} × {counterpart} は既に登録されています", "相手企業", line, member=member.name,
                     counterpart=values.get("counterpart"))
    if len(problems.items) > before or member is None or not values.get("counterpart"):
        return
    values["clean"] = {"member_id": member.id, "counterpart": values["counterpart"],
                       "country": values.get("country") or meeting.country, "industry": values.get("industry") or "",
                       "slot": values.get("slot"), "interpreter": values.get("interpreter") or "",
                       "outcome": outcome, "amount": values.get("amount") or 0, "notes": values.get("notes") or "",
                       "follow_up_date": follow_up}
    check_row(Pairing, values["clean"], problems, line, {c.key: c.header for c in PAIR_SPEC.columns})
    if len(problems.items) > before:
        del values["clean"]


def _members(session: Session, numbers: set[str]) -> dict[str, Member]:
    return {m.number: m for m in session.scalars(select(Member).where(Member.number.in_(numbers)))}


@dataclass
class PairImport:
    count: int = 0
    follow_ups: int = 0
    clashes: list[tuple[int, str]] = field(default_factory=list)  # line, warning


def import_pairs(session: Session, meeting_id: int, path: Path) -> PairImport:
    """Pairings from CSV/XLSX, added to the session's: every row or none. Each gets its follow-ups."""
    meeting = _matching(session, meeting_id)
    table = read_table(path)
    keys = PAIR_SPEC.keys_for(table.headers)
    members = _members(session, {code_text(cells[keys.index("member_number")]) for cells in table.rows
                                 if cells[keys.index("member_number")] is not None})
    rows, problems = clean_rows(table, PAIR_SPEC, lambda row, found: _check_pair(meeting, row, members, found))
    problems.raise_if_any(REFUSED, file=path.name)
    result = PairImport()
    busy: dict[tuple[int, time], int] = {}
    for row in rows:
        clean = row.values["clean"]
        if clean["slot"] is not None:
            key = (clean["member_id"], clean["slot"])
            if key in busy:
                result.clashes.append((row.line, t("{slot} は{other}行目と同じ会員・同じ時刻です",
                                                   slot=f"{clean['slot']:%H:%M}", other=busy[key])))
            busy.setdefault(key, row.line)
        pairing = Pairing(position=len(meeting.pairings), **clean)
        meeting.pairings.append(pairing)
        result.follow_ups += len(schedule_follow_ups(session, pairing))
    session.flush()
    result.count = len(rows)
    audit.record(session, "import", "meeting", meeting.id, f"{path.name}: 商談 {result.count} 件")
    return result


def save_pairing(session: Session, meeting_id: int, values: dict[str, object],
                 pairing_id: int | None = None, version: int | None = None) -> Pairing:
    """One pairing typed in the grid (the import's columns by key); follow-ups rescheduled when its outcome or
    follow-up date changes."""
    meeting = _matching(session, meeting_id)
    problems = ProblemList()
    row = ImportRow(0, dict(values))
    row.values = PAIR_SPEC.clean(row.raw, problems)
    row.values["_pairing_id"] = pairing_id
    _check_pair(meeting, row, _members(session, {code_text(values.get("member_number") or "")}), problems)
    problems.raise_if_any("商談を記録できません")
    clean = row.values["clean"]
    pairing = session.get(Pairing, pairing_id) if pairing_id else None
    if pairing is not None:
        expect_version(pairing, version)
    if pairing is None:
        pairing = Pairing(position=len(meeting.pairings))
        meeting.pairings.append(pairing)
        reschedule = True
    else:
        reschedule = (pairing.outcome, pairing.follow_up_date) != (clean["outcome"], clean["follow_up_date"])
    for name, value in clean.items():
        setattr(pairing, name, value)
    if reschedule:
        schedule_follow_ups(session, pairing)
    session.flush()
    return pairing


def record_follow_up(session: Session, follow_up_id: int, *, done_on: date, outcome: str = "",
                     notes: str = "") -> FollowUp:
    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise UserError("フォローアップ（id {id}）が見つかりません", id=follow_up_id)
    if outcome and outcome not in rules.OUTCOMES:
        raise UserError("結果は {choices} のいずれかです", choices="、".join(rules.OUTCOMES))
    follow_up.done_on, follow_up.outcome, follow_up.notes = done_on, outcome, notes.strip()
    if outcome:
        follow_up.pairing.outcome = outcome
    session.flush()
    audit.record(session, "save", "matching_pairing", follow_up.pairing_id,
                 f"フォロー {done_on.isoformat()} {outcome} {notes}".strip())
    return follow_up


def record_contract(session: Session, pairing_id: int, *, signed_on: date, amount: int, note: str = "") -> Pairing:
    """A contract signed after the session, recorded against the pairing that led to it (outcome → 成約)."""
    pairing = session.get(Pairing, pairing_id)
    if pairing is None:
        raise UserError("商談（id {id}）が見つかりません", id=pairing_id)
    if amount < 0:
        raise UserError("金額は0以上で入力してください")
    if signed_on < pairing.meeting.day:
        raise UserError("成約日が商談会の日より前です")
    pairing.contract_date, pairing.contract_amount, pairing.contract_note = signed_on, amount, note.strip()
    pairing.outcome = "成約"
    pairing.follow_ups = [f for f in pairing.follow_ups if f.done_on is not None]
    session.flush()
    audit.record(session, "save", "matching_pairing", pairing.id, f"成約 {signed_on.isoformat()} {amount:,}円")
    return pairing


# --- summaries -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    label: str  # the session, the country or the fiscal year
    counts: dict[str, int]  # per outcome, every outcome in order
    member_firms: int
    counterpart_firms: int
    meetings: int
    deals: int  # 成約 (at the session or signed later)
    amount: int  # amounts noted at the session
    contract_amount: int  # contracts signed later

    @property
    def deal_rate(self) -> float:
        return self.deals / self.meetings if self.meetings else 0.0

    @property
    def likely_rate(self) -> float:
        """成約 or likely (見積・サンプル依頼, 自社ブランド販売希望) per meeting held."""
        likely = self.counts["成約"] + self.counts["見積・サンプル依頼"] + self.counts["自社ブランド販売希望"]
        return likely / self.meetings if self.meetings else 0.0


def _summarise(label: str, pairings: list[Pairing]) -> Summary:
    return Summary(label, rules.summary_counts([p.outcome for p in pairings]), len({p.member_id for p in pairings}),
                   len({(p.counterpart, p.country) for p in pairings}), len(pairings),
                   sum(1 for p in pairings if p.outcome == "成約"), sum(p.amount for p in pairings),
                   sum(p.contract_amount for p in pairings))


def session_summary(session: Session, meeting_id: int) -> Summary:
    meeting = _matching(session, meeting_id)
    return _summarise(meeting.title, list(meeting.pairings))


def summaries(session: Session, by: str) -> list[Summary]:
    """Every 商談会's pairings grouped `by` "session", "country" or "fiscal_year"."""
    groups: dict[str, list[Pairing]] = defaultdict(list)
    query = select(Pairing).join(Meeting).order_by(Meeting.day, Pairing.position)
    for pairing in session.scalars(query):
        key = {"session": lambda p: f"{p.meeting.day:%Y-%m-%d} {p.meeting.title}",
               "country": lambda p: p.country or "（国不明）",
               "fiscal_year": lambda p: f"{fiscal_year_of(p.meeting.day)}年度"}[by](pairing)
        groups[key].append(pairing)
    return [_summarise(label, pairings) for label, pairings in groups.items()]


@dataclass(frozen=True)
class PairingRow:
    id: int
    member_number: str
    member_name: str
    counterpart: str
    country: str
    industry: str
    slot: time | None
    interpreter: str
    outcome: str
    amount: int
    notes: str
    follow_up_date: date | None
    next_follow_up: date | None
    next_follow_up_id: int | None
    contract_date: date | None
    contract_amount: int
    version: int = 1


def pairing_rows(session: Session, meeting_id: int) -> list[PairingRow]:
    meeting = _matching(session, meeting_id)
    rows = []
    for p in meeting.pairings:
        open_ones = [f for f in p.follow_ups if f.done_on is None]
        first = min(open_ones, key=lambda f: f.due) if open_ones else None
        rows.append(PairingRow(p.id, p.member.number, p.member.name, p.counterpart, p.country, p.industry, p.slot,
                               p.interpreter, p.outcome, p.amount, p.notes, p.follow_up_date,
                               first.due if first else None, first.id if first else None, p.contract_date,
                               p.contract_amount, p.version))
    return rows


@dataclass(frozen=True)
class MatchingReport:
    association: str
    title: str
    day: date
    place: str
    city: str
    country: str
    counterpart_body: str
    coordinator: str
    pairings: list[PairingRow]
    summary: Summary


def matching_report(session: Session, meeting_id: int) -> MatchingReport:
    from tama_desk.services import profile

    meeting = _matching(session, meeting_id)
    return MatchingReport(profile.get_profile(session).name, meeting.title, meeting.day, meeting.place, meeting.city,
                          meeting.country, meeting.counterpart_body, meeting.coordinator,
                          pairing_rows(session, meeting_id), session_summary(session, meeting_id))
