"""Opening a file with the program the PC uses for it (a PDF viewer, Excel); choosing a voucher file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def open_file(path: Path) -> None:
    if sys.platform == "win32":
        os.startfile(path)  # noqa: S606 - the user asked to open this file
    elif sys.platform == "darwin":
        subprocess.Popen(["open", str(path)])
    else:
        subprocess.Popen(["xdg-open", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def print_file(path: Path) -> None:
    """Print through the PC's PDF program (Windows: its "print" verb); elsewhere open it to print from there."""
    if sys.platform == "win32":
        os.startfile(path, "print")  # noqa: S606 - the user asked to print this file
    else:
        open_file(path)


def ask_voucher(parent) -> Path | None:
    """The voucher file (PDF or image) the user picks for an expenditure or a cost, or None."""
    from tkinter import filedialog

    from tama_desk.i18n import t

    chosen = filedialog.askopenfilename(parent=parent, title=t("証ひょうのファイル"),
                                        filetypes=[(t("PDF・画像"), "*.pdf *.jpg *.jpeg *.png"),
                                                   (t("すべてのファイル"), "*.*")])
    return Path(chosen) if chosen else None
