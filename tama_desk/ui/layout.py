"""Small window-placement and style helpers shared by the views."""

from __future__ import annotations

import tkinter
from tkinter import font as tkfont

import ttkbootstrap as ttk


def tune_styles(root: tkinter.Misc) -> None:
    """Rows tall enough for Japanese text, headings in bold; combobox lists made when first opened."""
    from tama_desk.ui.widgets import popdown  # here: the widgets package imports this module

    popdown.install()
    linespace = tkfont.nametofont("TkDefaultFont", root).metrics("linespace")
    style = ttk.Style()
    style.configure("Treeview", rowheight=linespace + 8)
    heading = tkfont.nametofont("TkHeadingFont", root).actual()
    style.configure("Treeview.Heading", font=(heading["family"], heading["size"], "bold"))
    # The warning outline button's text is the theme's yellow (1.6:1 on white): darkened (or, on a dark theme,
    # lightened) to 4.5:1; its border stays yellow and it turns yellow on hover, so it does not read as an error.
    style.configure("warning.Outline.TButton", foreground=readable(style.colors.warning, style.colors.bg))


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of "#rrggbb"."""
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: str, background: str, ratio: float = 4.5) -> str:
    """`colour`, mixed step by step towards black (white on a dark background) until text in it reaches `ratio`
    on `background`; the same hue, only darker or lighter."""
    target = 0 if luminance(background) > 0.18 else 255
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    for step in range(51):
        mixed = "#" + "".join(f"{round(c + (target - c) * step / 50):02x}" for c in channels)
        if contrast(mixed, background) >= ratio:
            return mixed
    return mixed


WARNING_COLOUR = "#b35c00"  # the theme's warning yellow is too pale for text


def paint(label: ttk.Label, text: str, style: str) -> None:
    """Set a label's text and colour ("default", "success", "danger" or "warning", drawn in orange)."""
    if style == "warning":
        label.configure(text=text, bootstyle="default", foreground=WARNING_COLOUR)
    else:
        label.configure(text=text, bootstyle=style, foreground="")
