"""Tables of the reliability layer: the head of the audit hash chain."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tama_desk.db import models
from tama_desk.db.models import Base


class AuditChainHead(Base):
    """One row (id 1): the last sealed audit entry. Locked while a transaction appends to the chain
    (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers)."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    entry_hash: Mapped[str] = mapped_column(String(64), default="")


models.check_codes()  # this module's code columns, if it was imported before db.models
