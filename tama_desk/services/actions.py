"""One list of things to do: action items from meetings, follow-ups of business-matching pairings, and
whatever other areas add through `SOURCES` (e.g. contract deliverables).

Another area plugs in with one line here, its function named by import path (loaded when the list is made, so
nothing has to be imported first)::

    SOURCES = [..., "tama_desk.services.contracts:open_deliverables"]   # (session) -> Iterable[ActionRow]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tama_desk.db.models import Member
from tama_desk.db.models_meetings import ActionItem, FollowUp, Meeting, Pairing
from tama_desk.domain import meetings as rules
from tama_desk.errors import ProblemList, UserError
from tama_desk.services import audit


@dataclass(frozen=True)
class ActionRow:
    due: date | None
    owner: str
    what: str
    source: str  # where it came from, as people say it: 理事会 2026-05-20 第2号議案 …
    status: str = "未着手"
    kind: str = "action"  # action | follow_up | another area's key
    id: int = 0
    meeting_id: int | None = None

    def overdue(self, as_of: date) -> bool:
        return self.status != "完了" and self.due is not None and self.due < as_of


ActionSource = Callable[[Session], Iterable[ActionRow]]


def _meeting_source(meeting: Meeting | None) -> str:
    return _source_text(meeting.kind, meeting.day, meeting.title) if meeting else ""


def _source_text(kind: str, day: date, title: str) -> str:
    return f"{kind} {day:%Y-%m-%d} {title}"


def meeting_actions(session: Session) -> Iterable[ActionRow]:
    query = select(ActionItem).where(ActionItem.status != "完了").options(  # not a query per action
        joinedload(ActionItem.meeting), joinedload(ActionItem.item))
    for action in session.scalars(query):
        source = _meeting_source(action.meeting)
        if action.item is not None:
            source += f" {rules.item_label(action.item.kind, action.item.number)}"
        yield ActionRow(action.due, action.owner, action.what, source.strip(), action.status, "action", action.id,
                        action.meeting_id)


def follow_up_actions(session: Session) -> Iterable[ActionRow]:
    """The next open follow-up of each pairing (the later ones wait their turn). Read as columns: at ten-year
    scale there are thousands of open follow-ups, and loading each with its pairing, member and meeting as
    objects took 0.2 s, paid by every save in the 会議 area that refreshes its list."""
    query = (select(FollowUp.id, FollowUp.pairing_id, FollowUp.due, FollowUp.owner, Pairing.counterpart,
                    Pairing.outcome, Pairing.meeting_id, Member.name, Meeting.kind, Meeting.day, Meeting.title)
             .join(Pairing, FollowUp.pairing_id == Pairing.id).join(Member, Pairing.member_id == Member.id)
             .join(Meeting, Pairing.meeting_id == Meeting.id).where(FollowUp.done_on.is_(None))
             .order_by(FollowUp.pairing_id, FollowUp.due))
    seen: set[int] = set()
    for (follow_up_id, pairing_id, due, owner, counterpart, outcome, meeting_id, member_name, kind, day,
         title) in session.execute(query):
        if pairing_id in seen:
            continue
        seen.add(pairing_id)
        what = f"フォローアップ: {member_name} × {counterpart}"
        if outcome:
            what += f"（{outcome}）"
        yield ActionRow(due, owner, what, _source_text(kind, day, title), "未着手", "follow_up", follow_up_id,
                        meeting_id)


SOURCES: list[str | ActionSource] = [  # one line per area that has things to do
    "tama_desk.services.actions:meeting_actions",
    "tama_desk.services.actions:follow_up_actions",
]


def _source(entry: str | ActionSource) -> ActionSource:
    if isinstance(entry, str):
        from tama_desk.areas import load

        return load(entry)
    return entry


def list_actions(session: Session, as_of: date | None = None, overdue_only: bool = False,
                 extra_sources: Iterable[ActionSource] = ()) -> list[ActionRow]:
    """Open items of every source, overdue first, then by due date (undated last)."""
    as_of = as_of or date.today()
    rows = [row for source in (*SOURCES, *extra_sources) for row in _source(source)(session)]
    if overdue_only:
        rows = [row for row in rows if row.overdue(as_of)]
    return sorted(rows, key=lambda r: (not r.overdue(as_of), r.due is None, r.due or date.max, r.owner, r.what))


def overdue(session: Session, as_of: date | None = None) -> list[ActionRow]:
    """For the dashboard."""
    return list_actions(session, as_of, overdue_only=True)


def add_action(session: Session, *, owner: str, what: str, due: date | None = None, meeting_id: int | None = None,
               item_id: int | None = None, notes: str = "") -> ActionItem:
    problems = ProblemList()
    if not owner.strip():
        problems.add("入力してください", "担当")
    if not what.strip():
        problems.add("入力してください", "内容")
    problems.raise_if_any("アクションを登録できません")
    if item_id is not None and meeting_id is None:
        from tama_desk.db.models_meetings import AgendaItem

        item = session.get(AgendaItem, item_id)
        meeting_id = item.meeting_id if item else None
    action = ActionItem(owner=owner.strip(), what=what.strip(), due=due, meeting_id=meeting_id, item_id=item_id,
                        notes=notes, status="未着手")
    session.add(action)
    session.flush()
    audit.record(session, "create", "action_item", action.id, f"{owner} {what}")
    return action


def set_action_status(session: Session, action_id: int, status: str, today: date | None = None) -> ActionItem:
    action = session.get(ActionItem, action_id)
    if action is None:
        raise UserError("アクション（id {id}）が見つかりません", id=action_id)
    if status not in rules.ACTION_STATUSES:
        raise UserError("状態は {choices} のいずれかです", choices="、".join(rules.ACTION_STATUSES))
    action.status = status
    action.done_on = (today or date.today()) if status == "完了" else None
    session.flush()
    audit.record(session, "update", "action_item", action.id, status)
    return action


def actions_of(session: Session, meeting_id: int) -> list[ActionItem]:
    return list(session.scalars(select(ActionItem).where(ActionItem.meeting_id == meeting_id)
                                .order_by(ActionItem.due, ActionItem.id)))


def carry_over(session: Session, meeting_id: int) -> list[ActionRow]:
    """Open action items of earlier meetings of the same kind: what the next meeting's agenda is offered."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        return []
    earlier = select(Meeting.id).where(Meeting.kind == meeting.kind, Meeting.day < meeting.day)
    query = select(ActionItem).where(ActionItem.status != "完了", ActionItem.meeting_id.in_(earlier))
    return [ActionRow(a.due, a.owner, a.what, _meeting_source(a.meeting), a.status, "action", a.id, a.meeting_id)
            for a in session.scalars(query.order_by(ActionItem.due, ActionItem.id))]


def carry_to_agenda(session: Session, meeting_id: int, action_ids: list[int]) -> int:
    """Put open action items on a meeting's agenda as 報告事項 (the item remembers where it went)."""
    from tama_desk.services.meetings import save_item

    count = 0
    for action_id in action_ids:
        action = session.get(ActionItem, action_id)
        if action is None or action.status == "完了":
            continue
        save_item(session, meeting_id, title=f"{action.what}（{action.owner}）", kind="報告",
                  summary=f"前回からの継続事項（期限 {action.due or '未定'}）")
        action.carried_to_id = meeting_id
        count += 1
    session.flush()
    return count


def dashboard_cards(session: Session, today: date) -> list:
    """期限切れのアクション (with the oldest due date), for the dashboard."""
    from tama_desk.areas import Card
    from tama_desk.i18n import t

    late = overdue(session, today)
    return [Card(t("期限切れ"), f"{len(late):,}", t("アクション"), "meetings")]  # narrow: five cards fit a row
