"""Small window-placement and style helpers shared by the views."""

from __future__ import annotations

import tkinter
from tkinter import font as tkfont

import ttkbootstrap as ttk


def center_over(window: tkinter.Toplevel, parent: tkinter.Misc) -> None:
    """Place a dialog over the middle of its parent window, kept on screen."""
    window.update_idletasks()
    owner = parent.winfo_toplevel()
    width, height = window.winfo_reqwidth(), window.winfo_reqheight()
    x = owner.winfo_rootx() + (owner.winfo_width() - width) // 2
    y = owner.winfo_rooty() + (owner.winfo_height() - height) // 3
    x = max(0, min(x, window.winfo_screenwidth() - width))
    y = max(0, min(y, window.winfo_screenheight() - height))
    window.geometry(f"+{x}+{y}")


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
