"""The one import runner: read a CSV/XLSX file once, clean every row, collect every problem, then write all
rows or none (or nothing at all on a dry run).

    from tama_desk.exports.tables import Column, TableSpec
    from tama_desk.services.importing import run_import

    rows = run_import(path, SPEC, check=check_row, write=write_rows, dry_run=dry_run)

1. `read_rows(path)`: CSV in UTF-8 (with or without BOM) or cp932, or the first sheet of an XLSX, read once.
2. The columns: by default the first non-blank row is the header, `SPEC.keys_for(headers)` (Japanese or English
   headers compared by `normalize_header`; an unknown, doubled or missing required column stops here with every
   header problem listed). A file with columns of its own (a bank's statement, account details above its header)
   passes `locate(rows) -> Layout` instead: where its header is and which column is which key.
3. For every data row an `ImportRow(line, raw, values)`: `raw` holds the file's cells by key (only the columns
   the file has, so an update leaves other fields alone); `values` the cleaned value of each of them:
   `column.parse(cell)` (ValueError → a problem on that line and column, with the cell as `{value}`), the
   stripped text without a parser, None for a blank cell (a problem when the column is required). `skip(row)`
   (optional) leaves a row out before it is cleaned (a statement's withdrawals and total lines).
4. `check(row, problems)` (optional) adds the area's rules: `problems.add(reason, field, row.line, **params)`;
   it may change `row.values`. Identical problems are reported once.
5. Any problem → `UserError("{file}: 取り込めない行があります。何も取り込んでいません。")` carrying every
   problem (line + column + reason, translated when shown); nothing is written.
6. Otherwise, unless `dry_run`, `write(rows)` (the caller's closure adds to its Session; the caller commits).

`import_rows` is steps 1–4 alone (the statement preview shows its problems; both its callers then refuse the
whole file). The runner never commits and never opens a session: the CLI or the view owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tama_desk.errors import ProblemList, UserError
from tama_desk.exports.tables import Table, TableSpec, is_blank, read_rows

REFUSED = "{file}: 取り込めない行があります。何も取り込んでいません。"


@dataclass
class ImportRow:
    line: int  # the line (CSV) or row (XLSX) in the file, what problems name
    raw: dict[str, object]  # cells by column key, only the columns the file has
    values: dict[str, Any] = field(default_factory=dict)  # cleaned: parsed, stripped text, or None
    cells: list[object] = field(default_factory=list)  # the whole row as read


@dataclass
class Layout:
    """Where a file's columns are (step 2): the key of each column, where the data rows start, and the file's own
    name of each key (what problems name; the spec's header when left out)."""

    headers: list[str]
    keys: list[str | None]
    start: int  # rows[start:] are the data rows (blank ones left out)
    fields: Mapping[str, object] = field(default_factory=dict)


Check = Callable[[ImportRow, ProblemList], None]
Write = Callable[[list[ImportRow]], None]
Skip = Callable[[ImportRow], bool]
Locate = Callable[[list[tuple[int, list[object]]]], Layout]


def first_row_header(spec: TableSpec, path: Path) -> Locate:
    """The default step 2: the first non-blank row is the header, named by the spec's headers."""
    def locate(rows: list[tuple[int, list[object]]]) -> Layout:
        position = next((i for i, (_line, cells) in enumerate(rows) if not is_blank(cells)), None)
        if position is None:
            raise UserError("{file}: 見出し行がありません", file=path.name)
        headers = [str(cell or "").strip() for cell in rows[position][1]]
        return Layout(headers, spec.keys_for(headers), position + 1)
    return locate


def clean_rows(table: Table, spec: TableSpec, check: Check | None = None, *, keys: list[str | None] | None = None,
               fields: Mapping[str, object] | None = None, skip: Skip | None = None,
               ) -> tuple[list[ImportRow], ProblemList]:
    """Steps 3–4 over a table already read: every row cleaned, every problem collected (none raised except a
    bad header). `keys`: the key of each column, when the caller found them (else `spec.keys_for`)."""
    keys = spec.keys_for(table.headers) if keys is None else keys
    problems = ProblemList()
    rows = []
    for index, cells in enumerate(table.rows):
        line = table.line_of(index)
        row = ImportRow(line, {key: cells[i] if i < len(cells) else None for i, key in enumerate(keys) if key},
                        cells=cells)
        if skip is not None and skip(row):
            continue
        row.values = spec.clean(row.raw, problems, line, fields)
        if check is not None:
            check(row, problems)
        rows.append(row)
    problems.items = list(dict.fromkeys(problems.items))  # one report per identical problem
    return rows, problems


def import_rows(path: Path, spec: TableSpec, *, check: Check | None = None, locate: Locate | None = None,
                skip: Skip | None = None) -> tuple[list[ImportRow], ProblemList]:
    """Steps 1–4: the file read once, its columns found, every row cleaned and checked, every problem
    collected (raised only for the file itself or its header)."""
    path = Path(path)
    rows = read_rows(path)
    layout = (locate or first_row_header(spec, path))(rows)
    data = [(line, cells) for line, cells in rows[layout.start:] if not is_blank(cells)]
    table = Table(layout.headers, [cells for _line, cells in data], [line for line, _cells in data])
    return clean_rows(table, spec, check, keys=layout.keys, fields=layout.fields, skip=skip)


def run_import(path: Path, spec: TableSpec, *, check: Check | None = None, write: Write | None = None,
               dry_run: bool = False, locate: Locate | None = None, skip: Skip | None = None) -> list[ImportRow]:
    """Read, clean and check every row; write them all (unless `dry_run`) or raise UserError with every
    problem and write nothing. Returns the cleaned rows (what was, or on a dry run would be, written)."""
    path = Path(path)
    rows, problems = import_rows(path, spec, check=check, locate=locate, skip=skip)
    problems.raise_if_any(REFUSED, file=path.name)
    if not dry_run and write is not None:
        write(rows)
    return rows


__all__ = ["REFUSED", "Check", "ImportRow", "Layout", "Locate", "Skip", "Write", "clean_rows", "first_row_header",
           "import_rows", "run_import"]
