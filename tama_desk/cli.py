"""`python -m tama_desk [command]`: the batch work without a window. No command opens the window.

Exit codes: 0 ok, 2 invalid input (messages on stderr name the row and field), 1 anything else.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from datetime import date
from pathlib import Path

from tama_desk import __version__, cli_fees, cli_grants, cli_receipts, i18n
from tama_desk.errors import UserError

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
log = logging.getLogger(__name__)


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS,
                        help="database file or SQLAlchemy URL (default: TAMA_DESK_DB, else the user data folder)")
    common.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default=argparse.SUPPRESS,
                        help="language of messages (ja or en)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(prog="python -m tama_desk", parents=[common],
                                     description="TAMA Desk. Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"TAMA Desk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("gui", parents=[common], help="open the window (the default)")
    commands.add_parser("init", parents=[common], help="create or migrate the database and print where it is")
    demo = commands.add_parser("demo", parents=[common], help="load the fictional demo data set into an empty database")
    demo.add_argument("--count", type=int, default=300, help="number of members (default 300)")
    commands.add_parser("self-test", parents=[common],
                        help="import every module, migrate a temporary database, render a PDF; prints 'self-test ok'")

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
    cli_fees.add_commands(commands, common)
    cli_grants.add_commands(commands, common)
    cli_receipts.add_commands(commands, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    _safe_console()
    args = build_parser().parse_args(argv)
    if getattr(args, "lang", None):
        i18n.set_language(args.lang)
    command = args.command or "gui"
    try:
        if command == "gui":
            from tama_desk.app import run_app

            return run_app(getattr(args, "db", None))
        return COMMANDS[command](args)
    except UserError as error:
        print(error, file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print(i18n.t("中断しました"), file=sys.stderr)
        return EXIT_FAILURE
    except Exception as error:  # the last resort: say what failed; the traceback goes to the log file
        from tama_desk import paths
        from tama_desk.app import setup_logging

        setup_logging()
        log.exception("command %s failed", command)
        print(i18n.t("エラー: {error}\n詳細はログに記録しました: {path}", error=error, path=paths.log_dir()), file=sys.stderr)
        return EXIT_FAILURE


def _safe_console() -> None:
    """A Japanese Windows console may be cp932: never crash on a character it lacks."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _open(args):
    from tama_desk.db.engine import open_database

    return open_database(getattr(args, "db", None))


def cmd_init(args) -> int:
    db = _open(args)
    if db.backup_taken:
        print(f"移行前のバックアップ: {db.backup_taken}")
    print(f"データベース: {db.display_name()}")
    return EXIT_OK


def cmd_demo(args) -> int:
    from tama_desk.services.demo import load_demo

    with _open(args).transaction() as session:
        count = load_demo(session, args.count)
    print(f"デモデータを読み込みました: 会員 {count} 件")
    return EXIT_OK


def cmd_members(args) -> int:
    from tama_desk.exports import members_io

    if args.action == "template":
        data = members_io.template_bytes(members_io.format_for(args.file.name))
        return _write(args.file, data, "テンプレートを書き出しました")
    db = _open(args)
    if args.action == "import":
        from tama_desk.services.member_import import import_members

        with db.transaction() as session:
            plan = import_members(session, args.file, dry_run=args.dry_run)
        for line, number, name in plan.created:
            print(f"{line}行目: 新規 {number} {name}")
        for line, number, name in plan.updated:
            print(f"{line}行目: 更新 {number} {name}")
        print(("確認のみ（書き込みなし）: " if args.dry_run else "取り込みました: ") + plan.summary())
        return EXIT_OK
    from tama_desk.domain.charsets import changed_cells
    from tama_desk.services.members import all_members

    file_format = members_io.format_for(args.file.name, cp932=args.cp932)
    with db.reading() as session:
        found = all_members(session)
        data = members_io.export_bytes(found, file_format)
        if file_format == "csv-cp932":  # say which rows Shift_JIS changed ('?'); the database keeps the original
            for line, header, lost in changed_cells(members_io.cells(found), members_io.SPEC.headers):
                print(i18n.t("{line}行目 {field}: 「{chars}」は Shift_JIS にないため ? で書き出しました",
                        line=line, field=header, chars=lost), file=sys.stderr)
    return _write(args.file, data, "書き出しました")


def _write(path: Path, data: bytes, message: str) -> int:
    from tama_desk.fileio import write_atomic

    write_atomic(path, data)
    print(f"{message}: {path}")
    return EXIT_OK


def cmd_self_test(args) -> int:
    """What the packaged exe runs to prove it works: every module, a migration, a PDF with the font."""
    import importlib
    import pkgutil

    import tama_desk
    from tama_desk.db.engine import open_database
    from tama_desk.documents.sample import render_test_page
    from tama_desk.services import members, profile

    for module in pkgutil.walk_packages(tama_desk.__path__, "tama_desk."):
        if ".migrations" not in module.name and module.name != "tama_desk.__main__":
            importlib.import_module(module.name)
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "self-test.sqlite3"))
        with db.transaction() as session:
            members.save_member(session, {"name": "自己診断", "kana": "ジコシンダン", "category": "企業",
                                          "membership_type": "正会員"})
        with db.reading() as session:
            pdf = render_test_page(profile.get_profile(session).name, date.today())
            found = members.search_members(session, "じこしんだん")
        db.close()
    if not pdf.startswith(b"%PDF") or b"IPAexGothic" not in pdf or len(found) != 1:
        print("self-test failed", file=sys.stderr)
        return EXIT_FAILURE
    print("self-test ok")
    return EXIT_OK


def cmd_fees(args) -> int:
    return cli_fees.run(args, _open(args))


def cmd_grants(args) -> int:
    return cli_grants.run(args, _open(args))


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "members": cmd_members, "self-test": cmd_self_test,
            "fees": cmd_fees, "invoices": cmd_fees, "payments": cmd_fees, "grants": cmd_grants,
            "receipts": lambda args: cli_receipts.run(args, _open(args))}
