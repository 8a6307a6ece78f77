"""Retention: inside ten years (from the end of the fiscal year for accounting records, from the meeting for
minutes) nothing is deleted — by the services, which name the record and the date, nor by a raw DELETE, which
the database's triggers refuse (migration 0016)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from tama_desk.db.models import Expenditure, Payment
from tama_desk.db.models_meetings import Meeting
from tama_desk.errors import UserError
from tama_desk.services import fees, grants, meetings, payments
from tests.factories import make_grant, make_meeting, make_member, spend


def _count(db, model) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_an_expenditure_is_deleted_only_after_its_retention_period(db):
    with db.transaction() as session:
        recent = spend(session, make_grant(session).id, "V1", "旅費", 110_000, "2026-05-10")[0].id
        old_grant = make_grant(session, name="旧事業", fiscal_year=2014, period_start=date(2014, 4, 1),
                               period_end=date(2015, 2, 28), decision_date=date(2014, 4, 10))
        old = spend(session, old_grant.id, "V1", "旅費", 110_000, "2014-05-10")[0].id
    with pytest.raises(UserError) as error, db.transaction() as session:
        grants.delete_expenditure(session, recent, "二重入力")
    assert "支出 V1（旅費 110,000円）は2037年3月31日まで保存が必要" in str(error.value)
    with db.transaction() as session:  # kept until 2025-03-31: may go now, audited
        grants.delete_expenditure(session, old, "二重入力")
    assert _count(db, Expenditure) == 1


def test_a_meeting_that_took_place_keeps_its_minutes_ten_years(db):
    with db.transaction() as session:
        held = make_meeting(session).id
        planned = make_meeting(session, title="来年の理事会", day=date(2089, 5, 20)).id
    for today in (date(2026, 5, 21), date(2036, 5, 20)):
        with pytest.raises(UserError, match="2036年5月20日まで保存が必要"), db.transaction() as session:
            meetings.delete_meeting(session, held, today=today)
    with db.transaction() as session:  # entered by mistake and not held: it may go
        meetings.delete_meeting(session, planned)
    with db.reading() as session:
        assert session.scalars(select(Meeting.id)).all() == [held]


@pytest.mark.parametrize("table", ["payment", "grant_expenditure", "meeting"])
def test_a_raw_delete_inside_the_period_is_refused_by_the_database(db, table):
    with db.transaction() as session:
        member = make_member(session)
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 1))
        payments.record_payment(session, member.id, date(2026, 5, 1), 70_000)
        spend(session, make_grant(session).id, "V1", "旅費", 110_000, "2026-05-10")
        make_meeting(session)
    before = _count(db, Payment), _count(db, Expenditure), _count(db, Meeting)
    with pytest.raises(UserError, match="保存期間内の記録は削除できません"), db.transaction() as session:
        session.execute(text(f"DELETE FROM {table}"))
    assert (_count(db, Payment), _count(db, Expenditure), _count(db, Meeting)) == before
