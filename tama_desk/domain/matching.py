"""Reconciling bank deposits with open invoices (入金消込): payer-name keys and match proposals.

Pure functions, no database. The service gives statement lines (domain.statement.StatementLine)
and the open invoices as OpenItem rows; propose_matches returns, per line, the candidates best first
and whether the best one is safe to accept without asking (``auto``).

Name keys (normalize_payer)
    Bank statements print the payer as half-width kana, upper case, small kana large, with legal-form
    abbreviations (ｶ) before the name = 株式会社, (ｶ after it, (ｶ) in the middle; ﾕ 有限会社, ｼﾔ 一般社団法人 …).
    The key folds width, kana type, case and small kana, removes legal forms in every position and
    spelling (ｶ), (ｶ, (株), ㈱, 株式会社, ｶﾌﾞｼｷｶﾞｲｼﾔ), a leading transaction word (振込 / ﾌﾘｺﾐ), spaces,
    punctuation, and member numbers (digits) at either end. ｰ and a hyphen after kana are the same.

Scoring (all thresholds are the named constants below)
    identity = the best name score over the member's payer names, raised to MEMBER_NUMBER_SCORE when
               the payer wrote the member number (3-6 digits at either end of the payer text, or the
               number with its letters as a word, "A005 ﾀﾁｶﾜｼﾖｳｺｳ"); a number with an exact amount thus never
               scores below a full-name match;
    amount   = AMOUNT_* by how the deposit compares with the open balance of the candidate's items;
    score    = IDENTITY_WEIGHT * identity + AMOUNT_WEIGHT * amount  (0..1).
    A candidate is one or several open items of ONE member: several when their open balances add up to
    the deposit exactly (e.g. two years paid at once).

Auto-accept (Proposal.auto) only when the best candidate
    - matches the amount exactly (one item, or several items of one member adding up exactly), and
    - has a strong identity: equal name keys, the payer key a prefix (truncation) of a member name key
      at least STRONG_PREFIX_LEN characters long, or the member number; a different legal form
      (ｶ vs ﾕ) is never strong; and
    - no other candidate matches the amount exactly with a strong identity or an identity of at least
      max(COMPETING_IDENTITY, best identity - COMPARABLE_MARGIN): so an exact name beats a member whose
      shorter name merely starts the payer's or whose name is merely similar, but not a member whose
      longer name the payer may have cut short, nor the same name with another legal form. A second open item of the same member with
      the same amount blocks too (which year is paid?) unless OLDEST_OF_SAME_MEMBER.
    Everything else is a proposal for the user to confirm.

Speed: a member's name keys are worked out once and stored with it (stored_keys, OpenItem.name_keys; used
only when of KEY_VERSION and made from the same names), and items are indexed once (MatchIndex) by name key
(flat sorted lists made by whole-list steps, for exact keys, prefix ranges and nearest neighbours), member
number and amount, a member's own record read only when a line meets it; so a line costs a few dict look-ups, one bisect and
at most 2 * SIMILAR_NEIGHBOURS SequenceMatcher calls, never one per open item. Names that differ only by
digits (ﾀﾏｾｲｷ1 … ﾀﾏｾｲｷ3000) share a key, so the key is also split by those digits: a payer who wrote them
meets only that member. At most MAX_EVIDENCE members are scored per line (when thousands of names start with
a short payer name, the likeliest are picked level by level of the score without a record per name), members
found together are always taken in the order of their first items, and identical lines (payer and amount) are
worked out once. Inside the index a member is a number (0, 1, … in the order of its first item) into flat
lists, not a (kind, id) tuple: the build makes no object per member.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from operator import attrgetter

from tama_desk.domain.kana import to_bank_kana
from tama_desk.domain.statement import StatementLine

# --- thresholds ---------------------------------------------------------------------------------
NAME_EXACT = 1.0  # equal keys
TRUNCATED_STRONG = 0.85  # payer key is a prefix of the name key, >= STRONG_PREFIX_LEN chars: 0.85..0.95
TRUNCATED_SHORT = 0.80  # payer key is a prefix of the name key, MIN_PREFIX_LEN..STRONG_PREFIX_LEN-1 chars:
#                         0.80..0.90, not strong, but it competes with an exact name (was it cut short?)
EXTENDED = 0.65  # name key is a prefix of the payer key (payer added a branch, a note…): 0.65..0.75
CONTAINED = 0.60  # name key found inside the payer key (not at the start): 0.60..0.70
SIMILAR_FACTOR = 0.8  # otherwise SequenceMatcher ratio × 0.8 (so a fuzzy match never beats a prefix)
LENGTH_BONUS = 0.10  # added to the three ranges above × (shorter length / longer length)
STRONG_PREFIX_LEN = 6  # half-width characters (a voiced mark ﾞ counts as one)
MIN_PREFIX_LEN = 3  # a shorter payer key is only compared for equality and similarity
MIN_CONTAINED_LEN = 4  # a shorter name key is not looked for inside the payer key
MIN_NAME_SCORE = 0.45  # a member whose name scores lower is a candidate only by number or amount
LEGAL_FORM_MISMATCH = 0.9  # name score factor when payer and member have different legal forms
MEMBER_NUMBER_SCORE = NAME_EXACT  # identity when the payer wrote the member number (never below a full name)
COMPETING_IDENTITY = 0.70  # another exact-amount candidate with identity >= this …
COMPARABLE_MARGIN = 0.20  # … and >= best identity - this blocks auto-accept (a strong one always blocks)
OLDEST_OF_SAME_MEMBER = False  # True: a member's several open items of the deposit amount don't block
#                                auto-accept; the oldest (ranked first) is taken
SIMILAR_NEIGHBOURS = 5  # names compared by SequenceMatcher on each side of the payer key in sort order

AMOUNT_EXACT = 1.0  # deposit == open balance of one item
AMOUNT_COMBINED = AMOUNT_EXACT  # deposit == sum of several open items of one member: as sure as one
AMOUNT_FEE = 0.7  # deposit short by 1..FEE_TOLERANCE yen: payer probably deducted the transfer fee
AMOUNT_MULTIPLE = 0.5  # deposit == n × the item's balance (n >= 2): paid several years in advance?
AMOUNT_SHORT = 0.3  # partial payment
AMOUNT_OVER = 0.2  # over-payment
FEE_TOLERANCE = 1000  # yen; 振込手数料 is at most 880 yen at Japanese banks (2026)
IDENTITY_WEIGHT = 0.6
AMOUNT_WEIGHT = 0.4
MIN_CANDIDATE_SCORE = 0.4  # weaker candidates are not proposed
MAX_CANDIDATES = 10  # per statement line
AMOUNT_ONLY_LIMIT = 5  # if at most this many open items have exactly the deposit amount, propose them
MAX_COMBINATION_ITEMS = 10  # members with more open items: only the oldest-first runs are combined
MAX_EVIDENCE = 40  # members scored per line at most: when more share a name, the likeliest (number, name,
#                    an item of the deposit amount) are kept; auto-accept needs one of them alone anyway

# Reasons (fixed Japanese strings, so a view can translate them with t()).
REASON_AMOUNT_EXACT = "金額一致"
REASON_AMOUNT_COMBINED = "複数請求の合計と一致"
REASON_AMOUNT_FEE = "振込手数料差引の可能性"
REASON_AMOUNT_MULTIPLE = "金額が請求額の倍数"
REASON_AMOUNT_SHORT = "金額不足"
REASON_AMOUNT_OVER = "金額超過"
REASON_NAME_EXACT = "名義一致"
REASON_NAME_PREFIX = "名義が前方一致"
REASON_NAME_PARTIAL = "名義が部分一致"
REASON_NAME_SIMILAR = "名義が類似"
REASON_MEMBER_NUMBER = "会員番号一致"
REASON_LEGAL_FORM = "法人格が異なる"

# Amount classes (Candidate.amount_match)
EXACT, COMBINED, FEE, MULTIPLE, SHORT, OVER = "exact", "combined", "fee", "multiple", "short", "over"
_AMOUNT_SCORES = {EXACT: AMOUNT_EXACT, COMBINED: AMOUNT_COMBINED, FEE: AMOUNT_FEE, MULTIPLE: AMOUNT_MULTIPLE,
                  SHORT: AMOUNT_SHORT, OVER: AMOUNT_OVER}
_AMOUNT_REASONS = {EXACT: REASON_AMOUNT_EXACT, COMBINED: REASON_AMOUNT_COMBINED, FEE: REASON_AMOUNT_FEE,
                   MULTIPLE: REASON_AMOUNT_MULTIPLE, SHORT: REASON_AMOUNT_SHORT, OVER: REASON_AMOUNT_OVER}

# --- legal forms --------------------------------------------------------------------------------
# (bank abbreviation, other spellings found anywhere in a name: kanji, (kanji), kana spelled out).
# Abbreviations from the Zengin 略語 table as banks publish it.
_LEGAL_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ｶ", ("株式会社", "(株)", "ｶﾌﾞｼｷｶﾞｲｼﾔ", "ｶﾌﾞｼｷｶｲｼﾔ")),
    ("ﾕ", ("有限会社", "(有)", "ﾕｳｹﾞﾝｶﾞｲｼﾔ", "ﾕｳｹﾞﾝｶｲｼﾔ")),
    ("ﾒ", ("合名会社", "(名)", "ｺﾞｳﾒｲｶﾞｲｼﾔ")),
    ("ｼ", ("合資会社", "(資)", "ｺﾞｳｼｶﾞｲｼﾔ")),
    ("ﾄﾞ", ("合同会社", "(同)", "ｺﾞｳﾄﾞｳｶﾞｲｼﾔ")),
    ("ｿ", ("相互会社",)),
    ("ｲ", ("医療法人社団", "医療法人財団", "社会医療法人", "医療法人", "(医)", "ｲﾘﾖｳﾎｳｼﾞﾝｼﾔﾀﾞﾝ",
           "ｲﾘﾖｳﾎｳｼﾞﾝｻﾞｲﾀﾞﾝ", "ｲﾘﾖｳﾎｳｼﾞﾝ")),
    ("ｻﾞｲ", ("一般財団法人", "公益財団法人", "財団法人", "(財)", "(一財)", "(公財)", "ｲﾂﾊﾟﾝｻﾞｲﾀﾞﾝﾎｳｼﾞﾝ",
             "ｺｳｴｷｻﾞｲﾀﾞﾝﾎｳｼﾞﾝ", "ｻﾞｲﾀﾞﾝﾎｳｼﾞﾝ")),
    ("ｼﾔ", ("一般社団法人", "公益社団法人", "社団法人", "(社)", "(一社)", "(公社)", "ｲﾂﾊﾟﾝｼﾔﾀﾞﾝﾎｳｼﾞﾝ",
            "ｺｳｴｷｼﾔﾀﾞﾝﾎｳｼﾞﾝ", "ｼﾔﾀﾞﾝﾎｳｼﾞﾝ")),
    ("ｼﾕｳ", ("宗教法人", "(宗)", "ｼﾕｳｷﾖｳﾎｳｼﾞﾝ")),
    ("ｶﾞｸ", ("学校法人", "(学)", "ｶﾞﾂｺｳﾎｳｼﾞﾝ")),
    ("ﾌｸ", ("社会福祉法人", "(福)", "ｼﾔｶｲﾌｸｼﾎｳｼﾞﾝ")),
    ("ﾎｺﾞ", ("更生保護法人",)),
    ("ﾄｸﾋ", ("特定非営利活動法人", "NPO法人", "(特非)", "ﾄｸﾃｲﾋｴｲﾘｶﾂﾄﾞｳﾎｳｼﾞﾝ", "NPOﾎｳｼﾞﾝ")),
    ("ﾁﾄﾞｸ", ("地方独立行政法人",)),
    ("ﾄﾞｸ", ("独立行政法人", "ﾄﾞｸﾘﾂｷﾞﾖｳｾｲﾎｳｼﾞﾝ")),
    ("ﾍﾞﾝ", ("弁護士法人",)),
    ("ﾁﾕｳ", ("有限責任中間法人", "無限責任中間法人")),
    ("ｷﾞﾖｳ", ("行政書士法人",)),
    ("ｼﾎｳ", ("司法書士法人",)),
    ("ｾﾞｲ", ("税理士法人", "ｾﾞｲﾘｼﾎｳｼﾞﾝ")),
    ("ﾛｳﾑ", ("社会保険労務士法人",)),
    ("ﾀﾞｲ", ("国立大学法人", "公立大学法人")),
    ("ﾉｳ", ("農事組合法人",)),
    ("ｶﾝﾘ", ("管理組合法人",)),
    # 事業・営業所 abbreviations: removed in their bracketed bank forms, but not legal forms (legal_forms).
    ("ｴｲ", ()),  # 営業所
    ("ｼﾕﾂ", ()),  # 出張所
    ("ﾚﾝ", ()),  # 連合会
    ("ｷﾖｳｻｲ", ()),  # 共済組合
    ("ｷﾖｳｸﾐ", ()),  # 協同組合
    ("ｾｲｷﾖｳ", ()),  # 生活協同組合
    ("ﾉｳｷﾖｳ", ()),  # 農業協同組合
    ("ｹﾝﾎﾟ", ()),  # 健康保険組合
    ("ｺｸﾎ", ()),  # 国民健康保険
)
_NOT_ENTITY = frozenset({"ｴｲ", "ｼﾕﾂ", "ﾚﾝ", "ｷﾖｳｻｲ", "ｷﾖｳｸﾐ", "ｾｲｷﾖｳ", "ﾉｳｷﾖｳ", "ｹﾝﾎﾟ", "ｺｸﾎ"})
_KANA = "\uff66-\uff9f"  # half-width ｦ … ﾟ, including ｰ ﾞ ﾟ
_ABBREVIATIONS = sorted({abbr for abbr, _ in _LEGAL_FORMS}, key=len, reverse=True)
_ABBR = "|".join(re.escape(abbr) for abbr in _ABBREVIATIONS)
_ABBR_RE = re.compile(
    rf"\(({_ABBR})\)"  # in the middle: ﾀﾏ(ｶ)ｾｲｷ
    rf"|(?<![{_KANA}A-Z])({_ABBR})\)"  # before the name: ｶ)ﾀﾏｾｲｷ, 0123ｶ)ﾀﾏｾｲｷ (not ﾀﾏｶ))
    rf"|\(({_ABBR})(?![{_KANA}A-Z])"  # after it: ﾀﾏｾｲｷ(ｶ (not ﾀﾏ(ｶﾞｸ…)
)
_SPELLED = {spelling: abbr for abbr, spellings in _LEGAL_FORMS for spelling in spellings}
_SPELLED_RE = re.compile("|".join(re.escape(s) for s in sorted(_SPELLED, key=len, reverse=True)))
_TRANSACTION_WORD_RE = re.compile(r"^\s*(?:振込入金|振込|ﾌﾘｺﾐﾆﾕｳｷﾝ|ﾌﾘｺﾐ|振替|ﾌﾘｶｴ)[\s*:]+")
_HYPHENS = frozenset("-\u2010\u2011\u2013\u2014\u2015\u2212")
_KANA_HYPHEN_RE = re.compile(rf"(?<=[{_KANA}])(?:{'|'.join(map(re.escape, sorted(_HYPHENS)))})")
_NOT_NAME_RE = re.compile(rf"[^\w{_KANA}]|_")
_END_DIGITS_RE = re.compile(r"^\d+|\d+$")
_NUMBER_START_RE = re.compile(r"^(\d{3,6})(?!\d)")
_NUMBER_END_RE = re.compile(r"(?<!\d)(\d{3,6})$")
# A member number with letters ("A005", "M-0123") written as its own word at either end of the payer text.
_NUMBER_WORD_RE = re.compile(r"^\s*([A-Z]{1,3}-?\d{2,6})(?:\s+|$)|\s+([A-Z]{1,3}-?\d{2,6})\s*$")


def split_member_word(text: str) -> tuple[str, str]:
    """(the member number the payer wrote as a word at either end, e.g. "A005", upper case without hyphen;
    the text without it): "A005 ﾀﾁｶﾜｼﾖｳｺｳ" → ("A005", "ﾀﾁｶﾜｼﾖｳｺｳ"). ("", text) when there is none."""
    folded = unicodedata.normalize("NFKC", text).upper()
    match = _NUMBER_WORD_RE.search(folded)
    if not match:
        return "", text
    return (match.group(1) or match.group(2)).replace("-", ""), (folded[:match.start()] + " " + folded[match.end():]).strip()


def full_number_key(number: str) -> str:
    """A member number as written, upper case without hyphens or spaces ("a-005" → "A005")."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", number or "").upper())


