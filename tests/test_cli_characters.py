"""Names Shift_JIS or the PDF font cannot hold: warned when saved, reported on a cp932 export (issue 12)."""

from __future__ import annotations

from tama_desk import cli
from tama_desk.db.engine import open_database
from tama_desk.domain.charsets import changed_cells, not_in_cp932
from tama_desk.services import members


def test_not_in_cp932():
    assert not_in_cp932("𠮷野家 𠮷") == "𠮷"
    assert not_in_cp932("髙島屋") == ""  # cp932 (Windows) has 髙; Shift_JIS proper does not
    assert changed_cells([["0001", "𠮷野商店"], ["0002", "多摩"]], ["会員番号", "会員名"]) == [(2, "会員名", "𠮷")]


def test_saving_warns_and_a_cp932_export_names_the_row_but_the_database_keeps_the_original(tmp_path, capsys):
    path = tmp_path / "chars.sqlite3"
    database = open_database(str(path))
    with database.transaction() as session:
        member, warnings = members.save_member_with_warnings(session, {
            "number": "0001", "name": "株式会社𠮷野製作所", "kana": "ヨシノセイサクショ", "category": "企業",
            "membership_type": "正会員", "join_date": "2020-04-01"})
        assert any("𠮷" in warning and "Shift_JIS" in warning for warning in warnings)
        _plain, none = members.save_member_with_warnings(session, {
            "number": "0002", "name": "株式会社多摩精機", "kana": "タマセイキ", "category": "企業",
            "membership_type": "正会員", "join_date": "2020-04-01"})
        assert none == []
    database.close()
    out = tmp_path / "members.csv"
    assert cli.main(["--db", str(path), "members", "export", str(out), "--cp932"]) == 0
    err = capsys.readouterr().err
    assert "会員名" in err and "𠮷" in err and "?" in err
    assert "?野製作所" in out.read_bytes().decode("cp932")
    xlsx = tmp_path / "members.xlsx"
    assert cli.main(["--db", str(path), "members", "export", str(xlsx)]) == 0
    assert capsys.readouterr().err == ""
    database = open_database(str(path))
    with database.reading() as session:
        assert members.all_members(session)[0].name in ("株式会社𠮷野製作所", "株式会社多摩精機")
        assert {m.name for m in members.all_members(session)} >= {"株式会社𠮷野製作所"}
    database.close()
