"""Speed of payment matching (入金消込): statement lines against open invoices (prints numbers; asserts nothing).

Run: .venv/bin/python bench/matching.py [--lines 1000] [--items 10000] [--seed 1] [--digits 3000] [--apply 400,3000]

Prints the matching with the members' stored name keys and without them (the same proposals, checked), a
statement whose member names differ only by digits, and in a temporary database the filling of every member's
keys (reconcile.fill_match_keys, as after an upgrade) and `payments import --apply` of 400 and 3,000 lines
(preview and apply timed apart, rolled back).

The data imitate a cluster association: company names built from Tama-area place names and trade words
(ﾀﾏｾｲｷ, ﾑｻｼﾃﾞﾝｼｺｳｷﾞﾖｳ…), so many names share their first characters; a handful of fee levels, so
thousands of invoices share one amount; legal forms in every position; and payers that pay exactly,
truncate the name, add the member number, deduct the transfer fee, pay two years at once, or are unknown.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tama_desk.domain.kana import to_bank_kana  # noqa: E402
from tama_desk.domain.matching import MatchIndex, OpenItem, stored_keys  # noqa: E402
from tama_desk.exports.bank_statement import StatementLine  # noqa: E402

PLACES = ["ﾀﾏ", "ﾑｻｼ", "ﾊﾁｵｳｼﾞ", "ﾀﾁｶﾜ", "ﾌﾁﾕｳ", "ﾏﾁﾀﾞ", "ﾋﾉ", "ｺｸﾌﾞﾝｼﾞ", "ｵｳﾒ", "ｱｷｼﾏ", "ﾋｶﾞｼﾔﾏﾄ",
          "ｺﾀﾞｲﾗ", "ﾐﾀｶ", "ﾁﾖｳﾌ", "ｺｶﾞﾈｲ", "ﾊﾑﾗ", "ｲﾅｷﾞ", "ｷﾖｾ", "ｱｻｶﾜ", "ﾀｶｵ", "ﾄｳｷﾖｳ", "ｼﾝﾀﾏ", "ﾆｼﾀﾏ",
          "ﾐﾅﾐﾀﾏ", "ｻｶﾞﾐ"]
TRADES = ["ｾｲｷ", "ﾃﾞﾝｼ", "ｾｲｻｸｼﾖ", "ｺｳｷﾞﾖｳ", "ｷﾞｹﾝ", "ﾌﾟﾗｽﾁﾂｸ", "ﾒﾂｷ", "ｺｳｻﾞｲ", "ｼｽﾃﾑ", "ｾｲﾐﾂ", "ｷｶｲ",
          "ﾃﾂｺｳ", "ｲﾝｻﾂ", "ｿｳｺ", "ｹﾝｾﾂ", "ﾃﾞﾝｷ", "ｺｳｷﾞ", "ﾊﾞﾈ", "ﾈｼﾞ", "ﾄｿｳ", "ﾖｳｾﾂ", "ｶﾅｶﾞﾀ", "ﾋﾖｳﾒﾝｼﾖﾘ",
          "ｿﾌﾄ", "ｴﾝｼﾞﾆｱﾘﾝｸﾞ", "ﾗﾎﾞ", "ｺｳｶﾞｸ", "ﾊﾞｲｵ"]
SUFFIXES = ["", "", "", "ｺｳｷﾞﾖｳ", "ｻﾝｷﾞﾖｳ", "ｼﾖｳｼﾞ", "ｾｲｻｸｼﾖ", "ｺｳｷﾞﾖｳｼﾖ", "ﾎﾝﾃﾝ", "ｺｰﾎﾟﾚｰｼﾖﾝ", "ﾃｸﾉ"]
# (before the name, after it, in the registered name)
FORMS = [("ｶ)", "", "株式会社"), ("", "(ｶ", "株式会社"), ("ﾕ)", "", "有限会社"), ("", "(ﾕ", "有限会社"),
         ("ｼﾔ)", "", "一般社団法人"), ("ｶﾞｸ)", "", "学校法人"), ("ｻﾞｲ)", "", "公益財団法人"), ("ｲ)", "", "医療法人")]
FEES = [10_000, 30_000, 50_000, 100_000, 5_000]


def make_items(count: int, rng: random.Random) -> list[OpenItem]:
    names: set[str] = set()
    items: list[OpenItem] = []
    member_id = 0
    while len(items) < count:
        core = rng.choice(PLACES) + rng.choice(TRADES) + rng.choice(SUFFIXES)
        if core in names:
            core += rng.choice(["ﾆｼ", "ﾋｶﾞｼ", "ﾐﾅﾐ", "ｷﾀ", "ﾀﾞｲｲﾁ", "ﾀﾞｲﾆ"]) + rng.choice(PLACES) + rng.choice(TRADES)
        if core in names:
            continue
        names.add(core)
        member_id += 1
        before, after, kanji = rng.choice(FORMS)
        fee = rng.choice(FEES)
        years = 2 if rng.random() < 0.15 else 1  # some members owe last year too
        payer_names = (before + core + after, to_bank_kana(core), f"{kanji}{core}")  # one tuple, as open_items
        for year in range(years):
            items.append(OpenItem(
                invoice_id=len(items) + 1, member_id=member_id, member_number=f"{member_id:04d}",
                payer_names=payer_names,
                amount_due=fee, due_date=date(2025 + year, 4, 30), invoice_number=f"{2025 + year}-{member_id:04d}"))
    return items[:count]


def make_lines(count: int, items: list[OpenItem], rng: random.Random) -> list[StatementLine]:
    lines = []
    for number in range(count):
        item = rng.choice(items)
        payer, amount = item.payer_names[0], item.amount_due
        kind = rng.random()
        if kind < 0.10:
            payer = payer[:8]  # truncated
        elif kind < 0.15:
            payer = f"{item.member_number} {payer}"
        elif kind < 0.20:
            amount -= rng.choice([220, 440, 660])  # transfer fee deducted
        elif kind < 0.25:
            amount *= 2
        elif kind < 0.30:
            payer, amount = "ﾔﾏﾀﾞ ﾀﾛｳ", rng.choice([3_000, 12_345, 10_000])  # not a member
        lines.append(StatementLine(number + 2, date(2026, 4, 1 + number % 28), amount, payer, (payer, str(amount))))
    return lines


def with_stored_keys(items: list[OpenItem]) -> list[OpenItem]:
    """The items as reconcile.open_items gives them: each member's keys as stored with it (member.match_keys)."""
    names = list(dict.fromkeys(item.payer_names for item in items))
    texts = dict(zip(names, stored_keys(names), strict=True))
    return [dataclasses.replace(item, name_keys=texts[item.payer_names]) for item in items]


