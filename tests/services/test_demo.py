from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import Contact, Member
from tama_desk.domain.checkdigits import is_valid_corporate_number, is_valid_registration_number
from tama_desk.domain.choices import MEMBER_CATEGORIES
from tama_desk.domain.kana import is_bank_kana
from tama_desk.errors import UserError
from tama_desk.services import profile
from tama_desk.services.demo import load_demo
from tama_desk.services.members import FIELD_LABELS, check_field, type_name_map


def test_demo_contents(demo_db):
    with demo_db.reading() as session:
        members = session.scalars(select(Member)).all()
        assert len(members) == 300
        assert {m.category for m in members} == set(MEMBER_CATEGORIES)
        assert sorted(m.number for m in members) == [f"{i:04d}" for i in range(1, 301)]
        assert all(is_valid_corporate_number(m.corporate_number) for m in members if m.corporate_number)
        assert all(is_valid_registration_number(m.registration_number) for m in members if m.registration_number)
        assert all(is_bank_kana(m.payer_name) for m in members)
        assert all(m.contacts and m.primary_contact.is_primary for m in members)
        assert profile.get_profile(session).name == "一般社団法人 多摩産業ネットワーク協会"


def test_demo_is_deterministic(db, tmp_path):
    from tama_desk.db.engine import open_database

    other = open_database(str(tmp_path / "other.sqlite3"))
    snapshots = []
    for database in (db, other):
        with database.transaction() as session:
            load_demo(session, 40, today=date(2026, 4, 1))
        with database.reading() as session:
            snapshots.append(session.execute(select(Member.number, Member.name, Member.kana, Member.join_date,
                                                    Member.phone).order_by(Member.number)).all())
    other.close()
    assert snapshots[0] == snapshots[1]
    assert len(snapshots[0]) == 40


@pytest.mark.parametrize("count", [0, 3, 60])
def test_demo_count(db, count):
    with db.transaction() as session:
        assert load_demo(session, count) == count
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == count


def test_demo_refuses_a_database_with_members(demo_db):
    with demo_db.transaction() as session, pytest.raises(UserError, match="既に登録"):
        load_demo(session, 10)
    with demo_db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 300
        assert session.scalar(select(func.count()).select_from(Contact)) > 300


def test_demo_values_are_stored_as_the_checks_would_store_them(demo_db):
    """The demo bypasses clean_member; its values must still be what save_member would store."""
    with demo_db.reading() as session:
        names = type_name_map(session)
        for member in session.scalars(select(Member)):
            for field in FIELD_LABELS:
                if field not in ("category", "membership_type", "status"):
                    value = getattr(member, field)
                    assert check_field(field, value, names) == (value, None), (member.number, field)


def test_demo_too_large_is_refused_and_rolled_back(db):
    with pytest.raises(UserError, match="デモデータの会員数は"), db.transaction() as session:
        load_demo(session, 50_000)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0
        assert profile.get_profile(session).name == ""
