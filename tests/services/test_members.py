from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Column, ForeignKey, Integer, Table, func, insert, select

from tama_desk.db.models import AuditLog, Base, Contact, Member, MembershipType
from tama_desk.errors import UserError
from tama_desk.services import members as m

BASE = {"name": "株式会社多摩精機", "kana": "たませいき", "category": "企業", "membership_type": "正会員"}


def count(session, model=Member) -> int:
    return session.scalar(select(func.count()).select_from(model))


def fields_of(error: UserError) -> list[str]:
    return [problem.field for problem in error.problems]


def save(db, raw, member_id=None) -> Member:
    with db.transaction() as session:
        return m.save_member(session, raw, member_id)


def refused(db, raw, member_id=None) -> UserError:
    """Save inside a transaction that still commits, so anything save_member wrote would stay."""
    with db.transaction() as session, pytest.raises(UserError) as caught:
        m.save_member(session, raw, member_id)
    return caught.value


def type_id(session, name: str) -> int:
    return session.scalar(select(MembershipType.id).where(MembershipType.name == name))


# --- save_member ---------------------------------------------------------------------------------


def test_create_numbers_and_normalises(db):
    first = save(db, BASE | {"payer_name": "カ）タマセイキ", "postal_code": "１９２００４６", "phone": "０４２－６００－１２３４",
                             "corporate_number": "7000012050002", "registration_number": "t7000012050002",
                             "join_date": "2026年4月1日", "email": "ＩＮＦＯ＠ｅｘａｍｐｌｅ．ｊｐ"})
    second = save(db, BASE | {"name": "浅川電子", "kana": "ｱｻｶﾜﾃﾞﾝｼ"})
    with db.reading() as session:
        one, two = session.get(Member, first.id), session.get(Member, second.id)
        assert (one.number, two.number) == ("0001", "0002")
        assert one.kana == "タマセイキ"
        assert two.kana == "アサカワデンシ"
        assert one.payer_name == "ｶ)ﾀﾏｾｲｷ"
        assert one.postal_code == "192-0046"
        assert one.phone == "042-600-1234"
        assert one.registration_number == "T7000012050002"
        assert one.join_date == date(2026, 4, 1)
        assert one.email == "INFO@example.jp"
        assert one.category == "company"
        assert one.membership_type.name == "正会員"
        assert one.status == "active"
        actions = [(a.action, a.entity_id) for a in session.scalars(select(AuditLog).order_by(AuditLog.id))]
        assert actions == [("create", one.id), ("create", two.id)]


def test_next_number_follows_the_highest_numeric(db):
    save(db, BASE | {"number": "0009"})
    save(db, BASE | {"number": "A-12"})
    assert save(db, BASE).number == "0010"


def test_full_width_number_folded(db):
    assert save(db, BASE | {"number": "００１２"}).number == "0012"


def test_english_and_code_values_accepted(db):
    member = save(db, BASE | {"category": "Academic", "status": "suspended"})
    assert (member.category, member.status) == ("academic", "suspended")


def test_update_changes_only_given_fields(db):
    member = save(db, BASE | {"phone": "042-600-1234", "notes": "メモ"})
    save(db, {"phone": "042-600-9999"}, member.id)
    with db.reading() as session:
        again = session.get(Member, member.id)
        assert (again.phone, again.notes, again.name, again.number) == ("042-600-9999", "メモ", BASE["name"], "0001")
        assert count(session) == 1


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("postal_code", "192-004", "郵便番号"),
        ("phone", "電話なし", "電話番号"),
        ("email", "info@", "メール"),
        ("corporate_number", "6000012050002", "法人番号"),
        ("registration_number", "T6000012050002", "登録番号"),
        ("join_date", "2026-02-30", "入会日"),
        ("kana", "多摩", "フリガナ"),
        ("category", "会社", "会員区分"),
        ("membership_type", "名誉会員", "会員種別"),
        ("payer_name", "多摩精機", "振込名義"),
        ("status", "在籍中", "状態"),
        ("name", "あ" * 201, "会員名"),
        ("name", "  ", "会員名"),
    ],
)
def test_invalid_field_is_named_and_nothing_written(db, field, value, label):
    error = refused(db, BASE | {field: value})
    assert fields_of(error) == [label]
    assert f"「{label}」" in str(error)
    with db.reading() as session:
        assert count(session) == 0
        assert count(session, AuditLog) == 0


def test_every_problem_reported_at_once(db):
    error = refused(db, {"name": "", "postal_code": "1", "email": "x"})
    assert set(fields_of(error)) == {"会員名", "フリガナ", "会員区分", "会員種別", "郵便番号", "メール"}


def test_failed_update_changes_nothing(db):
    member = save(db, BASE | {"phone": "042-600-1234"})
    error = refused(db, {"phone": "042-600-9999", "postal_code": "bad"}, member.id)
    assert fields_of(error) == ["郵便番号"]
    assert error.problems[0].record == "会員 0001 株式会社多摩精機"
    with db.reading() as session:
        assert session.get(Member, member.id).phone == "042-600-1234"
        assert [a.action for a in session.scalars(select(AuditLog))] == ["create"]


