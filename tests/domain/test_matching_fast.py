"""The fast index build (whole-list normalisation) gives the proposals the per-name code gave.

tests/domain/data/matching_golden.json holds the proposals of the per-name code (before the fast path) for a
generated set in bench/matching.py's style plus awkward names; regenerate it only on a deliberate change of
the matching rules: .venv/bin/python tests/domain/test_matching_fast.py
"""

from __future__ import annotations

import importlib.util
import json
import random
from datetime import date
from pathlib import Path

import pytest

from tama_desk.domain import matching
from tama_desk.domain.matching import MatchIndex, OpenItem
from tama_desk.domain.statement import StatementLine

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "data" / "matching_golden.json"

# Names that take every branch of the normalisation: kanji, full-width and hiragana kana, spelled and
# bracketed legal forms, transaction words, public treasuries, hyphens, digits at either end, combining marks
# after half-width kana, a voiced mark after a kanji, tabs, letters.
AWKWARD = ["振込 ｶ)ﾀﾏｾｲｷ", " ﾌﾘｺﾐ ﾀﾏｾｲｷ", "\tﾌﾘｺﾐ ﾀﾏｾｲｷ", "ﾌﾘｺﾐﾆﾕｳｷﾝ:ﾑｻｼﾃﾞﾝｼ", "ﾊﾁｵｳｼﾞｼ ｶｲｹｲｶﾝﾘｼﾔ", "八王子市会計管理者",
           "ﾀﾁｶﾜｼ ｽｲﾄｳｼﾂ", "株式会社 たましょうじ", "タマショウジ(株)", "㈱多摩精機", "多摩精機ｶﾌﾞｼｷｶﾞｲｼﾔ", "ﾀﾏ-ｾｲｷ", "タマ‐セイキ",
           "ﾀﾏｾｲｷ12", "第2ﾀﾏ", "0123 ｶ)ﾀﾏｼｮｳｼﾞ", "ﾀﾏｾｲｷ０１２３", "ｶ\u0301ﾀﾏ", "多ﾞﾀﾏ", "多摩ﾞｾｲｷ", "ﾀﾏ\u3099ｾｲｷ",
           "ＴＡＭＡ ｼｽﾃﾑ", "tama ｼｽﾃﾑ", "ﾕ)ﾑｻｼﾒﾂｷ(ﾕ", "ﾑｻｼ(ｶ)ﾒﾂｷ", "NPO法人 ﾀﾏﾈﾂﾄ", "一般社団法人ﾀﾏ産業", "ヴァイオリン工房",
           "ﾜﾞｲﾝ", "ｦﾝ", "ｧｨｩｪｫｯｬｭｮ", "医療法人社団 多摩会", "A005 ﾀﾁｶﾜｼﾖｳｺｳ", "ﾀﾏ\x00ｾｲｷ", "ﾀﾏ\nｾｲｷ", "", "1234"]


def _bench():
    spec = importlib.util.spec_from_file_location("bench_matching", ROOT / "bench" / "matching.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated() -> tuple[list[OpenItem], list[StatementLine]]:
    bench = _bench()
    rng = random.Random(7)
    items = bench.make_items(3_000, rng)
    for number, name in enumerate(AWKWARD):
        items.append(OpenItem(invoice_id=10_000 + number, member_id=50_000 + number, member_number=f"9{number:03d}",
                              payer_names=(name, name[::-1], name + "ﾎﾝﾃﾝ"), amount_due=10_000 + number,
                              due_date=date(2026, 4, 30), invoice_number=f"2026-9{number:03d}"))
    lines = bench.make_lines(600, items, rng)
    lines += [StatementLine(1000 + n, date(2026, 5, 1), 10_000 + n, name, (name,)) for n, name in enumerate(AWKWARD)]
    return items, lines


def snapshot(items: list[OpenItem], lines: list[StatementLine]) -> list[object]:
    return [[proposal.auto, [[[item.invoice_id for item in candidate.items], candidate.score, list(candidate.reasons),
                              candidate.amount_match, candidate.strong] for candidate in proposal.candidates]]
            for proposal in MatchIndex(items).propose(lines)]


def test_fast_index_gives_the_proposals_of_the_per_name_code():
    items, lines = generated()
    assert snapshot(items, lines) == json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("awkward", [AWKWARD, [name for name in AWKWARD if "\u0301" not in name and "ﾞ" not in name],
                                     [name[:2] for name in AWKWARD], []])
def test_whole_list_keys_equal_the_per_name_keys(awkward):
    items, _lines = generated()
    names = sorted({name for item in items for name in item.payer_names} | set(awkward))
    forms: dict[str, frozenset[str]] = {}
    assert matching.keys_and_digits(names, forms) == {name: matching.key_and_digits(name) for name in names}
    assert forms == {name: matching.legal_forms(name) for name in names if matching.legal_forms(name)}
    assert matching.keys_and_digits(awkward) == {name: matching.key_and_digits(name) for name in awkward}


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(snapshot(*generated()), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
