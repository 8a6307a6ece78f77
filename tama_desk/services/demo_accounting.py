"""The accounting demo: the 委託者 setup for 口座振替 with mandates for a few dozen members (most registered,
some still 申込中), the grants' 概算払 received, and the year's fixed costs for the runway."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from tama_desk.db.engine import current_user
from tama_desk.db.models import AuditLog, Grant, Member
from tama_desk.db.models_accounting import DebitMandate
from tama_desk.domain import zengin
from tama_desk.services import accounting, debits
from tama_desk.services.demo import _insert, _stamp

BANKS = (("1360", "001"), ("1360", "002"), ("0001", "001"), ("0005", "001"), ("0009", "015"))


def load(session, rng: random.Random, today: date, count: int) -> dict[str, int]:
    debits.setup_client(session, "3141592653", "ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳﾈﾂﾄﾜ-ｸｷﾖｳｶｲ", "1360", "001", "1", "1234567")
    accounting.set_options(session, annual_fixed_costs=30_000_000)
    companies = list(session.scalars(select(Member).where(Member.category == "company").order_by(Member.number)))
    chosen = []
    for member in rng.sample(companies, min(len(companies), max(1, count // 10))):
        holder = zengin.bank_kana(member.kana)[:30]
        if zengin.bad_characters(holder):
            continue
        bank, branch = rng.choice(BANKS)
        chosen.append((member, bank, branch, f"{rng.randrange(1, 9_999_999):07d}", holder, rng.random() < 0.8))
    mandates = _mandates(session, chosen)
    receipts = 0
    for grant in session.scalars(select(Grant).order_by(Grant.id)):
        received_on = grant.period_start + timedelta(days=75)
        if grant.advance_paid and received_on <= today:
            accounting.record_grant_receipt(session, grant.id, received_on, grant.advance_paid, "概算払")
            receipts += 1
    return {"口座振替依頼書": mandates, "補助金の受取": receipts}


def _mandates(session, chosen: list[tuple]) -> int:
    """The mandates in bulk, each as debits.save_mandate (then set_status 登録済 for most) stores and audits it."""
    stamp, user = _stamp(), current_user()
    rows = []
    for member, bank, branch, account, holder, registered in chosen:
        _bank, bank_kana, _branch, branch_kana = debits._zengin(zengin.bank_and_branch, bank, branch)
        rows.append({"member_id": member.id, "bank_code": bank, "bank_name": bank_kana[:15], "branch_code": branch,
                     "branch_name": branch_kana[:15], "account_type": "1",
                     "account_number": debits._account("1", account),
                     "holder": debits._kana_name(holder, "預金者名", 30), "first_debit_done": False,
                     "status": "registered" if registered else "applied", "version": 2 if registered else 1} | stamp)
    table = DebitMandate.__table__  # Core: the ORM would set the version of a new row to 1
    ids = list(session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)) if rows else []
    entries = []
    for mandate_id, row, (member, *_rest, registered) in zip(ids, rows, chosen, strict=True):
        entries.append({"at": stamp["created_at"], "user": user, "action": "update", "entity": "debit_mandate",
                        "entity_id": mandate_id, "summary": f"{member.number} {member.name}: {row['bank_code']}-"
                        f"{row['branch_code']} {row['account_number']} {row['holder']}"})
        if registered:
            entries.append({"at": stamp["created_at"], "user": user, "action": "update", "entity": "debit_mandate",
                            "entity_id": mandate_id, "summary": f"{member.number}: {debits.STATUSES['registered']}"})
    _insert(session, AuditLog, entries, returning=False)
    return len(ids)
