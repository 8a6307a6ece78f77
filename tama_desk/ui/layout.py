"""Small window-placement and style helpers shared by the views."""

from __future__ import annotations

import tkinter
from tkinter import font as tkfont

import ttkbootstrap as ttk


def tune_styles(root: tkinter.Misc) -> None:
    """Rows tall enough for Japanese text, headings in bold."""
    linespace = tkfont.nametofont("TkDefaultFont", root).metrics("linespace")
    style = ttk.Style()
    style.configure("Treeview", rowheight=linespace + 8)
    heading = tkfont.nametofont("TkHeadingFont", root).actual()
    style.configure("Treeview.Heading", font=(heading["family"], heading["size"], "bold"))


WARNING_COLOUR = "#b35c00"  # the theme's warning yellow is too pale for text


def paint(label: ttk.Label, text: str, style: str) -> None:
    """Set a label's text and colour ("default", "success", "danger" or "warning", drawn in orange)."""
    if style == "warning":
        label.configure(text=text, bootstyle="default", foreground=WARNING_COLOUR)
    else:
        label.configure(text=text, bootstyle=style, foreground="")
