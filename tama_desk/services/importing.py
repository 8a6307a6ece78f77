"""The one import runner: read a CSV/XLSX file once, clean every row, collect every problem, then write all
rows or none (or nothing at all on a dry run).

    from tama_desk.exports.tables import Column, TableSpec
    from tama_desk.services.importing import run_import

    rows = run_import(path, SPEC, check=check_row, write=write_rows, dry_run=dry_run)

1. `read_table(path)`: CSV in UTF-8 (with or without BOM) or cp932, or the first sheet of an XLSX.
2. `SPEC.keys_for(headers)`: Japanese or English headers (compared by `normalize_header`); an unknown, doubled
   or missing required column stops here with every header problem listed (line 1).
3. For every data row an `ImportRow(line, raw, values)`: `raw` holds the file's cells by key (only the columns
   the file has, so an update leaves other fields alone); `values` the cleaned value of each of them:
   `column.parse(cell)` (ValueError → a problem on that line and column, with the cell as `{value}`), the
   stripped text without a parser, None for a blank cell (a problem when the column is required).
4. `check(row, problems)` (optional) adds the area's rules: `problems.add(reason, field, row.line, **params)`;
   it may change `row.values`. Identical problems are reported once.
5. Any problem → `UserError("{file}: 取り込めない行があります。何も取り込んでいません。")` carrying every
   problem (line + column + reason, translated when shown); nothing is written.
6. Otherwise, unless `dry_run`, `write(rows)` (the caller's closure adds to its Session; the caller commits).

The runner never commits and never opens a session: the CLI or the view owns the transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tama_desk.errors import ProblemList
from tama_desk.exports.tables import Table, TableSpec, read_table

REFUSED = "{file}: 取り込めない行があります。何も取り込んでいません。"


@dataclass
class ImportRow:
    line: int  # the line (CSV) or row (XLSX) in the file, what problems name
    raw: dict[str, object]  # cells by column key, only the columns the file has
    values: dict[str, Any] = field(default_factory=dict)  # cleaned: parsed, stripped text, or None


Check = Callable[[ImportRow, ProblemList], None]
Write = Callable[[list[ImportRow]], None]


def clean_rows(table: Table, spec: TableSpec, check: Check | None = None) -> tuple[list[ImportRow], ProblemList]:
    """Steps 2–4 over a table already read: every row cleaned, every problem collected (none raised
    except a bad header)."""
    keys = spec.keys_for(table.headers)
    problems = ProblemList()
    rows = []
    for index, cells in enumerate(table.rows):
        line = table.line_of(index)
        row = ImportRow(line, {key: cell for key, cell in zip(keys, cells, strict=False) if key})
        row.values = spec.clean(row.raw, problems, line)
        if check is not None:
            check(row, problems)
        rows.append(row)
    problems.items = list(dict.fromkeys(problems.items))  # one report per identical problem
    return rows, problems


def run_import(path: Path, spec: TableSpec, *, check: Check | None = None, write: Write | None = None,
               dry_run: bool = False) -> list[ImportRow]:
    """Read, clean and check every row; write them all (unless `dry_run`) or raise UserError with every
    problem and write nothing. Returns the cleaned rows (what was, or on a dry run would be, written)."""
    path = Path(path)
    rows, problems = clean_rows(read_table(path), spec, check)
    problems.raise_if_any(REFUSED, file=path.name)
    if not dry_run and write is not None:
        write(rows)
    return rows


__all__ = ["REFUSED", "Check", "ImportRow", "Write", "clean_rows", "run_import"]
