"""The glyph check reads the font's cmap alone and agrees with reportlab's full parse of it, character for character."""

from __future__ import annotations

import struct

from reportlab.pdfbase.ttfonts import TTFontFile

from tama_desk import paths
from tama_desk.documents.fonts import cmap_codes, font_codes, has_glyph


def reportlab_codes(path) -> set[int]:
    return set(TTFontFile(str(path)).charToGlyph)


def test_the_bundled_fonts_codes_are_reportlabs():
    assert font_codes() == reportlab_codes(paths.font_path())


def test_has_glyph_refuses_what_the_font_lacks():
    assert has_glyph("あ") and has_glyph("髙") and has_glyph("ｶ") and has_glyph(" ") and has_glyph("\u00a0")
    assert not has_glyph("𠮷") and not has_glyph("💥")


def test_a_font_whose_last_unicode_subtable_is_format_4(tmp_path):
    """The bundled font lists (0,3) format 4, (0,5), (3,1) format 4 and (3,10) format 12: with the last record
    cut off, reportlab reads the (3,1) format 4 table, and so must the check."""
    data = bytearray(paths.font_path().read_bytes())
    (tables,) = struct.unpack_from(">H", data, 4)
    records = {tag: offset for tag, _sum, offset, _length in struct.iter_unpack(">4sLLL", data[12:12 + 16 * tables])}
    cmap = records[b"cmap"]
    (count,) = struct.unpack_from(">H", data, cmap + 2)
    subtables = [struct.unpack_from(">HHL", data, cmap + 4 + 8 * index) for index in range(count)]
    assert [(platform, encoding) for platform, encoding, _offset in subtables][-2:] == [(3, 1), (3, 10)]
    struct.pack_into(">H", data, cmap + 2, count - 1)
    cut = tmp_path / "format4.ttf"
    cut.write_bytes(bytes(data))
    assert struct.unpack_from(">H", data, cmap + subtables[-2][2])[0] == 4
    assert cmap_codes(cut) == reportlab_codes(cut)
