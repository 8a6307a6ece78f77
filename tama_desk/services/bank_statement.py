"""Reading a bank statement download (入出金明細) through the one import runner (services.importing): the
file read once, its header found where the bank put it (exports.bank_statement.locate, or the columns the
user mapped), withdrawals and total lines left out, every deposit line cleaned by the statement's columns
(STATEMENT), every problem collected as line + column + reason.

Nothing is written here: the preview (services.reconcile) shows the deposits and their matches, and both its
callers refuse the whole file while a line cannot be read.
"""

from __future__ import annotations

from pathlib import Path

from tama_desk.domain.statement import StatementLine
from tama_desk.errors import Problem
from tama_desk.exports import bank_statement as columns
from tama_desk.services.importing import ImportRow, Layout, import_rows


def read_statement(path: Path, mapping_spec: str | None = None) -> tuple[list[StatementLine], list[Problem]]:
    """The deposits of a statement file, and the lines that could not be read.

    ``mapping_spec`` (``date=取引日,amount=5,payer=摘要``) names the columns when the header is not recognised.
    Rows without a deposit amount (withdrawals), blank rows and total rows (合計…) are skipped silently.
    Raises UserError when the file cannot be read or no header is found."""
    path = Path(path)
    found: dict[str, object] = {}

    def locate(rows: list[tuple[int, list[object]]]) -> Layout:
        headers, mapping, start = columns.locate(rows, mapping_spec, path.name)
        width = max([len(row) for _line, row in rows] + [index + 1 for index in mapping.values()])
        keys: list[str | None] = [None] * width
        for role, index in mapping.items():
            keys[index] = role
        found.update(headers=headers, mapping=mapping)
        return Layout(headers, keys, start, columns.column_names(headers, mapping))

    def skip(row: ImportRow) -> bool:
        cells = [columns.cell_text(row.cells, index) for index in range(len(row.cells))]
        return (columns.skipped(cells, found["mapping"], found["headers"])  # type: ignore[arg-type]
                or columns.withdrawal(row.raw.get("amount")))

    rows, problems = import_rows(path, columns.STATEMENT, locate=locate, skip=skip)
    lines = [StatementLine(row.line, row.values["date"], row.values["amount"], row.values.get("payer") or "",
                           tuple(columns.cell_text(row.cells, index) for index in range(len(row.cells))),
                           row.values.get("balance"))
             for row in rows if row.values.get("date") is not None and row.values.get("amount") is not None]
    return columns.numbered(lines), problems.items