# kana.to_bank_kana as one str.translate (it converts character by character in Python): every
# character NFKC can produce that to_bank_kana changes, mapped to what it becomes.
_TO_BANK = str.maketrans({chr(code): to_bank_kana(chr(code)) for code in range(0x3000, 0x3100)
                          if not chr(code).isspace() and to_bank_kana(chr(code)) not in ("", chr(code))})
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def _to_bank_kana(text: str) -> str:
    """= kana.to_bank_kana(text), except that spaces are not tidied (the caller removes them)."""
    return unicodedata.normalize("NFKC", text).translate(_HIRAGANA_TO_KATAKANA).upper().translate(_TO_BANK)


_BANK_TEXT_RE = re.compile(rf"[{_KANA}A-Z0-9 ().,\-/]*")  # already as a bank prints it: no folding needed
_SMALL_TO_LARGE = str.maketrans("ｧｨｩｪｫｯｬｭｮ", "ｱｲｳｴｵﾂﾔﾕﾖ")  # as kana.to_bank_kana
_SPELLED_MARKERS = ("会社", "法人", "(", "ｶﾞｲｼﾔ", "ｶｲｼﾔ", "ﾎｳｼﾞﾝ")


@lru_cache(maxsize=65536)
def _fold(text: str) -> tuple[str, frozenset[str]]:
    """Bank kana with legal forms and a leading transaction word removed (spaces kept), and the forms."""
    folded = text.translate(_SMALL_TO_LARGE) if _BANK_TEXT_RE.fullmatch(text) else _to_bank_kana(text)
    if folded[:1] in ("振", "ﾌ", " "):
        folded = _TRANSACTION_WORD_RE.sub("", folded)
    forms: set[str] = set()

    def spelled(match: re.Match[str]) -> str:
        forms.add(_SPELLED[match.group(0)])
        return " "

    def abbreviation(match: re.Match[str]) -> str:
        forms.add(match.group(1) or match.group(2) or match.group(3))
        return " "

    if any(marker in folded for marker in _SPELLED_MARKERS):
        folded = _SPELLED_RE.sub(spelled, folded)
    if "(" in folded or ")" in folded:
        folded = _ABBR_RE.sub(abbreviation, folded)
    if not _HYPHENS.isdisjoint(folded):
        folded = _KANA_HYPHEN_RE.sub("ｰ", folded)
    return folded, frozenset(forms)