def test_duplicate_number_refused(db):
    save(db, BASE | {"number": "0001"})
    other = save(db, BASE | {"number": "0002"})
    assert fields_of(refused(db, BASE | {"number": "0001"})) == ["会員番号"]
    assert fields_of(refused(db, {"number": "0001"}, other.id)) == ["会員番号"]
    save(db, {"number": "0002", "phone": "042-600-1234"}, other.id)  # its own number is fine
    with db.reading() as session:
        assert sorted(session.scalars(select(Member.number))) == ["0001", "0002"]


def test_update_unknown_member(db):
    with db.transaction() as session, pytest.raises(UserError, match="見つかりません"):
        m.save_member(session, {"phone": "042-600-1234"}, 999)


def test_withdrawal_rules(db):
    assert fields_of(refused(db, BASE | {"join_date": "2026-04-01", "withdrawal_date": "2026-03-31"})) == ["退会日"]
    assert fields_of(refused(db, BASE | {"status": "退会", "withdrawal_date": ""})) == ["退会日"]
    member = save(db, BASE | {"join_date": "2020-04-01", "withdrawal_date": "2026-03-31", "withdrawal_reason": "廃業"})
    assert (member.status, member.withdrawal_date) == ("withdrawn", date(2026, 3, 31))
    back = save(db, {"status": "在籍"}, member.id)
    assert (back.status, back.withdrawal_date, back.withdrawal_reason) == ("active", None, "")


# --- contacts --------------------------------------------------------------------------------------


def test_contacts_replaced_in_place(db):
    member = save(db, BASE | {"contacts": [{"name": "佐藤 太郎", "department": "総務部"},
                                           {"name": "鈴木 花子", "email": "suzuki@example.jp"}]})
    with db.reading() as session:
        contacts = m.get_member(session, member.id).contacts
        ids = [c.id for c in contacts]
        assert [(c.name, c.is_primary, c.sort_order) for c in contacts] == [("佐藤 太郎", True, 0), ("鈴木 花子", False, 1)]

    save(db, {"contacts": [{"name": "高橋 誠", "is_primary": False}, {"name": "鈴木 花子", "is_primary": True}]},
         member.id)
    with db.reading() as session:
        contacts = m.get_member(session, member.id).contacts
        assert [c.id for c in contacts] == ids
        assert [(c.name, c.is_primary) for c in contacts] == [("高橋 誠", False), ("鈴木 花子", True)]
        assert m.get_member(session, member.id).primary_contact.name == "鈴木 花子"

    save(db, {"contacts": [{"name": "高橋 誠"}]}, member.id)
    with db.reading() as session:
        assert [(c.id, c.name, c.is_primary) for c in m.get_member(session, member.id).contacts] == [
            (ids[0], "高橋 誠", True)]
        assert count(session, Contact) == 1


def test_contact_problems_named_by_position(db):
    error = refused(db, BASE | {"contacts": [{"name": "佐藤", "email": "bad"}, {"name": "", "phone": "042-600-1234"}]})
    assert fields_of(error) == ["担当者メール（1人目）", "担当者（2人目）"]


def test_blank_contacts_dropped(db):
    member = save(db, BASE | {"contacts": [{"name": " ", "department": ""}]})
    with db.reading() as session:
        assert m.get_member(session, member.id).contacts == []


# --- search ------------------------------------------------------------------------------------------


@pytest.fixture
def registry(db):
    """Five members with known names, kana, contacts and filters."""
    rows = [
        {"number": "0001", "name": "株式会社キタ精機", "kana": "キタセイキ", "category": "企業", "membership_type": "正会員",
         "phone": "042-600-1111", "contacts": [{"name": "佐藤 太郎", "department": "総務部"}]},
        {"number": "0002", "name": "ガクエン技研", "kana": "ガクエンギケン", "category": "企業", "membership_type": "賛助会員",
         "contacts": [{"name": "鈴木 花子", "department": "技術部"}]},
        {"number": "0003", "name": "カガミ光学", "kana": "カガミコウガク", "category": "企業", "membership_type": "正会員",
         "payer_name": "ｶ)ｶｶﾞﾐｺｳｶﾞｸ", "contacts": [{"name": "佐藤 花子", "department": "営業部"}]},
        {"number": "0004", "name": "多摩工科大学", "kana": "タマコウカダイガク", "category": "大学・研究機関",
         "membership_type": "正会員"},
        {"number": "0005", "name": "アサカワ電子", "kana": "アサカワデンシ", "category": "企業", "membership_type": "正会員",
         "withdrawal_date": "2026-03-31"},
    ]
    with db.transaction() as session:
        for row in rows:
            m.save_member(session, row)
    return db


