"""The audit log: every issue, cancellation, payment and registry change, append-only."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tama_desk.db.engine import current_user
from tama_desk.db.models import AuditLog


def record(session: Session, action: str, entity: str, entity_id: int | None, summary: str = "") -> None:
    session.add(AuditLog(user=current_user(), action=action, entity=entity, entity_id=entity_id, summary=summary))


def history(session: Session, entity: str, entity_id: int) -> list[AuditLog]:
    query = select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id == entity_id)
    return list(session.scalars(query.order_by(AuditLog.at, AuditLog.id)))
