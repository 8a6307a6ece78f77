"""What the three journal exporters share: cells checked against the target encoding and cut to its limits.

A character the encoding cannot hold is a problem named with the file's line and column (the export is
refused, never silently replaced); a name longer than the target allows is cut, with a warning; a text Excel
would run as a formula gets a leading apostrophe (exports.guarding.formula_safe).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from tama_desk.errors import Problem, ProblemList
from tama_desk.exports.guarding import formula_safe


@dataclass
class Rendered:
    """An exporter's result: the file's bytes, how many data rows it holds, what was cut."""

    data: bytes
    rows: int
    warnings: list[Problem] = field(default_factory=list)


class CsvBuilder:
    def __init__(self, encoding: str, header: list[str] | None = None, byte_limits: bool = False) -> None:
        self.encoding, self.header, self.byte_limits = encoding, header, byte_limits
        self.lines: list[list[str]] = [header] if header else []
        self.problems, self.warnings = ProblemList(), ProblemList()

    @property
    def next_line(self) -> int:
        return len(self.lines) + 1

    def cell(self, value: object, column: str, limit: int | None = None, record: str = "") -> str:
        text = "" if value is None else str(value)
        text = formula_safe(text.replace("\r", " ").replace("\n", " "))  # never a formula when opened in Excel
        bad = "".join(dict.fromkeys(ch for ch in text if not _encodable(ch, self.encoding)))
        if bad:
            self.problems.add("「{value}」の文字「{chars}」は {encoding} で書けません", field=column,
                              row=self.next_line, record=record, value=text, chars=bad, encoding=self.encoding)
            return text
        if limit and self._size(text) > limit:
            cut = text
            while self._size(cut) > limit:
                cut = cut[:-1]
            self.warnings.add("「{value}」を{limit}{unit}に切り詰めました: 「{cut}」", field=column, row=self.next_line,
                              record=record, value=text, limit=limit, cut=cut,
                              unit="バイト" if self.byte_limits else "文字")
            text = cut
        return text

    def _size(self, text: str) -> int:
        return len(text.encode(self.encoding)) if self.byte_limits else len(text)

    def add(self, cells: list[str]) -> None:
        self.lines.append(cells)

    def finish(self, bom: bool = False) -> Rendered:
        self.problems.raise_if_any("書き出せない文字があります（元のデータを直してください）")
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\r\n").writerows(self.lines)
        data = buffer.getvalue().encode(self.encoding)
        if bom:
            data = b"\xef\xbb\xbf" + data
        rows = len(self.lines) - (1 if self.header else 0)
        return Rendered(data, rows, list(self.warnings.items))


def _encodable(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def read_back(data: bytes, encoding: str) -> list[list[str]]:
    """The rows of an exported file as its target reads them (tests and the window's preview use this)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
