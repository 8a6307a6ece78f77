"""Speed figures for fees with 10,000 members (prints numbers; asserts nothing).

Run: .venv/bin/python bench/fees.py [--count 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402

from tama_desk.db.engine import open_database  # noqa: E402
from tama_desk.db.models import Member  # noqa: E402
from tama_desk.exports import ledger  # noqa: E402
from tama_desk.services import fees, members  # noqa: E402
from tama_desk.services.demo import _member_values, _organisations  # noqa: E402
from tama_desk.services.invoices import STATUS_LABELS  # noqa: E402


def timed(label: str, action, repeat: int = 1):
    """Best of `repeat` runs (a shared 2-core machine is noisy)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<48} {best:8.3f} s")
    return result, best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    import random

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "bench.sqlite3"))
        rng = random.Random(1)
        with db.transaction() as session:  # members only: the demo's own billing is not what is measured
            types = members.type_name_map(session)
            for index, (category, name, kana) in enumerate(_organisations(rng, args.count), start=1):
                member = Member(status="active")
                session.add(member)
                members.apply_values(member, _member_values(rng, index, category, name, kana, types,
                                                            date(2026, 11, 1)))
        print(f"{args.count} members loaded")

        def bill():
            with db.transaction() as session:
                return fees.bill_fiscal_year(session, 2026, date(2026, 4, 10))

        (_plan, created), _ = timed("billing run (one transaction)", bill)
        print(f"{'':<48} {len(created)} invoices")
        with db.reading() as session:
            rows, _ = timed("ledger rows (query + balances)", lambda: fees.ledger_rows(session, 2026))
        _, ours = timed("ledger .xlsx (styled, formulas), best of 3", lambda: ledger.ledger_xlsx(rows, 2026, STATUS_LABELS), 3)

        def bare():
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet()
            for row in rows:
                sheet.append([row.member_number, row.member_name, row.type_name, row.invoice_number,
                              row.issue_date, row.billed, row.tax_category, row.credited, row.paid,
                              row.last_paid_on, row.billed - row.paid, row.status, getattr(row, "written_off", 0)])
            workbook.save(Path(folder) / "bare.xlsx")

        _, baseline = timed("bare openpyxl write-only loop, same cells, best of 3", bare, 3)
        print(f"{'ledger ratio (target ≤ 1.3)':<48} {ours / baseline:8.2f}")
        db.close()


if __name__ == "__main__":
    main()
