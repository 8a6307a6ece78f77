"""Ten years of an association at office scale, every batch measured side by side (prints numbers; asserts
nothing): 10,000 members, ten fiscal years of dues invoices and payments, 200 grants with 20,000 expenditures,
500 contracts (milestones, invoices, payments, costs) and 1,000 meetings (attendance, agenda, pairings, follow-ups).

Run: .venv/bin/python bench/scale.py [--small] [--db FILE]   (the window figure needs a display)

The database is built once through the project's own bulk paths (demo.load_members / load_fees, the billing
run, grants.create_grant, demo_contracts.load_history with the invoice engine's bulk issue,
demo_meetings.load_history) and cached in the temp folder under a name with all its parameters (a cache built
without contracts and meetings has another name and is never reused); later runs reuse it. `demo --count N` is
timed too, end to end in a fresh process, against 60 s for 10,000 members.
Every batch is measured against its baseline in the same run (the machine may be busy): one line per figure,
name, value, limit, ratio (value / limit), OK or SLOW ("info" where the issue sets no limit). Batches that
write (billing run, payments import) are rolled back.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TODAY = date(2026, 11, 20)
FULL = {"members": 10_000, "years": 10, "grants": 200, "expenditures": 20_000, "contracts": 500, "meetings": 1_000,
        "pdfs": 1_000, "lines": 1_000}
SMALL = {"members": 1_000, "years": 3, "grants": 20, "expenditures": 2_000, "contracts": 50, "meetings": 100,
         "pdfs": 200, "lines": 300}
CACHE_NAME = "tama-scale-m{members}-y{years}-g{grants}-e{expenditures}-c{contracts}-mt{meetings}.sqlite3"
DEMO_LIMIT_S = 60.0  # demo --count 10,000 (issue #14); scaled to the member count of a --small run


def line(name: str, value: float, limit: float | None, unit: str = "s") -> None:
    shown = f"{value:9,d}" if isinstance(value, int) else f"{value:9.3f}"
    if limit is None:
        print(f"{name:<52} {shown} {unit:<2} {'-':>8} {'-':>6}  info", flush=True)
        return
    ratio = value / limit
    print(f"{name:<52} {shown} {unit:<2} {limit:8.3f} {ratio:6.2f}  {'OK' if ratio <= 1 else 'SLOW'}", flush=True)


def compile_sources() -> None:
    """The app's modules compiled to bytecode before anything is timed, as the installed app ships them. This
    machine sets PYTHONDONTWRITEBYTECODE, so without this every start and every first import of a view would
    include compiling its source (10-30 ms for a large module), a cost no user pays. Python still reads the
    .pyc files (in __pycache__, ignored by git); only writing them is switched off."""
    import compileall

    compileall.compile_dir(ROOT / "tama_desk", quiet=1)


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def build(path: Path, size: dict) -> float:
    from tama_desk.db.engine import open_database
    from tama_desk.db.models import Expenditure
    from tama_desk.services import demo, demo_contracts, demo_meetings, grants, profile

    start = time.perf_counter()
    db = open_database(str(path))
    rng = random.Random(20260401)
    with db.transaction() as session:
        profile.update_profile(session, demo.DEMO_PROFILE)
        demo.load_members(session, rng, TODAY, size["members"])
        demo.load_fees(session, rng, TODAY, size["members"], years=size["years"])
        per_grant = size["expenditures"] // size["grants"]
        rows = []
        for number in range(size["grants"]):
            year = TODAY.year - number % size["years"]
            grant = grants.create_grant(
                session, name=f"地域産業支援事業 第{number + 1}号", grantor="東京都知事", fiscal_year=year,
                period_start=date(year, 4, 15), period_end=date(year + 1, 2, 28), decided_amount=10_000_000,
                rate="2/3", budgets={"旅費": 4_000_000, "会議費": 2_000_000, "委託費": 9_000_000})
            for voucher in range(per_grant):
                amount = rng.randint(11, 900) * 100
                rows.append(demo._row(Expenditure(
                    grant_id=grant.id, voucher_number=f"{year % 100:02d}-{grant.id}-{voucher:04d}",
                    category=("旅費", "会議費", "委託費")[voucher % 3], payment_date=date(year, 5, 1) + timedelta(
                        days=voucher % 280), payee="株式会社多摩レンタル", description="会場備品借上げ",
                    amount=amount, tax=amount * 10 // 110, eligible_amount=amount - amount * 10 // 110,
                    ineligible_reason=""), Expenditure) | demo._stamp())
        demo._insert(session, Expenditure, rows, returning=False)
        demo_contracts.load_history(session, rng, TODAY, size["contracts"], size["years"])
        demo_meetings.load_history(session, rng, TODAY, size["meetings"], size["years"])
    db.close()
    return time.perf_counter() - start


def data_set(db) -> None:
    """What the database holds, one line per table the issue names."""
    from sqlalchemy import func, select

    from tama_desk.db.models import Expenditure, Grant, Invoice, Member, Payment
    from tama_desk.db.models_contracts import Contract, ContractCost, Milestone
    from tama_desk.db.models_meetings import FollowUp, Meeting, Pairing, Participant

    with db.reading() as session:
        for label, model in (("members", Member), ("invoices", Invoice), ("payments", Payment), ("grants", Grant),
                             ("expenditures", Expenditure), ("contracts", Contract), ("milestones", Milestone),
                             ("contract costs", ContractCost), ("meetings", Meeting), ("attendees", Participant),
                             ("pairings", Pairing), ("follow-ups", FollowUp)):
            line(f"data set: {label}", session.scalar(select(func.count()).select_from(model)), None, "")


def demo_load(members: int) -> None:
    """`demo --count N` into a new database, end to end in a fresh process (start-up, migration, commit)."""
    import resource
    import subprocess

    with tempfile.TemporaryDirectory() as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tama_desk", "demo", "--count", str(members), "--db",
                        str(Path(folder) / "demo.sqlite3")], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, PYTHONPATH=str(ROOT), TAMA_DESK_HOME=folder))
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    limit = DEMO_LIMIT_S * members / FULL["members"]
    line(f"demo --count {members:,} (wall)", wall, limit)
    line(f"demo --count {members:,} (CPU)", cpu, limit)


def window(path: Path) -> None:
    """Window shown (median of three fresh processes) against a bare ttkbootstrap window, interleaved."""
    import startup

    if not os.environ.get("DISPLAY"):
        print("window shown: skipped (no DISPLAY; run under xvfb-run)")
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    startup.run_child(startup.TAMA, str(path), env=env)
    bare, shown = [], []
    for _ in range(3):
        bare.append(startup.run_child(startup.BARE, env=env)["shown"])
        shown.append(startup.run_child(startup.TAMA, str(path), env=env)["shown"])
    line("bare ttkbootstrap window shown", statistics.median(bare), None)
    line("TAMA Desk window shown", statistics.median(shown), startup.WINDOW_LIMIT_S)
    line("  vs bare window (×)", statistics.median(shown) / statistics.median(bare), startup.BARE_RATIO_LIMIT, "×")


def billing(db, year: int) -> None:
    from tama_desk.services import fees

    with db.reading() as session, session.begin():
        (_plan, ids), seconds = timed(lambda: fees.bill_fiscal_year(session, year, date(year, 4, 10)))
        session.rollback()
    line(f"billing run, {len(ids):,} invoices (rolled back)", seconds, None)


def ledger(db, years: range) -> None:
    from openpyxl import Workbook

    from tama_desk.exports import ledger as ledger_xlsx
    from tama_desk.services import fees, invoices

    with db.reading() as session:
        rows, query = timed(lambda: [row for year in years for row in fees.ledger_rows(session, year)])
    line(f"会費台帳 rows, {len(rows):,} (query + balances)", query, None)

    def bare():
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append([row.member_number, row.member_name, row.type_name, row.invoice_number, row.issue_date,
                          row.billed, row.tax_category, row.credited, row.paid, row.last_paid_on,
                          row.billed - row.paid, row.status, getattr(row, "written_off", 0)])
        with tempfile.TemporaryFile() as file:
            workbook.save(file)

    _, baseline = timed(bare)
    _, ours = timed(lambda: ledger_xlsx.ledger_xlsx(rows, years[-1], invoices.STATUS_LABELS))
    line("bare openpyxl write-only loop, same cells", baseline, None)
    line(f"会費台帳 .xlsx, {len(rows):,} rows", ours, None)
    line("  vs bare openpyxl (×)", ours / baseline, 1.3, "×")


def pdfs(db, year: int, count: int) -> None:
    """One process against the pool, wall and CPU seconds (see bench/invoice_pdf.py for why CPU too)."""
    from invoice_pdf import cpu_seconds

    from tama_desk.documents import pool
    from tama_desk.services import printing

    documents = printing.year_documents(db, year)[:count]
    wall, cpu = {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for workers in (1, pool.workers_for(len(documents))):
            before = cpu_seconds()
            _, wall[workers] = timed(lambda workers=workers: printing.write_pdfs(
                documents, Path(folder) / str(workers), workers=workers))
            cpu[workers] = cpu_seconds() - before
    cores = max(wall)
    line(f"{len(documents):,} invoice PDFs, one process", wall[1], None)
    line(f"{len(documents):,} invoice PDFs, pool of {cores}", wall[cores], None)
    line("  pool vs one process (×)", wall[cores] / wall[1], 0.6, "×")
    line(f"  pool CPU / {cores} cores vs one process CPU (×)", cpu[cores] / cores / cpu[1], 0.6, "×")


def matching(db, count: int) -> None:
    from matching import make_lines

    from tama_desk.domain.matching import propose_matches
    from tama_desk.services import reconcile

    with db.reading() as session:
        items, read = timed(lambda: reconcile.open_items(session))
    lines = make_lines(count, items, random.Random(1))
    proposals, seconds = timed(lambda: propose_matches(lines, items))
    line(f"open invoices read, {len(items):,}", read, None)
    line(f"matching {len(lines):,} lines × {len(items):,} open invoices", seconds, 1.0)
    unique = {proposal.line.fingerprint: proposal for proposal in reversed(proposals) if proposal.auto}
    accepted = [(proposal.line, proposal.candidates[0]) for proposal in reversed(unique.values())]
    with db.reading() as session, session.begin():
        _, seconds = timed(lambda: reconcile.apply(session, accepted))
        session.rollback()
    line(f"payments import --apply, {len(accepted):,} lines (rolled back)", seconds, None)


def interactions(path: Path) -> None:
    """Switching areas, search, sort, open and save a record in a window of its own (bench/interactions.py)."""
    import subprocess

    if not os.environ.get("DISPLAY"):
        print("interactions: skipped (no DISPLAY; run under xvfb-run)")
        return
    subprocess.run([sys.executable, str(ROOT / "bench" / "interactions.py"), "--db", str(path)], check=False,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="a quick run on a tenth of the data")
    parser.add_argument("--db", type=Path, help="use (or build) this database file")
    parser.add_argument("--build-only", action="store_true", help="build (or find) the database and stop")
    args = parser.parse_args()
    compile_sources()
    size = SMALL if args.small else FULL
    path = args.db or Path(tempfile.gettempdir()) / CACHE_NAME.format(**size)
    os.environ.setdefault("TAMA_DESK_HOME", str(Path(tempfile.gettempdir()) / "tama-scale-home"))
    if not path.exists():
        partial = path.with_name(path.name + ".partial")  # a build stopped half way is never reused
        partial.unlink(missing_ok=True)
        line(f"building {path.name}", build(partial, size), None)
        partial.rename(path)
    print(f"database: {path}", flush=True)
    from tama_desk.db.engine import open_database

    db = open_database(str(path))
    data_set(db)
    if args.build_only:
        return
    demo_load(size["members"])
    window(path)
    billing(db, TODAY.year + 1)
    ledger(db, range(TODAY.year - size["years"] + 1, TODAY.year + 1))
    pdfs(db, TODAY.year, size["pdfs"])
    matching(db, size["lines"])
    interactions(path)
    db.close()


if __name__ == "__main__":
    main()