@lru_cache(maxsize=65536)
def normalize_payer(text: str) -> str:
    """The comparison key of a payer name: half-width upper-case kana, no legal form, spaces, punctuation
    or member number. "0123 ｶ)ﾀﾏｼｮｳｼﾞ", "タマショウジ(株)", "株式会社 たましょうじ" → "ﾀﾏｼﾖｳｼﾞ".
    Kanji stay kanji (a kanji name never equals a kana key)."""
    return key_and_digits(text)[0]


def end_digits(text: str) -> frozenset[str]:
    """The digits normalize_payer drops from either end of a name, without leading zeros: "ﾀﾏｾｲｷ12" → {"12"},
    "第2ﾀﾏ" → {"2"}. Names that differ only by them ("ﾀﾏｾｲｷ1", "ﾀﾏｾｲｷ2") are different members."""
    return key_and_digits(text)[1]


# Public bodies pay from an account named after the body and its treasury: ﾊﾁｵｳｼﾞｼ ｶｲｹｲｶﾝﾘｼﾔ (会計管理者),
# ○○ｼ ｽｲﾄｳｼﾂ (出納室), ○○ｼ ｶｲｹｲｶ (会計課). The key is the body's name alone.
_PUBLIC_TREASURY_RE = re.compile(r"(?<=.)(?:ｶｲｹｲｶﾝﾘｼﾔ|ｽｲﾄｳｼﾂ|ｶｲｹｲｶ|会計管理者|出納室|会計課)$")


def key_and_digits(text: str) -> tuple[str, frozenset[str]]:
    """normalize_payer(text) and end_digits(text) at once."""
    key = _NOT_NAME_RE.sub("", _fold(text)[0])
    if key.endswith(("ｼﾔ", "ｼﾂ", "ｶ", "者", "室", "課")):
        key = _PUBLIC_TREASURY_RE.sub("", key)
    if not (key[:1].isdigit() or key[-1:].isdigit()):
        return key, frozenset()
    return (_END_DIGITS_RE.sub("", key),
            frozenset(match.lstrip("0") or "0" for match in _END_DIGITS_RE.findall(key)))


# --- many names at once (the index build) ----------------------------------------------------------
# The same steps as _fold and key_and_digits on all names joined by newlines: a few C calls over one long
# string instead of a dozen Python calls per name (100,000 open invoices carry some 300,000 names). Each
# pattern below is its per-name one made to stop at a newline; tests/domain/test_matching_fast.py checks
# that the keys are those of key_and_digits.
_NOT_BANK_LINE_RE = re.compile(rf"(?m)^.*[^{_KANA}A-Z0-9 ().,\-/\n].*$")
_HALF_KANA_RUN_RE = re.compile("([\uff66-\uff9f]+)")
# NFKC of a half-width kana run is the run with small kana made large (checked for every run of up to three
# characters), and NFKC keeps a run apart from its neighbours unless a voiced mark starts the run after
# another character or a character that may combine follows it: such names are folded one by one.
_UNSAFE_RUN_RE = re.compile("[^\uff66-\uff9f\n][\uff9e\uff9f]"
                            "|[\uff66-\uff9f][^\x00-\x7f\u3000-\u3098\u309d-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                            "\uff01-\uff9f]")
_TRANSACTION_LINES_RE = re.compile(r"(?m)^(?: [^\S\n]*)?(?:振込入金|振込|ﾌﾘｺﾐﾆﾕｳｷﾝ|ﾌﾘｺﾐ|振替|ﾌﾘｶｴ)(?:[^\S\n]|[*:])+")
_NOT_NAME_LINES_RE = re.compile(rf"[^\w{_KANA}\n]|_")
_TREASURY_WORDS = ("ｶｲｹｲｶﾝﾘｼﾔ", "ｽｲﾄｳｼﾂ", "ｶｲｹｲｶ", "会計管理者", "出納室", "会計課")
_PUBLIC_TREASURY_LINES_RE = re.compile(rf"(?m)(?<=.)(?:{'|'.join(_TREASURY_WORDS)})$")
_EDGE_DIGIT_LINES_RE = re.compile(r"(?m)^\d|\d$")


def _small_to_large(text: str) -> str:
    for small, large in zip("ｧｨｩｪｫｯｬｭｮ", "ｱｲｳｴｵﾂﾔﾕﾖ", strict=True):
        text = text.replace(small, large)
    return text


def _to_bank_kana_all(texts: list[str]) -> list[str]:
    """[_to_bank_kana(text) for text in texts]; NFKC, slow on half-width kana, sees only the other characters."""
    big = "\n".join(texts)
    if _UNSAFE_RUN_RE.search(big):
        safe = [text for text in texts if not _UNSAFE_RUN_RE.search(text)]
        folded = dict(zip(safe, _to_bank_kana_all(safe), strict=True))
        return [folded[text] if text in folded else _to_bank_kana(text) for text in texts]
    pieces = _HALF_KANA_RUN_RE.split(big)  # other, run, other, run, …, other
    others = _to_bank_kana("\x00".join(pieces[0::2])).split("\x00")
    runs = _small_to_large("\x00".join(pieces[1::2])).split("\x00")
    if len(others) != len(pieces[0::2]) or len(runs) != len(pieces[1::2]):
        return [_to_bank_kana(text) for text in texts]
    pieces[0::2], pieces[1::2] = others, runs
    folded = "".join(pieces).split("\n")
    return folded if len(folded) == len(texts) else [_to_bank_kana(text) for text in texts]


def _sub_noting(pattern: re.Pattern[str], big: str, form: Callable[[re.Match[str]], str],
                forms: dict[int, set[str]]) -> str:
    """pattern.sub(" ", big), noting form(match) under the line number of every match in forms."""
    starts = list(itertools.accumulate(map(len, big.split("\n")), lambda start, length: start + length + 1,
                                       initial=0))
    found: list[tuple[int, str]] = []

    def replace(match: re.Match[str]) -> str:
        found.append((match.start(), form(match)))
        return " "

    big = pattern.sub(replace, big)
    for start, abbreviation in found:
        forms.setdefault(bisect.bisect_right(starts, start) - 1, set()).add(abbreviation)
    return big


