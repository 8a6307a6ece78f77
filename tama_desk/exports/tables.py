"""Tables in and out: reading CSV (UTF-8 with or without BOM, or cp932) or XLSX once, the one header
normaliser, the table spec every import and export declares, and the injection-safe writers.

A `TableSpec` names its columns once (key, Japanese header, English header, required, parser, width):

    SPEC = TableSpec("経費支出一覧", [
        Column("voucher_number", "証ひょう番号", "Voucher No", required=True, width=12),
        Column("amount", "支出額（税込）", "Amount", required=True, parse=parse_yen, width=14),
    ])

`SPEC.keys_for(headers)` maps a file's header row onto the keys (every unknown, doubled or missing column is
a Problem on line 1); `SPEC.export(rows, "xlsx" | "csv" | "csv-cp932")` writes the same columns back.
`services/importing.py` runs an import over a spec.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tama_desk.errors import ProblemList, UserError
from tama_desk.exports.guarding import formula_safe

_HEADER_DROP_RE = re.compile(r"[\s()\[\]{}（）「」『』【】〔〕<>〈〉《》]+")


def normalize_header(text: object) -> str:
    """The one form headers are compared in: NFKC, no spaces or brackets, case-folded
    (`支出額(税込)` = `支出額（税込）` = `支出額 税込`, `Member No` = `MEMBERNO`)."""
    return _HEADER_DROP_RE.sub("", unicodedata.normalize("NFKC", str(text or ""))).casefold()


# --- the spec -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of a file. `parse(cell) -> value` raises ValueError whose text is a message key
    (dates.parse_date, money.parse_yen …); None keeps the stripped text. `required`: the header must be
    present and the cell filled (`missing`: the reason a blank cell is reported with; None: only the header is
    required, a blank cell is None). `aliases`: more header names accepted on import."""

    key: str
    header: str  # Japanese, as exported
    english: str = ""  # accepted on import too
    required: bool = False
    parse: Callable[[Any], Any] | None = None
    width: int = 12
    aliases: tuple[str, ...] = ()
    missing: str | None = "入力してください"

    def names(self) -> list[str]:
        return [self.header, self.english, self.key, *self.aliases]


@dataclass(frozen=True)
class TableSpec:
    title: str  # the sheet title of an export
    columns: Sequence[Column]
    _by_name: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        by_name = {}
        for column in self.columns:
            for name in column.names():
                if name:
                    by_name.setdefault(normalize_header(name), column.key)
        object.__setattr__(self, "_by_name", by_name)

    def __getitem__(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    def key_for(self, header: object) -> str | None:
        return self._by_name.get(normalize_header(header)) if str(header or "").strip() else None

    def clean(self, raw: Mapping[str, object], problems: ProblemList, line: int | None = None,
              fields: Mapping[str, object] | None = None) -> dict[str, Any]:
        """The cleaned value of every given key: `parse(cell)`, the stripped text without a parser, None for a
        blank cell. A bad or missing required value is a problem on `line` and the column's header (or the
        file's own name of the column, `fields[key]`)."""
        values: dict[str, Any] = {}
        for key, cell in raw.items():
            column = self[key]
            field = (fields or {}).get(key) or column.header
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                values[key] = None
                if column.required and column.missing:
                    problems.add(column.missing, field, line)
            elif column.parse is None:
                values[key] = cell.strip() if isinstance(cell, str) else cell
            else:
                try:
                    values[key] = column.parse(cell)
                except ValueError as error:
                    values[key] = None
                    problems.add(str(error), field, line, value=str(cell).strip())
        return values

    def find_columns(self, headers: Sequence[object], refused: Mapping[str, set[str]] | None = None) -> dict[str, int]:
        """Header matching for a file with columns of its own (a bank's statement): the index of each key's
        column among `headers`, other headers ignored. When several headers name one key, the earliest of
        `aliases` (best first), then header, English, key wins; a column serves one key only, keys taken in
        the spec's order. `refused[key]`: normalised names that key must not take here."""
        found: dict[str, int] = {}
        names = [normalize_header(header) for header in headers]
        for column in self.columns:
            ranks: dict[str, int] = {}
            for rank, name in enumerate((*column.aliases, column.header, column.english, column.key)):
                if name:
                    ranks.setdefault(normalize_header(name), rank)
            skip = (refused or {}).get(column.key, set())
            matches = [(ranks[name], index) for index, name in enumerate(names)
                       if name in ranks and name not in skip and index not in found.values()]
            if matches:
                found[column.key] = min(matches)[1]
        return found

    def keys_for(self, headers: Sequence[object], line: int = 1) -> list[str | None]:
        """The key of each header (None for a blank one). Raises UserError listing every unknown,
        doubled or missing required column."""
        problems = ProblemList()
        keys: list[str | None] = []
        for index, header in enumerate(headers, start=1):
            key = self.key_for(header)
            if str(header or "").strip() and key is None:
                problems.add("知らない列名です（{index}列目）。使える列: {known}", str(header).strip(), line,
                             index=index, known=tuple(column.header for column in self.columns))
            elif key is not None and key in keys:
                problems.add("同じ列が2回あります", str(header).strip(), line)
            keys.append(key)
        for column in self.columns:
            if column.required and column.key not in keys:
                problems.add("必須の列がありません", column.header, line)
        problems.raise_if_any("ファイルの見出し行に問題があります。何も取り込んでいません。")
        return keys

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    @property
    def widths(self) -> list[int]:
        return [column.width for column in self.columns]

    def export(self, rows: list[list[object]], file_format: str) -> bytes:
        """`xlsx`, `csv` (UTF-8 with BOM) or `csv-cp932`; rows hold one value per column."""
        if file_format == "xlsx":
            return write_xlsx(self.title, self.headers, rows, self.widths)
        if file_format in ("csv", "csv-cp932"):
            return write_csv(self.headers, rows, "cp932" if file_format == "csv-cp932" else "utf-8-sig")
        raise UserError("出力形式が正しくありません: {format}", format=file_format)


def format_for(filename: str, cp932: bool = False) -> str:
    """The export format a file name asks for."""
    lower = str(filename).lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".csv"):
        return "csv-cp932" if cp932 else "csv"
    raise UserError("{file}: 拡張子は .xlsx か .csv にしてください", file=Path(filename).name)


