"""Fee documents: reminders sent (お支払いのお願い / 督促状) and small shortfalls written off (手数料差引)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tama_desk.db import models
from tama_desk.db.models import Audited, Base, Invoice, Payment
from tama_desk.domain.choices import WRITE_OFF_KINDS  # noqa: F401 (re-exported: the kinds of a write-off)

WRITE_OFF_ACCOUNTS = {"transfer_fee": "支払手数料"}  # the accounting category each kind is booked to


class ReminderSent(Audited, Base):
    """One reminder printed for an invoice: its date, level (1 お支払いのお願い, 2 督促状) and the amount asked."""

    __tablename__ = "reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    sent_on: Mapped[date] = mapped_column(Date, index=True)
    level: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)

    invoice: Mapped[Invoice] = relationship()


class WriteOff(Audited, Base):
    """A settlement that is not money received: the rest of an invoice written off (kind `transfer_fee`:
    the member's bank deducted the transfer fee), booked to `account` (支払手数料). Void when its payment is
    reversed. The only record of a write-off: the statement import and `accounting write-off` both write one
    (migration 0011 turned the older payments of method `write_off` into these)."""

    __tablename__ = "write_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), index=True, nullable=True)
    written_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(20), default="transfer_fee")
    account: Mapped[str] = mapped_column(String(40), default="支払手数料")
    note: Mapped[str] = mapped_column(String(500), default="")  # why (e.g. 振込手数料), as the user wrote it

    invoice: Mapped[Invoice] = relationship()
    payment: Mapped[Payment | None] = relationship()


models.check_codes()  # this module's code columns, if it was imported before db.models
