"""Backups, restore, the audit chain, transfer and check (`python -m tama_desk backup …`; exit codes in cli.py).

    backup [--to DIR]          write an archive (database + attachments + manifest); prints its path
    backups list               the archives in the backups folder, newest first
    restore ARCHIVE [--yes]    verify, keep the current database as a backup, swap in the archive's
    audit verify               the hash chain and every issued document; exit 1 naming the first break
    transfer --to URL          copy every table into another (empty) database, e.g. a PostgreSQL server
    check                      integrity of the database and the attachment files
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tama_desk.errors import UserError


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    backup = commands.add_parser("backup", parents=[common], help="write a backup archive; prints its path")
    backup.add_argument("--to", type=Path, default=None, metavar="DIR", help="default: the backups folder")
    listing = commands.add_parser("backups", parents=[common], help="backup archives").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    listing.add_parser("list", parents=[common], help="the archives in the backups folder, newest first")
    restore = commands.add_parser("restore", parents=[common],
                                  help="restore an archive (the current database is kept as a backup)")
    restore.add_argument("archive", type=Path, metavar="ARCHIVE")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    audit = commands.add_parser("audit", parents=[common], help="the audit log").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    audit.add_parser("verify", parents=[common],
                     help="check the hash chain and every issued document (exit 1 naming the first break)")
    move = commands.add_parser("transfer", parents=[common], help="copy every table into another, empty database")
    move.add_argument("--to", required=True, metavar="URL", help="a SQLite path or SQLAlchemy URL")
    commands.add_parser("check", parents=[common], help="integrity of the database and the attachment files")


def _open(args):
    from tama_desk.db.engine import open_database

    return open_database(getattr(args, "db", None))


def cmd_backup(args) -> int:
    from tama_desk.services import backup

    db = _open(args)
    try:
        if args.to is not None and args.to.exists() and not args.to.is_dir():
            raise UserError("--to {path}: フォルダを指定してください", path=args.to)
        try:
            path = backup.create_backup(db, "manual", args.to)
        except OSError as error:
            raise UserError("バックアップを書けません（{error}）: {path}", error=error.strerror or error,
                            path=args.to or "") from error
    finally:
        db.close()
    print(path)
    return 0


def cmd_backups(args) -> int:
    from tama_desk.services import backup

    for info in backup.archives():
        print(f"{info.taken_at:%Y-%m-%d %H:%M:%S}\t{info.label}\t{info.size:,}\t{info.path}")
    return 0


def cmd_restore(args) -> int:
    from tama_desk.db.engine import resolve_url
    from tama_desk.services import backup, restore

    if not args.archive.is_file():
        raise UserError("{path}: ファイルが見つかりません", path=args.archive)
    manifest = backup.verify_archive(args.archive)
    url = resolve_url(getattr(args, "db", None))
    if not args.yes:
        print(f"{args.archive.name}（{manifest.get('created_at', '?')}、スキーマ {manifest.get('schema_revision')}）"
              f"で {restore.display_target(url)} を置き換えます。今のデータベースはバックアップに残します。")
        if not sys.stdin.isatty() or input("よろしいですか？ [y/N] ").strip().lower() not in ("y", "yes"):
            print("中止しました（何も変更していません）", file=sys.stderr)
            return 1
    result = restore.restore(args.archive, url)
    if result.kept:
        print(f"元のデータベースの控え: {result.kept}")
    if result.migrated_from:
        print(f"スキーマ {result.migrated_from} から移行しました")
    print(f"復元しました: {args.archive}")
    return 0


def cmd_audit(args) -> int:
    from tama_desk.services import audit

    db = _open(args)
    with db.reading() as session:
        entries, documents, broken = audit.verify(session)
    db.close()
    if broken:
        print(f"audit verify: FAILED at {broken}", file=sys.stderr)
        return 1
    print(f"audit verify: ok ({entries} entries, {documents} documents)")
    return 0


def cmd_transfer(args) -> int:
    from tama_desk.db.engine import resolve_url
    from tama_desk.services import restore, transfer

    db = _open(args)
    target = resolve_url(args.to)
    try:
        counts = transfer.transfer(db, target)
    finally:
        db.close()
    print(f"{restore.display_target(target)} へ {sum(counts.values()):,} 行を移しました（{len(counts)} 表）")
    return 0


def cmd_check(args) -> int:
    from tama_desk.services.check import run_check

    db = _open(args)
    try:
        result = run_check(db)
    finally:
        db.close()
    print(f"database: {result.database} ({result.tables} tables)")
    print(f"attachments: {result.files_checked} checked, {len(result.problems)} problems")
    for problem in result.problems:
        print(f"  {problem}", file=sys.stderr)
    return 0 if result.ok else 1


COMMANDS = {"backup": cmd_backup, "backups": cmd_backups, "restore": cmd_restore, "audit": cmd_audit,
            "transfer": cmd_transfer, "check": cmd_check}


def run(args, _db=None) -> int:
    """For a CLI that hands every area command `(args, db)`: these commands open the database themselves
    (restore must not open a damaged one first)."""
    return COMMANDS[args.command](args)
