"""The bundled Japanese font (IPAex Gothic), embedded in every PDF so text is extractable
and prints the same on any PC."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from tama_desk import paths

GOTHIC = "IPAexGothic"


def register_fonts() -> str:
    """Register the font once per process; returns its reportlab name."""
    if GOTHIC not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(GOTHIC, str(paths.font_path())))
    return GOTHIC


def has_glyph(char: str) -> bool:
    """Whether the bundled font can draw `char` (else a PDF shows a blank box for it)."""
    font = pdfmetrics.getFont(register_fonts())
    return ord(char) in font.face.charToGlyph