def keys_and_digits(texts: Iterable[str], forms: dict[str, frozenset[str]] | None = None,
                    ) -> dict[str, tuple[str, frozenset[str]]]:
    """{text: key_and_digits(text)} for many texts at once, by whole-string operations on them all; and
    legal_forms(text) into forms, for the texts that have some, when forms is given."""
    texts = list(dict.fromkeys(texts))
    result = {text: key_and_digits(text) for text in texts if "\n" in text or "\x00" in text}
    if result:
        texts = [text for text in texts if text not in result]
        if forms is not None:
            forms.update((text, found) for text in result if (found := legal_forms(text)))
    if not texts:
        return result
    other = set(_NOT_BANK_LINE_RE.findall("\n".join(texts)))
    bank = [text for text in texts if text not in other]
    other_texts = [text for text in texts if text in other]
    folded = [*_small_to_large("\n".join(bank)).split("\n"), *_to_bank_kana_all(other_texts)] if bank else \
        _to_bank_kana_all(other_texts)
    big = "\n".join(folded)
    # Each step only where its words occur at all (a look for a word is much faster than a regex pass).
    if any(word in big for word in ("振", "ﾌﾘｺﾐ", "ﾌﾘｶｴ")):
        big = _TRANSACTION_LINES_RE.sub("", big)
    noted: dict[int, set[str]] = {}  # line number → forms
    if any(marker in big for marker in _SPELLED_MARKERS):  # every spelling holds one of them
        big = (_SPELLED_RE.sub(" ", big) if forms is None else
               _sub_noting(_SPELLED_RE, big, lambda match: _SPELLED[match.group(0)], noted))
    if "(" in big or ")" in big:
        big = (_ABBR_RE.sub(" ", big) if forms is None else _sub_noting(
            _ABBR_RE, big, lambda match: match.group(1) or match.group(2) or match.group(3), noted))
    if any(hyphen in big for hyphen in _HYPHENS):
        big = _KANA_HYPHEN_RE.sub("ｰ", big)
    big = _NOT_NAME_LINES_RE.sub("", big)
    if any(word in big for word in _TREASURY_WORDS):
        big = _PUBLIC_TREASURY_LINES_RE.sub("", big)
    keys = big.split("\n")
    ordered = [*bank, *other_texts]
    if len(keys) != len(ordered):  # cannot happen: no step adds or removes a newline
        raise AssertionError("keys_and_digits: lines lost")
    result.update(zip(ordered, zip(keys, itertools.repeat(frozenset()), strict=False), strict=False))
    if forms is not None:
        for line, abbreviations in noted.items():
            if not abbreviations <= _NOT_ENTITY:
                forms[ordered[line]] = frozenset(abbreviations) - _NOT_ENTITY
    if _EDGE_DIGIT_LINES_RE.search(big):
        for text, key in zip(ordered, keys, strict=True):
            if key[:1].isdigit() or key[-1:].isdigit():
                result[text] = (_END_DIGITS_RE.sub("", key),
                                frozenset(match.lstrip("0") or "0" for match in _END_DIGITS_RE.findall(key)))
    return result


def legal_forms(text: str) -> frozenset[str]:
    """The bank abbreviations (ｶ, ﾕ, ｼﾔ…) of the legal forms written in a name, in any spelling."""
    return _fold(text)[1] - _NOT_ENTITY


def extract_member_number(text: str) -> str | None:
    """Digits (3-6 of them) written at the start or the end of the payer text, e.g. "0123 ｶ)ﾀﾏｾｲｷ",
    "ﾀﾏｾｲｷ0123", "ｶ)ﾀﾏｾｲｷ ０１２３" → "0123". The start wins when both ends carry digits."""
    spaced = _NOT_NAME_RE.sub(" ", _fold(text)[0]).strip()
    match = _NUMBER_START_RE.search(spaced) or _NUMBER_END_RE.search(spaced)
    return match.group(1) if match else None


def member_number_key(number: str) -> str:
    """Member numbers compared by their digits without leading zeros ("0123", "123", "M-0123" agree)."""
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", number or "")).lstrip("0")


# --- model --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenItem:
    """An invoice with an open balance. payer_names: the member's 振込名義, its フリガナ converted by
    kana.to_bank_kana, and its name (any spelling; all are normalised here)."""

    invoice_id: int
    member_id: int | None
    member_number: str
    payer_names: tuple[str, ...]
    amount_due: int
    due_date: date | None
    invoice_number: str
    client_id: int | None = None  # a contract invoice to a client (取引先) instead of a member
    name_keys: str = ""  # the keys of payer_names as stored_keys made them (kept with the member), or ""

    @property
    def party(self) -> tuple[str, int]:
        """Who pays: items of one party may be settled together by one deposit."""
        return ("client", self.client_id) if self.client_id else ("member", self.member_id or 0)


@dataclass(frozen=True)
class Candidate:
    """One way to settle a deposit: one or several open items, all of one member."""

    items: tuple[OpenItem, ...]
    score: float  # 0..1
    reasons: tuple[str, ...]  # REASON_* strings, amount first
    name_score: float = 0.0  # best name similarity 0..1 (before the member-number boost)
    identity: float = 0.0  # name score, or MEMBER_NUMBER_SCORE when the member number matched
    amount_match: str = ""  # EXACT, COMBINED, FEE, MULTIPLE, SHORT or OVER
    strong: bool = False  # identity strong enough for auto-accept (see module doc)

    @property
    def item(self) -> OpenItem:
        return self.items[0]

    @property
    def member_id(self) -> int | None:
        return self.items[0].member_id

    @property
    def client_id(self) -> int | None:
        return self.items[0].client_id

    @property
    def total(self) -> int:
        return sum(item.amount_due for item in self.items)

    @property
    def exact_amount(self) -> bool:
        return self.amount_match in (EXACT, COMBINED)


@dataclass(frozen=True)
class Proposal:
    line: StatementLine
    candidates: tuple[Candidate, ...]  # best first
    auto: bool  # True: the best candidate may be applied without asking

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


# --- name similarity ----------------------------------------------------------------------------
@dataclass(frozen=True)
class NameMatch:
    """score 0..1, reason (REASON_NAME_*, "" when no match), strong: enough for auto-accept."""

    score: float
    reason: str
    strong: bool


_NO_MATCH = NameMatch(0.0, "", False)


def _length_bonus(short: str, long: str) -> float:
    return LENGTH_BONUS * len(short) / len(long)


def name_match(payer_key: str, name_key: str, matcher: SequenceMatcher | None = None) -> NameMatch:
    """How well a normalised payer key fits a normalised member name key (see the constants)."""
    if not payer_key or not name_key:
        return _NO_MATCH
    if payer_key == name_key:
        return NameMatch(NAME_EXACT, REASON_NAME_EXACT, True)
    if len(payer_key) >= MIN_PREFIX_LEN and name_key.startswith(payer_key):
        strong = len(payer_key) >= STRONG_PREFIX_LEN
        base = TRUNCATED_STRONG if strong else TRUNCATED_SHORT
        return NameMatch(base + _length_bonus(payer_key, name_key), REASON_NAME_PREFIX, strong)
    if len(name_key) >= MIN_PREFIX_LEN and payer_key.startswith(name_key):
        return NameMatch(EXTENDED + _length_bonus(name_key, payer_key), REASON_NAME_PREFIX, False)
    if len(name_key) >= MIN_CONTAINED_LEN and name_key in payer_key:
        return NameMatch(CONTAINED + _length_bonus(name_key, payer_key), REASON_NAME_PARTIAL, False)
    if len(payer_key) >= MIN_CONTAINED_LEN and payer_key in name_key:
        return NameMatch(CONTAINED + _length_bonus(payer_key, name_key), REASON_NAME_PARTIAL, False)
    if matcher is None:
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(payer_key)
    matcher.set_seq1(name_key)
    floor = MIN_NAME_SCORE / SIMILAR_FACTOR
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return _NO_MATCH
    ratio = matcher.ratio()
    return NameMatch(SIMILAR_FACTOR * ratio, REASON_NAME_SIMILAR, False) if ratio >= floor else _NO_MATCH


