"""Reminders (お支払いのお願い / 督促状): the review before printing and the record of what was sent.

Level 1 is お支払いのお願い, level 2 督促状; an invoice's next letter is one level above the last one sent, so
the level rises by itself. A 督促状 says 「先にお支払いのお願いをお送りいたしましたが」 only when the record
shows one was sent (printing.dunning_snapshot gets its date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tama_desk.db.models_feedocs import ReminderSent
from tama_desk.services import audit, payments

LEVELS = {1: "お支払いのお願い", 2: "督促状"}
MIN_AMOUNT = 1000  # yen: smaller balances are not dunned unless the user lowers it
MIN_DAYS = 1  # days past the due date


@dataclass(frozen=True)
class ReviewRow:
    """One overdue invoice in the review list: who, how much, how late, the last reminder, the next level."""

    invoice_id: int
    number: str
    member_number: str
    name: str
    open: int
    days_past_due: int
    last_sent_on: date | None
    last_level: int | None
    next_level: int

    @property
    def next_label(self) -> str:
        return LEVELS[self.next_level]


def last_reminders(session: Session, invoice_ids: Iterable[int]) -> dict[int, ReminderSent]:
    """The latest reminder sent for each invoice that has one."""
    latest: dict[int, ReminderSent] = {}
    query = (select(ReminderSent).where(ReminderSent.invoice_id.in_(list(invoice_ids)))
             .order_by(ReminderSent.sent_on, ReminderSent.id))
    for row in session.scalars(query):
        latest[row.invoice_id] = row
    return latest


def review(session: Session, as_of: date, min_amount: int = MIN_AMOUNT, min_days: int = MIN_DAYS,
           exclude: Iterable[str] = ()) -> list[ReviewRow]:
    """The invoices a reminder would go to as of `as_of`: open at least `min_amount` yen, at least `min_days`
    past due, not in `exclude` (invoice numbers the user left out); latest due first is not implied — the
    order is the aging order (oldest due first)."""
    left_out = {number.strip() for number in exclude if number.strip()}
    rows = [row for row in payments.aging(session, as_of)
            if row.days_past_due >= max(1, min_days) and row.open >= min_amount and row.number not in left_out]
    latest = last_reminders(session, [row.invoice_id for row in rows])
    result = []
    for row in rows:
        last = latest.get(row.invoice_id)
        result.append(ReviewRow(row.invoice_id, row.number, row.member_number, row.name, row.open,
                                row.days_past_due, last.sent_on if last else None, last.level if last else None,
                                min(2, last.level + 1) if last else 1))
    return result


def record(session: Session, invoice_id: int, sent_on: date, level: int, amount: int) -> ReminderSent:
    """Remember that a reminder of `level` asking for `amount` yen was sent on `sent_on`."""
    row = ReminderSent(invoice_id=invoice_id, sent_on=sent_on, level=level, amount=amount)
    session.add(row)
    session.flush()
    audit.record(session, "remind", "invoice", invoice_id, f"{LEVELS[level]} {sent_on:%Y-%m-%d} {amount:,}円")
    return row
