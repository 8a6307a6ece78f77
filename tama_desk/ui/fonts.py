"""A Japanese UI font for every Tk named font: Windows' own first, the bundled or Linux ones after."""

from __future__ import annotations

import tkinter
from tkinter import font as tkfont

PREFERRED = ("Yu Gothic UI", "Meiryo UI", "Meiryo", "IPAexGothic", "IPAexゴシック", "Noto Sans CJK JP",
             "Noto Sans JP", "TakaoPGothic")
NAMED = ("TkDefaultFont", "TkTextFont", "TkMenuFont", "TkHeadingFont", "TkCaptionFont", "TkSmallCaptionFont",
         "TkIconFont", "TkTooltipFont")


def japanese_family(root: tkinter.Misc) -> str | None:
    available = set(tkfont.families(root))
    return next((family for family in PREFERRED if family in available), None)


def apply_japanese_font(root: tkinter.Misc, size: int = 10) -> str | None:
    family = japanese_family(root)
    if family is None:
        return None
    for name in NAMED:
        try:
            tkfont.nametofont(name, root).configure(family=family)
        except tkinter.TclError:
            continue
    tkfont.nametofont("TkDefaultFont", root).configure(size=size)
    tkfont.nametofont("TkTextFont", root).configure(size=size)
    return family
