"""The bundled Japanese font (IPAex Gothic), embedded in every PDF so text is extractable
and prints the same on any PC."""

from __future__ import annotations

import functools
import struct
from pathlib import Path

from tama_desk import paths

GOTHIC = "IPAexGothic"


def register_fonts() -> str:
    """Register the font once per process; returns its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if GOTHIC not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(GOTHIC, str(paths.font_path())))
    return GOTHIC


def has_glyph(char: str) -> bool:
    """Whether the bundled font can draw `char` (else a PDF shows a blank box for it)."""
    return ord(char) in font_codes()


@functools.cache
def font_codes() -> frozenset[int]:
    """The code points the bundled font maps, as reportlab's parse of it has them (`face.charToGlyph`), read
    from its cmap table alone: registering the font imports reportlab and parses the whole 6 MB file (a fifth
    of a second), and saving a member checks its characters against this set."""
    return cmap_codes(paths.font_path())


def cmap_codes(path: Path) -> frozenset[int]:
    """The keys of reportlab's `TTFontFile(path).charToGlyph`: the subtable it picks (the last Unicode one) and
    its ranges; the rare formats other than 4, 12 and 13 (never in a CJK font) go through reportlab itself."""
    with open(path, "rb") as file:
        header = file.read(12)
        if header[:4] not in (b"\x00\x01\x00\x00", b"true"):  # a collection or an OpenType CFF font
            return _reportlab_codes(path)
        (tables,) = struct.unpack(">H", header[4:6])
        directory = file.read(16 * tables)
        found = {tag: (offset, length) for tag, _sum, offset, length in struct.iter_unpack(">4sLLL", directory)}
        if b"cmap" not in found:
            return _reportlab_codes(path)
        offset, length = found[b"cmap"]
        file.seek(offset)
        cmap = file.read(length)
    version, count = struct.unpack_from(">HH", cmap)
    if count == 0 and version != 0:
        count = version
    chosen, kind = None, 0
    for platform, encoding, start in struct.iter_unpack(">HHL", cmap[4:4 + 8 * count]):
        # reportlab's choice, in its order: the last subtable of platform 3, 1/1 or 0 (not 0/5) wins
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, kind = start, 1
        elif platform == 1 and encoding == 0 and kind != 1:
            chosen, kind = start, 2
    if chosen is None:
        return _reportlab_codes(path)
    (fmt,) = struct.unpack_from(">H", cmap, chosen)
    codes: set[int] = set()
    if fmt in (12, 13):
        (groups,) = struct.unpack_from(">L", cmap, chosen + 12)
        for first, last, _glyph in struct.iter_unpack(">LLL", cmap[chosen + 16:chosen + 16 + 12 * groups]):
            codes.update(range(first, last + 1))
    elif fmt == 4:
        (doubled,) = struct.unpack_from(">H", cmap, chosen + 6)
        segments = doubled // 2
        ends = struct.unpack_from(f">{segments}H", cmap, chosen + 14)
        starts = struct.unpack_from(f">{segments}H", cmap, chosen + 16 + 2 * segments)
        for first, last in zip(starts, ends, strict=True):  # every code of a segment, its glyph 0 or not
            codes.update(range(first, last + 1))
    else:
        return _reportlab_codes(path)
    if 0x20 in codes:  # reportlab maps the no-break space to the space's glyph (or the other way round)
        codes.add(0xA0)
    elif 0xA0 in codes:
        codes.add(0x20)
    return frozenset(codes)


def _reportlab_codes(path: Path) -> frozenset[int]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(path)).charToGlyph)
