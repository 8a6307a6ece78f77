from __future__ import annotations

from datetime import date

from sqlalchemy import event, select

from tama_desk.db import bulk
from tama_desk.db.models import Payment


def test_insert_ids_returns_the_ids_in_the_order_of_the_rows_in_one_statement(db):
    statements = []

    def seen(_connection, _cursor, statement, *_rest):
        statements.append(statement)

    rows = [{"received_on": date(2026, 5, 1), "amount": 1000 + number, "version": 1, "created_by": "t",
             "updated_by": "t", "statement_ref": None if number % 2 else f"line-{number}"} for number in range(300)]
    with db.transaction() as session:
        session.execute(select(Payment.id)).all()  # the connection is open: count only the INSERT
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            ids = bulk.insert_ids(session, Payment, rows)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
    assert len([statement for statement in statements if statement.startswith("INSERT")]) == 1  # not one per row
    with db.reading() as session:
        stored = {row.id: row for row in session.execute(select(Payment.id, Payment.amount, Payment.statement_ref,
                                                                Payment.method))}
    assert [stored[i].amount for i in ids] == [row["amount"] for row in rows]
    assert stored[ids[1]].statement_ref is None and stored[ids[0]].statement_ref == "line-0"  # None is NULL
    assert stored[ids[0]].method == "transfer"  # a column left out gets its default
    assert bulk.insert_ids(session, Payment, []) == []
