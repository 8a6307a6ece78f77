"""The retention triggers of migration 0016 on PostgreSQL (SQLite: tests/services/test_retention.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from tama_desk.db.engine import open_database
from tama_desk.errors import UserError
from tama_desk.services import fees, payments
from tests.factories import make_grant, make_meeting, make_member, spend


def test_postgres_refuses_deleting_kept_records(pg_url):
    db = open_database(pg_url)
    try:
        with db.transaction() as session:
            member = make_member(session)
            fees.bill_fiscal_year(session, 2026, date(2026, 4, 1))
            payments.record_payment(session, member.id, date(2026, 5, 1), 70_000)
            spend(session, make_grant(session).id, "V1", "旅費", 110_000, "2026-05-10")
            make_meeting(session)
            make_meeting(session, title="将来の理事会", day=date(2089, 5, 20))
        for table in ("payment", "grant_expenditure", "meeting"):
            with pytest.raises(UserError, match="保存期間内"), db.transaction() as session:
                session.execute(text(f"DELETE FROM {table}"))
        with db.transaction() as session:  # a meeting still ahead may go
            session.execute(text("DELETE FROM meeting_participant"))
            session.execute(text("DELETE FROM meeting WHERE day > '2030-01-01'"))
        with db.reading() as session:
            assert [session.scalar(text(f"SELECT count(*) FROM {t}")) for t in ("payment", "grant_expenditure",
                                                                                 "meeting")] == [1, 1, 1]
    finally:
        db.close()
