"""Shared test data builders: one make_member, make_grant, make_client, make_contract, make_meeting, spend,
seal_png, pdf_text, count for every test.

Each takes a Session (inside the test's own `db.transaction()`) and keyword overrides; the defaults are a
realistic Tama-area association, so a test states only what it is about.
"""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date
from itertools import count as counter

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from tama_desk.services import clients, contracts, grants, members

GRANT_BUDGETS = {"旅費": 4_000_000, "会議費": 1_500_000, "謝金": 2_000_000, "委託費": 6_000_000, "広報費": 1_500_000}
_numbers = counter(1)


def make_member(session, **overrides):
    """A company member of type 正会員 joined 2020-04-01 (fields as typed in the dialog; overrides win)."""
    values = {"name": f"株式会社テスト{next(_numbers)}", "kana": "テスト", "category": "企業",
              "membership_type": "正会員", "join_date": "2020-04-01"}
    values.update(overrides)
    return members.save_member(session, values)


def make_grant(session, **overrides):
    """A decided 2026 grant of 10,000,000 yen at 2/3 over five categories (GRANT_BUDGETS)."""
    values = dict(name="多摩地域ものづくり海外展開支援事業", programme="地域企業海外展開支援補助金",
                  grantor="関東経済産業局長", fiscal_year=2026, period_start=date(2026, 4, 1),
                  period_end=date(2027, 2, 28), decided_amount=10_000_000, rate="2/3", budgets=GRANT_BUDGETS,
                  decision_number="20260410関東第18号", decision_date=date(2026, 4, 10), advance_paid=9_000_000,
                  summary="上海・ミラノでの商談会を開催し、会員企業9社と海外企業60社の商談機会を設けた。")
    values.update(overrides)
    return grants.create_grant(session, **values)


def make_client(session, **values):
    """八王子市 産業振興課, paying as ﾊﾁｵｳｼﾞｼ (values win)."""
    return clients.add_client(session, {"name": "八王子市", "kana": "ハチオウジシ", "department": "産業振興課",
                                        "payer_name": "ﾊﾁｵｳｼﾞｼ", **values})


def make_contract(session, terms="advance", amount=5_500_000, party=None, **values):
    """A 委託契約 signed 2026-04-20 for May 2026–Feb 2027 with a new client (make_client) unless `party` names one."""
    party = party or clients.Party(client=make_client(session))
    base = dict(title="八王子 City Sales in Shanghai", signed_on=date(2026, 4, 20), period_start=date(2026, 5, 1),
                period_end=date(2027, 2, 28), amount=amount, payment_terms=terms, number="八産第123号")
    return contracts.create_contract(session, party=party, **{**base, **values})


def spend(session, grant_id, voucher, category, amount, paid, tax=None, **extra):
    """One expenditure through the service (amount in yen, tax 10/110 of it unless given)."""
    raw = {"voucher_number": voucher, "category": category, "payment_date": paid, "payee": "株式会社JTB 多摩支店",
           "description": "上海商談会 渡航費", "amount": amount, "tax": amount * 10 // 110 if tax is None else tax}
    raw.update(extra)
    return grants.add_expenditure(session, grant_id, raw)


def seal_png(colour=(200, 30, 30, 220), size: int = 120, filled: bool = False) -> bytes:
    """A square red 角印-like PNG with a transparent background."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    edge = max(4, size // 30)
    draw.rectangle([edge, edge, size - edge - 1, size - edge - 1], outline=colour, width=max(5, size // 20))
    if filled:
        draw.rectangle([size // 4, size // 4, size * 3 // 4, size * 3 // 4], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text as pdftotext -layout reads it, runs of spaces folded to one."""
    output = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return re.sub(r"[ \t\u3000]+", " ", output.decode("utf-8"))


def count(session, model, *where) -> int:
    """How many rows of `model` match `where`."""
    return session.scalar(select(func.count()).select_from(model).where(*where))


BOARD = [("山本 一郎", "代表理事"), ("佐藤 健一", "理事"), ("鈴木 花子", "理事"), ("高橋 誠", "理事"), ("田中 裕子", "理事"),
         ("伊藤 隆", "理事"), ("渡辺 恵", "理事"), ("中村 直樹", "理事"), ("小林 由美", "理事"), ("加藤 浩二", "監事")]


def make_meeting(session, kind="理事会", present=("山本 一郎", "佐藤 健一", "鈴木 花子", "高橋 誠", "伊藤 隆",
                                                   "中村 直樹", "加藤 浩二"), **overrides):
    """A 理事会 of nine directors and one auditor on 2026-05-20 10:00–12:00, the named ones present (others 欠席);
    `kind="社員総会"` gives an empty list to fill."""
    from datetime import time

    from tama_desk.services import meetings

    values = dict(kind=kind, title=f"令和8年度第1回{kind}", day=date(2026, 5, 20), start=time(10, 0), end=time(12, 0),
                  place="本部会議室", chair="山本 一郎", recorder="吉田 恵")
    values.update(overrides)
    meeting = meetings.create_meeting(session, **values)
    if kind == "理事会":
        for name, role in BOARD:
            meetings.add_participant(session, meeting.id, name=name, role=role,
                                     attendance="出席" if name in present else "欠席")
    return meeting
