"""The matcher's index as it was before member keys were stored (commit b2af8db): the oracle of
tests/domain/test_matching_keys.py, which checks that the index built from stored keys proposes exactly what
this one proposes. The rules it shares with the app (normalisation, name_match, settlements, auto-accept)
are imported; only the index and the per-line search are kept here as they were, but for one change: members
found together are taken in the order of their first items (`_in_order`), where the old index took them in the
order of its sets (of (kind, id) tuples, whose hashes change from process to process: a name shared by more than
MAX_EVIDENCE members could get other proposals in another run). Not used by the app."""

from __future__ import annotations

import bisect
import gc
import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from tama_desk.domain.matching import (
    _AMOUNT_REASONS,
    _AMOUNT_SCORES,
    _NO_MATCH,
    AMOUNT_ONLY_LIMIT,
    AMOUNT_WEIGHT,
    IDENTITY_WEIGHT,
    LEGAL_FORM_MISMATCH,
    MAX_CANDIDATES,
    MAX_EVIDENCE,
    MEMBER_NUMBER_SCORE,
    MIN_CANDIDATE_SCORE,
    MIN_CONTAINED_LEN,
    MIN_NAME_SCORE,
    MIN_PREFIX_LEN,
    REASON_LEGAL_FORM,
    REASON_MEMBER_NUMBER,
    SIMILAR_NEIGHBOURS,
    Candidate,
    NameMatch,
    OpenItem,
    Proposal,
    _best_name,
    _candidate_order,
    _is_unambiguous,
    _item_order,
    _matcher,
    _settlements,
    extract_member_number,
    full_number_key,
    key_and_digits,
    keys_and_digits,
    legal_forms,
    member_number_key,
    name_match,
    split_member_word,
)
from tama_desk.domain.statement import StatementLine


@dataclass
class _Member:
    member_id: tuple[str, int]  # OpenItem.party (a member or a contract client)
    keys: tuple[str, ...]
    forms: frozenset[str] = frozenset()
    items: list[OpenItem] = field(default_factory=list)
    amounts: Collection[int] = ()


@dataclass
class _Evidence:
    name: NameMatch = _NO_MATCH
    number: bool = False


