"""入金消込 from a bank statement: read it, propose a match for every deposit, record what is accepted.

A deposit whose fingerprint is already recorded is never paid twice, so importing overlapping downloads
(or the same file again) is safe.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from tama_desk.db.models import BankMapping, Invoice, Member, Payment
from tama_desk.domain.matching import Candidate, MatchIndex, OpenItem, Proposal, current_keys, stored_keys
from tama_desk.domain.statement import StatementLine
from tama_desk.errors import Problem
from tama_desk.exports.tables import decode_text, read_rows
from tama_desk.services import audit, invoices, members, payments
from tama_desk.services.bank_statement import read_statement


@dataclass
class StatementPreview:
    proposals: list[Proposal]
    already_imported: list[StatementLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # name keys the matcher had to work out (members saved before migration 0017, or keys of an older rule):
    # kept with the members by `apply`, for the next statement; the preview itself writes nothing
    match_keys: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def auto(self) -> list[Proposal]:
        return [proposal for proposal in self.proposals if proposal.auto]


def open_items(session: Session) -> list[OpenItem]:
    """Every issued invoice with an open balance, with the names its member pays under. Columns only (no ORM
    objects), the balances of all invoices at once (cheaper than naming 100,000 of them), the names worked out
    only for members who owe something."""
    rows = session.execute(select(Invoice.id, Invoice.member_id, Invoice.due_date, Invoice.number).where(
        Invoice.kind == "invoice", Invoice.status == "issued", Invoice.member_id.is_not(None))
        .order_by(Invoice.id)).all()
    owed = invoices.balances(session)
    owing = [(row, due) for row in rows if (due := owed[row.id].open) > 0]
    wanted = {row.member_id for row, _due in owing}
    found = session.execute(select(Member.id, Member.number, Member.payer_name, Member.kana, Member.name,
                                   Member.match_keys)).all()
    payers = {member.id: (member.number, members.payer_names(member), member.match_keys or "")
              for member in found if member.id in wanted}  # one names tuple per member, shared by its invoices
    items = [OpenItem(row.id, row.member_id, *payers[row.member_id][:2], due, row.due_date, row.number,
                      name_keys=payers[row.member_id][2]) for row, due in owing if row.member_id in payers]
    from tama_desk.services import clients

    return items + clients.open_items(session)


def _header_key(path: Path) -> str:
    """A bank's layout, recognised by the first non-blank row of its download; "" when unreadable."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            rows = read_rows(path)
            first = next((",".join(str(cell or "") for cell in row) for _line, row in rows
                          if any(cell not in (None, "") for cell in row)), "")
        else:
            text = decode_text(path.read_bytes()[:4096], path.name)
            first = next((line for line in text.splitlines() if line.strip()), "")
    except Exception:  # an unreadable file has no saved mapping; read_statement reports it properly
        return ""
    return hashlib.sha256(first.strip().encode("utf-8")).hexdigest() if first.strip() else ""


def saved_mapping(session: Session, path: Path) -> str | None:
    key = _header_key(path)
    row = session.scalar(select(BankMapping).where(BankMapping.header_key == key)) if key else None
    return row.mapping if row else None


def remember_mapping(session: Session, path: Path, spec: str) -> None:
    """The mapping a user confirmed once for this bank's layout is used for its next downloads."""
    key = _header_key(path)
    if not key:
        return
    row = session.scalar(select(BankMapping).where(BankMapping.header_key == key))
    if row is None:
        session.add(BankMapping(header_key=key, mapping=spec))
    else:
        row.mapping = spec


def preview(session: Session, path: Path, mapping_spec: str | None = None) -> StatementPreview:
    """Read the statement and propose matches; writes nothing (not the mapping, not the name keys the matcher
    worked out: `apply` keeps both)."""
    spec = mapping_spec or saved_mapping(session, path)
    lines, problems = read_statement(path, spec)
    known = set(session.scalars(select(Payment.statement_ref).where(
        Payment.statement_ref.in_([line.fingerprint for line in lines]))))
    fresh = [line for line in lines if line.fingerprint not in known]
    index = MatchIndex(open_items(session))
    return StatementPreview(index.propose(fresh), [line for line in lines if line.fingerprint in known], problems,
                            dict(index.stored_keys))


def keep_match_keys(session: Session, made: dict[tuple[str, int], str]) -> None:
    """Keep the name keys the matcher had to work out (members saved before migration 0017, or keys of an
    older rule) with the members, for the next statement. Written past the ORM: a cache, not an edit (no
    new version, no audit entry, nothing a stale-edit check would see)."""
    rows = [{"member": party_id, "keys": text} for (kind, party_id), text in made.items() if kind == "member"]
    if rows:
        table = Member.__table__
        session.execute(table.update().where(table.c.id == bindparam("member")).values(match_keys=bindparam("keys")),
                        rows)


