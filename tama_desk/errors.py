"""The one user-facing error type, and the validation report built from it."""

from __future__ import annotations

from dataclasses import dataclass, field

from tama_desk.i18n import t


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (row and column, or record and field) and why."""

    reason: str
    field: str = ""
    row: int | None = None
    record: str = ""

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(t("{row}行目", row=self.row))
        if self.record:
            where.append(self.record)
        if self.field:
            where.append(f"「{t(self.field)}」")
        prefix = " ".join(where)
        return f"{prefix}: {t(self.reason)}" if prefix else t(self.reason)


class UserError(Exception):
    """Bad input or a refused action. The message is shown to the user as is (exit code 2 on the CLI)."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])

    def __str__(self) -> str:
        if not self.problems:
            return t(self.message)
        return "\n".join([t(self.message), *(f"  - {p}" for p in self.problems)])


@dataclass
class ProblemList:
    """Collects problems while a record or a file is checked."""

    items: list[Problem] = field(default_factory=list)

    def add(self, reason: str, field: str = "", row: int | None = None, record: str = "") -> None:
        self.items.append(Problem(reason, field, row, record))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, message: str) -> None:
        if self.items:
            raise UserError(message, self.items)
