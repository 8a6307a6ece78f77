"""The same migrations and member work against PostgreSQL (the office-server option).

Runs only when TAMA_DESK_TEST_PG_URL names a database the tests may use, e.g.
postgresql+psycopg://tama:tama@127.0.0.1:5432/tama_test. Each test works in a schema of its own,
created for it and dropped (with everything in it) afterwards.
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url

from tama_desk import cli
from tama_desk.db.engine import current_revision, head_revision, open_database
from tama_desk.db.models import AuditLog, Base, Contact, Member, MembershipType
from tama_desk.domain.validators import normalize_kana
from tama_desk.errors import UserError
from tama_desk.exports.members_io import export_bytes
from tama_desk.services import members as m
from tama_desk.services.demo import load_demo
from tama_desk.services.member_import import import_members

PG_URL = os.environ.get("TAMA_DESK_TEST_PG_URL", "")
pytestmark = pytest.mark.skipif(
    not PG_URL,
    reason="PostgreSQL tests need TAMA_DESK_TEST_PG_URL, e.g. postgresql+psycopg://tama:tama@127.0.0.1:5432/tama_test",
)
TABLES = {"association_profile", "audit_log", "membership_type", "member", "contact", "alembic_version"}
CSV = ("会員番号,会員名,フリガナ,会員区分,会員種別,電話番号,担当者,部署,入会日\r\n"
       ",株式会社多摩精機,たませいき,企業,正会員,042-600-1111,佐藤 太郎,総務部,2026-04-01\r\n"
       ",浅川大学,ｱｻｶﾜﾀﾞｲｶﾞｸ,大学・研究機関,賛助会員,,,,\r\n")


@pytest.fixture
def schema_url():
    """A function that makes a fresh, empty schema and returns a URL whose search_path is that schema."""
    admin = create_engine(PG_URL)
    made: list[str] = []

    def make() -> str:
        name = f"tama_test_{uuid.uuid4().hex[:12]}"
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        made.append(name)
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={name}"})
        return url.render_as_string(hide_password=False)

    yield make
    with admin.begin() as connection:
        for name in made:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture
def pg(schema_url):
    database = open_database(schema_url())
    yield database
    database.close()


def test_migrations_and_seed(pg):
    names = set(inspect(pg.engine).get_table_names())
    assert names == set(Base.metadata.tables) | {"alembic_version"}
    assert names >= TABLES
    assert current_revision(pg.engine) == head_revision()
    with pg.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    with pg.reading() as session:
        types = session.execute(select(MembershipType.name, MembershipType.annual_fee, MembershipType.tax_category)
                                .order_by(MembershipType.sort_order)).all()
    assert [tuple(row) for row in types] == [("正会員", 70000, "out_of_scope"), ("賛助会員", 30000, "out_of_scope"),
                                             ("特別会員", 0, "out_of_scope")]
    assert pg.backup_taken is None


def test_reopen_is_a_no_op(pg):
    again = open_database(pg.url)
    assert again.backup_taken is None
    assert current_revision(again.engine) == head_revision()
    again.close()


def test_display_name_hides_the_password(pg):
    url = make_url(pg.url)
    assert pg.display_name() == url.render_as_string(hide_password=True)
    if url.password:
        assert f":{url.password}@" not in pg.display_name()
        assert ":***@" in pg.display_name()


def test_save_search_withdraw_delete(pg):
    with pg.transaction() as session:
        one = m.save_member(session, {"name": "株式会社多摩精機", "kana": "たませいき", "category": "企業",
                                      "membership_type": "正会員", "payer_name": "カ）タマセイキ",
                                      "contacts": [{"name": "佐藤 太郎"}, {"name": "鈴木 花子"}]})
        two = m.save_member(session, {"name": "ガクエン技研", "kana": "ガクエンギケン", "category": "企業",
                                      "membership_type": "賛助会員", "join_date": "2020-04-01"})
        m.save_member(session, {"name": "カガミ光学", "kana": "カガミコウガク", "category": "企業", "membership_type": "正会員"})
    assert (one.number, two.number, one.kana, one.payer_name) == ("0001", "0002", "タマセイキ", "ｶ)ﾀﾏｾｲｷ")
    assert (one.created_by, one.updated_by) != ("", "")
    with pg.reading() as session:
        assert [r.number for r in m.search_members(session)] == ["0003", "0002", "0001"]
        assert [r.number for r in m.search_members(session, "ﾀﾏ 鈴木")] == ["0001"]
        assert [r.number for r in m.search_members(session, "%")] == []
        assert [r.contact for r in m.search_members(session, "0001")] == ["佐藤 太郎"]
    with pg.transaction() as session:
        m.withdraw_member(session, two.id, date(2026, 3, 31), "廃業")
        m.delete_member(session, one.id)
    with pg.reading() as session:
        assert m.count_by_status(session) == {"active": 1, "withdrawn": 1}
        assert session.scalar(select(func.count()).select_from(Contact)) == 0
        assert [a.action for a in session.scalars(select(AuditLog).order_by(AuditLog.id))] == [
            "create", "create", "create", "withdraw", "delete"]


def test_duplicate_number_refused(pg):
    with pg.transaction() as session:
        m.save_member(session, {"number": "0001", "name": "A", "kana": "エー", "category": "企業", "membership_type": "正会員"})
    with pg.transaction() as session, pytest.raises(UserError):
        m.save_member(session, {"number": "0001", "name": "B", "kana": "ビー", "category": "企業", "membership_type": "正会員"})
    with pg.reading() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 1


def test_import_dry_run_update_and_refusal(pg, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(CSV, encoding="cp932")
    with pg.transaction() as session:
        assert import_members(session, path, dry_run=True).summary() == "新規 2 件、更新 0 件"
    with pg.reading() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 0
    with pg.transaction() as session:
        import_members(session, path)
    path.write_text(CSV.replace("\r\n,株式会社", "\r\n0001,株式会社").replace("1111", "9999"), encoding="utf-8-sig")
    with pg.transaction() as session:
        # the row without a number matches 0002 (same 会員名+フリガナ+郵便番号): updated, never a twin
        assert import_members(session, path).summary() == "新規 0 件、更新 2 件"
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV.replace("2026-04-01", "2026-04-31"), encoding="utf-8")
    with pg.transaction() as session, pytest.raises(UserError, match="2行目 「入会日」"):
        import_members(session, bad)
    with pg.reading() as session:
        assert session.execute(select(Member.number, Member.phone).order_by(Member.number)).all() == [
            ("0001", "042-600-9999"), ("0002", "")]


def test_demo_export_import_round_trip(pg, schema_url, tmp_path):
    with pg.transaction() as session:
        load_demo(session, 120, today=date(2026, 4, 1))
        for member in session.scalars(select(Member)):
            member.kana = normalize_kana(member.kana)  # see the demo フリガナ bug in tests/services/test_demo.py
    with pg.reading() as session:
        exported = export_bytes(m.all_members(session), "csv")
    path = tmp_path / "demo.csv"
    path.write_bytes(exported)
    other = open_database(schema_url())
    try:
        with other.transaction() as session:
            assert len(import_members(session, path).created) == 120
        with other.reading() as session:
            assert export_bytes(m.all_members(session), "csv") == exported
    finally:
        other.close()


def test_cli_takes_a_url(schema_url, tmp_path, capsys):
    url = schema_url()
    source = tmp_path / "m.csv"
    source.write_text(CSV, encoding="utf-8-sig")
    assert cli.main(["--db", url, "members", "import", str(source)]) == 0
    target = tmp_path / "out.csv"
    assert cli.main(["members", "export", str(target), "--db", url]) == 0
    assert "株式会社多摩精機" in target.read_text(encoding="utf-8-sig")
    assert "取り込みました: 新規 2 件、更新 0 件" in capsys.readouterr().out
