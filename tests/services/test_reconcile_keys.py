"""member.match_keys: kept by every writer of member names, worked out by the preview where missing or outdated
and kept by the statement's apply (the preview writes nothing)
(migration 0017 adds it empty), never trusted beyond the names it was made from; an upgraded database
matches a statement as a fresh one does."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tama_desk.db import engine as engine_module
from tama_desk.db.models import Member
from tama_desk.domain import matching
from tama_desk.domain.matching import KEY_VERSION, stored_keys
from tama_desk.services import members, reconcile
from tama_desk.services.member_import import import_members
from tests.factories import make_member
from tests.services.test_member_import import write_csv
from tests.services.test_reconcile import HEADER, pick_items
from tests.services.test_reconcile import write_csv as write_statement


def current(member: Member) -> bool:
    return member.match_keys == stored_keys([members.payer_names(member)])[0]


def test_a_saved_or_renamed_member_keeps_the_keys_of_its_names(db):
    with db.transaction() as session:
        member = make_member(session, name="株式会社多摩精機", kana="タマセイキ", payer_name="ｶ)ﾀﾏｾｲｷ")
        assert member.match_keys.startswith(f"{KEY_VERSION}") and current(member)
        before = member.match_keys
        members.save_member(session, {"name": "有限会社武蔵電子", "kana": "ムサシデンシ", "payer_name": ""}, member.id)
        assert current(member) and member.match_keys != before
        assert "ﾑｻｼﾃﾞﾝｼ" in member.match_keys and "ﾀﾏｾｲｷ" not in member.match_keys


def test_imported_members_get_their_keys(db, tmp_path):
    rows = [["会員番号", "会員名", "フリガナ", "会員区分", "会員種別", "振込名義"],
            ["", "株式会社立川精工", "タチカワセイコウ", "企業", "正会員", "ｶ)ﾀﾁｶﾜｾｲｺｳ"],
            ["", "浅川大学", "アサカワダイガク", "大学・研究機関", "賛助会員", ""]]
    with db.transaction() as session:
        import_members(session, write_csv(tmp_path, rows))
    with db.reading() as session:
        imported = session.scalars(select(Member)).all()
        assert len(imported) == 2 and all(current(member) for member in imported)
    rows[1][1] = "株式会社立川精工所"  # renamed by a second import (same number)
    rows[1][0] = imported[0].number if imported[0].name == "株式会社立川精工" else imported[1].number
    with db.transaction() as session:
        import_members(session, write_csv(tmp_path, rows[:2], name="again.csv"))
    with db.reading() as session:
        renamed = session.scalar(select(Member).where(Member.number == rows[1][0]))
        assert renamed.name == "株式会社立川精工所" and current(renamed)


def statement(demo_db, tmp_path):
    with demo_db.reading() as session:
        chosen = pick_items(session, 5)
    rows = [HEADER] + [(f"2026/11/{day:02d}", payer if day % 2 else payer[:7], f"{item.amount_due:,}", "", "")
                       for day, (item, payer) in enumerate(chosen, start=1)]
    return write_statement(tmp_path / "meisai.csv", rows)


def proposals(demo_db, path) -> list[object]:
    with demo_db.transaction() as session:
        result = reconcile.preview(session, path)
    return [(p.line.line, p.auto, [(tuple(i.invoice_id for i in c.items), c.score, c.reasons) for c in p.candidates])
            for p in result.proposals]


def test_an_upgraded_database_matches_as_a_fresh_one_and_fills_the_keys(demo_db, tmp_path):
    path = statement(demo_db, tmp_path)
    with demo_db.reading() as session:
        assert all(current(member) for member in session.scalars(select(Member)))  # the demo saved them
        versions = dict(session.execute(select(Member.id, Member.version)).all())
    fresh = proposals(demo_db, path)
    assert any(auto for _line, auto, _candidates in fresh)
    engine_module.downgrade(demo_db.engine, "0016")
    engine_module.upgrade(demo_db.engine, "head")
    with demo_db.reading() as session:
        assert session.scalars(select(Member.match_keys)).all() == [None] * len(versions)
    assert proposals(demo_db, path) == fresh
    with demo_db.reading() as session:
        assert session.scalars(select(Member.match_keys)).all() == [None] * len(versions)  # a read stays a read
    with demo_db.transaction() as session:
        reconcile.apply(session, [], match_keys=reconcile.preview(session, path).match_keys)
    with demo_db.reading() as session:
        owing = {item.member_id for item in reconcile.open_items(session)}
        filled = session.scalars(select(Member).where(Member.id.in_(owing))).all()
        assert filled and all(current(member) for member in filled)  # kept for the next statement
        assert dict(session.execute(select(Member.id, Member.version)).all()) == versions  # not an edit
    assert proposals(demo_db, path) == fresh


def test_keys_left_stale_by_another_writer_are_not_used(demo_db, tmp_path):
    path = statement(demo_db, tmp_path)
    fresh = proposals(demo_db, path)
    with demo_db.transaction() as session:  # a writer that changes names past apply_values (raw SQL, a tool)
        wrong = stored_keys([("ｶ)ﾍﾞﾂﾉｶｲｼﾔ",)])[0]
        session.execute(Member.__table__.update().values(match_keys=wrong))
    assert proposals(demo_db, path) == fresh
    with demo_db.transaction() as session:
        reconcile.apply(session, [], match_keys=reconcile.preview(session, path).match_keys)
    with demo_db.reading() as session:
        owing = {item.member_id for item in reconcile.open_items(session)}
        assert all(current(m) for m in session.scalars(select(Member).where(Member.id.in_(owing))))


def test_fill_match_keys_fills_exactly_the_missing_and_stale_keys_in_the_callers_transaction(demo_db, tmp_path):
    path = statement(demo_db, tmp_path)
    fresh = proposals(demo_db, path)
    table = Member.__table__
    with demo_db.transaction() as session:
        ids = session.scalars(select(Member.id).order_by(Member.id)).all()
        kept = dict(session.execute(select(Member.id, Member.match_keys)).all())
        versions = dict(session.execute(select(Member.id, Member.version)).all())
        missing, other_names, older_rule = ids[0::4], ids[1::4], ids[2::4]  # ids[3::4] keep current keys
        session.execute(table.update().where(table.c.id.in_(missing)).values(match_keys=None))
        session.execute(table.update().where(table.c.id.in_(other_names))
                        .values(match_keys=stored_keys([("ｶ)ﾍﾞﾂﾉｶｲｼﾔ",)])[0]))
        for member_id in older_rule:
            session.execute(table.update().where(table.c.id == member_id).values(match_keys="0" + kept[member_id][1:]))
    assert proposals(demo_db, path) == fresh  # stale keys are never used

    class Undone(Exception):
        pass

    with pytest.raises(Undone), demo_db.transaction() as session:  # the service does not commit
        assert reconcile.fill_match_keys(session) == len(missing) + len(other_names) + len(older_rule)
        raise Undone
    with demo_db.reading() as session:
        assert session.scalar(select(Member.match_keys).where(Member.id == missing[0])) is None
    with demo_db.transaction() as session:
        assert reconcile.fill_match_keys(session) == len(missing) + len(other_names) + len(older_rule)
    with demo_db.reading() as session:
        assert dict(session.execute(select(Member.id, Member.match_keys)).all()) == kept  # as the writers made them
        assert dict(session.execute(select(Member.id, Member.version)).all()) == versions  # not an edit
    with demo_db.transaction() as session:
        assert reconcile.fill_match_keys(session) == 0  # nothing left: cheap to call again
        assert reconcile.preview(session, path).match_keys == {}  # the preview has nothing to work out
    assert proposals(demo_db, path) == fresh


def test_fill_match_keys_after_an_upgrade_and_for_a_name_holding_a_separator(demo_db, tmp_path):
    path = statement(demo_db, tmp_path)
    fresh = proposals(demo_db, path)
    engine_module.downgrade(demo_db.engine, "0016")
    engine_module.upgrade(demo_db.engine, "head")
    with demo_db.transaction() as session:
        odd = make_member(session, name=f"株式会社多摩{matching._NAME}精機", kana="タマセイキ", payer_name="")
        session.execute(Member.__table__.update().where(Member.id == odd.id).values(match_keys=None))
        count = session.scalar(select(func.count()).select_from(Member))
        assert reconcile.fill_match_keys(session) == count
    with demo_db.reading() as session:
        assert all(current(member) for member in session.scalars(select(Member)))
        assert session.get(Member, odd.id).match_keys.startswith("0")  # never current: worked out by every run
    with demo_db.transaction() as session:
        assert reconcile.fill_match_keys(session) == 0  # … but written once only
    assert proposals(demo_db, path) == fresh


def test_init_fills_the_keys_of_an_upgraded_database(demo_db, tmp_path, monkeypatch, capsys):
    from tama_desk import cli

    engine_module.downgrade(demo_db.engine, "0016")
    engine_module.upgrade(demo_db.engine, "head")
    monkeypatch.setenv("TAMA_DESK_HOME", str(tmp_path / "home"))
    assert cli.main(["--db", str(tmp_path / "demo.sqlite3"), "init"]) == 0
    with demo_db.reading() as session:
        assert all(current(member) for member in session.scalars(select(Member)))
