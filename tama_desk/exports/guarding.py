"""What a spreadsheet would run as a formula, and how a CSV cell is kept text (CSV/formula injection). Kept apart
from exports.xlsx and exports.tables so that writers of plain CSV (the journals) need not import openpyxl."""

from __future__ import annotations

UNSAFE_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # what Excel (or LibreOffice) reads as a formula


def formula_safe(value: object) -> object:
    """A text that Excel would run as a formula gets a leading apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(UNSAFE_PREFIXES):
        return "'" + value
    return value
