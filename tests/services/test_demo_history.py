"""The demo's bulk loaders: a small demo has contracts and meetings; the ten-year history (bench/scale.py) of
contracts and meetings is consistent (statutory check, money, audit chain), deterministic and inserted in a
number of statements that does not grow with the number of records."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import event, func, select

from tama_desk.db.engine import open_database
from tama_desk.db.models import Invoice, Member, MembershipType, Payment, PaymentAllocation
from tama_desk.db.models_accounting import DebitMandate
from tama_desk.db.models_contracts import Contract, ContractCost, Milestone
from tama_desk.db.models_meetings import FollowUp, Meeting, Pairing, Participant
from tama_desk.services import audit, contracts, demo, demo_contracts, demo_meetings, meetings, profile
from tama_desk.services.demo import load_demo
from tests.factories import count

TODAY = date(2026, 11, 20)


def test_a_small_demo_loads_contracts_meetings_and_mandates(db):
    with db.transaction() as session:
        load_demo(session, 120, today=TODAY)  # a small demo with companies (40 would hold none)
    with db.reading() as session:
        assert count(session, Contract) == 4
        assert count(session, Invoice, Invoice.contract_id.is_not(None)) >= 3
        assert count(session, ContractCost) > 0
        assert count(session, Meeting) >= 8
        assert count(session, Meeting, Meeting.kind == "社員総会") == 1
        voters = count(session, Member, Member.status == "active", Member.membership_type_id.in_(
            select(MembershipType.id).where(MembershipType.voting.is_(True))))
        assembly = session.scalar(select(Meeting).where(Meeting.kind == "社員総会"))
        assert sum(1 for p in assembly.participants if p.role == "社員") == voters
        assert [p.position for p in assembly.participants] == list(range(len(assembly.participants)))
        assert meetings.check(session, assembly.id).ok
        assert count(session, Pairing) > 0 and count(session, FollowUp) > 0
        assert count(session, DebitMandate) > 0
        assert audit.verify(session)[2] is None


def _history(database, contracts_count: int = 12, meetings_count: int = 30, statements: list | None = None) -> dict:
    with database.transaction() as session:
        rng = random.Random(7)
        profile.update_profile(session, demo.DEMO_PROFILE)
        demo.load_members(session, rng, TODAY, 120)
        demo.load_fees(session, rng, TODAY, 120, years=3)
        def seen(_connection, _cursor, statement, *_rest):
            statements.append(statement)

        if statements is not None:
            event.listen(database.engine, "before_cursor_execute", seen)
        loaded = demo_contracts.load_history(session, rng, TODAY, contracts_count, 3)
        loaded |= demo_meetings.load_history(session, rng, TODAY, meetings_count, 3)
        if statements is not None:
            event.remove(database.engine, "before_cursor_execute", seen)
    return loaded


def test_the_history_of_contracts_and_meetings_is_consistent(db):
    loaded = _history(db)
    assert loaded["委託契約"] == 12 and loaded["会議"] == 30
    with db.reading() as session:
        assert count(session, Contract) == 12 and count(session, Meeting) == 30
        assert count(session, Milestone) == 3 * count(session, Contract, Contract.payment_terms == "partial")
        assert count(session, ContractCost) == 5 * 12
        rows = contracts.list_contracts(session, TODAY)
        assert {row.status for row in rows} >= {"paid"}
        for row in rows:  # what was invoiced never exceeds the contract, what was paid never what was invoiced
            assert 0 <= row.paid <= row.invoiced <= row.amount
        paid = session.scalar(select(func.sum(PaymentAllocation.amount)).join(Invoice).where(
            Invoice.contract_id.is_not(None)))
        assert paid == session.scalar(select(func.sum(Payment.amount)).where(Payment.client_id.is_not(None)))
        for meeting in session.scalars(select(Meeting).where(Meeting.kind.in_(("理事会", "社員総会")))):
            assert meeting.status == "議事録確定"
            assert meetings.check(session, meeting.id).ok, meeting.title
        assembly = session.scalars(select(Meeting).where(Meeting.kind == "社員総会")).first()
        assert sum(1 for p in assembly.participants if p.role == "社員") == assembly.total_members > 0
        assert count(session, Pairing) == loaded["商談"] > 0
        assert count(session, FollowUp, FollowUp.done_on.is_not(None)) > 0
        assert count(session, Participant) == loaded["出席者名簿"]
        assert audit.verify(session)[2] is None  # the bulk rows' audit entries are sealed in the chain


def test_the_history_is_deterministic(db, tmp_path):
    other = open_database(str(tmp_path / "other.sqlite3"))
    _history(db)
    _history(other)
    dumps = []
    for database in (db, other):
        with database.reading() as session:
            dumps.append((
                session.execute(select(Contract.title, Contract.amount, Contract.period_end).order_by(Contract.id)).all(),
                session.execute(select(Invoice.number, Invoice.total).order_by(Invoice.id)).all(),
                session.execute(select(Meeting.title, Meeting.day).order_by(Meeting.id)).all(),
                session.execute(select(Participant.name, Participant.attendance).order_by(Participant.id)).all(),
                session.execute(select(Pairing.counterpart, Pairing.outcome).order_by(Pairing.id)).all()))
    other.close()
    assert dumps[0] == dumps[1]


def test_the_history_takes_as_many_statements_for_many_records_as_for_few(db, tmp_path):
    """Bulk inserts: no round trip per contract, invoice, meeting, participant or pairing."""
    few, many = [], []
    _history(db, 8, 20, few)
    other = open_database(str(tmp_path / "other.sqlite3"))
    _history(other, 40, 100, many)
    other.close()
    assert len(many) <= len(few) + 10, (len(few), len(many))
