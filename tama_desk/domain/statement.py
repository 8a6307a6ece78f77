"""A deposit read from a bank statement, and how it is recognised across imports (pure values).

`services.bank_statement` reads them from files; `domain.matching` proposes who paid.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_FINGERPRINT_VERSION = "v1"


@dataclass(frozen=True)
class StatementLine:
    """One deposit. ``line`` is the line (CSV; where the record starts) or row (XLSX) number, from 1."""

    line: int
    date: date
    amount: int  # yen, > 0
    payer: str  # as printed (stripped)
    raw: tuple[str, ...]  # every cell of the row as text
    balance: int | None = None  # the running balance column, when the statement has one
    occurrence: int = 0  # 0 for the first line with this (date, amount, payer, balance) in the file, then 1, 2…

    @property
    def fingerprint(self) -> str:
        """Identifies this deposit across imports of overlapping statement downloads.

        sha256 hex of "v1|date|amount|payer|balance|occurrence", where payer is folded by NFKC, upper
        case and without whitespace (deliberately not matching.normalize_payer, so that improving the
        matching rules never changes a fingerprint), balance is "" when the statement has none, and
        occurrence counts identical lines earlier in the same file. So the same file imported twice
        gives the same fingerprints, and two identical transfers on one day count twice. Assumes a
        download holds whole days (banks select by date range); prefix the account yourself if several
        accounts are imported into one table.
        """
        balance = "" if self.balance is None else str(self.balance)
        text = "|".join((_FINGERPRINT_VERSION, self.date.isoformat(), str(self.amount), _fingerprint_payer(self.payer),
                         balance, str(self.occurrence)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fingerprint_payer(payer: str) -> str:
    """Frozen with _FINGERPRINT_VERSION: changing it changes every fingerprint."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", payer)).upper()


def identity(line: StatementLine) -> tuple[object, ...]:
    return line.date, line.amount, _fingerprint_payer(line.payer), line.balance
