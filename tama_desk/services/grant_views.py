"""Plain data the grant screens show (no model objects leave the session)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from tama_desk.db.models import BudgetChange
from tama_desk.services import grants


@dataclass(frozen=True)
class ChangeRow:
    id: int
    change_date: date
    kind: str
    from_category: str
    to_category: str
    amount: int
    reference: str


@dataclass(frozen=True)
class ReallocationView:
    """What the 流用 dialog needs: plans, budgets after the changes so far, the limit and the history."""

    grant_name: str
    planned: dict[str, int]
    budget_after: dict[str, int]
    limit_ratio: Fraction
    changes: list[ChangeRow]


def budget_changes(session: Session, grant_id: int) -> list[ChangeRow]:
    """流用 and 変更承認 of a grant, oldest first."""
    query = select(BudgetChange).where(BudgetChange.grant_id == grant_id).order_by(BudgetChange.change_date,
                                                                                   BudgetChange.id)
    return [ChangeRow(change.id, change.change_date, change.kind, change.from_category, change.to_category,
                      change.amount, change.reference) for change in session.scalars(query)]


def reallocation_view(session: Session, grant_id: int) -> ReallocationView:
    grant = grants.get_grant(session, grant_id)
    planned = {budget.category: budget.planned for budget in grant.budgets}
    net = grants.net_changes(session, grant_id)
    return ReallocationView(grant.name, planned, {category: amount + net.get(category, 0)
                                                  for category, amount in planned.items()},
                            Fraction(grant.reallocation_limit), budget_changes(session, grant_id))
