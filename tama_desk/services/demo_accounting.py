"""The accounting demo: the 委託者 setup for 口座振替 with mandates for a few dozen members (most registered,
some still 申込中), the grants' 概算払 received, and the year's fixed costs for the runway."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from tama_desk.db.models import Grant, Member
from tama_desk.domain import zengin
from tama_desk.services import accounting, debits

BANKS = (("1360", "001"), ("1360", "002"), ("0001", "001"), ("0005", "001"), ("0009", "015"))


def load(session, rng: random.Random, today: date, count: int) -> dict[str, int]:
    debits.setup_client(session, "3141592653", "ｼﾔ)ﾀﾏｻﾝｷﾞﾖｳﾈﾂﾄﾜ-ｸｷﾖｳｶｲ", "1360", "001", "1", "1234567")
    accounting.set_options(session, annual_fixed_costs=30_000_000)
    mandates = 0
    companies = list(session.scalars(select(Member).where(Member.category == "company").order_by(Member.number)))
    for member in rng.sample(companies, min(len(companies), max(1, count // 10))):
        holder = zengin.bank_kana(member.kana)[:30]
        if zengin.bad_characters(holder):
            continue
        bank, branch = rng.choice(BANKS)
        debits.save_mandate(session, member.number, bank, branch, "1", f"{rng.randrange(1, 9_999_999):07d}", holder)
        if rng.random() < 0.8:
            debits.set_status(session, member.number, "registered")
        mandates += 1
    receipts = 0
    for grant in session.scalars(select(Grant).order_by(Grant.id)):
        received_on = grant.period_start + timedelta(days=75)
        if grant.advance_paid and received_on <= today:
            accounting.record_grant_receipt(session, grant.id, received_on, grant.advance_paid, "概算払")
            receipts += 1
    return {"口座振替依頼書": mandates, "補助金の受取": receipts}
