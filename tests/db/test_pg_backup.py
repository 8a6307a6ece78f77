"""PostgreSQL: transfer from SQLite and back, the portable archive written through the app, restore."""

from __future__ import annotations

import zipfile

import pytest
from sqlalchemy import select

from tama_desk import cli
from tama_desk.db.engine import open_database
from tama_desk.db.models import Member
from tama_desk.errors import UserError
from tama_desk.services import audit, backup, restore, transfer
from tama_desk.services.members import save_member

NEW_MEMBER = {"name": "株式会社バックアップ", "kana": "バックアップ", "category": "企業", "membership_type": "正会員"}
fingerprint = transfer.fingerprints


def test_transfer_to_postgresql_and_back_and_a_portable_archive(demo_db, pg_url, tmp_path, capsys):
    before = fingerprint(demo_db.engine)
    assert cli.main(["transfer", "--db", demo_db.url.removeprefix("sqlite:///"), "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "へ" in out and ":***@" in out and ":tama@" not in out  # the password is masked, never printed
    pg = open_database(pg_url)
    assert {name: count for name, (count, _) in fingerprint(pg.engine).items()} == \
        {name: count for name, (count, _) in before.items()}
    with pg.reading() as session:
        assert audit.verify(session)[2] is None
    with pytest.raises(UserError, match="既にデータがあります"):
        transfer.transfer(demo_db, pg_url)

    archive = backup.create_backup(pg)  # the portable copy, through the app
    with zipfile.ZipFile(archive) as opened:
        assert "tables/member.jsonl" in opened.namelist() and "database.sqlite3" not in opened.namelist()
    with pg.transaction() as session:
        save_member(session, NEW_MEMBER)
    pg.close()
    restore.restore(archive, pg_url)  # replaces every table of the server in one transaction
    pg = open_database(pg_url)
    with pg.reading() as session:
        assert session.scalar(select(Member).where(Member.name == NEW_MEMBER["name"])) is None
    pg.close()

    back = tmp_path / "back.sqlite3"
    restore.restore(archive, str(back))
    again = open_database(str(back))
    assert {name: count for name, (count, _) in fingerprint(again.engine).items()} == \
        {name: count for name, (count, _) in before.items()}
    again.close()
