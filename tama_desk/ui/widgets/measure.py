"""How wide text is, in the units of an entry's `width` (average characters of the widget's font)."""

from __future__ import annotations

import itertools
import tkinter
from tkinter import font as tkfont

_HOLDERS = itertools.count()


def held_font(widget, font: str) -> tkfont.Font:
    """`font` (a named font like "TkHeadingFont" or a description like "{Noto Sans CJK JP} 10 bold") to measure
    with, kept in use. Tk makes a font's glyph tables (fontconfig, an X round trip) when a widget first uses it and
    frees them when the last one lets go; measured while no widget uses it, it is made and freed again for every
    `measure`: 0.5-5 ms a call, where a font kept in use measures in microseconds. One hidden label per window
    and font keeps it in use (made again if the window's widgets were all rebuilt)."""
    root = widget._root()
    held = root.__dict__.setdefault("_tama_held_fonts", {})
    found = held.get(font)
    if found is not None and found[1].winfo_exists():
        return found[0]
    try:
        made = tkfont.nametofont(font, root)
    except tkinter.TclError:  # a description, not a name
        made = tkfont.Font(root, font=font)
    held[font] = made, tkinter.Label(root, font=made, name=f"tama_font_holder{next(_HOLDERS)}")
    return made


def text_width(widget, texts, minimum: int = 4) -> int:
    """Characters of `width` an Entry/Combobox needs to show the widest of `texts` (Japanese counts double)."""
    font = held_font(widget, "TkDefaultFont")
    unit = max(1, font.measure("0"))
    widest = max([font.measure(str(text)) for text in texts] + [0])
    return max(minimum, -(-widest // unit))


def pixels(widget, text: str) -> int:
    return held_font(widget, "TkDefaultFont").measure(text)


# characters a Japanese line may not start with (行頭禁則): they stay at the end of the line before
NO_LINE_START = set("、。，．,.）)」』】〕〉》］]｝}ー…‥・：；:;！？!?ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ")


def wrap(widget, text: str, width: int) -> str:
    """`text` broken into lines no wider than `width` pixels (Japanese breaks between any characters, words of
    Latin letters stay whole when they fit), never starting a line with 。、）」 and the like."""
    font = held_font(widget, "TkDefaultFont")
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if line and font.measure(line + char) > width and char not in NO_LINE_START:
                cut = len(line)
                if char.isascii() and char.isalnum():  # do not split a Latin word or a number
                    while cut > 0 and line[cut - 1].isascii() and line[cut - 1].isalnum():
                        cut -= 1
                    cut = cut or len(line)
                lines.append(line[:cut].rstrip())
                line = line[cut:].lstrip()
            line += char
        lines.append(line)
    return "\n".join(lines)
