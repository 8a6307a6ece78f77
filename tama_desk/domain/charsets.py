"""Characters that a target cannot hold: Shift_JIS (cp932, for CSV that Excel opens) or the bundled font.

Pure functions over text; the original stays wherever Unicode is possible (database, XLSX, UTF-8 CSV).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def not_in_cp932(text: str) -> str:
    """The characters of `text` that cp932 cannot encode, each once, in order: "𠮷野家" → "𠮷"."""
    found = []
    for char in str(text or ""):
        try:
            char.encode("cp932")
        except UnicodeEncodeError:
            if char not in found:
                found.append(char)
    return "".join(found)


def not_in_font(text: str, has_glyph: Callable[[str], bool]) -> str:
    """The characters of `text` the font lacks (`has_glyph(char)`), spaces and controls aside."""
    found = []
    for char in str(text or ""):
        if not char.isspace() and char.isprintable() and not has_glyph(char) and char not in found:
            found.append(char)
    return "".join(found)


def changed_cells(rows: Iterable[Iterable[object]], headers: list[str]) -> list[tuple[int, str, str]]:
    """(line in the file — 2 is the first data row, header, characters lost) of every text cell cp932 changes."""
    result = []
    for line, row in enumerate(rows, start=2):
        for header, cell in zip(headers, row, strict=False):
            if isinstance(cell, str) and (lost := not_in_cp932(cell)):
                result.append((line, header, lost))
    return result
