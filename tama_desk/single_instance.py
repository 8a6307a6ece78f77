"""Noticing a second TAMA Desk window on the same PC and profile (two windows on one database confuse staff).

A lock file in the data folder is held for the life of the process; the OS releases it when the process
ends, even after a crash, so a stale lock never blocks the next start.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from tama_desk import paths


def acquire(path: Path | None = None) -> IO | None:
    """The open lock file (keep it referenced), or None when another process holds it."""
    path = path or paths.data_dir() / "tama_desk.lock"
    handle = open(path, "a+")  # noqa: SIM115 - held open on purpose until the process ends
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def ask_second_window() -> bool:
    """「TAMA Desk は既に起動しています。もう1つ開きますか？」 with the app's own buttons (キャンセル / 開く), on a
    hidden window of its own before the main window exists. No display: go on."""
    try:
        import ttkbootstrap as ttk

        from tama_desk import APP_NAME
        from tama_desk.i18n import t
        from tama_desk.ui import feedback
        from tama_desk.ui.fonts import apply_japanese_font

        root = ttk.Window(title=APP_NAME, high_dpi=True, alpha=0.0)
        root.overrideredirect(True)  # an invisible anchor in the middle of the screen: the question is centred
        root.geometry(f"1x1+{root.winfo_screenwidth() // 2 - 220}+{root.winfo_screenheight() // 3}")
        apply_japanese_font(root)
    except Exception:  # no display
        return True
    try:
        return feedback.confirm(root, t("TAMA Desk は既に起動しています。もう1つ開きますか？"), APP_NAME, "開く")
    finally:
        root.destroy()
