"""Issued receipts (領収書): numbered per fiscal year, frozen like invoices (the printed content is a JSON
snapshot), one per payment."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tama_desk.db import models
from tama_desk.db.models import Audited, Base, Member, Payment


class Receipt(Audited, Base):
    """A 領収書 as issued: `snapshot` holds what is printed (domain.invoice.DocumentSnapshot as JSON, the issuer
    as the association was on `issue_date`); the columns copy what the office searches and sums by."""

    __tablename__ = "receipt"
    __table_args__ = (UniqueConstraint("fiscal_year", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), unique=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True, nullable=True)
    issue_date: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[int] = mapped_column(BigInteger)  # 領収金額 (what was allocated to invoices)
    deposit: Mapped[int] = mapped_column(BigInteger, default=0)  # 預り金: received beyond the invoices
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    snapshot: Mapped[str] = mapped_column(Text)
    # 取消: the payment was reversed; the receipt is kept, re-rendered with the 取消 stamp, no longer counted
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")

    payment: Mapped[Payment] = relationship()
    member: Mapped[Member | None] = relationship()


models.check_codes()  # this module's code columns, if it was imported before db.models
