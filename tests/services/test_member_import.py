from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tama_desk.db.models import AuditLog, Contact, Member
from tama_desk.errors import UserError
from tama_desk.services.member_import import import_members
from tama_desk.services.members import save_member

HEADER = ["会員番号", "会員名", "フリガナ", "会員区分", "会員種別", "法人番号", "電話番号", "担当者", "部署", "入会日", "振込名義"]
ROW_A = ["", "株式会社多摩精機", "たませいき", "企業", "正会員", "7000012050002", "042-600-1111", "佐藤 太郎", "総務部",
         "2026/4/1", "カ）タマセイキ"]
ROW_B = ["", "浅川大学", "ｱｻｶﾜﾀﾞｲｶﾞｸ", "大学・研究機関", "賛助会員", "", "", "", "", "", ""]
ENGLISH = ["Member No", "Name", "Kana", "Category", "Membership Type", "Corporate Number", "Phone", "Contact",
           "Department", "Join Date", "Payer Name"]


def csv_bytes(rows, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def write_csv(tmp_path, rows, encoding="utf-8-sig", name="members.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, encoding))
    return path


def write_xlsx(tmp_path, rows, name="members.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def snapshot(db) -> list[tuple]:
    """Everything an import could change: every member column, every contact, the audit log."""
    with db.reading() as session:
        members = session.scalars(select(Member).options(selectinload(Member.contacts)).order_by(Member.id))
        rows = [tuple((c.key, getattr(m, c.key)) for c in Member.__table__.columns)
                + tuple((c.name, c.department, c.is_primary) for c in m.contacts) for m in members]
        return rows + [(a.id, a.action) for a in session.scalars(select(AuditLog))]


def run(db, path, dry_run=False):
    with db.transaction() as session:
        return import_members(session, path, dry_run=dry_run)


def refused(db, path) -> UserError:
    """The import must raise, write nothing, and leave the database exactly as it was."""
    before = snapshot(db)
    with db.transaction() as session, pytest.raises(UserError) as caught:
        import_members(session, path)
    assert snapshot(db) == before
    return caught.value


def problems(error: UserError) -> list[tuple[int | None, str]]:
    return [(p.row, p.field) for p in error.problems]


@pytest.fixture
def existing(db):
    """Two members already registered: 0001 and 0002."""
    with db.transaction() as session:
        save_member(session, {"name": "既存一号", "kana": "キゾンイチゴウ", "category": "企業", "membership_type": "正会員",
                               "phone": "042-600-0001", "email": "one@example.jp",
                               "contacts": [{"name": "高橋 誠", "department": "技術部", "email": "t@example.jp"}]})
        save_member(session, {"name": "既存二号", "kana": "キゾンニゴウ", "category": "個人", "membership_type": "賛助会員"})
    return db


def check_created(db):
    with db.reading() as session:
        one, two = session.scalars(select(Member).order_by(Member.number)).all()
        assert (one.number, one.name, one.kana, one.category, one.membership_type.name) == (
            "0001", "株式会社多摩精機", "タマセイキ", "company", "正会員")
        assert (one.corporate_number, one.phone, one.join_date, one.payer_name) == (
            "7000012050002", "042-600-1111", date(2026, 4, 1), "ｶ)ﾀﾏｾｲｷ")
        assert [(c.name, c.department, c.is_primary) for c in one.contacts] == [("佐藤 太郎", "総務部", True)]
        assert (two.number, two.kana, two.category, two.membership_type.name, two.join_date, two.contacts) == (
            "0002", "アサカワダイガク", "academic", "賛助会員", None, [])
        assert "佐藤太郎" in one.search_text
        (audit,) = session.scalars(select(AuditLog)).all()
        assert (audit.action, audit.summary) == ("import", "members.csv: 新規 2 件、更新 0 件")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_import_csv_encodings(db, tmp_path, encoding):
    plan = run(db, write_csv(tmp_path, [HEADER, ROW_A, ROW_B], encoding))
    assert plan.created == [(2, "0001", "株式会社多摩精機"), (3, "0002", "浅川大学")]
    assert plan.updated == []
    check_created(db)


def test_import_xlsx_with_english_headers_and_date_cells(db, tmp_path):
    row_a = ROW_A[:9] + [date(2026, 4, 1)] + ROW_A[10:]
    path = write_xlsx(tmp_path, [ENGLISH, row_a, ROW_B])
    run(db, path)
    with db.reading() as session:
        numbers = session.scalars(select(Member.number).order_by(Member.number)).all()
        assert numbers == ["0001", "0002"]
        assert session.scalar(select(Member.join_date).where(Member.number == "0001")) == date(2026, 4, 1)


def test_dry_run_writes_nothing_but_reports_the_plan(existing, tmp_path):
    before = snapshot(existing)
    rows = [HEADER, ["0002", "既存二号", "キゾンニゴウ", "個人", "賛助会員", "", "042-600-2222", "", "", "", ""], ROW_A]
    plan = run(existing, write_csv(tmp_path, rows), dry_run=True)
    assert plan.created == [(3, "0003", "株式会社多摩精機")]
    assert plan.updated == [(2, "0002", "既存二号")]
    assert plan.summary() == "新規 1 件、更新 1 件"
    assert snapshot(existing) == before


def test_reimport_updates_by_number(existing, tmp_path):
    with existing.reading() as session:
        ids = dict(session.execute(select(Member.number, Member.id)).all())
    rows = [["会員番号", "会員名", "フリガナ", "会員区分", "会員種別", "電話番号", "担当者"],
            ["0001", "既存一号", "キゾンイチゴウ", "企業", "正会員", "042-600-9999", "高橋 誠二"]]
    plan = run(existing, write_csv(tmp_path, rows))
    assert (plan.created, plan.updated) == ([], [(2, "0001", "既存一号")])
    with existing.reading() as session:
        assert dict(session.execute(select(Member.number, Member.id)).all()) == ids
        one = session.get(Member, ids["0001"])
        assert one.phone == "042-600-9999"
        assert one.email == "one@example.jp"  # not in the file: left alone
        assert [(c.name, c.department, c.email) for c in one.contacts] == [("高橋 誠二", "技術部", "t@example.jp")]
        assert session.scalar(select(Contact.id).where(Contact.name == "高橋 誠二")) is not None


def test_blank_numbers_get_new_numbers_after_every_used_one(existing, tmp_path):
    rows = [HEADER, ROW_A, ["0050"] + ROW_B[1:], ["", "浅川短期大学"] + ROW_B[2:]]  # not a twin of 0050
    plan = run(existing, write_csv(tmp_path, rows))
    assert [number for _, number, _ in plan.created] == ["0051", "0050", "0052"]
    with existing.reading() as session:
        assert session.scalars(select(Member.number).order_by(Member.number)).all() == [
            "0001", "0002", "0050", "0051", "0052"]


def test_bad_encoding_refused(existing, tmp_path):
    path = tmp_path / "members.csv"
    path.write_bytes(csv_bytes([HEADER], "utf-8")[:-2] + b"\x81\x20\r\n")
    assert "文字コード" in str(refused(existing, path))


def test_missing_required_columns_named(existing, tmp_path):
    error = refused(existing, write_csv(tmp_path, [["会員番号", "会員名", "電話番号"], ["0001", "X", "042-600-1234"]]))
    assert problems(error) == [(1, "フリガナ"), (1, "会員区分"), (1, "会員種別")]
    assert "1行目 「フリガナ」: 必須の列がありません" in str(error)


def test_unknown_column_refused(existing, tmp_path):
    error = refused(existing, write_csv(tmp_path, [HEADER + ["FAX"], ROW_A + ["042-600-0000"]]))
    assert problems(error) == [(1, "FAX")]
    assert "12列目" in str(error)


def test_every_bad_row_reported_and_nothing_written(existing, tmp_path):
    rows = [
        HEADER,
        ROW_A,
        ROW_A[:5] + ["7000012050001"] + ROW_A[6:],  # check digit
        ROW_A[:9] + ["2026-02-30"] + ROW_A[10:],  # date
        ["", "", "タマ", "会社", "正会員", "", "", "", "", "", ""],  # name missing, category unknown
        ROW_A[:6] + ["電話"] + ROW_A[7:],
    ]
    error = refused(existing, write_csv(tmp_path, rows))
    assert problems(error) == [(3, "法人番号"), (4, "入会日"), (5, "会員名"), (5, "会員区分"), (6, "電話番号")]
    assert "4行目 「入会日」" in str(error)
    assert "何も取り込んでいません" in str(error)


def test_duplicate_numbers_in_the_file_name_both_lines(existing, tmp_path):
    rows = [HEADER, ["0100"] + ROW_A[1:], ROW_B, ["0100"] + ROW_B[1:]]
    error = refused(existing, write_csv(tmp_path, rows))
    assert problems(error) == [(4, "会員番号")]
    assert "4行目 「会員番号」: 会員番号 0100 が2行目と重複しています" in str(error)


def test_update_with_blank_required_value_refused(existing, tmp_path):
    rows = [["会員番号", "会員名", "フリガナ", "会員区分", "会員種別"], ["0001", "", "キゾンイチゴウ", "企業", "正会員"]]
    assert problems(refused(existing, write_csv(tmp_path, rows))) == [(2, "会員名")]


def test_only_name_and_department_of_a_contact_are_columns(existing, tmp_path):
    rows = [["会員名", "フリガナ", "会員区分", "会員種別", "担当者メール"], ["A社", "エー", "企業", "正会員", "bad"]]
    assert problems(refused(existing, write_csv(tmp_path, rows))) == [(1, "担当者メール")]


def test_withdrawn_without_date_refused(existing, tmp_path):
    rows = [["会員番号", "会員名", "フリガナ", "会員区分", "会員種別", "状態", "退会日"],
            ["0001", "既存一号", "キゾンイチゴウ", "企業", "正会員", "退会", ""]]
    assert problems(refused(existing, write_csv(tmp_path, rows))) == [(2, "退会日")]


def test_withdrawal_by_import(existing, tmp_path):
    rows = [["会員番号", "会員名", "フリガナ", "会員区分", "会員種別", "退会日", "退会理由"],
            ["0002", "既存二号", "キゾンニゴウ", "個人", "賛助会員", "2026-03-31", "転居"]]
    run(existing, write_csv(tmp_path, rows))
    with existing.reading() as session:
        two = session.scalar(select(Member).where(Member.number == "0002"))
        assert (two.status, two.withdrawal_date, two.withdrawal_reason) == ("withdrawn", date(2026, 3, 31), "転居")


def test_header_only_file_imports_nothing(existing, tmp_path):
    plan = run(existing, write_csv(tmp_path, [HEADER]))
    assert (plan.created, plan.updated) == ([], [])


def test_line_numbers_count_blank_lines(existing, tmp_path):
    rows = [HEADER, ROW_A, [""] * len(HEADER), ROW_A[:9] + ["2026-99-01"] + ROW_A[10:]]
    assert problems(refused(existing, write_csv(tmp_path, rows))) == [(4, "入会日")]


def test_department_without_contact_name_refused(db, tmp_path):
    row = ROW_A[:7] + ["", "総務部"] + ROW_A[9:]
    assert problems(refused(db, write_csv(tmp_path, [HEADER, row]))) == [(2, "担当者")]