# --- reading ------------------------------------------------------------------------------------
@dataclass
class Table:
    headers: list[str]
    rows: list[list[object]]  # data rows only, blank ones left out
    line_numbers: list[int] | None = None  # each row's line in the file (what error messages name)

    def line_of(self, index: int) -> int:
        return self.line_numbers[index] if self.line_numbers else index + 2


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 (BOM or not) first, then Shift_JIS as Excel on Japanese Windows saves CSV."""
    candidates = ("utf-8",) if data.startswith(b"\xef\xbb\xbf") else ("utf-8", "cp932")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserError("{file}: 文字コードを判別できません。UTF-8 または Shift_JIS (CP932) で保存してください",
                    file=filename)


def read_rows(path: Path) -> list[tuple[int, list[object]]]:
    """Every row of the file's first sheet with the line it starts on (blank rows included, so numbers
    match the file; a CSV cell spanning lines counts them)."""
    path = Path(path)
    if not path.exists():
        raise UserError("ファイルが見つかりません: {path}", path=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook  # here, not at the top: the services import this module's specs

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged or non-Excel file
            raise UserError("{file}: Excel ファイルとして開けません（{error}）", file=path.name,
                            error=str(error)) from error
        try:
            return [(number, list(row)) for number, row in
                    enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1)]
        finally:
            workbook.close()
    if suffix not in (".csv", ".txt"):
        raise UserError("{file}: CSV または XLSX ファイルを指定してください", file=path.name)
    # a cell of a few MB is read (and refused by its column's length, line and column named), not failed raw
    csv.field_size_limit(max(csv.field_size_limit(), 32 * 1024 * 1024))
    reader = csv.reader(io.StringIO(decode_text(path.read_bytes(), path.name), newline=""))
    rows: list[tuple[int, list[object]]] = []
    start = 1
    try:
        for row in reader:
            rows.append((start, list(row)))
            start = reader.line_num + 1
    except csv.Error as error:
        raise UserError("{file}: {line}行目が CSV として読めません（{error}）", file=path.name,
                        line=reader.line_num, error=str(error)) from error
    return rows


def is_blank(row: Sequence[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in row)


def read_table(path: Path) -> Table:
    """The first non-blank row as headers, the other non-blank rows as data with their line numbers."""
    path = Path(path)
    kept = [(number, row) for number, row in read_rows(path) if not is_blank(row)]
    if not kept:
        raise UserError("{file}: 見出し行がありません", file=path.name)
    headers = [str(cell or "").strip() for cell in kept[0][1]]
    rows = [list(row) + [None] * (len(headers) - len(row)) for _number, row in kept[1:]]
    return Table(headers, rows, [number for number, _row in kept[1:]])


# --- writing ------------------------------------------------------------------------------------


def write_xlsx(sheet_title: str, headers: list[str], rows: list[list[object]], widths: list[int]) -> bytes:
    """A sheet an accountant can trust (exports/xlsx: styled frozen header, autofilter, widths, real dates,
    text never a formula, A4 print setup)."""
    from tama_desk.exports.xlsx import XColumn, table_xlsx  # openpyxl only when a workbook is written

    return table_xlsx(sheet_title, [XColumn(header, width) for header, width in zip(headers, widths, strict=True)],
                      rows)


def write_csv(headers: list[str], rows: list[list[object]], encoding: str = "utf-8-sig") -> bytes:
    """CSV for Excel: UTF-8 with BOM by default, or cp932 (characters cp932 lacks become '?').
    Texts that would run as a formula are written with a leading apostrophe; numbers stay numbers."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([formula_safe(header) for header in headers])
    for row in rows:
        writer.writerow(["" if cell is None else cell.isoformat() if isinstance(cell, date) else formula_safe(cell)
                         for cell in row])
    return buffer.getvalue().encode(encoding, errors="replace")
