"""Re-importing a members file whose rows have no 会員番号 never creates twins."""

from __future__ import annotations

from sqlalchemy import func, select

from tama_desk import cli
from tama_desk.db.models import Member
from tama_desk.services.member_import import import_members

CSV = ("会員名,フリガナ,会員区分,会員種別,法人番号,郵便番号,電話番号\r\n"
       "株式会社多摩精機,タマセイキ,企業,正会員,,190-0001,042-600-1111\r\n"
       "浅川工業株式会社,アサカワコウギョウ,企業,正会員,7000012050002,,\r\n")


def _count(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(Member))


def test_the_same_file_twice_updates_instead_of_duplicating(db, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(CSV, encoding="utf-8")
    with db.transaction() as session:
        first = import_members(session, path)
    assert len(first.created) == 2 and _count(db) == 2

    path.write_text(CSV.replace("042-600-1111", "042-600-2222").replace("浅川工業株式会社", "浅川工業（株）"),
                    encoding="utf-8")
    with db.transaction() as session:
        preview = import_members(session, path, dry_run=True)
    assert preview.created == [] and [line for line, _n, _name in preview.matched] == [2, 3]
    with db.transaction() as session:
        again = import_members(session, path)
    assert again.created == [] and len(again.updated) == 2
    assert _count(db) == 2
    with db.reading() as session:
        assert session.scalar(select(Member.phone).where(Member.number == first.created[0][1])) == "042-600-2222"


def test_cli_names_the_matched_rows(db, tmp_path, capsys):
    path = tmp_path / "members.csv"
    path.write_text(CSV, encoding="utf-8")
    target = db.url.removeprefix("sqlite:///")
    assert cli.main(["members", "import", str(path), "--db", target]) == 0
    assert cli.main(["members", "import", str(path), "--db", target]) == 0
    out = capsys.readouterr().out
    assert "既存の会員と一致" in out and _count(db) == 2
