"""列の対応: which column of a bank statement holds the date, the amount and the payer — three drop-downs over
a preview of the file's first rows, for a header the importer does not recognise (the CLI's --map)."""

from __future__ import annotations

from pathlib import Path

import ttkbootstrap as ttk

from tama_desk.domain.dates import parse_date
from tama_desk.domain.money import parse_yen
from tama_desk.errors import UserError
from tama_desk.exports import tables
from tama_desk.i18n import t
from tama_desk.ui import feedback
from tama_desk.ui.widgets import Column, DataTable, Dialog, Form

PREVIEW_ROWS = 8
MAX_COLUMNS = 12
ROLES = [("date", "日付"), ("amount", "金額"), ("payer", "振込依頼人"), ("balance", "残高（任意）")]


def preview_rows(path: Path) -> list[list[str]]:
    """The first non-blank rows of the file as text (UserError when it cannot be read)."""
    rows = []
    for _number, row in tables.read_rows(path):
        cells = ["" if cell is None else str(cell).strip() for cell in row]
        if any(cells):
            rows.append(cells[:MAX_COLUMNS])
        if len(rows) >= PREVIEW_ROWS:
            break
    return rows


def guess_columns(rows: list[list[str]]) -> dict[str, str]:
    """A first guess from the data rows: the column whose cells read as dates, one that reads as amounts, then
    the first column of text (the user checks and changes it)."""
    data = rows[1:] or rows
    width = max((len(row) for row in rows), default=0)

    def reads(index: int, parse) -> bool:
        cells = [row[index] for row in data if index < len(row) and row[index]]
        if not cells:
            return False
        try:
            for cell in cells:
                parse(cell)
        except ValueError:
            return False
        return True

    guess: dict[str, str] = {}
    for index in range(width):
        if "date" not in guess and reads(index, lambda cell: parse_date(cell, require_year=True)):
            guess["date"] = str(index + 1)
        elif "amount" not in guess and reads(index, parse_yen):
            guess["amount"] = str(index + 1)
        elif "payer" not in guess and any(index < len(row) and row[index] for row in data):
            guess["payer"] = str(index + 1)
    return guess


class ColumnMapDialog(Dialog):
    def __init__(self, parent, path: Path, rows: list[list[str]], message: str, on_mapped):
        super().__init__(parent, t("列の対応") + f" — {path.name}")
        self.on_mapped = on_mapped
        width = max((len(row) for row in rows), default=0)
        ttk.Label(self.body, text=message, wraplength=760, justify="left").pack(anchor="w")
        ttk.Label(self.body, text=t("日付・金額・振込依頼人がそれぞれ何列目か選んでください。見出しの行や出金の行は読み飛ばします。"),
                  bootstyle="secondary", wraplength=760, justify="left").pack(anchor="w", pady=(4, 8))
        columns = [Column(str(index), t("{n}列目", n=index + 1), 110) for index in range(width)]
        self.table = DataTable(self.body, columns, key=lambda row: row["line"], height=min(PREVIEW_ROWS, len(rows)),
                               sortable=False)
        self.table.pack(fill="x")
        self.table.set_rows([{"line": line, **{str(i): cell for i, cell in enumerate(row)}}
                             for line, row in enumerate(rows)])
        heading = rows[0] if rows else []
        choices = {str(index + 1): t("{n}列目", n=index + 1) + (f"（{heading[index][:16]}）" if index < len(heading)
                                                                  and heading[index] else "")
                   for index in range(width)}
        self.form = Form(self.body, scroll=False, on_submit=self.on_ok)
        guess = guess_columns(rows)
        for column, (role, label) in enumerate(ROLES):
            self.form.add(role, label, "choice", choices={"": "—", **choices} if role == "balance" else choices,
                          required=role != "balance", row=column // 2, column=(column % 2) * 2,
                          initial=guess.get(role, ""))
        self.form.pack(fill="x", pady=(12, 0))
        self.add_button(t("この対応で読み込む"), self.on_ok, main=True)
        self.add_button(t("キャンセル"), self.close)
        self.show(focus=self.form.widgets["date"])

    def spec(self) -> str:
        values = self.form.read()
        chosen = [(role, values[role]) for role, _label in ROLES if values[role]]
        used = [column for _role, column in chosen]
        if len(set(used)) != len(used):
            raise UserError("同じ列を2つの項目に選んでいます")
        return ",".join(f"{role}={column}" for role, column in chosen)

    def on_ok(self) -> None:
        try:
            spec = self.spec()
        except UserError as error:
            feedback.show_error(self, error)
            return
        self.close()
        self.on_mapped(spec)