def fill_match_keys(session: Session) -> int:
    """Work out and keep the name keys (member.match_keys) of every member whose keys are missing (a database
    just upgraded past migration 0017, members written by bulk inserts) or stale (made from other names or by
    an older rule), all in one go: one read, whole-list normalisation, bulk UPDATEs, no commit (the caller's
    transaction). Returns how many members were filled; 0 when every member's keys are current, so it is
    cheap to call again. Written past the ORM like keep_match_keys (a cache, not an edit)."""
    rows = session.execute(select(Member.id, Member.payer_name, Member.kana, Member.name, Member.match_keys)).all()
    names = [members.payer_names(row) for row in rows]
    texts = [row.match_keys or "" for row in rows]
    stale = [position for position, current in enumerate(current_keys(names, texts)) if not current]
    made = stored_keys([names[position] for position in stale])
    filled = {("member", rows[position].id): text for position, text in zip(stale, made, strict=True)
              if text != texts[position]}  # names holding a separator: their text is never current, kept once
    keep_match_keys(session, filled)
    return len(filled)


def shortfall(proposal: Proposal, limit: int) -> int:
    """The yen a deposit is short of its best candidate when that is surely the member's own transfer fee
    (振込手数料差引): the candidate is one member with a strong identity, short by 1..`limit` yen, and no other
    member is strong or owes the amount exactly; else 0. Such a line is as sure as an exact match."""
    best = proposal.best
    if best is None or not best.strong or best.exact_amount:
        return 0
    short = best.total - proposal.line.amount
    if not 0 < short <= limit:
        return 0
    if any(other.item.party != best.item.party and (other.strong or other.exact_amount)
           for other in proposal.candidates[1:]):
        return 0
    return short


def shortfalls(preview: StatementPreview, limit: int) -> dict[int, int]:
    """{statement line: yen} of every line that is not sure by itself but short of its best candidate by the
    member's transfer fee (shortfall): what the window offers as 「手数料差引 440円」."""
    return {proposal.line.line: short for proposal in preview.proposals
            if not proposal.auto and (short := shortfall(proposal, limit))}


def sure(preview: StatementPreview, write_off: bool, limit: int) -> list[tuple[Proposal, int]]:
    """The lines to record without asking, with the shortfall to write off (0 for an exact match)."""
    shorts = shortfalls(preview, limit) if write_off else {}
    return [(proposal, shorts.get(proposal.line.line, 0)) for proposal in preview.proposals
            if proposal.auto or proposal.line.line in shorts]


def apply(session: Session, accepted: list[tuple[StatementLine, Candidate]], path: Path | None = None,
          mapping_spec: str | None = None, write_offs: dict[int, int] | None = None,
          match_keys: dict[tuple[str, int], str] | None = None) -> list[Payment]:
    """Record each accepted deposit as a payment settling its candidate's invoices (as far as still open).
    `write_offs` {statement line: yen}: the shortfall of that line written off as 手数料差引 on the candidate's
    last invoice. The column mapping the statement `path` was read with (when the user gave one) is
    remembered now, and the name keys the preview worked out (`match_keys`) are kept: the preview saves nothing."""
    if path is not None and mapping_spec:
        remember_mapping(session, path, mapping_spec)
    keep_match_keys(session, match_keys or {})
    recorded = []
    # open amounts read once for the whole run and kept up to date here (not recomputed for every line)
    owed = {invoice_id: balance.open for invoice_id, balance in invoices.balances(
        session, {item.invoice_id for _line, candidate in accepted for item in candidate.items}).items()}
    for line, candidate in accepted:
        left, allocations = line.amount, []
        for item in candidate.items:
            part = min(left, owed.get(item.invoice_id, 0))
            if part > 0:
                allocations.append((item.invoice_id, part))
                left -= part
        payment = payments.record_payment(
            session, candidate.member_id, line.date, line.amount, "transfer", line.payer, allocations,
            statement_ref=line.fingerprint, note=f"入金明細 {line.line}行目", client_id=candidate.client_id,
            open_amounts=owed)
        for invoice_id, part in allocations:
            owed[invoice_id] -= part
        short = (write_offs or {}).get(line.line, 0)
        if short:
            target = candidate.items[-1].invoice_id
            payments.write_off(session, target, short, line.date, payment.id, limit=short)
            owed[target] = owed.get(target, 0) - short
        recorded.append(payment)
    if recorded:
        audit.record(session, "statement", "payment", None, f"入金明細から {len(recorded)} 件を消込")
    return recorded
