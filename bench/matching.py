"""Speed of payment matching (入金消込): statement lines against open invoices (prints numbers; asserts nothing).

Run: .venv/bin/python bench/matching.py [--lines 1000] [--items 10000] [--seed 1]

The data imitate a cluster association: company names built from Tama-area place names and trade words
(ﾀﾏｾｲｷ, ﾑｻｼﾃﾞﾝｼｺｳｷﾞﾖｳ…), so many names share their first characters; a handful of fee levels, so
thousands of invoices share one amount; legal forms in every position; and payers that pay exactly,
truncate the name, add the member number, deduct the transfer fee, pay two years at once, or are unknown.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tama_desk.domain.kana import to_bank_kana  # noqa: E402
from tama_desk.domain.matching import MatchIndex, OpenItem  # noqa: E402
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
        for year in range(years):
            items.append(OpenItem(
                invoice_id=len(items) + 1, member_id=member_id, member_number=f"{member_id:04d}",
                payer_names=(before + core + after, to_bank_kana(core), f"{kanji}{core}"),
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    items = make_items(args.items, rng)
    lines = make_lines(args.lines, items, rng)
    print(f"{len(lines)} lines × {len(items)} open items ({len({i.member_id for i in items})} members)")

    from tama_desk.domain import matching

    runs = []
    for _ in range(args.repeat):
        matching.normalize_payer.cache_clear()  # cold: nothing remembered from the previous run
        matching._fold.cache_clear()
        start, cpu = time.perf_counter(), time.process_time()
        index = MatchIndex(items)
        built = time.perf_counter()
        proposals = index.propose(lines)
        runs.append((built - start, time.perf_counter() - built, time.process_time() - cpu))
    for label, values in (("index", [r[0] for r in runs]), ("proposals", [r[1] for r in runs]),
                          ("total = propose_matches()", [r[0] + r[1] for r in runs]),
                          ("total, CPU time", [r[2] for r in runs])):
        print(f"{label:<28} best {min(values):6.3f} s   median {statistics.median(values):6.3f} s"
              f"   ({args.repeat} cold runs)")

    auto = sum(p.auto for p in proposals)
    empty = sum(not p.candidates for p in proposals)
    sizes = Counter(len(p.candidates) for p in proposals)
    print(f"auto-accepted {auto}, to confirm {len(proposals) - auto - empty}, no candidate {empty}; "
          f"candidates per line: {dict(sorted(sizes.items()))}")


if __name__ == "__main__":
    main()
