from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tama_desk.db.models import BankMapping, Member, Payment, PaymentAllocation
from tama_desk.domain.matching import normalize_payer
from tama_desk.errors import UserError
from tama_desk.services import invoices, reconcile

HEADER = ("取引日", "摘要", "お預り金額", "お引出金額", "残高")
UNKNOWN_PAYER = ("ﾌﾒｲ ﾀﾛｳ", 12345)


def write_csv(path: Path, rows: list[tuple]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp932"))
    return path


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def pick_items(session, wanted: int):
    """Open items a bank transfer can be matched to without doubt: the member has this one open item, pays
    under a 振込名義 whose key no other member with open items shares or extends."""
    items = reconcile.open_items(session)
    per_member = Counter(item.member_id for item in items)
    payer_of = dict(session.execute(select(Member.id, Member.payer_name)).all())
    keys = {item.member_id: normalize_payer(payer_of[item.member_id]) for item in items if payer_of[item.member_id]}
    chosen = []
    for item in items:
        key = keys.get(item.member_id)
        if not key or per_member[item.member_id] != 1 or len(key) < 8:
            continue
        if any(other != item.member_id and (k.startswith(key[:6]) or key.startswith(k)) for other, k in keys.items()):
            continue
        chosen.append((item, payer_of[item.member_id]))
        if len(chosen) == wanted:
            break
    assert len(chosen) == wanted, "the demo data has too few unambiguous open items"
    return chosen


@pytest.fixture
def statement(demo_db, tmp_path):
    """A cp932 download: 4 deposits under the exact 振込名義, 2 cut to 8 characters, 1 withdrawal, 1 unknown payer."""
    with demo_db.reading() as session:
        chosen = pick_items(session, 6)
    rows: list[tuple] = [("口座番号", "普通 1234567"), (), HEADER]
    for day, (item, payer) in enumerate(chosen, start=1):
        shown = payer if day <= 4 else payer[:8]
        rows.append((f"2026/11/{day:02d}", shown, f"{item.amount_due:,}", "", ""))
    rows.append(("2026/11/10", "ﾃｽｳﾘﾖｳ", "", "880", ""))
    rows.append(("2026/11/11", UNKNOWN_PAYER[0], str(UNKNOWN_PAYER[1]), "", ""))
    demo_db.chosen = [item for item, _payer in chosen]
    return write_csv(tmp_path / "meisai.csv", rows)


def test_preview_proposes_auto_matches_and_writes_nothing(demo_db, statement):
    with demo_db.reading() as session:
        payments_before = count(session, Payment)
    with demo_db.transaction() as session:
        result = reconcile.preview(session, statement)
    assert result.problems == [] and result.already_imported == []
    assert len(result.proposals) == 7  # the withdrawal is not a deposit
    by_line = {proposal.line.line: proposal for proposal in result.proposals}
    for position, item in enumerate(demo_db.chosen):
        proposal = by_line[4 + position]
        assert proposal.best is not None
        assert proposal.best.item.invoice_id == item.invoice_id, proposal
        assert proposal.line.amount == item.amount_due
        if position < 4:  # the exact 振込名義 and the exact open amount
            assert proposal.auto, proposal
        if proposal.auto:
            assert [i.invoice_id for i in proposal.best.items] == [item.invoice_id]
    unknown = by_line[11]
    assert (unknown.line.payer, unknown.line.amount, unknown.auto, unknown.best) == (*UNKNOWN_PAYER, False, None)
    with demo_db.reading() as session:
        assert count(session, Payment) == payments_before


def test_apply_records_payments_once_and_reimport_is_harmless(demo_db, statement):
    with demo_db.reading() as session:
        payments_before = count(session, Payment)
        allocations_before = count(session, PaymentAllocation)
    with demo_db.transaction() as session:
        result = reconcile.preview(session, statement)
        accepted = [(proposal.line, proposal.best) for proposal in result.auto]
        recorded = reconcile.apply(session, accepted)
    assert len(recorded) == len(accepted) >= 4
    chosen = {item.invoice_id: item for item in demo_db.chosen}
    with demo_db.reading() as session:
        assert count(session, Payment) == payments_before + len(accepted)
        assert count(session, PaymentAllocation) == allocations_before + len(accepted)
        for line, candidate in accepted:
            payment = session.scalar(select(Payment).where(Payment.statement_ref == line.fingerprint))
            assert (payment.member_id, payment.amount, payment.received_on, payment.payer_name) == (
                candidate.member_id, line.amount, line.date, line.payer)
            assert [(a.invoice_id, a.amount) for a in payment.allocations] == [(candidate.item.invoice_id, line.amount)]
            assert chosen[candidate.item.invoice_id].amount_due == line.amount
            assert invoices.balances(session, [candidate.item.invoice_id])[candidate.item.invoice_id].open == 0
            assert payment.note == f"入金明細 {line.line}行目"

    # the SAME file again: nothing new to record
    with demo_db.transaction() as session:
        again = reconcile.preview(session, statement)
        assert sorted(line.line for line in again.already_imported) == sorted(line.line for line, _c in accepted)
        assert again.auto == []
        assert {p.line.line for p in again.proposals} == {p.line.line for p in result.proposals} - {
            line.line for line, _c in accepted}
        assert reconcile.apply(session, [(p.line, p.best) for p in again.auto]) == []
        with pytest.raises(UserError, match="取込済み"):  # even if the caller tries, no double payment
            reconcile.apply(session, accepted[:1])
    with demo_db.reading() as session:
        assert count(session, Payment) == payments_before + len(accepted)


def test_overlapping_download_only_adds_the_new_deposit(demo_db, statement, tmp_path):
    with demo_db.transaction() as session:
        first = reconcile.preview(session, statement)
        reconcile.apply(session, [(p.line, p.best) for p in first.auto])
    original = statement.read_bytes().decode("cp932").splitlines()
    extra = f"2026/11/12,{UNKNOWN_PAYER[0]},{UNKNOWN_PAYER[1]},,"
    longer = tmp_path / "meisai2.csv"
    longer.write_bytes(("\r\n".join([*original, extra]) + "\r\n").encode("cp932"))
    with demo_db.transaction() as session:
        second = reconcile.preview(session, longer)
    assert len(second.already_imported) == len(first.auto)
    assert sorted((p.line.date, p.line.payer) for p in second.proposals) == sorted(
        [(p.line.date, p.line.payer) for p in first.proposals if not p.auto] + [(date(2026, 11, 12), UNKNOWN_PAYER[0])])


def test_unknown_layout_needs_a_mapping_which_is_remembered(demo_db, tmp_path):
    with demo_db.reading() as session:
        [(item, payer)] = pick_items(session, 1)
    layout = ("処理日", "相手", "受取")
    first = write_csv(tmp_path / "bank-a-1.csv", [layout, ("2026-11-02", payer, str(item.amount_due))])
    second = write_csv(tmp_path / "bank-a-2.csv", [layout, ("2026-11-09", UNKNOWN_PAYER[0], str(UNKNOWN_PAYER[1]))])
    other = write_csv(tmp_path / "bank-b.csv", [("処理日", "相手先", "受取額"), ("2026-11-09", "x", "1")])

    with demo_db.reading() as session:
        assert reconcile.saved_mapping(session, first) is None
        with pytest.raises(UserError, match="--map"):
            reconcile.preview(session, first)
    spec = "date=処理日,amount=受取,payer=相手"
    with demo_db.transaction() as session:
        result = reconcile.preview(session, first, spec)
        [proposal] = result.proposals
        assert (proposal.line.date, proposal.line.amount, proposal.line.payer) == (date(2026, 11, 2), item.amount_due,
                                                                                   payer)
        assert proposal.auto and proposal.best.item.invoice_id == item.invoice_id
    with demo_db.reading() as session:
        assert count(session, BankMapping) == 0  # a preview is a read: nothing remembered yet
    with demo_db.transaction() as session:
        reconcile.apply(session, [(proposal.line, proposal.best)], first, spec)
    with demo_db.reading() as session:
        assert count(session, BankMapping) == 1
        assert reconcile.saved_mapping(session, second) == spec  # same header line, another download
        [proposal] = reconcile.preview(session, second).proposals
        assert (proposal.line.payer, proposal.line.amount) == UNKNOWN_PAYER
        assert reconcile.saved_mapping(session, other) is None
        with pytest.raises(UserError, match="--map"):
            reconcile.preview(session, other)
    with demo_db.transaction() as session:  # a corrected mapping replaces the saved one once applied
        reconcile.preview(session, first, "date=1,amount=3,payer=2")
        reconcile.apply(session, [], first, "date=1,amount=3,payer=2")
    with demo_db.reading() as session:
        assert count(session, BankMapping) == 1
        assert reconcile.saved_mapping(session, second) == "date=1,amount=3,payer=2"


def test_open_items_carry_the_names_members_pay_under(demo_db):
    with demo_db.reading() as session:
        items = reconcile.open_items(session)
        owed = invoices.balances(session, [item.invoice_id for item in items])
        members = {m.id: m for m in session.scalars(select(Member))}
    assert items
    for item in items:
        assert item.amount_due == owed[item.invoice_id].open > 0
        member = members[item.member_id]
        assert item.payer_names[-1] == member.name
        assert item.member_number == member.number
        if member.payer_name:
            assert item.payer_names[0] == member.payer_name


def write_xlsx(path: Path, rows: list[tuple]) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_xlsx_mapping_is_remembered_per_layout(db, tmp_path):
    mapped = write_xlsx(tmp_path / "bank-a.xlsx", [("処理日", "相手", "受取"), ("2026-05-01", "ｶ)ﾀﾏｾｲｷ", 1000)])
    standard = write_xlsx(tmp_path / "bank-b.xlsx", [("取引日", "振込依頼人名", "入金金額"),
                                                     ("2026-05-02", "ｶ)ﾀﾏｾｲｷ", 2000)])
    with db.transaction() as session:
        assert len(reconcile.preview(session, mapped, "date=処理日,amount=受取,payer=相手").proposals) == 1
    with db.reading() as session:
        assert reconcile.saved_mapping(session, standard) is None
        [proposal] = reconcile.preview(session, standard).proposals
        assert proposal.line.amount == 2000
