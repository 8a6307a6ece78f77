"""Starting the window: logging, preferences, the database, then the main loop."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler

from tama_desk import i18n, paths, settings, single_instance

log = logging.getLogger(__name__)


def setup_logging() -> None:
    """Log to a rotating file in the data folder (once per process)."""
    if logging.getLogger().handlers:
        return
    handler = RotatingFileHandler(paths.log_dir() / "tama_desk.log", maxBytes=2_000_000, backupCount=3,
                                  encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


def main(argv: list[str] | None = None) -> int:
    """The program's entry (`python -m tama_desk`, TamaDesk.exe): no command opens the window without building
    the command-line parser (every area's commands: a quarter of a second); anything else is the CLI's."""
    argv = sys.argv[1:] if argv is None else list(argv)
    window = argv[1:] if argv[:1] == ["gui"] else argv
    if not window or (len(window) == 2 and window[0] == "--db"):
        return run_app(window[1] if window else None)
    from tama_desk.cli import main as cli_main

    return cli_main(argv)


def run_app(db_target: str | None = None) -> int:
    """Open the window. Whatever fails on the way is logged and shown in Japanese with the log's folder."""
    declare_dpi_awareness()
    setup_logging()
    try:
        return _run(db_target)
    except Exception as error:
        log.exception("TAMA Desk stopped")
        _fatal(i18n.t("TAMA Desk を続けられなくなりました。\n{error}\n\n詳細はログに記録しました:\n{path}",
                      error=error, path=paths.log_dir()))
        return 1


def _run(db_target: str | None) -> int:
    """The window first, then the database: the window is shown at once and opens the database in a worker
    thread (importing SQLAlchemy and Alembic and migrating take longer than showing the window)."""
    preferences = settings.load()
    i18n.set_language(preferences.language)
    lock = single_instance.acquire()
    if lock is None and not single_instance.ask_second_window():
        return 0
    from tama_desk.ui.main_window import MainWindow

    if not _offer_restore(db_target):  # a damaged database: offer the latest good backup first
        return 1

    def open_database():
        from tama_desk.db.engine import open_database

        return open_database(db_target)

    register_bundled_font()
    window = MainWindow(open_database, preferences)
    window.instance_lock = lock
    window.protocol("WM_DELETE_WINDOW", lambda: _close(window))
    window.mainloop()
    return 1 if window.open_failed else 0


def declare_dpi_awareness() -> None:
    """Windows: the process is system-DPI-aware (what Tk 8.6 supports; per-monitor awareness would leave wrong
    sizes on a second monitor), declared before any window exists, so text stays sharp at 125 % and 150 % and
    Tk's scaling follows the display. ttkbootstrap's Window(high_dpi=True) makes the same call, too late
    when a question was asked first."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        try:
            ctypes.windll.shcore.SetProcessDpiAwareness(1)  # PROCESS_SYSTEM_DPI_AWARE
        except (AttributeError, OSError):
            ctypes.windll.user32.SetProcessDPIAware()
    except (AttributeError, OSError):
        log.warning("could not declare DPI awareness", exc_info=True)


def _offer_restore(db_target: str | None) -> bool:
    """A damaged database (or one of a newer schema) found before opening it: say so in Japanese and offer
    the latest good backup. False when the window should not open.

    A SQLite file that reads and is at this version's schema opens at once (read with the sqlite3 module only,
    a few milliseconds); its full integrity check runs after the window is shown, off the Tk thread
    (MainWindow.start_checks). Anything else gets the full check here (`quick_check`, the known revisions)."""
    from tama_desk.db import schema_head

    if schema_head.at_head(db_target):
        return True
    from tama_desk.services import restore

    problem = restore.startup_problem(db_target)
    if problem is None:
        return True
    log.error("database problem at start: %s", problem.params)
    if problem.archive is None or not _ask_restore(problem.text()):
        _fatal(problem.text())
        return False
    restore.restore(problem.archive, db_target)
    return True


def _ask_restore(message: str) -> bool:
    """Yes/No before the main window exists (no display: restore, keeping the damaged file aside)."""
    try:
        import tkinter
        from tkinter import messagebox

        root = tkinter.Tk()
        root.withdraw()
        answer = messagebox.askyesno("TAMA Desk", message, icon="warning")
        root.destroy()
        return bool(answer)
    except Exception:
        return True


def register_bundled_font() -> None:
    """On Windows, make the bundled IPAex Gothic usable by Tk for this process only (FR_PRIVATE), so Japanese
    shows even on a PC without Japanese fonts; Yu Gothic UI / Meiryo UI are still preferred when present."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        ctypes.windll.gdi32.AddFontResourceExW(str(paths.font_path()), 0x10, 0)
    except (OSError, AttributeError):
        log.warning("could not register the bundled font", exc_info=True)


def _close(window) -> None:
    if window.state() == "normal" and not _zoomed(window):  # a maximised window keeps the size it had
        window.preferences.geometry = window.geometry().split("+")[0]
    try:
        settings.save(window.preferences)
    except OSError:
        log.warning("could not save preferences", exc_info=True)
    if window.db is not None:
        window.db.close()
    window.destroy()


def _zoomed(window) -> bool:
    try:
        return bool(window.attributes("-zoomed"))
    except Exception:  # not on this windowing system
        return False


def _fatal(message: str) -> None:
    print(message, file=sys.stderr)
    try:
        import tkinter
        from tkinter import messagebox

        root = tkinter.Tk()
        root.withdraw()
        messagebox.showerror("TAMA Desk", message)
        root.destroy()
    except Exception:  # no display: the message on stderr is all we can do
        pass
