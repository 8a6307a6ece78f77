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


def run_app(db_target: str | None = None) -> int:
    """Open the window. Whatever fails on the way is logged and shown in Japanese with the log's folder."""
    setup_logging()
    try:
        return _run(db_target)
    except Exception as error:
        log.exception("TAMA Desk stopped")
        _fatal(i18n.t("TAMA Desk を続けられなくなりました。\n{error}\n\n詳細はログに記録しました:\n{path}",
                      error=error, path=paths.log_dir()))
        return 1


def _run(db_target: str | None) -> int:
    preferences = settings.load()
    i18n.set_language(preferences.language)
    from tama_desk.db.engine import open_database
    from tama_desk.ui.main_window import MainWindow

    lock = single_instance.acquire()
    if lock is None and not _confirm(i18n.t("TAMA Desk は既に起動しています。もう1つ開きますか？")):
        return 0
    if not _offer_restore(db_target):
        return 1
    try:
        db = open_database(db_target)
    except Exception as error:
        log.exception("cannot open the database")
        _fatal(i18n.t("データベースを開けません。\n{error}\n\nログ: {path}", error=error, path=paths.log_dir()))
        return 1
    register_bundled_font()
    window = MainWindow(db, preferences)
    window.instance_lock = lock
    if db.backup_taken:
        window.set_status(i18n.t("更新前のバックアップを作成しました: {path}", path=db.backup_taken))
    for warning in db.warnings:
        window.set_status(i18n.t(warning))
    window.protocol("WM_DELETE_WINDOW", lambda: _close(window))
    window.mainloop()
    return 0


def _offer_restore(db_target: str | None) -> bool:
    """A damaged database (or one of a newer schema) found before opening it: say so in Japanese and offer
    the latest good backup. False when the window should not open."""
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
    window.preferences.geometry = window.geometry().split("+")[0]
    try:
        settings.save(window.preferences)
    except OSError:
        log.warning("could not save preferences", exc_info=True)
    window.db.close()
    window.destroy()


def _confirm(message: str) -> bool:
    try:
        import tkinter
        from tkinter import messagebox

        root = tkinter.Tk()
        root.withdraw()
        answer = messagebox.askyesno("TAMA Desk", message)
        root.destroy()
        return bool(answer)
    except Exception:  # no display: go on
        return True


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
