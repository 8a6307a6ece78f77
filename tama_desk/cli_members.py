"""The member commands of `tama_desk members …`: import, export, template (see cli.py for exit codes)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_commands(commands, common: argparse.ArgumentParser) -> None:
    members = commands.add_parser("members", parents=[common], help="the member registry").add_subparsers(
        dest="action", metavar="ACTION", required=True)
    do_import = members.add_parser("import", parents=[common], help="import members from CSV or XLSX (all or nothing)")
    do_import.add_argument("file", type=Path, metavar="FILE")
    do_import.add_argument("--dry-run", action="store_true", help="check and show what would change; write nothing")
    export = members.add_parser("export", parents=[common], help="export members to .xlsx or .csv")
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument("--cp932", action="store_true", help="write CSV in Shift_JIS (cp932) instead of UTF-8 with BOM")
    template = members.add_parser("template", parents=[common], help="write an empty import template (.xlsx or .csv)")
    template.add_argument("file", type=Path, metavar="FILE")


def run(args, db) -> int:
    from tama_desk.exports import members_io

    if args.action == "template":
        data = members_io.template_bytes(members_io.format_for(args.file.name))
        return _write(args.file, data, "テンプレートを書き出しました")
    if args.action == "import":
        from tama_desk.services.member_import import import_members

        if not args.dry_run:
            from tama_desk.services import backup

            backup.before_batch(db, "import")
        with db.transaction() as session:
            plan = import_members(session, args.file, dry_run=args.dry_run)
        for line, number, name in plan.created:
            print(f"{line}行目: 新規 {number} {name}")
        matched = {line for line, _number, _name in plan.matched}
        for line, number, name in plan.updated:
            print(f"{line}行目: 更新 {number} {name}" + ("（会員番号なし: 既存の会員と一致）" if line in matched else ""))
        print(("確認のみ（書き込みなし）: " if args.dry_run else "取り込みました: ") + plan.summary())
        return 0
    import sys

    from tama_desk.domain.charsets import changed_cells
    from tama_desk.i18n import t
    from tama_desk.services.members import all_members

    file_format = members_io.format_for(args.file.name, cp932=args.cp932)
    with db.reading() as session:
        found = all_members(session)
        data = members_io.export_bytes(found, file_format)
        if file_format == "csv-cp932":  # say which rows Shift_JIS changed ('?'); the database keeps the original
            for line, header, lost in changed_cells(members_io.cells(found), members_io.SPEC.headers):
                print(t("{line}行目 {field}: 「{chars}」は Shift_JIS にないため ? で書き出しました",
                        line=line, field=header, chars=lost), file=sys.stderr)
    return _write(args.file, data, "書き出しました")


def _write(path: Path, data: bytes, message: str) -> int:
    from tama_desk.fileio import write_atomic

    write_atomic(path, data)
    print(f"{message}: {path}")
    return 0