# --- stored keys --------------------------------------------------------------------------------
# A member's name keys are worked out once and kept with the member (Member.match_keys), so that a statement
# matched against 100,000 open invoices does not normalise their 300,000 names again: stored_keys makes the
# text, OpenItem.name_keys carries it, and MatchIndex uses it only when it is of KEY_VERSION and was made from
# the item's payer_names exactly (anything else, or "", is worked out again: a stored key is never trusted
# beyond the names it was made from). Raise KEY_VERSION whenever a change here gives other keys, legal forms
# or digits for the same names.
KEY_VERSION = 1
# Separators no key holds (keys are \w and kana only): private-use characters, as control characters are
# refused in every text column (db.guards).
_FIELD, _NAME, _PAIR = "\ue000", "\ue001", "\ue002"
_MARKS = (_FIELD, _NAME, _PAIR)  # a name holding one never takes a stored text for its own
_VERSION = str(KEY_VERSION)
_BLANK = _FIELD * 4  # the fields of a missing or unreadable keys text: never current


def stored_keys(names_list: Iterable[Sequence[str]]) -> list[str]:
    """For each tuple of payer names (OpenItem.payer_names), the text to keep as their keys:
    version, names, keys, "key digits" pairs (only when a name ends in digits) and legal forms, each
    apart by a separator. Many at once."""
    names_list = [tuple(names) for names in names_list]
    forms: dict[str, frozenset[str]] = {}
    if len(names_list) < 20:  # one member saved: name by name (the whole-list steps pay off for many)
        keyed = {name: key_and_digits(name) for names in names_list for name in names}
        forms.update((name, found) for name in keyed if (found := legal_forms(name)))
    else:
        keyed = keys_and_digits((name for names in names_list for name in names), forms)
    return [_stored(names, keyed, forms) for names in names_list]


def _stored(names: tuple[str, ...], keyed: dict[str, tuple[str, frozenset[str]]],
            forms: dict[str, frozenset[str]]) -> str:
    pairs = sorted({(key, ",".join(sorted(digits))) for key, digits in map(keyed.__getitem__, names) if key})
    keys = _NAME.join(dict.fromkeys(key for key, _digits in pairs))
    digits = _NAME.join(key + _PAIR + digits for key, digits in pairs) if any(d for _k, d in pairs) else ""
    found = ",".join(sorted(frozenset().union(*(forms.get(name, ()) for name in names))))
    version = "0" if any(mark in name for name in names for mark in _MARKS) else str(KEY_VERSION)  # 0: never
    return _FIELD.join((version, _NAME.join(names), keys, digits, found))


def current_keys(names_list: Sequence[Sequence[str]], texts: Sequence[str]) -> list[bool]:
    """For each tuple of payer names and the keys text kept with them: whether the text is current (made by
    stored_keys from exactly these names, of KEY_VERSION). Many at once, by whole-list steps."""
    return _read_keys(names_list, texts)[0]


def _read_keys(names_list: Sequence[Sequence[str]], texts: Sequence[str]) -> tuple[list[bool], list[str]]:
    """current_keys(names_list, texts), and the five fields (_fields) of every text in one flat list."""
    count = len(texts)
    fields = _FIELD.join(texts).split(_FIELD) if texts else []
    if len(fields) != 5 * count or list(map(str.count, texts, itertools.repeat(_FIELD))).count(4) != count:
        # a text missing or not of five fields (a name holding the separator, a text cut short): each apart
        fields = list(itertools.chain.from_iterable(map(_fields, texts)))
    joined = list(map(_NAME.join, names_list))
    current = list(map(operator.eq, fields[1::5], joined))
    versions = fields[0::5]
    if versions.count(_VERSION) != count:
        current = list(map(operator.and_, current, map(operator.eq, versions, itertools.repeat(_VERSION))))
    every = "".join(joined)
    if (_FIELD in every or _PAIR in every
            or every.count(_NAME) != sum(map(len, names_list)) - count + list(names_list).count(())):
        for position, names in enumerate(names_list):  # a name holding a separator: never current
            if any(mark in name for name in names for mark in _MARKS):
                current[position] = False
    return current, fields


def _fields(text: str) -> list[str]:
    """The five fields of a keys text (stored_keys): version, names, keys, digits, legal forms; those of
    _BLANK when the text is not one (missing, cut short). Names may hold a separator, the rest never does."""
    parts = text.rsplit(_FIELD, 3)
    head = parts[0].split(_FIELD, 1) if len(parts) == 4 else []
    return [*head, *parts[1:]] if len(head) == 2 else _BLANK.split(_FIELD)


# --- index --------------------------------------------------------------------------------------
Party = tuple[str, int]  # OpenItem.party: ("member", id) or ("client", id)
_PARTY = attrgetter("party")
_MEMBER_ID = attrgetter("member_id")
_CLIENT_ID = attrgetter("client_id")
_AMOUNT = attrgetter("amount_due")
_NUMBER = attrgetter("member_number")


@dataclass(slots=True)
class _Member:
    items: list[OpenItem]  # oldest first
    keys: tuple[str, ...]  # distinct name keys, sorted
    forms: frozenset[str]
    digits: str  # "" when no name ends in digits, else every key, _PAIR, its digits ("" for none), by _NAME

    def digits_of(self, key: str) -> list[str]:
        """The digits ("" for none) of each of the member's names whose key is key."""
        if not self.digits:
            return [""]
        return [pair[len(key) + 1:] for pair in self.digits.split(_NAME) if pair.startswith(key + _PAIR)]


@dataclass(frozen=True, slots=True)
class _Block:
    """The many names that start with a payer key (sorted_keys[start:end]), each of one party with no other."""

    payer_key: str
    start: int
    end: int
    by_length: dict[int, NameMatch]  # the name match of a key by its length


@lru_cache(maxsize=256)
def _forms(text: str) -> frozenset[str]:
    return frozenset(text.split(",")) if text else frozenset()