def timed_runs(items: list[OpenItem], lines: list[StatementLine], repeat: int) -> tuple[list[tuple], list]:
    from tama_desk.domain import matching

    runs = []
    for _ in range(repeat):
        matching.normalize_payer.cache_clear()  # cold: nothing remembered from the previous run
        matching._fold.cache_clear()
        start, cpu = time.perf_counter(), time.process_time()
        index = MatchIndex(items)
        built = time.perf_counter()
        proposals = index.propose(lines)
        runs.append((built - start, time.perf_counter() - built, time.process_time() - cpu))
    return runs, proposals


def report(title: str, runs: list[tuple], repeat: int) -> None:
    print(title)
    for label, values in (("index", [r[0] for r in runs]), ("proposals", [r[1] for r in runs]),
                          ("total = propose_matches()", [r[0] + r[1] for r in runs]),
                          ("total, CPU time", [r[2] for r in runs])):
        print(f"  {label:<26} best {min(values):6.3f} s   median {statistics.median(values):6.3f} s"
              f"   ({repeat} cold runs)")


def digit_statement(count: int) -> tuple[list[OpenItem], list[StatementLine]]:
    """issue 14: members whose names differ only by digits (ｶ)ﾀﾏｾｲｷ1 … ｶ)ﾀﾏｾｲｷ3000), a statement line each."""
    items = [OpenItem(n, n, f"{n:04d}", (f"ｶ)ﾀﾏｾｲｷ{n}", f"株式会社タマ精機{n}"), 10_000 + n % 7,
                      date(2026, 4, 30), f"2026-{n:04d}") for n in range(1, count + 1)]
    lines = [StatementLine(n + 1, date(2026, 5, 1), item.amount_due, item.payer_names[0], (item.payer_names[0],))
             for n, item in enumerate(items)]
    return items, lines


