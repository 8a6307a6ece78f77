"""Reminders: the review list, the record of what was sent, the level that rises by itself (issue 12)."""

from __future__ import annotations

import re
from datetime import date

from tama_desk.db.models_feedocs import ReminderSent
from tama_desk.documents.invoice import render
from tama_desk.services import invoices, payments, printing, reminders
from tests.factories import count, pdf_text
from tests.services.test_printing import billed  # noqa: F401

AS_OF = date(2026, 6, 10)


def test_review_lists_who_how_much_how_late_and_leaves_out_small_recent_and_excluded(billed):  # noqa: F811
    with billed.transaction() as session:
        member_id = invoices.get_invoice(session, billed.ids[3]).member_id
        payments.record_payment(session, member_id, date(2026, 6, 1), 69500)  # 500円 left
        rows = reminders.review(session, AS_OF)
        assert [(row.number, row.open, row.days_past_due, row.last_sent_on, row.next_label) for row in rows] == [
            ("2026-0002", 35000, 10, None, "お支払いのお願い"), ("2026-0003", 70000, 10, None, "お支払いのお願い")]
        assert [row.number for row in reminders.review(session, AS_OF, min_amount=0)] == [
            "2026-0002", "2026-0003", "2026-0004"]
        assert reminders.review(session, AS_OF, min_days=11) == []
        assert [row.number for row in reminders.review(session, AS_OF, exclude=["2026-0002"])] == ["2026-0003"]


def test_the_level_rises_from_the_record_and_the_second_letter_says_a_first_was_sent(billed):  # noqa: F811
    with billed.transaction() as session:
        [first, *_others] = reminders.review(session, AS_OF)
        strong_without = printing.dunning_snapshot(session, first.invoice_id, AS_OF, date(2026, 6, 24), True)
        reminders.record(session, first.invoice_id, AS_OF, first.next_level, first.open)
    with billed.transaction() as session:
        [again, other, *_rest] = reminders.review(session, date(2026, 7, 1))
        assert (again.last_sent_on, again.last_level, again.next_level, again.next_label) == (
            AS_OF, 1, 2, "督促状")
        assert other.next_level == 1
        second = printing.dunning_snapshot(session, again.invoice_id, date(2026, 7, 1), date(2026, 7, 15),
                                           again.next_level == 2, again.last_sent_on)
        assert count(session, ReminderSent) == 1
    with_mention = re.sub(r"\s", "", pdf_text(render(second)))
    without = re.sub(r"\s", "", pdf_text(render(strong_without)))
    assert "督促状" in with_mention and "先にお支払いのお願いをお送りいたしましたが" in with_mention
    assert "督促状" in without and "先にお支払いのお願い" not in without


def test_select_rows_is_the_review_dialogs_filter_and_send_records_only_what_was_written(billed):  # noqa: F811
    """The window's review (issue 12): select_rows filters plain rows by amount, lateness and the rows the user
    left out (ids); send records the letters only once `write` succeeded, at the level each letter has."""
    import pytest

    with billed.transaction() as session:
        rows = reminders.overdue(session, AS_OF)
        assert [(row.number, row.open) for row in rows] == [("2026-0002", 35000), ("2026-0003", 70000),
                                                            ("2026-0004", 70000)]
        assert [row.number for row in reminders.select_rows(rows, 50000, 1)] == ["2026-0003", "2026-0004"]
        assert reminders.select_rows(rows, 0, 11) == []
        chosen = reminders.select_rows(rows, 1000, 1, left_out={rows[0].invoice_id})
        assert [row.number for row in chosen] == ["2026-0003", "2026-0004"]
        chosen = chosen[:1]
    with pytest.raises(OSError), billed.transaction() as session:
        reminders.send(session, chosen, AS_OF, date(2026, 6, 24), lambda _documents: (_ for _ in ()).throw(OSError))
    with billed.transaction() as session:
        assert count(session, ReminderSent) == 0  # the failed write recorded nothing
        written = []
        documents, _result = reminders.send(session, chosen, AS_OF, date(2026, 6, 24), written.append)
        assert [snapshot.original_number for snapshot, _reason in documents] == ["2026-0003"] and written
        [sent] = session.query(ReminderSent).all()
        assert (sent.invoice_id, sent.sent_on, sent.level, sent.amount) == (chosen[0].invoice_id, AS_OF, 1, 70000)
