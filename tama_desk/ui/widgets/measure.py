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


# characters a Japanese line may not start with (行頭禁則): they stay at the end of the line before
NO_LINE_START = set("、。，．,.）)」』】〕〉》］]｝}ー…‥・：；:;！？!?ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ")


def wrap(widget, text: str, width: int) -> str:
    """`text` broken into lines no wider than `width` pixels (Japanese breaks between any characters, words of
    Latin letters stay whole when they fit), never starting a line with 。、）」 and the like."""
    font = tkfont.nametofont("TkDefaultFont", widget)
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
