from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tama_desk.db.engine import open_database
from tama_desk.db.models import Member
from tama_desk.domain.validators import normalize_kana
from tama_desk.errors import UserError
from tama_desk.exports import members_io as io_
from tama_desk.exports.tables import Table, read_table
from tama_desk.services.importing import clean_rows
from tama_desk.services.member_import import import_members
from tama_desk.services.members import all_members

CONTRACT = ["会員番号", "会員名", "フリガナ", "会員区分", "会員種別", "法人番号", "登録番号", "郵便番号", "住所", "電話番号",
            "メール", "担当者", "部署", "入会日", "振込名義"]
HEADERS = CONTRACT + ["状態", "退会日", "退会理由", "備考"]


def test_header_contract():
    assert [column.header for column in io_.COLUMNS][:15] == CONTRACT
    assert [column.header for column in io_.COLUMNS] == HEADERS


def test_rows_japanese_english_and_keys():
    table = Table([" Member No ", "NAME", "フリガナ", "category", "Membership Type", "担当者", "Department", ""],
                  [["0001", "A社", "エー", "企業", "正会員", "佐藤", "総務部", "ignored"], [None, "B社", "ビー", "企業", "正会員", None, None]])
    rows, problems = clean_rows(table, io_.SPEC)
    assert not problems
    assert [(row.line, row.raw) for row in rows] == [
        (2, {"number": "0001", "name": "A社", "kana": "エー", "category": "企業", "membership_type": "正会員",
             "contact.name": "佐藤", "contact.department": "総務部"}),
        (3, {"number": None, "name": "B社", "kana": "ビー", "category": "企業", "membership_type": "正会員",
             "contact.name": None, "contact.department": None}),
    ]


def test_header_problems():
    table = Table(["会員名", "Name", "ふりがな", "会員種別"], [])
    with pytest.raises(UserError, match="見出し行") as caught:
        clean_rows(table, io_.SPEC)
    problems = [(p.row, p.field, p.reason.split("（")[0]) for p in caught.value.problems]
    assert problems == [
        (1, "Name", "同じ列が2回あります"),
        (1, "ふりがな", "知らない列名です"),
        (1, "フリガナ", "必須の列がありません"),
        (1, "会員区分", "必須の列がありません"),
    ]
    assert "（3列目）" in str(caught.value.problems[1])


@pytest.mark.parametrize(
    ("name", "cp932", "expected"),
    [("a.xlsx", False, "xlsx"), ("A.XLSX", True, "xlsx"), ("a.csv", False, "csv"), ("a.CSV", True, "csv-cp932")],
)
def test_format_for(name, cp932, expected):
    assert io_.format_for(name, cp932) == expected


@pytest.mark.parametrize("name", ["a.xls", "a.txt", "a"])
def test_format_for_refuses(name):
    with pytest.raises(UserError, match="拡張子"):
        io_.format_for(name)


def test_export_bytes_unknown_format():
    with pytest.raises(UserError, match="出力形式"):
        io_.export_bytes([], "ods")


def test_template_xlsx_has_headers_only():
    sheet = load_workbook(io.BytesIO(io_.template_bytes())).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.max_row == 1


def test_template_csv():
    assert io_.template_bytes("csv").decode("utf-8-sig") == ",".join(HEADERS) + "\r\n"


def test_export_xlsx_properties(demo_db):
    with demo_db.reading() as session:
        members = all_members(session)
    sheet = load_workbook(io.BytesIO(io_.export_bytes(members, "xlsx"))).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:S301"
    widths = [sheet.column_dimensions[chr(ord("A") + i)].width for i in range(len(HEADERS))]
    assert widths == [column.width for column in io_.COLUMNS]
    join_dates = [row[13] for row in sheet.iter_rows(min_row=2)]
    assert len(join_dates) == 300
    assert all(cell.is_date and isinstance(cell.value, datetime) for cell in join_dates)
    withdrawn = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[15] == "退会"]
    assert len(withdrawn) == 8 and all(isinstance(row[16], datetime) for row in withdrawn)
    first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[:2] == (members[0].number, members[0].name)
    assert first[3] in {"企業", "大学・研究機関", "自治体", "金融機関", "支援機関", "個人", "海外機関"}


def _normalise_demo(database) -> None:
    """The demo stores one フリガナ with an ASCII space (see test_demo); give it the stored form first."""
    with database.transaction() as session:
        for member in session.query(Member):
            member.kana = normalize_kana(member.kana)


@pytest.mark.parametrize(("file_format", "name"), [("xlsx", "m.xlsx"), ("csv", "m.csv"), ("csv-cp932", "m.csv")])
def test_round_trip_into_an_empty_database(demo_db, tmp_path, file_format, name):
    _normalise_demo(demo_db)
    with demo_db.reading() as session:
        exported = io_.export_bytes(all_members(session), file_format)
    path = tmp_path / name
    path.write_bytes(exported)

    fresh = open_database(str(tmp_path / "fresh.sqlite3"))
    with fresh.transaction() as session:
        plan = import_members(session, path)
    with fresh.reading() as session:
        again = io_.export_bytes(all_members(session), file_format)
    fresh.close()
    assert (len(plan.created), len(plan.updated)) == (300, 0)
    if file_format == "xlsx":
        assert read_table(path).rows == _rows(again, tmp_path)
    else:
        assert again == exported


def test_round_trip_onto_itself_updates_every_member(demo_db, tmp_path):
    _normalise_demo(demo_db)
    with demo_db.reading() as session:
        exported = io_.export_bytes(all_members(session), "csv")
    path = tmp_path / "m.csv"
    path.write_bytes(exported)
    with demo_db.transaction() as session:
        plan = import_members(session, path)
    with demo_db.reading() as session:
        assert io_.export_bytes(all_members(session), "csv") == exported
    assert (len(plan.created), len(plan.updated)) == (0, 300)


def _rows(xlsx: bytes, folder) -> list[list[object]]:
    path = folder / "again.xlsx"
    path.write_bytes(xlsx)
    return read_table(path).rows
