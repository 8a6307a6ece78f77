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

from tama_desk import __version__, areas, i18n
from tama_desk.errors import UserError

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
# CLI modules that belong to no navigation area (same protocol as an area's `cli`: add_commands + run)
OTHER_COMMANDS = ("tama_desk.cli_receipts", "tama_desk.cli_backup")
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

    for module in [area.cli for area in areas.AREAS if area.cli] + list(OTHER_COMMANDS):
        _add_area_commands(commands, common, areas.load(module))
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
        if command in COMMANDS:
            return COMMANDS[command](args)
        return args.area_run(args, _LazyDatabase(args))
    except UserError as error:
        print(error, file=sys.stderr)
        return getattr(error, "exit_code", EXIT_INVALID)
    except OSError as error:  # a full disk, a read-only folder, --out naming a file: nothing half-written
        where = error.filename or ""
        print(i18n.t("ファイルを読み書きできません: {path}（{reason}）", path=where,
                     reason=error.strerror or type(error).__name__), file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("中断しました", file=sys.stderr)
        return EXIT_FAILURE
    except Exception as error:  # the last resort: say what failed; the traceback goes to the log file
        from tama_desk import paths
        from tama_desk.app import setup_logging

        setup_logging()
        log.exception("command %s failed", command)
        print(i18n.t("エラー: {error}\n詳細はログに記録しました: {path}", error=_plain(error), path=paths.log_dir()),
              file=sys.stderr)
        return EXIT_FAILURE


def _plain(error: Exception) -> str:
    """An unexpected error without the SQL statement or its parameters."""
    from sqlalchemy.exc import StatementError

    if isinstance(error, StatementError):
        return type(error.orig).__name__ if error.orig is not None else type(error).__name__
    return str(error)


def _safe_console() -> None:
    """A Japanese Windows console may be cp932: never crash on a character it lacks."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _open(args):
    from tama_desk.db.engine import open_database

    return open_database(getattr(args, "db", None))


def cmd_init(args) -> int:
    from tama_desk.services.reconcile import fill_match_keys

    db = _open(args)
    with db.transaction() as session:  # the statement matcher's name keys of members saved before 0017
        fill_match_keys(session)
    if db.backup_taken:
        print(f"移行前のバックアップ: {db.backup_taken}")
    print(f"データベース: {db.display_name()}")
    return EXIT_OK


def cmd_demo(args) -> int:
    from tama_desk.services.demo import describe, load_demo

    loaded: dict[str, int] = {}
    with _open(args).transaction() as session:
        load_demo(session, args.count, loaded=loaded)
    print(describe(loaded))
    return EXIT_OK


def _add_area_commands(commands, common, module) -> None:
    """An area's CLI module adds its sub-parsers; every top-level command it added runs `module.run(args, db)`."""
    before = set(commands.choices)
    module.add_commands(commands, common)
    for name in set(commands.choices) - before:
        commands.choices[name].set_defaults(area_run=module.run)


class _LazyDatabase:
    """The database opened on first use, so commands that need none (a template) never create one."""

    def __init__(self, args):
        self._args, self._db = args, None

    def __getattr__(self, name):
        if self._db is None:
            self._db = _open(self._args)
        return getattr(self._db, name)


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
            xlsx = _xlsx_test(members.all_members(session))
        db.close()
    if (not pdf.startswith(b"%PDF") or b"IPAexGothic" not in pdf or len(found) != 1 or not xlsx
            or not _bank_codes_test() or not _pool_test()):
        print("self-test failed", file=sys.stderr)
        return EXIT_FAILURE
    print("self-test ok")
    return EXIT_OK


def _xlsx_test(all_members: list) -> bool:
    """The member list as an Excel file, read back with openpyxl."""
    import io

    from openpyxl import load_workbook

    from tama_desk.exports import members_io

    sheet = load_workbook(io.BytesIO(members_io.export_bytes(all_members, "xlsx")), read_only=True).active
    ok = any("自己診断" in row for row in sheet.iter_rows(values_only=True))
    print(f"self-test xlsx: {'ok' if ok else 'the member is missing'}")
    return ok


def _bank_codes_test() -> bool:
    """The 全銀 bank and branch code data (trimmed in the Windows build) answers a lookup."""
    from tama_desk.domain import zengin

    ok = zengin.bank_and_branch("0005", "001")[::2] == ("三菱ＵＦＪ", "本店")
    print(f"self-test bank codes: {'ok' if ok else 'wrong answer'}")
    return ok


def _pool_test() -> bool:
    """A batch of invoices rendered by two worker processes (started as a frozen exe starts them) is the bytes
    this process renders."""
    from dataclasses import replace

    from tama_desk.documents import pool
    from tama_desk.documents.sample import sample_invoice

    if not pool.enabled():
        print("self-test pool: off (TAMA_DESK_PDF_POOL=0)")
        return True
    documents = [(replace(sample_invoice(), number=f"SELF-{number}"), None) for number in range(8)]
    with pool.Batch(documents, workers=2) as batch:
        same = list(batch.files()) == [pool.render_one(document) for document in documents]
    print(f"self-test pool: {len(documents)} PDFs by {batch.workers} worker processes, "
          f"{'same bytes' if same else 'DIFFERENT bytes'}")
    return same


COMMANDS = {"init": cmd_init, "demo": cmd_demo, "self-test": cmd_self_test}
