"""`check`: the integrity of the database (SQLite's integrity_check, or every table readable on PostgreSQL)
and of the attachment files (every file a record names exists and is readable)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from sqlalchemy import select

from tama_desk import paths
from tama_desk.db import engine as engine_module
from tama_desk.db.models import Expenditure
from tama_desk.db.models_contracts import ContractCost
from tama_desk.services import transfer


@dataclass
class CheckResult:
    database: str = "ok"
    tables: int = 0
    files_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.database == "ok" and not self.problems


def integrity(url: str) -> str:
    """'ok', or what SQLite's full integrity_check reports (the first lines)."""
    file = engine_module._sqlite_file(url)
    return "ok" if file is None else integrity_of(file)


def integrity_of(file) -> str:
    try:
        with sqlite3.connect(f"file:{file}?mode=ro", uri=True) as connection:
            rows = connection.execute("PRAGMA integrity_check").fetchall()
        connection.close()
    except sqlite3.DatabaseError as error:
        return str(error)
    return "ok" if rows == [("ok",)] else "; ".join(str(row[0]) for row in rows[:5])


def run_check(db) -> CheckResult:
    result = CheckResult(database=integrity(db.url))
    with db.engine.connect() as connection:
        result.tables = len(transfer.row_counts(connection))  # every table readable, row by row count
    with db.reading() as session:
        stored = [("expenditure", *row) for row in session.execute(
            select(Expenditure.id, Expenditure.attachment_path).where(Expenditure.attachment_path != ""))]
        stored += [("contract cost", *row) for row in session.execute(
            select(ContractCost.id, ContractCost.attachment_path).where(ContractCost.attachment_path != ""))]
    home = paths.data_dir()
    for what, record_id, relative in stored:
        result.files_checked += 1
        file = home / relative
        try:
            with open(file, "rb") as handle:
                while handle.read(1 << 20):
                    pass
        except OSError:
            result.problems.append(f"{what} {record_id}: {relative} missing or unreadable")
    return result
