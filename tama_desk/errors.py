"""The one user-facing error type, and the validation report built from it.

Messages are templates translated when shown, never sentences formatted before the lookup:
`UserError("{year}年度の請求は発行済みです", year=2026)`, `problems.add("{max}文字以内で入力してください",
field="会員名", row=3, max=100)`. The Japanese template is the key `t()` looks up.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from tama_desk.i18n import t


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (row and column, or record and field) and why."""

    reason: str
    field: str = ""
    row: int | None = None
    record: str = ""
    params: dict = dataclasses.field(default_factory=dict, compare=False)

    def text(self) -> str:
        """The reason alone, translated and filled in."""
        return t(self.reason, **self.params)

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(t("{row}行目", row=self.row))
        if self.record:
            where.append(self.record)
        if self.field:
            where.append(t("「{field}」", field=self.field))
        prefix = " ".join(where)
        return f"{prefix}: {self.text()}" if prefix else self.text()


class UserError(Exception):
    """Bad input or a refused action. The message is shown to the user as is (exit code 2 on the CLI)."""

    def __init__(self, message: str, problems: list[Problem] | None = None, **params: object):
        super().__init__(message)
        self.message = message
        self.params = params
        self.problems = list(problems or [])

    def text(self) -> str:
        """The message alone, translated and filled in."""
        return t(self.message, **self.params)

    def __str__(self) -> str:
        if not self.problems:
            return self.text()
        return "\n".join([self.text(), *(f"  - {p}" for p in self.problems)])


@dataclass
class ProblemList:
    """Collects problems while a record or a file is checked."""

    items: list[Problem] = dataclasses.field(default_factory=list)

    def add(self, reason: str, field: str = "", row: int | None = None, record: str = "",
            **params: object) -> None:
        self.items.append(Problem(reason, field, row, record, dict(params)))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self, message: str, **params: object) -> None:
        if self.items:
            raise UserError(message, self.items, **params)
