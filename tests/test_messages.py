"""Messages that translate: every user-facing message template has an English entry with the same fields,
no message is formatted in Japanese before the lookup, and in English mode every import problem reads in English."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import tama_desk
from tama_desk import i18n
from tama_desk.i18n_en import ENGLISH

PACKAGE = Path(tama_desk.__file__).parent
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
MESSAGE_CALLS = {"UserError", "FrozenInvoiceError", "IssuedElsewhereError", "ValueError", "Message", "add",
                 "raise_if_any", "ArgumentTypeError", "Problem"}
# The window (ui/) passes its texts through t() (tests/test_i18n.py); documents print Japanese by design.
# The helper owning documents/printing/ledger/grant_excel this session moves those onto templates.
SKIPPED = ("ui/", "documents/", "i18n", "services/printing.py", "exports/ledger.py", "exports/grant_excel.py",
           "services/demo")


def sources() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py"))
            if not path.relative_to(PACKAGE).as_posix().startswith(SKIPPED)
            and "migrations" not in path.parts]


def message_calls(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in MESSAGE_CALLS:
                yield node, node.args[0]


def templates() -> dict[str, str]:
    found = {}
    for path in sources():
        where = path.relative_to(PACKAGE).as_posix()
        for node, first in message_calls(path):
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and JAPANESE.search(first.value):
                found.setdefault(first.value, f"{where}:{node.lineno}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # message constants (DATE_HINT …)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(
                    node.value.value, str) and any(getattr(target, "id", "").endswith(("_HINT", "REFUSED",
                                                   "ELSEWHERE")) for target in node.targets):
                found.setdefault(node.value.value, f"{where}:{node.lineno}")
    return found


def test_no_message_is_formatted_before_the_lookup():
    wrong = []
    for path in sources():
        for node, first in message_calls(path):
            literal = "".join(v.value for v in getattr(first, "values", ()) if isinstance(v, ast.Constant))
            if (isinstance(first, ast.JoinedStr) and JAPANESE.search(literal)) or (
                    isinstance(first, ast.BinOp) and JAPANESE.search(ast.unparse(first))):
                wrong.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {ast.unparse(first)[:80]}")
    assert not wrong, wrong


def test_every_message_template_has_english_with_the_same_fields():
    found = templates()
    assert len(found) > 100  # the scan really found them
    missing = {text: where for text, where in found.items() if text not in ENGLISH}
    assert not missing, missing
    fields = {text: where for text, where in found.items()
              if {f for _, f, _, _ in string.Formatter().parse(text) if f}
              != {f for _, f, _, _ in string.Formatter().parse(ENGLISH[text]) if f}}
    assert not fields, fields


# --- every import problem, read in English ------------------------------------------------------
MEMBER_HEADER = "会員番号,会員名,フリガナ,会員区分,会員種別,郵便番号,電話番号,メール,法人番号,登録番号,振込名義,入会日,退会日,担当者,部署\n"
MEMBER_ROWS = [  # one problem kind per line (the names and values are ASCII, so any Japanese left is untranslated)
    "0001,,KANA,company,正会員,,,,,,,,,,",  # required blank
    "0002,A,kana?,company,正会員,,,,,,,,,,",  # kana
    "0003,B,ビー,nonsense,正会員,,,,,,,,,,",  # category
    "0004,C,シー,company,nonsense,,,,,,,,,,",  # membership type
    "0005,D,ディー,company,正会員,12-345,,,,,,,,,",  # postal code
    "0006,E,イー,company,正会員,,abc,,,,,,,,",  # phone
    "0007,F,エフ,company,正会員,,,bad-mail,,,,,,,",  # email
    "0008,G,ジー,company,正会員,,,,123,,,,,,",  # corporate number length
    "0009,H,エイチ,company,正会員,,,,1234567890123,,,,,,",  # corporate check digit
    "0010,I,アイ,company,正会員,,,,,T123,,,,,",  # registration number
    "0011,J,ジェイ,company,正会員,,,,,,abc?,,,,",  # payer name
    "0012,K,ケー,company,正会員,,,,,,,2026-13-01,,,",  # date
    "0013,L,エル,company,正会員,,,,,,,2026-04-01,2025-04-01,,",  # withdrawal before join
    "0013,M,エム,company,正会員,,,,,,,,,,",  # duplicate number
    "0014,N,エヌ,company,正会員,,,,,,,,,,Sales",  # contact department without a name
    "0015," + "x" * 201 + ",エックス,company,正会員,,,,,,,,,,",  # too long
]
EXPENSE_HEADER = "証ひょう番号,費目,契約日,支払日,支払先,支出額（税込）,消費税,補助対象額\n"
EXPENSE_ROWS = [
    "V1,旅費,,2026-05-01,JTB,abc,,",  # amount unreadable
    "V2,旅費,,2026-02-30,JTB,1000,,",  # bad date
    "V3,旅費,,2026-05-01,JTB,-5,,",  # negative
    "V4,旅費,,2026-05-01,JTB,1000,2000,",  # tax above amount
    "V5,旅費,,2026-05-01,JTB,1000,0,5000",  # eligible above amount
    "V5,旅費,,2026-05-01,JTB,1000,0,",  # duplicate voucher in the file
    "V0,旅費,,2026-05-01,JTB,1000,0,",  # voucher already registered
    ",旅費,,,JTB,1000,0,",  # required blanks
    "V7,旅費,12/5,2026-05-01,JTB,1000,0,",  # a date without its year is fine in a file: no problem
    "V8,旅費,,2026-05-01,JTB,99999999999999,0,",  # too large
]
ASCII_OR_PUNCTUATION = re.compile(r"^[\x00-\x7f“”–—…]*$")


def english_lines(error) -> list[str]:
    return [error.text()] + [str(problem) for problem in error.problems]


def assert_english(lines: list[str], allowed: tuple[str, ...] = ()) -> None:
    for line in lines:
        for word in (*allowed, "令和8年12月5日"):  # an example of what to type, in English too
            line = line.replace(word, "")
        assert ASCII_OR_PUNCTUATION.match(line), line


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("ja")


def test_every_member_import_problem_reads_in_english(db, tmp_path, english):
    from tama_desk.errors import UserError
    from tama_desk.services.member_import import import_members

    path = tmp_path / "members.csv"
    path.write_text(MEMBER_HEADER + "\n".join(MEMBER_ROWS) + "\n", encoding="utf-8")
    with pytest.raises(UserError) as caught, db.transaction() as session:
        import_members(session, path)
    lines = english_lines(caught.value)
    assert len(caught.value.problems) >= len(MEMBER_ROWS)
    assert {problem.row for problem in caught.value.problems} == set(range(2, len(MEMBER_ROWS) + 2))
    assert_english(lines, allowed=("正会員", "賛助会員", "特別会員", "企業", "ビー", "シー"))


def test_every_expenditure_import_problem_reads_in_english(db, tmp_path, english):
    from tama_desk.errors import UserError
    from tama_desk.services import grant_import, grants
    from tests import factories

    with db.transaction() as session:
        grant = factories.make_grant(session, name="Tama export", grantor="METI")
        grants.add_expenditure(session, grant.id, {"voucher_number": "V0", "category": "旅費", "payment_date": "2026-05-01",
                                                   "payee": "JTB", "amount": "1000"})
    path = tmp_path / "expenses.csv"
    path.write_text(EXPENSE_HEADER + "\n".join(EXPENSE_ROWS) + "\n", encoding="utf-8")
    with pytest.raises(UserError) as caught, db.transaction() as session:
        grant_import.import_expenditures(session, grant.id, path)
    rows = {problem.row for problem in caught.value.problems}
    assert rows == set(range(2, len(EXPENSE_ROWS) + 2)) - {10}
    assert_english(english_lines(caught.value))


@pytest.mark.parametrize(("name", "content"), [
    ("a.pdf", b"%PDF"),
    ("a.xlsx", b"not a zip"),
    ("a.csv", b""),
    ("a.csv", b"name,kana\r\n\x81\x20"),
    ("a.csv", b"a" * 200_000),
    ("a.csv", "会員名,Name,ふりがな\r\n".encode()),  # doubled, unknown and missing columns
])
def test_every_file_problem_reads_in_english(db, tmp_path, english, name, content):
    from tama_desk.errors import UserError
    from tama_desk.services.member_import import import_members

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError) as caught, db.transaction() as session:
        import_members(session, path)
    assert_english(english_lines(caught.value), allowed=("ふりがな", "会員名"))


@pytest.mark.parametrize(("text", "spec"), [
    ("取引日,摘要,入金金額\n2026/04/01,TAMA,abc\n2026/13/01,TAMA,100\n,TAMA,100\n", None),
    ("A,B,C\n2026/04/01,TAMA,100\n", None),
    ("A,B,C\n2026/04/01,TAMA,100\n", "date=A,payer=B"),
    ("A,B,C\n2026/04/01,TAMA,100\n", "date=A,payer=B,amount=Z"),
    ("A,B,C\n2026/04/01,TAMA,100\n", "date=9,payer=2,amount=3"),
    ("A,B,C\n2026/04/01,TAMA,100\n", "when=A"),
])
def test_every_statement_problem_reads_in_english(tmp_path, english, text, spec):
    from tama_desk.errors import UserError
    from tama_desk.services.bank_statement import read_statement

    path = tmp_path / "statement.csv"
    path.write_text(text, encoding="utf-8")
    try:
        _lines, problems = read_statement(path, spec)
    except UserError as error:
        lines = english_lines(error)
    else:
        assert len(problems) == 3
        lines = [str(problem) for problem in problems]
    assert_english(lines, allowed=("取引日", "摘要", "入金金額"))


COST_HEADER = "証ひょう番号,費目,支払日,支払先,内容,支出額（税込）,消費税,会計伝票番号\n"
COST_ROWS = [
    "C1,旅費,2026-06-01,JTB,x,abc,,",  # amount unreadable
    "C2,旅費,2026-02-30,JTB,x,1000,,",  # bad date
    "C3,旅費,2026-06-01,JTB,x,-5,,",  # negative
    "C4,旅費,2026-06-01,JTB,x,1000,2000,",  # tax above amount
    "C5,旅費,2026-06-01,JTB,x,1000,0,",  # a good line …
    "C5,旅費,2026-06-02,JTB,x,1000,0,",  # … and the same voucher again in the file
    ",旅費,,JTB,x,1000,0,",  # required blanks
    "C7,旅費,2026-06-01,JTB,x,99999999999999,0,",  # too large
]


def test_every_contract_cost_import_problem_reads_in_english(db, tmp_path, english):
    from tama_desk.errors import UserError
    from tama_desk.services import cost_ledger
    from tests import factories

    with db.transaction() as session:
        contract_id = factories.make_contract(session).id
    path = tmp_path / "costs.csv"
    path.write_text(COST_HEADER + "\n".join(COST_ROWS) + "\n", encoding="utf-8")
    with pytest.raises(UserError) as caught, db.transaction() as session:
        cost_ledger.import_costs(session, contract_id, path)
    assert {problem.row for problem in caught.value.problems} == set(range(2, len(COST_ROWS) + 2)) - {6}
    assert_english(english_lines(caught.value))


def test_every_attendee_and_pairing_import_problem_reads_in_english(db, tmp_path, english):
    from tama_desk.domain import meetings as rules
    from tama_desk.errors import UserError
    from tama_desk.services import matching_sessions, meetings
    from tests import factories

    codes = (*sorted({*rules.ROLES, *rules.ATTENDANCE, *rules.OUTCOMES}, key=len, reverse=True), "、")  # the codes

    with db.transaction() as session:
        board = factories.make_meeting(session, kind="社員総会").id
        fair = factories.make_meeting(session, kind="商談会").id
    attendees = tmp_path / "attendees.csv"
    attendees.write_text("氏名,役職,会員番号,出欠,委任先,議決権数,入室,退室\n"
                         "A,Boss,,出席,,,,\n"  # a role outside the list
                         "B,社員,9999,maybe,,x,25:00,\n"  # unknown member, attendance, votes, time
                         ",,,,,,,x\n", encoding="utf-8")  # required blanks, a time unreadable
    with pytest.raises(UserError) as caught, db.transaction() as session:
        meetings.import_attendees(session, board, attendees)
    assert len(caught.value.problems) >= 4
    assert_english(english_lines(caught.value), allowed=codes)
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("会員番号,相手企業,国,時刻,結果,金額,フォロー期限\n"
                     "9999,,CN,9:99,great,abc,2026-02-30\n", encoding="utf-8")
    with pytest.raises(UserError) as caught, db.transaction() as session:
        matching_sessions.import_pairs(session, fair, pairs)
    assert len(caught.value.problems) >= 4
    assert_english(english_lines(caught.value), allowed=codes)
