"""Importing a grant's expenditures from the accountant's file: all rows or none; warnings listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tama_desk.db.models import Expenditure
from tama_desk.errors import ProblemList
from tama_desk.exports.grant_io import SPEC
from tama_desk.services import audit
from tama_desk.services.grants import _context, clean_expenditure, warnings_for, writable_grant
from tama_desk.services.importing import ImportRow, run_import


@dataclass
class ExpenditureImport:
    created: list[tuple[int, str, int]] = field(default_factory=list)  # line, voucher, amount
    warnings: list[tuple[int, str]] = field(default_factory=list)  # line, warning


def import_expenditures(session, grant_id: int, path: Path, dry_run: bool = False) -> ExpenditureImport:
    """Errors (missing or duplicate voucher, bad dates or amounts, eligible above paid) stop the whole file;
    eligibility warnings (period, category, budget, twin payments) are imported and listed."""
    grant = writable_grant(session, grant_id)
    spent, budget_after, seen, vouchers = _context(session, grant)
    result, checked = ExpenditureImport(), {}
    first_line: dict[str, int] = {}

    def check(row: ImportRow, problems: ProblemList) -> None:
        line = row.line
        clean, row_problems = clean_expenditure(grant, row.raw, row=line)
        problems.items += row_problems.items
        voucher = clean.get("voucher_number")
        if voucher and voucher in vouchers:
            problems.add("証ひょう番号 {voucher} は既に登録されています", "証ひょう番号", line, voucher=voucher)
        elif voucher and voucher in first_line:
            problems.add("証ひょう番号 {voucher} が{first}行目と重複しています", "証ひょう番号", line,
                         voucher=voucher, first=first_line[voucher])
        if voucher:
            first_line.setdefault(voucher, line)
        if not row_problems:
            for warning in warnings_for(grant, clean, spent, budget_after, seen):
                result.warnings.append((line, warning))
            spent[clean["category"]] = spent.get(clean["category"], 0) + clean["amount"]
            seen.add((clean["payee"], clean["amount"], clean["payment_date"]))
        checked[line] = clean

    def write(rows: list[ImportRow]) -> None:
        for row in rows:
            session.add(Expenditure(grant_id=grant_id, **checked[row.line]))

    rows = run_import(path, SPEC, check=check, write=write, dry_run=dry_run)
    result.created = [(row.line, checked[row.line]["voucher_number"], checked[row.line]["amount"]) for row in rows]
    if not dry_run:
        session.flush()
        audit.record(session, "import", "grant", grant_id, f"{path.name}: 支出 {len(rows)} 件")
    return result
