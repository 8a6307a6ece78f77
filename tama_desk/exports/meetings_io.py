"""The columns of the meeting import files (出席者, 商談), read by the meetings services. Apart from
exports/meetings_xlsx so that reading them does not import openpyxl (a view's first showing would pay for it)."""

from __future__ import annotations

from tama_desk.domain.dates import parse_date
from tama_desk.domain.meetings import parse_time
from tama_desk.domain.money import parse_yen
from tama_desk.exports.tables import Column, TableSpec


def _count(value: object) -> int:
    text = str(int(value) if isinstance(value, float) and value.is_integer() else value).strip()
    if not text.isdigit():
        raise ValueError("0以上の整数で入力してください")
    return int(text)


def code_text(value: object) -> str:
    """A code typed as text or read from Excel as a number (会員番号 0012 → "0012" stays text)."""
    return str(int(value) if isinstance(value, float) and value.is_integer() else value).strip()


ATTENDEE_SPEC = TableSpec("出席者", [
    Column("name", "氏名", "Name", required=True, width=16),
    Column("role", "役職", "Role", required=True, width=12),
    Column("member_number", "会員番号", "Member No", parse=code_text, width=10),
    Column("attendance", "出欠", "Attendance", required=True, width=10),
    Column("proxy_to", "委任先", "Proxy", width=16),
    Column("votes", "議決権数", "Votes", parse=_count, width=10),
    Column("arrival", "入室", "Arrival", parse=parse_time, width=8),
    Column("departure", "退室", "Departure", parse=parse_time, width=8),
    Column("title", "所属", "Affiliation", width=24),
])

PAIR_SPEC = TableSpec("商談", [
    Column("member_number", "会員番号", "Member No", required=True, parse=code_text, width=10),
    Column("counterpart", "相手企業", "Counterpart", required=True, width=30),
    Column("country", "国", "Country", width=12),
    Column("slot", "時刻", "Time", parse=parse_time, width=8),
    Column("outcome", "結果", "Outcome", width=20),
    Column("amount", "金額", "Amount", parse=parse_yen, width=12),
    Column("follow_up_date", "フォロー期限", "Follow-up", parse=parse_date, width=12),
    Column("notes", "メモ", "Notes", width=30),
    Column("industry", "業種", "Industry", width=14),
    Column("interpreter", "通訳", "Interpreter", width=12),
])
