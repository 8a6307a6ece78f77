"""A grant's status moves one step at a time: applied → decided → running → reported → confirmed → settled.

One step forward is always allowed; one step back needs a reason (a 実績報告 returned for correction);
any other move is refused. From 実績報告済 on, the figures are locked: no writer changes them.
"""

from __future__ import annotations

from tama_desk.domain.choices import GRANT_STATUSES
from tama_desk.errors import UserError

ORDER = tuple(GRANT_STATUSES)
LOCKED = ("reported", "confirmed", "settled")


def is_locked(status: str) -> bool:
    return status in LOCKED


def next_statuses(current: str) -> dict[str, bool]:
    """The statuses a grant may move to from `current`, each with whether the move needs a reason."""
    if current not in ORDER:
        return {}
    index = ORDER.index(current)
    moves = {}
    if index + 1 < len(ORDER):
        moves[ORDER[index + 1]] = False
    if index > 0:
        moves[ORDER[index - 1]] = True
    return moves


def check_transition(current: str, new: str, reason: str = "") -> str:
    """"forward" or "back" for an allowed move; UserError naming both statuses otherwise."""
    if new not in ORDER:
        raise UserError("状態が正しくありません: {status}", status=new)
    moves = next_statuses(current)
    if new not in moves:
        raise UserError("「{current}」から「{new}」へは変更できません（1段階ずつ進めるか、理由を付けて1段階戻します）",
                        current=GRANT_STATUSES.get(current, current), new=GRANT_STATUSES[new])
    if moves[new] and not reason.strip():
        raise UserError("「{current}」から「{new}」へ戻す理由を入力してください",
                        current=GRANT_STATUSES[current], new=GRANT_STATUSES[new])
    return "back" if moves[new] else "forward"
