"""Reminders (お支払いのお願い / 督促状): the review before printing and the record of what was sent.

Level 1 is お支払いのお願い, level 2 督促状; an invoice's next letter is one level above the last one sent, so
the level rises by itself. A 督促状 says 「先にお支払いのお願いをお送りいたしましたが」 only when the record
shows one was sent (printing.dunning_snapshot gets its date).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


def overdue(session: Session, as_of: date) -> list[ReviewRow]:
    """Every invoice at least a day past due with something open as of `as_of`, oldest due first (the aging
    order), with its last reminder and the level of the next one: the review list before any filter."""
    rows = [row for row in payments.aging(session, as_of) if row.days_past_due >= 1]
    latest = last_reminders(session, [row.invoice_id for row in rows])
    result = []
    for row in rows:
        last = latest.get(row.invoice_id)
        result.append(ReviewRow(row.invoice_id, row.number, row.member_number, row.name, row.open,
                                row.days_past_due, last.sent_on if last else None, last.level if last else None,
                                min(2, last.level + 1) if last else 1))
    return result


def select_rows(rows: Iterable[ReviewRow], min_amount: int = MIN_AMOUNT, min_days: int = MIN_DAYS,
                left_out: Iterable[int | str] = ()) -> list[ReviewRow]:
    """The rows a reminder goes to: at least `min_amount` yen open, at least `min_days` (never under 1) past
    due, and not left out by the user (`left_out`: invoice ids, or invoice numbers as the CLI's --exclude)."""
    skipped = {item.strip() if isinstance(item, str) else item for item in left_out}
    return [row for row in rows if row.days_past_due >= max(1, min_days) and row.open >= min_amount
            and row.invoice_id not in skipped and row.number not in skipped]


def review(session: Session, as_of: date, min_amount: int = MIN_AMOUNT, min_days: int = MIN_DAYS,
           exclude: Iterable[str] = ()) -> list[ReviewRow]:
    """The invoices a reminder would go to as of `as_of` (overdue, then select_rows)."""
    return select_rows(overdue(session, as_of), min_amount, min_days, [number for number in exclude if number.strip()])


def send(session: Session, rows: list[ReviewRow], as_of: date, new_due_date: date,
         write: Callable[[list[tuple]], object], strong: bool = False) -> tuple[list[tuple], object]:
    """The letter of each row (督促状 when `strong` or when a お支払いのお願い was sent before, else お支払いのお願い)
    dated `as_of` with the new deadline; `write(documents)` prints or saves them, then each is recorded as sent
    (in the caller's transaction: a failed write records nothing). Returns (documents, what write returned)."""
    from tama_desk.services import printing

    documents = [(printing.dunning_snapshot(session, row.invoice_id, as_of, new_due_date,
                                            strong or row.next_level == 2, row.last_sent_on), None) for row in rows]
    result = write(documents) if documents else None
    for row, (snapshot, _reason) in zip(rows, documents, strict=True):
        record(session, row.invoice_id, as_of, 2 if snapshot.subject == "督促状" else 1, row.open)
    return documents, result


def record(session: Session, invoice_id: int, sent_on: date, level: int, amount: int) -> ReminderSent:
    """Remember that a reminder of `level` asking for `amount` yen was sent on `sent_on`."""
    row = ReminderSent(invoice_id=invoice_id, sent_on=sent_on, level=level, amount=amount)
    session.add(row)
    session.flush()
    audit.record(session, "remind", "invoice", invoice_id, f"{LEVELS[level]} {sent_on:%Y-%m-%d} {amount:,}円")
    return row
