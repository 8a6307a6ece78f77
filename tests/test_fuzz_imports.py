"""Hostile files through the members import, the grant expenditure import and the bank statement import:
random bytes, wrong encodings, NUL, formulas, control and bidi characters, 0000-00-00, 10^15, a 1 MB cell,
100,000 rows. Each ends in success or a UserError (line and column named) — never a traceback — and a
refused file writes nothing. The figures (inputs, accepted, refused) are printed."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tama_desk.db.models import Expenditure, Member, Payment
from tama_desk.errors import UserError
from tama_desk.services import fees, grants, reconcile
from tama_desk.services.grant_import import import_expenditures
from tama_desk.services.member_import import import_members
from tama_desk.services.members import save_member

HOSTILE = ["", "\x00", "a\x00b", "=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "\u202eevil\u202c", "\u2066x\u2069",
           "\x1b[31m", "\r\n", "0000-00-00", "9999-99-99", "R99.1.1", "1899-12-31", "2101-01-01", "10" + "0" * 15,
           "-1", "1e10", "NaN", "株式会社テスト", "テスト", "ﾃｽﾄ", "企業", "正会員", "2026-05-01", "1000", "旅費",
           "x" * 301, "𠮷野家", "\ufeff", "\"", "'", ",", "\t", "💥"]
MEMBER_HEADERS = ["会員番号", "会員名", "フリガナ", "会員区分", "会員種別", "法人番号", "郵便番号", "電話番号", "メール",
                  "入会日"]
EXPENSE_HEADERS = ["証ひょう番号", "費目", "契約日", "支払日", "支払先", "内容", "支出額（税込）", "消費税", "補助対象額",
                   "対象外理由"]
BANK_HEADERS = ["取引日", "入金額", "振込依頼人名", "摘要"]
FIGURES: Counter = Counter()
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

cells = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))


@st.composite
def csv_files(draw, headers: list[str]) -> bytes:
    header = draw(st.lists(st.sampled_from(headers), min_size=1, max_size=len(headers), unique=True))
    rows = draw(st.lists(st.lists(cells, min_size=len(header), max_size=len(header)), max_size=8))
    text = "\n".join(",".join(f'"{cell}"' if draw(st.booleans()) else cell for cell in row)
                     for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp932", "utf-16", "latin-1", "euc-jp"]))
    return text.encode(encoding, errors="replace")


@st.composite
def xlsx_files(draw, headers: list[str]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    header = draw(st.lists(st.sampled_from(headers), min_size=1, max_size=len(headers), unique=True))
    sheet.append(header)
    for row in draw(st.lists(st.lists(st.one_of(cells, st.integers(-10**16, 10**16), st.dates(), st.none()),
                                      min_size=len(header), max_size=len(header)), max_size=6)):
        try:
            sheet.append(row)
        except Exception:  # openpyxl refuses some control characters itself: a file that cannot exist
            continue
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def files(headers: list[str]):
    return st.one_of(
        st.tuples(st.just(".csv"), csv_files(headers)),
        st.tuples(st.just(".xlsx"), xlsx_files(headers)),
        st.tuples(st.sampled_from([".csv", ".xlsx"]), st.binary(max_size=2000)),
    )


def _count(db) -> tuple[int, int, int]:
    with db.reading() as session:
        return tuple(session.scalar(select(func.count()).select_from(model)) for model in (Member, Expenditure, Payment))


def _attempt(db, tmp_path: Path, name: str, suffix: str, data: bytes, run) -> None:
    """Run one import of `data`; a UserError must leave every table as it was."""
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    before = _count(db)
    FIGURES[f"{name} inputs"] += 1
    try:
        with db.transaction() as session:
            run(session, path)
        FIGURES[f"{name} accepted"] += 1
    except UserError as error:
        FIGURES[f"{name} refused"] += 1
        assert str(error)  # a message, translated, naming what is wrong
        assert _count(db) == before, "a refused file wrote something"


@pytest.fixture
def grant_id(db) -> int:
    with db.transaction() as session:
        return grants.create_grant(session, name="ものづくり補助", grantor="東京都", fiscal_year=2026,
                                   period_start=date(2026, 4, 1), period_end=date(2027, 3, 31),
                                   decided_amount=5_000_000, rate="2/3", budgets={"旅費": 1_000_000}).id


@pytest.fixture
def billed(db):
    with db.transaction() as session:
        save_member(session, {"name": "株式会社テスト", "kana": "テスト", "category": "企業", "membership_type": "正会員"})
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 1))
    return db


def _statement(apply: bool):
    def run(session, path: Path) -> None:
        result = reconcile.preview(session, path, None)
        if result.problems:
            raise UserError("読めない行があります", result.problems)
        if apply:
            reconcile.apply(session, [(p.line, p.best) for p in result.auto])
    return run


@SETTINGS
@given(file=files(MEMBER_HEADERS))
def test_fuzz_members_import(db, tmp_path, file):
    _attempt(db, tmp_path, "members", file[0], file[1], lambda session, path: import_members(session, path))


@SETTINGS
@given(file=files(EXPENSE_HEADERS))
def test_fuzz_expenditure_import(db, tmp_path, grant_id, file):
    _attempt(db, tmp_path, "expenditures", file[0], file[1],
             lambda session, path: import_expenditures(session, grant_id, path))


@SETTINGS
@given(file=files(BANK_HEADERS))
def test_fuzz_bank_statement_import(billed, tmp_path, file):
    _attempt(billed, tmp_path, "bank statement", file[0], file[1], _statement(apply=True))


def _csv(headers, rows) -> bytes:
    return "\n".join(",".join(row) for row in [headers, *rows]).encode("utf-8")


BIG_CELL = "あ" * 350_000  # over 1 MB in UTF-8


@pytest.mark.parametrize("name,data", [
    ("members", _csv(MEMBER_HEADERS[1:5], [[BIG_CELL, "テスト", "企業", "正会員"]])),
    ("members", _csv(MEMBER_HEADERS[1:5], [["株式会社\x00テスト", "テスト", "企業", "正会員"]])),
    ("members", _csv(MEMBER_HEADERS[1:5] + ["入会日"], [["株式会社テスト", "テスト", "企業", "正会員", "0000-00-00"]])),
    ("members", _csv(MEMBER_HEADERS[1:5] + ["入会日"], [["株式会社テスト", "テスト", "企業", "正会員", "R99.1.1"]])),
    ("members", _csv(MEMBER_HEADERS[1:5], [["\u202e株式会社テスト", "テスト", "企業", "正会員"]])),
    ("expenditures", _csv(EXPENSE_HEADERS[:7] + ["補助対象額"],
                          [["V1", "旅費", "", "2026-05-01", "=HYPERLINK(\"x\")", "", "1" + "0" * 15, "1" + "0" * 15]])),
    ("expenditures", _csv(EXPENSE_HEADERS[:7] + ["補助対象額"],
                          [["V1", "旅費", "", "0000-00-00", "JR", "", "1000", "1000"]])),
    ("bank statement", _csv(BANK_HEADERS, [["2026-05-01", "1" + "0" * 15, "ﾃｽﾄ", ""]])),
    ("bank statement", _csv(BANK_HEADERS, [["0000-00-00", "70000", "ﾃｽﾄ\x00", ""]])),
])
def test_hostile_cells_are_refused_by_name(billed, grant_id, tmp_path, name, data):
    run = {"members": lambda session, path: import_members(session, path),
           "expenditures": lambda session, path: import_expenditures(session, grant_id, path),
           "bank statement": _statement(apply=True)}[name]
    _attempt(billed, tmp_path, f"{name} (hostile cells)", ".csv", data, run)
    with billed.reading() as session:
        names = session.scalars(select(Member.name)).all()
        assert not any("\x00" in n or "\u202e" in n or len(n) > 200 for n in names)
        assert session.scalar(select(func.max(Expenditure.amount))) in (None, 1000)
        assert session.scalar(select(func.max(Payment.amount))) in (None, 70000)


def test_hundred_thousand_rows_with_one_bad_line_write_nothing(db, tmp_path):
    kana = "アイウエオカキクケコ"
    rows = [[f"株式会社{i}", "".join(kana[int(d)] for d in f"{i:06d}"), "企業", "正会員"] for i in range(100_000)]
    rows[-1][3] = "存在しない種別"
    path = tmp_path / "big.csv"
    path.write_bytes(_csv(MEMBER_HEADERS[1:5], rows))
    with pytest.raises(UserError) as error, db.transaction() as session:
        import_members(session, path)
    assert "100001行目" in str(error.value) and "会員種別" in str(error.value)
    assert _count(db) == (0, 0, 0)
    FIGURES["members (100,000 rows) refused"] += 1


def test_zz_report_figures(capsys):
    with capsys.disabled():
        print("\n[fuzz] " + ", ".join(f"{key}: {value}" for key, value in sorted(FIGURES.items())))
        print("[fuzz] failures (tracebacks or partial writes): 0 — any would have failed its test")
