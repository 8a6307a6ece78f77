"""How wide text is, in the units of an entry's `width` (average characters of the widget's font)."""

from __future__ import annotations

from tkinter import font as tkfont


def text_width(widget, texts, minimum: int = 4) -> int:
    """Characters of `width` an Entry/Combobox needs to show the widest of `texts` (Japanese counts double)."""
    font = tkfont.nametofont("TkDefaultFont", widget)
    unit = max(1, font.measure("0"))
    widest = max([font.measure(str(text)) for text in texts] + [0])
    return max(minimum, -(-widest // unit))


def pixels(widget, text: str) -> int:
    return tkfont.nametofont("TkDefaultFont", widget).measure(text)