class MatchIndex:
    """Open items indexed for matching; build once, then propose() for any number of lines.

    Inside, a party (OpenItem.party) is a number, 0, 1, … in the order of its first item: lists indexed by it
    hold each party's first item, amount and keys fields, so the build makes no object per party. The index
    is a few flat lists and dicts made by whole-list operations: the distinct name keys in sort order with
    the party (or parties) of each, the parties by number and by amount; a party's own record (items, legal
    forms, digits) is made only when a line meets it. Members found together are always taken in the order
    of their first items (never in the order of a set), so a statement gets the same proposals in every
    process. `stored_keys` holds, after the build, the keys text (stored_keys()) of every party whose
    OpenItem.name_keys was missing or outdated, for the caller to keep with the member."""

    def __init__(self, items: Iterable[OpenItem]):
        # The build makes some 300,000 objects that all live on: automatic collections in between would walk
        # them again and again (the window disables automatic collection anyway).
        with _no_automatic_collection():
            self._build(list(items))

    def _build(self, items: list[OpenItem]) -> None:
        # Who pays each item: its member id (an int, the cheapest to hash) when no item is a client's and every
        # item has a member id, else OpenItem.party.
        ids: list[object] = list(map(_MEMBER_ID, items))
        if any(map(_CLIENT_ID, items)) or None in ids:
            ids = list(map(_PARTY, items))
        parties = self._parties = list(dict.fromkeys(ids))
        count = len(parties)
        self._later: dict[int, list[OpenItem]] = {}  # the items after its first of each party with several
        if count == len(items):
            item_ids: Sequence[int] = range(count)
            firsts = items
            later: list[int] = []  # positions of the items after their party's first
        else:
            number_of = dict(zip(parties, range(count), strict=True))
            item_ids = list(map(number_of.__getitem__, ids))
            first_at = dict(zip(reversed(item_ids), range(len(items) - 1, -1, -1), strict=True))  # party → its first position
            firsts = list(map(items.__getitem__, map(first_at.__getitem__, range(count))))
            later = list(itertools.compress(range(len(items)), map(
                operator.ne, map(first_at.__getitem__, item_ids), range(len(items)))))
            for position in later:
                self._later.setdefault(item_ids[position], []).append(items[position])
        self._firsts = firsts
        # What each party owes: the amount of its first item, and the set of all its amounts when it has several.
        self._amount = list(map(_AMOUNT, firsts))
        self._amount_sets: dict[int, set[int]] = {}  # made when needed (_amounts)
        self._index_numbers(items, item_ids, later)
        # How many items are open for each amount, and the items of the amounts few are open for (in their
        # order): an amount that few items are open for proposes them whatever the name.
        amounts = self._amount if firsts is items else list(map(_AMOUNT, items))
        self._amount_counts = Counter(amounts)
        few = {amount for amount, found in self._amount_counts.items() if found <= AMOUNT_ONLY_LIMIT}
        self._by_amount: dict[int, list[tuple[int, OpenItem]]] = {}
        for position in itertools.compress(range(len(items)), map(few.__contains__, amounts)) if few else ():
            self._by_amount.setdefault(amounts[position], []).append((item_ids[position], items[position]))
        self._keys_of, self._digits_of, self._forms_of = self._current_keys(firsts)
        self._index_keys()
        self._members: dict[int, _Member] = {}
        self._split: dict[str, tuple[list[int], dict[str, list[int]]]] = {}
        self._owing: dict[tuple[str, int], list[int]] = {}
        self._starting: dict[str, bool] = {}
        self._proposed: dict[tuple[str, int], tuple[tuple[Candidate, ...], bool]] = {}

    def _index_numbers(self, items: list[OpenItem], item_ids: Sequence[int], later: list[int]) -> None:
        """Parties by the digits of their number (without leading zeros), and by a number with letters."""
        self._by_number: dict[str, int | list[int]] = {}  # one party as itself, several as a list in order
        self._by_word: dict[str, list[int]] = {}  # full member numbers with letters: "A005"
        numbers = list(map(_NUMBER, self._firsts))
        joined = "".join(numbers)
        if joined.isascii() and joined.isdigit() and all(map(
                operator.eq, map(_NUMBER, map(items.__getitem__, later)), map(numbers.__getitem__,
                                                                             map(item_ids.__getitem__, later)))):
            # Digits only, one number per party: no lists, except where parties share a number.
            digits = list(map(str.lstrip, numbers, itertools.repeat("0")))
            self._by_number = dict(zip(digits, range(len(digits)), strict=True))
            if len(self._by_number) < len(digits):
                shared = {number for number, found in Counter(digits).items() if found > 1}
                for number, party in zip(digits, range(len(digits)), strict=True):
                    if number in shared:
                        found = self._by_number[number]
                        if found.__class__ is int:
                            found = self._by_number[number] = []
                        found.append(party)  # type: ignore[union-attr]
            self._by_number.pop("", None)
            return
        known: dict[str, tuple[str, str]] = {}  # member number → (member_number_key, full_number_key)
        by_number: dict[str, dict[int, None]] = {}
        by_word: dict[str, dict[int, None]] = {}
        for number, party in zip(map(_NUMBER, items), item_ids, strict=True):
            keys = known.get(number)
            if keys is None:
                keys = known[number] = ((number.lstrip("0"), "") if number.isascii() and number.isdigit()
                                        else (member_number_key(number), full_number_key(number)))
            if keys[0]:
                by_number.setdefault(keys[0], {})[party] = None
            if keys[1] and not keys[1].isdigit():
                by_word.setdefault(keys[1], {})[party] = None
        self._by_number = {number: sorted(found) for number, found in by_number.items()}
        self._by_word = {word: sorted(found) for word, found in by_word.items()}

    def _current_keys(self, firsts: list[OpenItem]) -> tuple[list[str], list[str], list[str]]:
        """Each party's keys, digits and legal forms fields: from the stored text where it is of this version
        and these names, else made now (and kept in self.stored_keys). A party whose items carry different
        names: the keys of them all."""
        names = list(map(attrgetter("payer_names"), firsts))
        current, fields = _read_keys(names, list(map(attrgetter("name_keys"), firsts)))
        count = len(names)
        mixed: dict[int, tuple[str, ...]] = {}
        if self._later and not all(map(operator.eq, map(attrgetter("payer_names"), itertools.chain.from_iterable(
                self._later.values())), map(names.__getitem__, itertools.chain.from_iterable(
                    map(itertools.repeat, self._later, map(len, self._later.values())))))):
            for party, group in self._later.items():
                if any(item.payer_names != names[party] for item in group):
                    mixed[party] = tuple(dict.fromkeys(name for item in [firsts[party], *group]
                                                       for name in item.payer_names))
                    current[party] = False
        keys, digits, forms = fields[2::5], fields[3::5], fields[4::5]
        self.stored_keys: dict[Party, str] = {}
        stale = list(itertools.compress(range(count), map(operator.not_, current)))
        if stale:
            made = stored_keys(mixed.get(party, names[party]) for party in stale)
            for party, text in zip(stale, made, strict=True):
                _version, _names, keys[party], digits[party], forms[party] = _fields(text)
                if party not in mixed:
                    self.stored_keys[self._party(party)] = text
        return keys, digits, forms

    def _index_keys(self) -> None:
        """The distinct name keys in sort order, and the party of each (a list in order when several share it)."""
        count = len(self._keys_of)
        flat = _NAME.join(self._keys_of).split(_NAME) if count else []
        if len(flat) == count:  # one key (or none) each
            flat_parties: Sequence[int] = range(count)
        else:
            self._key_count = list(map(operator.add, map(str.count, self._keys_of, itertools.repeat(_NAME)),
                                       itertools.repeat(1)))
            flat_parties = list(itertools.chain.from_iterable(map(itertools.repeat, range(count), self._key_count)))
        owner: dict[str, int | list[int]] = dict(zip(flat, flat_parties, strict=True))
        self._shared: set[str] = set()
        if len(owner) < len(flat):  # keys of several parties
            self._shared = {key for key, found in Counter(flat).items() if found > 1}
            lists: dict[str, list[int]] = {}
            for key, party in itertools.compress(zip(flat, flat_parties, strict=True), map(self._shared.__contains__, flat)):
                lists.setdefault(key, []).append(party)
            owner.update(lists)
            self._shared.discard("")
        owner.pop("", None)  # a party without any key
        self._owner = owner
        self._sorted_keys = sorted(owner)
        # Beside the sorted keys: each one's length and party, and how many keys before each position are of
        # several parties or of a party with several keys (a range without any is noted as a block, _block).
        self._lengths = list(map(len, self._sorted_keys))
        self._owners = list(map(owner.__getitem__, self._sorted_keys))
        self._key_lengths = sorted(length for length in set(self._lengths) if length >= MIN_CONTAINED_LEN)
        self._awkward: list[int] = []
        if len(flat) > count or self._shared:
            several = set(itertools.compress(flat, map(operator.gt, map(
                self._key_count.__getitem__, flat_parties), itertools.repeat(1)))) if len(flat) > count else set()
            self._awkward = list(itertools.accumulate(map((several | self._shared).__contains__, self._sorted_keys),
                                                      initial=0))

    def _party(self, party: int) -> Party:
        found = self._parties[party]
        return ("member", found) if found.__class__ is int else found  # type: ignore[return-value]

    def _member(self, party: int) -> _Member:
        member = self._members.get(party)
        if member is None:
            later = self._later.get(party)
            items = [self._firsts[party]] if later is None else sorted([self._firsts[party], *later], key=_item_order)
            keys = self._keys_of[party]
            member = self._members[party] = _Member(items, tuple(keys.split(_NAME)) if keys else (),
                                                    _forms(self._forms_of[party]), self._digits_of[party])
        return member

    def _starts(self, prefix: str) -> bool:
        """Whether some name key starts with prefix."""
        found = self._starting.get(prefix)
        if found is None:
            position = bisect.bisect_left(self._sorted_keys, prefix)
            found = self._starting[prefix] = (position < len(self._sorted_keys)
                                              and self._sorted_keys[position].startswith(prefix))
        return found

    # The parties of a key, and the key split by the digits its names end in: names that differ only by
    # digits (ﾀﾏｾｲｷ1, ﾀﾏｾｲｷ2 …) share a key, and a payer who wrote the digits is compared with those parties
    # only. Made when a line first needs them, always in the order of the parties' first items.
    def _with_key(self, key: str) -> Sequence[int]:
        found = self._owner[key]
        return (found,) if found.__class__ is int else found  # type: ignore[return-value]

    def _by_digits(self, key: str) -> tuple[list[int], dict[str, list[int]]]:
        """(the parties with a name of this key without digits, {digits: the parties with them})."""
        split = self._split.get(key)
        if split is None:
            plain: list[int] = []
            by_digits: dict[str, list[int]] = {}
            for party in self._with_key(key):
                numbers: set[str] = set()
                for digits in self._member(party).digits_of(key):
                    if not digits and (not plain or plain[-1] != party):
                        plain.append(party)
                    numbers.update(digits.split(",") if digits else ())
                for number in numbers:
                    by_digits.setdefault(number, []).append(party)
            split = self._split[key] = (plain, by_digits)
        return split

    def propose(self, lines: Iterable[StatementLine]) -> list[Proposal]:
        with _no_automatic_collection():  # every collection would walk the index's objects again
            return [self.propose_line(line) for line in lines]

    def propose_line(self, line: StatementLine) -> Proposal:
        """Lines with the same payer text and amount get the same candidates: worked out once."""
        key = (line.payer, line.amount)
        if key not in self._proposed:
            proposal = self._propose(line)
            self._proposed[key] = proposal.candidates, proposal.auto
            return proposal
        candidates, auto = self._proposed[key]
        return Proposal(line, candidates, auto)

    def _propose(self, line: StatementLine) -> Proposal:
        word, payer = split_member_word(line.payer)
        numbered = self._by_word.get(word, ()) if word else ()
        if not numbered:
            payer = line.payer
        payer_key, payer_digits = key_and_digits(payer)
        payer_forms = legal_forms(payer)
        # The evidence: each party's best name match (in the order parties were first found), and which
        # of them the payer wrote the member number of.
        names, block = self._name_evidence(payer_key, payer_digits, line.amount)
        number = extract_member_number(payer)
        by_number: set[int] = set()
        for party in (*numbered, *(self._numbered(member_number_key(number)) if number else ())):
            if not (block and self._in_block(party, block)):
                names.setdefault(party, _NO_MATCH)
            by_number.add(party)
        amount_only: set[int] = set()
        if self._amount_counts[line.amount] <= AMOUNT_ONLY_LIMIT:
            matcher = _matcher(payer_key)
            for party, _item in self._by_amount.get(line.amount, ()):
                if party not in names and not (block and self._in_block(party, block)):
                    names[party] = _best_name(payer_key, self._member(party).keys, matcher)
                amount_only.add(party)

        if block is not None:  # many parties' names start with the payer's: keep the likeliest
            names = self._likeliest(block, names, by_number, line.amount)
        elif len(names) > MAX_EVIDENCE:  # many parties share the name: keep the likeliest, never all of them
            # sorted(names, key=(numbered, name score, owes the amount), reverse=True)[:MAX_EVIDENCE], stable,
            # the keys made by whole-list steps (a name of a few letters may be the start of thousands).
            # The tuple as one int (ints sort fastest): numbered * step + 2 * rank of the score + owes.
            parties = list(names)
            scores = list(map(attrgetter("score"), names.values()))
            doubled = {score: 2 * rank for rank, score in enumerate(sorted(set(scores)))}
            likelihood = list(map(operator.add, map(doubled.__getitem__, scores),
                                  self._owing_all(parties, line.amount)))
            for position in itertools.compress(range(len(parties)), map(by_number.__contains__, parties)) \
                    if by_number else ():
                likelihood[position] += 2 * len(doubled)
            kept = sorted(range(len(parties)), key=likelihood.__getitem__, reverse=True)[:MAX_EVIDENCE]
            names = {parties[position]: names[parties[position]] for position in kept}
        candidates: list[Candidate] = []
        for party, found in names.items():
            member = self._member(party)
            numbered_here = party in by_number
            name = found
            if name.score and payer_forms and member.forms and not payer_forms & member.forms:
                name = NameMatch(name.score * LEGAL_FORM_MISMATCH, name.reason, False)
            if name.score < MIN_NAME_SCORE and not numbered_here and party not in amount_only:
                continue
            identity = max(name.score, MEMBER_NUMBER_SCORE if numbered_here else 0.0)
            strong = name.strong or numbered_here
            reasons = [r for r in (name.reason if name.score >= MIN_NAME_SCORE else "",
                                   REASON_LEGAL_FORM if name is not found else "",
                                   REASON_MEMBER_NUMBER if numbered_here else "") if r]
            for items, amount_match in _settlements(member.items, line.amount):
                score = IDENTITY_WEIGHT * identity + AMOUNT_WEIGHT * _AMOUNT_SCORES[amount_match]
                if score >= MIN_CANDIDATE_SCORE:
                    candidates.append(Candidate(items, round(min(score, 1.0), 4),
                                                (_AMOUNT_REASONS[amount_match], *reasons),
                                                name.score, identity, amount_match, strong))
        candidates.sort(key=_candidate_order)
        return Proposal(line, tuple(candidates[:MAX_CANDIDATES]), _is_unambiguous(candidates))

    def _numbered(self, number: str) -> Sequence[int]:
        found = self._by_number.get(number, ())
        return (found,) if found.__class__ is int else found  # type: ignore[return-value]

    def _owes(self, party: int, amount: int) -> bool:
        return self._amount[party] == amount if party not in self._later else amount in self._amounts(party)

    def _amounts(self, party: int) -> set[int]:
        """The amounts of a party with several items."""
        amounts = self._amount_sets.get(party)
        if amounts is None:
            amounts = self._amount_sets[party] = {self._amount[party], *map(_AMOUNT, self._later[party])}
        return amounts

    def _owing_all(self, parties: Sequence[int], amount: int) -> list[bool]:
        """Whether each party owes the amount (has an open item of it), by whole-list steps."""
        owing = list(map(operator.eq, map(self._amount.__getitem__, parties), itertools.repeat(amount)))
        if self._later:
            for position in itertools.compress(range(len(parties)), map(self._later.__contains__, parties)):
                owing[position] = amount in self._amounts(parties[position])
        return owing

    def _members_of(self, key: str, payer_digits: frozenset[str], amount: int | None) -> Sequence[int]:
        """The parties with this key; when the payer wrote digits beside the name, only those whose names
        carry the same digits or none (a member number the payer added is matched apart). Of more than
        MAX_EVIDENCE, those owing the deposit amount come first, then the rest up to MAX_EVIDENCE."""
        if payer_digits:
            plain, by_digits = self._by_digits(key)
            found: Sequence[int] = sorted({*plain, *itertools.chain.from_iterable(
                by_digits.get(number, ()) for number in payer_digits)})
        else:
            found = self._with_key(key)
        if len(found) <= MAX_EVIDENCE:
            return found
        if amount is None:
            return found[:MAX_EVIDENCE]
        selected = self._owing.get((key, payer_digits, amount))
        if selected is None:
            owes = self._owing_all(found, amount)
            selected = self._owing[(key, payer_digits, amount)] = [
                *itertools.islice(itertools.compress(found, owes), MAX_EVIDENCE),
                *itertools.islice(itertools.compress(found, map(operator.not_, owes)), MAX_EVIDENCE)]
        return selected

    def _name_evidence(self, payer_key: str, payer_digits: frozenset[str] = frozenset(), amount: int | None = None,
                       ) -> tuple[dict[int, NameMatch], _Block | None]:
        """{party: its best name match} in the order the parties are found; the names that start with the payer
        key apart (as a _Block, not in the dict) when they are many, each of one party with no other name."""
        found: dict[int, NameMatch] = {}
        block = None
        if not payer_key:
            return found, block

        scored: set[str] = set()

        def note(key: str, match: NameMatch) -> None:
            scored.add(key)
            if match.score < MIN_NAME_SCORE:
                return
            for party in self._members_of(key, payer_digits, amount):
                best = found.get(party)
                if best is None or match.score > best.score:
                    found[party] = match

        keys = self._sorted_keys
        start = bisect.bisect_left(keys, payer_key)
        # Names that start with the payer key (the key itself, truncations): one contiguous range.
        if len(payer_key) >= MIN_PREFIX_LEN:
            end = bisect.bisect_left(keys, payer_key + "\U0010ffff", lo=start)
            if end - start > MAX_EVIDENCE and not payer_digits:
                block = self._block(payer_key, start, end)
            if block is None:
                if not (end > start and not payer_digits and self._note_range(payer_key, start, end, found)):
                    by_length: dict[int, NameMatch] = {}  # in this range the score depends on the length only
                    for key in keys[start:end]:
                        match = by_length.get(len(key))
                        if match is None:
                            match = by_length[len(key)] = name_match(payer_key, key)
                        note(key, match)
                scored.update(keys[start:end])
        elif start < len(keys) and keys[start] == payer_key:
            note(payer_key, name_match(payer_key, payer_key))
        # Names the payer key starts with (payer added something), or contains (payer put something first).
        owner = self._owner
        for offset in range(len(payer_key)):
            rest = payer_key[offset:]
            if not self._starts(rest[:MIN_PREFIX_LEN if offset == 0 else MIN_CONTAINED_LEN]):
                continue  # no name starts so
            for length in self._key_lengths if offset else range(MIN_PREFIX_LEN, len(payer_key)):
                if length > len(rest):
                    break
                if rest[:length] in owner and rest[:length] not in scored:
                    note(rest[:length], name_match(payer_key, rest[:length]))
        # The nearest names in sort order, for similar spellings; not needed beside an equal key: a
        # similar name scores < SIMILAR_FACTOR = NAME_EXACT - COMPARABLE_MARGIN, it cannot block that one.
        # (No key of a block is met above: each starts with the payer key, longer than any rest or part of it.)
        if payer_key in owner:
            return found, block
        matcher = _matcher(payer_key)
        for key in keys[max(0, start - SIMILAR_NEIGHBOURS):start if block else start + SIMILAR_NEIGHBOURS]:
            if key not in scored:
                note(key, name_match(payer_key, key, matcher))
        return found, block

    def _block(self, payer_key: str, start: int, end: int) -> _Block | None:
        """sorted_keys[start:end] (all start with payer_key) as a block, when each key is of one party with no
        other key and scores at least MIN_NAME_SCORE; else None."""
        if self._awkward and self._awkward[end] != self._awkward[start]:
            return None
        by_length = {length: name_match(payer_key, payer_key + "?" * (length - len(payer_key)))
                     for length in set(self._lengths[start:end])}  # the score of a name that starts with the payer key
        if min(match.score for match in by_length.values()) < MIN_NAME_SCORE:
            return None
        return _Block(payer_key, start, end, by_length)

    def _in_block(self, party: int, block: _Block) -> bool:
        keys = self._keys_of[party]
        return keys.startswith(block.payer_key) or _NAME + block.payer_key in keys

    def _likeliest(self, block: _Block, others: dict[int, NameMatch], numbered: set[int],
                   amount: int) -> dict[int, NameMatch]:
        """The MAX_EVIDENCE likeliest parties of a block and the others found (after it, in their order):
        sorted(block + others, key=(numbered, name score, owes the amount), reverse=True)[:MAX_EVIDENCE]
        (stable), made level by level of the score, the block's parties looked at only on the levels used."""
        chosen: dict[int, NameMatch] = {}
        # Each other, and each numbered party of the block: (numbered, score, owes, position), position after
        # the block for the others.
        special: list[tuple[bool, float, bool, int, int, NameMatch]] = []
        for position, (party, match) in enumerate(others.items(), start=block.end):
            special.append((party in numbered, match.score, self._owes(party, amount), -position, party, match))
        in_block: set[int] = set()
        for party in numbered:
            if party not in others:  # a numbered party of the block
                key = next(key for key in self._keys_of[party].split(_NAME) if key.startswith(block.payer_key))
                match = block.by_length[len(key)]
                special.append((True, match.score, self._owes(party, amount), -bisect.bisect_left(
                    self._sorted_keys, key), party, match))
                in_block.add(party)
        special.sort(reverse=True)
        for is_numbered, _score, _owes, _position, party, match in special:
            if is_numbered and len(chosen) < MAX_EVIDENCE:
                chosen[party] = match
        levels = sorted({match.score for match in block.by_length.values()}
                        | {score for is_numbered, score, *_rest in special if not is_numbered}, reverse=True)
        window = self._lengths[block.start:block.end]
        for score in levels:
            if len(chosen) >= MAX_EVIDENCE:
                break
            lengths = [length for length, match in block.by_length.items() if match.score == score]
            positions = sorted(itertools.chain.from_iterable(itertools.compress(
                range(block.start, block.end), map(operator.eq, window, itertools.repeat(length)))
                for length in lengths))
            parties = [party for party in map(self._owners.__getitem__, positions) if party not in in_block]
            level_match = block.by_length[lengths[0]] if lengths else None
            owes = self._owing_all(parties, amount)
            level = [(party, match) for is_numbered, found, _owes, _position, party, match in special
                     if not is_numbered and found == score]
            level_owes = [self._owes(party, amount) for party, _match in level]
            for group in (zip(itertools.compress(parties, owes), itertools.repeat(None)),
                          itertools.compress(level, level_owes),
                          zip(itertools.compress(parties, map(operator.not_, owes)), itertools.repeat(None)),
                          itertools.compress(level, map(operator.not_, level_owes))):
                for party, match in group:
                    if len(chosen) >= MAX_EVIDENCE:
                        break
                    chosen[party] = level_match if match is None else match  # type: ignore[assignment]
        return chosen

    def _note_range(self, payer_key: str, start: int, end: int, found: dict[int, NameMatch]) -> bool:
        """note() for each key in sorted_keys[start:end] (all start with payer_key; found is empty), by
        whole-list steps: when each of those keys belongs to one party and each party has one of them
        (else False, nothing done). A name of a few letters may be the start of thousands of names."""
        keys = self._sorted_keys[start:end]
        if self._shared and not self._shared.isdisjoint(keys):  # a key of several parties
            return False
        parties = list(map(self._owner.__getitem__, keys))
        lengths = list(map(len, keys))
        by_length = {length: name_match(payer_key, payer_key + "?" * (length - len(payer_key)))
                     for length in set(lengths)}  # the score of a name that starts with the payer key
        if min(match.score for match in by_length.values()) < MIN_NAME_SCORE:
            return False
        found.update(zip(parties, map(by_length.__getitem__, lengths), strict=True))
        if len(found) != len(parties):  # a party with two of the names: note() keeps the best
            found.clear()
            return False
        return True