class OracleIndex:
    """Open items indexed for matching; build once, then propose() for any number of lines."""

    def __init__(self, items: Iterable[OpenItem]):
        # The build makes some 500,000 small objects that all live on: automatic collections in between
        # would walk them again and again (the window disables automatic collection anyway).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._build(items)
        finally:
            if collecting:
                gc.enable()

    def _build(self, items: Iterable[OpenItem]) -> None:
        self._members: dict[tuple[str, int], _Member] = {}
        self._by_amount: dict[int, list[OpenItem]] = {}
        self._by_number: dict[str, set[tuple[str, int]]] = {}
        self._by_word: dict[str, set[tuple[str, int]]] = {}  # full member numbers with letters: "A005"
        names: dict[tuple[str, int], set[str]] = {}
        numbers: dict[str, tuple[str, str]] = {}  # member number → (member_number_key, full_number_key)
        for item in items:
            party = ("client", item.client_id) if item.client_id else ("member", item.member_id or 0)  # .party
            member = self._members.get(party)
            if member is None:
                member = self._members[party] = _Member(party, ())
                names[party] = set(item.payer_names)
            else:
                names[party].update(item.payer_names)
            member.items.append(item)
            self._by_amount.setdefault(item.amount_due, []).append(item)
            keys = numbers.get(item.member_number)
            if keys is None:
                number = item.member_number
                keys = numbers[number] = ((number.lstrip("0"), "") if number.isascii() and number.isdigit()
                                          else (member_number_key(number), full_number_key(number)))
            if keys[0]:
                self._by_number.setdefault(keys[0], set()).add(party)
            if keys[1] and not keys[1].isdigit():
                self._by_word.setdefault(keys[1], set()).add(party)
        self._by_key: dict[str, set[tuple[str, int]]] = {}
        # The same key split by the digits its names end in: names that differ only by digits (ﾀﾏｾｲｷ1,
        # ﾀﾏｾｲｷ2 …) share a key, and a payer who wrote the digits is compared with those members only.
        self._plain: dict[str, set[tuple[str, int]]] = {}
        self._by_key_amount: dict[tuple[str, int], set[tuple[str, int]]] = {}
        self._by_digits: dict[tuple[str, str], set[tuple[str, int]]] = {}
        forms: dict[str, frozenset[str]] = {}  # only names with a legal form
        keyed = keys_and_digits((name for raw in names.values() for name in raw), forms)
        no_forms: frozenset[str] = frozenset()
        for member_id, raw in names.items():
            member = self._members[member_id]
            member.forms = no_forms.union(*(forms[name] for name in raw if name in forms))
            named = {keyed[name] for name in raw}
            keys = {key for key, _digits in named}
            keys.discard("")
            member.keys = tuple(sorted(keys))
            if len(member.items) > 1:
                member.items.sort(key=_item_order)
                amounts = member.amounts = {item.amount_due for item in member.items}
            else:
                amounts = member.amounts = (member.items[0].amount_due,)
            for key in keys:
                self._by_key.setdefault(key, set()).add(member_id)
                for amount in amounts:
                    self._by_key_amount.setdefault((key, amount), set()).add(member_id)
            for key, digits in named:
                if not key:
                    continue
                if not digits:
                    self._plain.setdefault(key, set()).add(member_id)
                for number in digits:
                    self._by_digits.setdefault((key, number), set()).add(member_id)
        self._proposed: dict[tuple[str, int], tuple[tuple[Candidate, ...], bool]] = {}
        self._sorted_keys = sorted(self._by_key)
        self._rank = {member_id: rank for rank, member_id in enumerate(self._members)}  # order of first items
        self._key_lengths = sorted({len(key) for key in self._sorted_keys if len(key) >= MIN_CONTAINED_LEN})

    def propose(self, lines: Iterable[StatementLine]) -> list[Proposal]:
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
        numbered = self._by_word.get(word, set()) if word else set()
        if not numbered:
            payer = line.payer
        payer_key, payer_digits = key_and_digits(payer)
        payer_forms = legal_forms(payer)
        evidence = self._name_evidence(payer_key, payer_digits, line.amount)
        number = extract_member_number(payer)
        for member_id in (*self._in_order(numbered),
                          *self._in_order(self._by_number.get(member_number_key(number), ()) if number else ())):
            evidence.setdefault(member_id, _Evidence()).number = True
        amount_only: set[int] = set()
        bucket = self._by_amount.get(line.amount, ())
        if len(bucket) <= AMOUNT_ONLY_LIMIT:
            matcher = _matcher(payer_key)
            for item in bucket:
                if item.party not in evidence:
                    member = self._members[item.party]
                    evidence[item.party] = _Evidence(_best_name(payer_key, member.keys, matcher))
                amount_only.add(item.party)

        if len(evidence) > MAX_EVIDENCE:  # many members share the name: keep the likeliest, never all of them
            def likelihood(member_id: int) -> tuple[object, ...]:
                found = evidence[member_id]
                return (found.number, found.name.score, line.amount in self._members[member_id].amounts)

            evidence = {member_id: evidence[member_id]
                        for member_id in sorted(evidence, key=likelihood, reverse=True)[:MAX_EVIDENCE]}
        candidates: list[Candidate] = []
        for member_id, found in evidence.items():
            member = self._members[member_id]
            name = found.name
            if name.score and payer_forms and member.forms and not payer_forms & member.forms:
                name = NameMatch(name.score * LEGAL_FORM_MISMATCH, name.reason, False)
            if name.score < MIN_NAME_SCORE and not found.number and member_id not in amount_only:
                continue
            identity = max(name.score, MEMBER_NUMBER_SCORE if found.number else 0.0)
            strong = name.strong or found.number
            reasons = [r for r in (name.reason if name.score >= MIN_NAME_SCORE else "",
                                   REASON_LEGAL_FORM if name is not found.name else "",
                                   REASON_MEMBER_NUMBER if found.number else "") if r]
            for items, amount_match in _settlements(member.items, line.amount):
                score = IDENTITY_WEIGHT * identity + AMOUNT_WEIGHT * _AMOUNT_SCORES[amount_match]
                if score >= MIN_CANDIDATE_SCORE:
                    candidates.append(Candidate(items, round(min(score, 1.0), 4),
                                                (_AMOUNT_REASONS[amount_match], *reasons),
                                                name.score, identity, amount_match, strong))
        candidates.sort(key=_candidate_order)
        return Proposal(line, tuple(candidates[:MAX_CANDIDATES]), _is_unambiguous(candidates))

    def _members_of(self, key: str, payer_digits: frozenset[str], amount: int | None) -> Iterable[int]:
        """The members with this key; when the payer wrote digits beside the name, only those whose names
        carry the same digits or none (a member number the payer added is matched apart). Of more than
        MAX_EVIDENCE, those owing the deposit amount come first, then the rest up to MAX_EVIDENCE."""
        if payer_digits:
            found = set(self._plain.get(key, ()))
            for number in payer_digits:
                found |= self._by_digits.get((key, number), set())
        else:
            found = self._by_key[key]
        if len(found) <= MAX_EVIDENCE:
            return self._in_order(found)
        owing = self._by_key_amount.get((key, amount), set()) & found if amount is not None else set()
        return [*itertools.islice(self._in_order(owing), MAX_EVIDENCE),
                *itertools.islice(self._in_order(found - owing), MAX_EVIDENCE)]

    def _in_order(self, members: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
        return sorted(members, key=self._rank.__getitem__)

    def _name_evidence(self, payer_key: str, payer_digits: frozenset[str] = frozenset(),
                       amount: int | None = None) -> dict[int, _Evidence]:
        found: dict[int, _Evidence] = {}
        if not payer_key:
            return found

        scored: set[str] = set()

        def note(key: str, match: NameMatch) -> None:
            scored.add(key)
            if match.score < MIN_NAME_SCORE:
                return
            for member_id in self._members_of(key, payer_digits, amount):
                evidence = found.get(member_id)
                if evidence is None:
                    found[member_id] = _Evidence(match)
                elif match.score > evidence.name.score:
                    evidence.name = match

        keys = self._sorted_keys
        start = bisect.bisect_left(keys, payer_key)
        # Names that start with the payer key (the key itself, truncations): one contiguous range.
        if len(payer_key) >= MIN_PREFIX_LEN:
            end = bisect.bisect_left(keys, payer_key + "\U0010ffff", lo=start)
            by_length: dict[int, NameMatch] = {}  # in this range the score depends on the length only
            for key in keys[start:end]:
                match = by_length.get(len(key))
                if match is None:
                    match = by_length[len(key)] = name_match(payer_key, key)
                note(key, match)
        elif start < len(keys) and keys[start] == payer_key:
            note(payer_key, name_match(payer_key, payer_key))
        # Names the payer key starts with (payer added something), or contains (payer put something first).
        for offset in range(len(payer_key)):
            rest = payer_key[offset:]
            for length in self._key_lengths if offset else range(MIN_PREFIX_LEN, len(payer_key)):
                if length > len(rest):
                    break
                if rest[:length] in self._by_key and rest[:length] not in scored:
                    note(rest[:length], name_match(payer_key, rest[:length]))
        # The nearest names in sort order, for similar spellings; not needed beside an equal key: a
        # similar name scores < SIMILAR_FACTOR = NAME_EXACT - COMPARABLE_MARGIN, it cannot block that one.
        if payer_key in self._by_key:
            return found
        matcher = _matcher(payer_key)
        for key in keys[max(0, start - SIMILAR_NEIGHBOURS):start + SIMILAR_NEIGHBOURS]:
            if key not in scored:
                note(key, name_match(payer_key, key, matcher))
        return found