def apply_figures(counts: list[int]) -> None:
    """`payments import --apply` of N lines in a database of some max(N) members, one open invoice each: the
    preview (open invoices read, matched) and the apply (rolled back), each timed."""
    import tempfile

    from tama_desk.db.engine import open_database
    from tama_desk.db.models import Member
    from tama_desk.services import demo, fees, reconcile

    with tempfile.TemporaryDirectory() as folder:
        db = open_database(str(Path(folder) / "bench.sqlite3"))
        with db.transaction() as session:
            demo.load_members(session, random.Random(1), date(2026, 11, 1), max(counts) * 4 // 3 + 20)  # not all billed
            fees.bill_fiscal_year(session, 2026, date(2026, 4, 10), date(2026, 5, 31))
        with db.transaction() as session:  # a database just upgraded past 0017: no member has its keys yet
            session.execute(Member.__table__.update().values(match_keys=None))
        start = time.perf_counter()
        with db.transaction() as session:
            filled = reconcile.fill_match_keys(session)
        print(f"reconcile.fill_match_keys, {filled:,} members without keys: {time.perf_counter() - start:.2f} s "
              f"(committed)")
        with db.reading() as session:
            items = reconcile.open_items(session)
        for count in counts:
            chosen = items[:count]
            lines = [StatementLine(n + 2, date(2026, 11, 2), item.amount_due, item.payer_names[0],
                                   (str(n), item.payer_names[0], str(item.amount_due)))
                     for n, item in enumerate(chosen)]
            with db.reading() as session, session.begin():
                start = time.process_time()
                proposals = MatchIndex(reconcile.open_items(session)).propose(lines)
                matched = time.process_time()
                accepted = [(proposal.line, proposal.best) for proposal in proposals if proposal.auto]
                reconcile.apply(session, accepted)
                done = time.process_time()
                session.rollback()
            print(f"payments import --apply, {count:,} lines ({len(accepted):,} sure) × {len(items):,} open invoices: "
                  f"preview {matched - start:.2f} s, apply {done - matched:.2f} s CPU (rolled back)")
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--digits", type=int, default=3_000, help="lines of the names-differ-by-digits statement")
    parser.add_argument("--apply", default="400,3000", help="statement sizes for payments import --apply ('' skips)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    items = make_items(args.items, rng)
    lines = make_lines(args.lines, items, rng)
    print(f"{len(lines)} lines × {len(items)} open items ({len({i.member_id for i in items})} members)")
    runs, proposals = timed_runs(with_stored_keys(items), lines, args.repeat)
    report("with the members' stored name keys (as reconcile.open_items gives them):", runs, args.repeat)
    runs, cold = timed_runs(items, lines, max(1, args.repeat // 2))
    report("without stored keys (every name normalised: a database just upgraded):", runs, max(1, args.repeat // 2))
    def outcome(found: list) -> list:
        return [(p.auto, [([i.invoice_id for i in c.items], c.score, c.reasons) for c in p.candidates]) for p in found]

    if outcome(cold) != outcome(proposals):
        raise SystemExit("stored keys gave other proposals")

    auto = sum(p.auto for p in proposals)
    empty = sum(not p.candidates for p in proposals)
    sizes = Counter(len(p.candidates) for p in proposals)
    print(f"auto-accepted {auto}, to confirm {len(proposals) - auto - empty}, no candidate {empty}; "
          f"candidates per line: {dict(sorted(sizes.items()))}")
    if args.digits:
        digit_items, digit_lines = digit_statement(args.digits)
        runs, found = timed_runs(with_stored_keys(digit_items), digit_lines, 1)
        print(f"{len(digit_lines):,}-line statement, names differing only by digits: {runs[0][2]:.3f} s CPU, "
              f"auto-accepted {sum(p.auto for p in found):,}")
    if args.apply:
        apply_figures([int(count) for count in args.apply.split(",")])


if __name__ == "__main__":
    main()