@contextmanager
def _no_automatic_collection() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def propose_matches(lines: Iterable[StatementLine], items: Iterable[OpenItem]) -> list[Proposal]:
    """One Proposal per line (same order): candidates best first, auto=True only when unambiguous."""
    return MatchIndex(items).propose(lines)


def _matcher(payer_key: str) -> SequenceMatcher:
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(payer_key)
    return matcher


def _best_name(payer_key: str, keys: Sequence[str], matcher: SequenceMatcher) -> NameMatch:
    return max((name_match(payer_key, key, matcher) for key in keys), key=lambda m: m.score, default=_NO_MATCH)


def _item_order(item: OpenItem) -> tuple[object, ...]:
    return (item.due_date is None, item.due_date or date.min, item.invoice_id)


def _candidate_order(candidate: Candidate) -> tuple[object, ...]:
    return (-candidate.score, len(candidate.items), _item_order(candidate.items[0]))


def _amount_class(amount: int, due: int) -> str:
    if amount == due:
        return EXACT
    if amount < due:
        return FEE if due - amount <= FEE_TOLERANCE else SHORT
    if due > 0 and amount % due == 0:
        return MULTIPLE
    return OVER


def _settlements(items: list[OpenItem], amount: int) -> list[tuple[tuple[OpenItem, ...], str]]:
    """Each item alone with its amount class, plus every set of 2+ items (oldest first) adding up to amount.
    Sets with the same amounts are proposed once, with the oldest items."""
    found: list[tuple[tuple[OpenItem, ...], str]] = [((item,), _amount_class(amount, item.amount_due))
                                                      for item in items]
    if len(items) < 2 or amount > sum(item.amount_due for item in items):
        return found
    if len(items) <= MAX_COMBINATION_ITEMS:
        groups: Iterable[tuple[OpenItem, ...]] = (
            group for size in range(2, len(items) + 1) for group in itertools.combinations(items, size))
    else:
        groups = (tuple(items[:size]) for size in range(2, len(items) + 1))
    seen: set[tuple[int, ...]] = set()
    for group in groups:
        if sum(item.amount_due for item in group) == amount:
            amounts = tuple(sorted(item.amount_due for item in group))
            if amounts not in seen:
                seen.add(amounts)
                found.append((group, COMBINED))
    return found


def _is_unambiguous(candidates: list[Candidate]) -> bool:
    """Sorted candidates: the best matches the amount exactly with a strong identity, and no other
    exact-amount candidate is strong or comparable (see the module doc)."""
    if not candidates:
        return False
    best = candidates[0]
    if not (best.exact_amount and best.strong):
        return False
    threshold = max(COMPETING_IDENTITY, best.identity - COMPARABLE_MARGIN)
    for other in candidates[1:]:
        if OLDEST_OF_SAME_MEMBER and other.item.party == best.item.party:
            continue
        if other.exact_amount and (other.strong or other.identity >= threshold):
            return False
    return True