def numbers(rows) -> list[str]:
    return [row.number for row in rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["0005", "0003", "0002", "0001", "0004"]),  # 五十音: ア, カカ, カク(ガ), キ, タ
        ("0003", ["0003"]),
        ("光学", ["0003"]),
        ("かがみ", ["0003"]),
        ("ｶｶﾞﾐ", ["0003"]),
        ("ＫＡＧＡ", []),
        ("佐藤", ["0003", "0001"]),
        ("佐藤 花子", ["0003"]),
        ("佐藤\u3000総務", ["0001"]),
        ("技術部", ["0002"]),
        ("ｶ)ｶｶﾞﾐ", ["0003"]),
        ("600-1111", ["0001"]),
        ("%", []),
        ("_", []),
        ("存在しない", []),
    ],
)
def test_search(registry, query, expected):
    with registry.reading() as session:
        assert numbers(m.search_members(session, query)) == expected


def test_search_filters(registry):
    with registry.reading() as session:
        assert numbers(m.search_members(session, category="academic")) == ["0004"]
        assert numbers(m.search_members(session, type_id=type_id(session, "賛助会員"))) == ["0002"]
        assert numbers(m.search_members(session, status="withdrawn")) == ["0005"]
        assert numbers(m.search_members(session, "佐藤", category="company", status="active")) == ["0003", "0001"]


def test_search_row_contents(registry):
    with registry.reading() as session:
        (row,) = m.search_members(session, "0001")
    assert (row.name, row.kana, row.category, row.type_name, row.contact, row.phone, row.status) == (
        "株式会社キタ精機", "キタセイキ", "company", "正会員", "佐藤 太郎", "042-600-1111", "active")


def test_search_text_follows_edits(registry):
    with registry.transaction() as session:
        member_id = m.search_members(session, "0001")[0].id
        m.save_member(session, {"contacts": [{"name": "山田 一郎"}]}, member_id)
    with registry.reading() as session:
        assert numbers(m.search_members(session, "山田")) == ["0001"]
        assert numbers(m.search_members(session, "佐藤 太郎")) == []


def test_search_demo_is_in_gojuon_order(demo_db):
    with demo_db.reading() as session:
        rows = m.search_members(session)
        assert len(rows) == 300
        keys = [m.gojuon_key(row.kana) for row in rows]
        assert keys == sorted(keys)
        assert m.count_by_status(session) == {"active": 292, "withdrawn": 8}
        assert m.next_member_number(session) == "0301"


# --- withdraw and delete -------------------------------------------------------------------------------


def test_withdraw_member(db):
    member = save(db, BASE | {"join_date": "2020-04-01"})
    with db.transaction() as session:
        m.withdraw_member(session, member.id, date(2026, 3, 31), " 廃業 ")
    with db.reading() as session:
        again = session.get(Member, member.id)
        assert (again.status, again.withdrawal_date, again.withdrawal_reason) == ("withdrawn", date(2026, 3, 31), "廃業")
        assert [a.action for a in session.scalars(select(AuditLog).order_by(AuditLog.id))] == ["create", "withdraw"]


def test_withdraw_before_join_refused(db):
    member = save(db, BASE | {"join_date": "2020-04-01"})
    with db.transaction() as session, pytest.raises(UserError, match="入会日より前"):
        m.withdraw_member(session, member.id, date(2020, 3, 31))
    with db.reading() as session:
        assert session.get(Member, member.id).status == "active"


def test_delete_member_without_records(db):
    member = save(db, BASE | {"contacts": [{"name": "佐藤"}, {"name": "鈴木"}]})
    keep = save(db, BASE | {"contacts": [{"name": "高橋"}]})
    with db.transaction() as session:
        m.delete_member(session, member.id)
    with db.reading() as session:
        assert list(session.scalars(select(Member.id))) == [keep.id]
        assert [c.name for c in session.scalars(select(Contact))] == ["高橋"]
        assert session.scalars(select(AuditLog.action).order_by(AuditLog.id.desc())).first() == "delete"


@pytest.fixture
def invoice_table(db):
    """A stand-in for a later area's table that refers to members (added to, then removed from, the models)."""
    table = Table("test_invoice", Base.metadata, Column("id", Integer, primary_key=True),
                  Column("member_id", ForeignKey("member.id"), nullable=False))
    try:
        table.create(db.engine)
        yield table
    finally:
        Base.metadata.remove(table)


def test_delete_refused_when_records_exist(db, invoice_table):
    referenced = save(db, BASE)
    free = save(db, BASE)
    with db.transaction() as session:
        session.execute(insert(invoice_table).values(member_id=referenced.id))
    with db.transaction() as session:
        assert m.member_has_records(session, referenced.id)
        assert not m.member_has_records(session, free.id)
        with pytest.raises(UserError, match="削除できません"):
            m.delete_member(session, referenced.id)
        m.delete_member(session, free.id)
    with db.reading() as session:
        assert list(session.scalars(select(Member.id))) == [referenced.id]


def test_all_members_sorted_with_contacts(registry):
    with registry.reading() as session:
        found = m.all_members(session)
    assert [member.number for member in found] == ["0005", "0003", "0002", "0001", "0004"]
    assert found[3].contacts[0].name == "佐藤 太郎"  # loaded: usable after the session closed
