"""口座振替 (direct debit): the 委託者 setup, members' mandates, request files and the bank's result files.

- A request holds one record per open invoice of each member whose mandate is 登録済; an invoice in a request
  the bank has not answered yet is never requested again (a partial unique index backs this).
- A result file: code 0 records the payment (statement_ref `debit:<record>` so it can never pay twice);
  any other code leaves the invoice open with the reason, and a お振込のお願い can be printed for it.
  The same file imported twice changes nothing: answered records are reported as such.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tama_desk.db.models import Invoice, Member
from tama_desk.db.models_accounting import DebitClient, DebitMandate, DebitRecord, DebitRequest
from tama_desk.domain import zengin
from tama_desk.domain.choices import DEBIT_MANDATE_STATUSES
from tama_desk.errors import ProblemList, UserError
from tama_desk.services import audit, invoices, payments

STATUSES = DEBIT_MANDATE_STATUSES  # domain.choices: the one list (a CHECK constraint too)


def _zengin(call, *args):
    try:
        return call(*args)
    except zengin.ZenginError as error:
        raise UserError(error.message, **error.params) from error


def _account(account_type: str, account_number: str) -> str:
    if account_type not in zengin.ACCOUNT_TYPES:
        raise UserError("預金種目は 1（普通）か 2（当座）です: 「{value}」", value=account_type)
    if not account_number.isdigit() or not 1 <= len(account_number) <= 7:
        raise UserError("口座番号は7桁までの数字です: 「{value}」", value=account_number)
    return account_number.zfill(7)


def _kana_name(text: str, field: str, width: int) -> str:
    name = zengin.bank_kana(text)
    if not name.strip():
        raise UserError("{field}を半角カナで入力してください", field=field)
    if bad := zengin.bad_characters(name):
        raise UserError("{field}「{value}」に全銀で使えない文字があります: {chars}", field=field, value=name, chars=bad)
    if len(name) > width:
        raise UserError("{field}「{value}」は{width}文字までです", field=field, value=name, width=width)
    return name


def client(session: Session) -> DebitClient | None:
    return session.get(DebitClient, 1)


def setup_client(session: Session, client_code: str, name: str, bank_code: str, branch_code: str,
                 account_type: str, account_number: str) -> DebitClient:
    """委託者: the code and name the bank gave the association, and the account the money goes to."""
    if not client_code.isdigit() or len(client_code) != 10:
        raise UserError("委託者コードは10桁の数字です: 「{value}」", value=client_code)
    _bank, bank_kana, _branch, branch_kana = _zengin(zengin.bank_and_branch, bank_code, branch_code)
    row = client(session) or DebitClient(id=1)
    row.client_code, row.name = client_code, _kana_name(name, "委託者名", 40)
    row.bank_code, row.bank_name, row.branch_code, row.branch_name = bank_code, bank_kana[:15], branch_code, \
        branch_kana[:15]
    row.account_type, row.account_number = account_type, _account(account_type, account_number)
    session.add(row)
    session.flush()
    audit.record(session, "update", "debit_client", 1, f"{client_code} {row.name} {bank_code}-{branch_code}")
    return row


def _member(session: Session, number: str) -> Member:
    member = session.scalar(select(Member).where(Member.number == number))
    if member is None:
        raise UserError("会員番号 {number} が見つかりません", number=number)
    return member


def save_mandate(session: Session, member_number: str, bank_code: str, branch_code: str, account_type: str,
                 account_number: str, holder: str) -> DebitMandate:
    """預金口座振替依頼書 received: stored as 申込中 until the bank confirms it (then set_status 登録済)."""
    member = _member(session, member_number)
    _bank, bank_kana, _branch, branch_kana = _zengin(zengin.bank_and_branch, bank_code, branch_code)
    mandate = session.scalar(select(DebitMandate).where(DebitMandate.member_id == member.id))
    if mandate is None:
        mandate = DebitMandate(member_id=member.id, first_debit_done=False)
        session.add(mandate)
    mandate.bank_code, mandate.bank_name, mandate.branch_code, mandate.branch_name = (
        bank_code, bank_kana[:15], branch_code, branch_kana[:15])
    mandate.account_type, mandate.account_number = account_type, _account(account_type, account_number)
    mandate.holder, mandate.status = _kana_name(holder, "預金者名", 30), "applied"
    session.flush()
    audit.record(session, "update", "debit_mandate", mandate.id,
                 f"{member.number} {member.name}: {bank_code}-{branch_code} {mandate.account_number} {mandate.holder}")
    return mandate


def set_status(session: Session, member_number: str, status: str) -> DebitMandate:
    code = status if status in STATUSES else next((c for c, label in STATUSES.items() if label == status), None)
    if code is None:
        raise UserError("状態は 申込中・登録済・停止（applied, registered, stopped）のどれかです: 「{value}」",
                        value=status)
    member = _member(session, member_number)
    mandate = session.scalar(select(DebitMandate).where(DebitMandate.member_id == member.id))
    if mandate is None:
        raise UserError("会員 {number} の口座振替依頼書は登録されていません", number=member_number)
    mandate.status = code
    audit.record(session, "update", "debit_mandate", mandate.id, f"{member.number}: {STATUSES[code]}")
    return mandate


def mandates(session: Session) -> list[DebitMandate]:
    return list(session.scalars(select(DebitMandate).join(Member).order_by(Member.number)))


# --- request ------------------------------------------------------------------------------------------------------

@dataclass
class RequestOutcome:
    request: DebitRequest
    data: bytes


def open_request_invoice_ids(session: Session) -> set[int]:
    return set(session.scalars(select(DebitRecord.invoice_id).where(DebitRecord.result_code.is_(None))))


def debit_date_for(asked: date, today: date | None = None) -> date:
    """The debit date a request for `asked` uses (the next bank business day); refused when already past."""
    debit_date = zengin.next_business_day(asked)
    today = today or date.today()
    if debit_date < today:
        raise UserError("引落日 {date} は過ぎています（今日は {today}）。今日以降の日付を指定してください",
                        date=debit_date, today=today)
    return debit_date


def create_request(session: Session, asked: date, write: Callable[[bytes], None] | None = None, *,
                   today: date | None = None) -> RequestOutcome:
    """A request for `asked` (moved to the next bank business day): one record per open invoice of each
    member with a registered mandate, leaving out invoices still waiting in an unanswered request.
    A debit date already past (before `today`, default the clock's) is refused: no bank debits yesterday."""
    setup = client(session)
    if setup is None:
        raise UserError("委託者（口座振替の契約）が設定されていません: debits setup で登録してください")
    debit_date = debit_date_for(asked, today)
    pending = open_request_invoice_ids(session)
    records, debits = [], []
    for mandate in session.scalars(select(DebitMandate).join(Member).where(DebitMandate.status == "registered")
                                   .order_by(Member.number)):
        for invoice, open_amount in payments.open_invoices(session, mandate.member_id):
            if invoice.id in pending or open_amount <= 0:
                continue
            number = zengin.customer_number(invoice.id)
            new_code = "0" if mandate.first_debit_done else "1"
            records.append(DebitRecord(invoice_id=invoice.id, mandate_id=mandate.id, amount=open_amount,
                                       customer_number=number, new_code=new_code))
            debits.append(zengin.Debit(mandate.bank_code, mandate.bank_name, mandate.branch_code,
                                       mandate.branch_name, mandate.account_type, mandate.account_number,
                                       mandate.holder, open_amount, number, new_code))
    if not records:
        raise UserError("{date} に引き落とす請求はありません（登録済の口座振替依頼書で未入金の請求がありません）",
                        date=debit_date)
    header = zengin.Header(setup.client_code, setup.name, debit_date, setup.bank_code, setup.bank_name,
                           setup.branch_code, setup.branch_name, setup.account_type, setup.account_number)
    data = _zengin(zengin.write, zengin.request_file(header, debits))
    request = DebitRequest(asked_date=asked, debit_date=debit_date, record_count=len(records),
                           total=sum(record.amount for record in records),
                           file_sha256=hashlib.sha256(data).hexdigest(), records=records)
    session.add(request)
    session.flush()
    audit.record(session, "request", "debit_request", request.id,
                 f"{debit_date} {request.record_count}件 {request.total:,}円")
    if write:
        write(data)
    return RequestOutcome(request, data)


# --- result -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResultLine:
    customer_number: str
    member_number: str
    member_name: str
    invoice_number: str
    amount: int
    code: str
    outcome: str  # paid | failed | already

    @property
    def reason(self) -> str:
        return zengin.RESULT_CODES.get(self.code, "不明な結果コード")


def import_result(session: Session, data: bytes) -> list[ResultLine]:
    """Apply a result file: all of it or nothing. Every record must belong to a request sent from here."""
    parsed = _zengin(zengin.parse, data)
    setup = client(session)
    if setup is None or parsed.header.client_code != setup.client_code:
        raise UserError("委託者コード {code} はこの協会のものではありません", code=parsed.header.client_code)
    problems, plan = ProblemList(), []
    for line, debit in enumerate(parsed.records, 2):
        if debit.result_code not in zengin.RESULT_CODES:
            problems.add("振替結果コード「{code}」は不明です", field="振替結果コード", row=line, code=debit.result_code)
            continue
        day = parsed.header.debit_date
        records = [r for r in session.scalars(select(DebitRecord).where(
            DebitRecord.customer_number == debit.customer_number).order_by(DebitRecord.id.desc()))
            if (r.request.debit_date.month, r.request.debit_date.day) == (day.month, day.day)]
        if not records:
            problems.add("顧客番号 {number} の {day} の依頼がありません（別の依頼ファイルの結果ですか）",
                         field="顧客番号", row=line, number=debit.customer_number, day=f"{day:%m/%d}")
            continue
        record = records[0]
        if any(planned is record for planned, _d, _o in plan):
            problems.add("顧客番号 {number} が2回あります", field="顧客番号", row=line, number=debit.customer_number)
            continue
        if record.result_code is not None:
            if record.result_code == debit.result_code:
                plan.append((record, debit, "already"))
            else:
                problems.add("顧客番号 {number} は既に結果「{code}」で取り込まれています", field="振替結果コード",
                             row=line, number=debit.customer_number, code=record.result_code)
            continue
        if record.amount != debit.amount:
            problems.add("引落金額 {amount} が依頼した {asked} と違います", field="引落金額", row=line,
                         amount=debit.amount, asked=record.amount)
            continue
        plan.append((record, debit, "paid" if debit.result_code == "0" else "failed"))
    problems.raise_if_any("振替結果ファイルを取り込めません（何も変更していません）")
    now, lines, touched = datetime.now(), [], set()
    for record, debit, outcome in plan:
        invoice = session.get(Invoice, record.invoice_id)
        member = record.mandate.member
        if outcome != "already":
            record.result_code, record.answered_at = debit.result_code, now
            touched.add(record.request_id)
        if outcome == "paid":
            record.payment_id = _record_payment(session, record, invoice, member.id).id
            record.mandate.first_debit_done = True
        elif outcome == "failed":
            audit.record(session, "debit_failed", "invoice", invoice.id,
                         f"{invoice.number} 口座振替不能: {zengin.RESULT_CODES[debit.result_code]}")
        lines.append(ResultLine(debit.customer_number, member.number, member.name, invoice.number, debit.amount,
                                debit.result_code, outcome))
    session.flush()
    for request_id in touched:
        request = session.get(DebitRequest, request_id)
        if all(r.result_code is not None for r in request.records):
            request.answered_at = now
    return lines


def _record_payment(session: Session, record: DebitRecord, invoice: Invoice, member_id: int):
    owed = invoices.balances(session, [invoice.id]).get(invoice.id)
    part = min(record.amount, owed.open) if owed and invoice.status == "issued" else 0
    return payments.record_payment(session, member_id, record.request.debit_date, record.amount,
                                   method="direct_debit", payer_name=record.mandate.holder,
                                   allocations=[(invoice.id, part)] if part else [],
                                   statement_ref=f"debit:{record.id}", note=f"口座振替 {record.request.debit_date}")


def failed_open_invoice_ids(session: Session) -> list[int]:
    """Invoices whose latest debit failed and that are still open: the ones a お振込のお願い is for."""
    latest: dict[int, DebitRecord] = {}
    for record in session.scalars(select(DebitRecord).order_by(DebitRecord.id)):
        latest[record.invoice_id] = record
    failed = [invoice_id for invoice_id, record in latest.items() if record.result_code not in (None, "0")]
    owed = invoices.balances(session, failed)
    return [invoice_id for invoice_id in failed if invoice_id in owed and owed[invoice_id].open > 0
            and session.get(Invoice, invoice_id).status == "issued"]


def requests(session: Session) -> list[DebitRequest]:
    return list(session.scalars(select(DebitRequest).order_by(DebitRequest.id.desc())))


def mandate_rows(session: Session) -> list[dict]:
    return [{"id": mandate.id, "number": mandate.member.number, "name": mandate.member.name,
             "kana": mandate.member.kana, "bank": f"{mandate.bank_code} {mandate.bank_name}",
             "branch": f"{mandate.branch_code} {mandate.branch_name}",
             "type": zengin.ACCOUNT_TYPES[mandate.account_type], "account": mandate.account_number,
             "holder": mandate.holder, "status": mandate.status} for mandate in mandates(session)]


def request_rows(session: Session) -> list[dict]:
    rows = []
    for request in requests(session):
        answered = [record for record in request.records if record.result_code is not None]
        failed = [record for record in answered if record.result_code != "0"]
        rows.append({"id": request.id, "date": request.debit_date, "count": request.record_count,
                     "total": request.total, "answered": len(answered), "failed": len(failed),
                     "state": "回答済" if request.answered_at else "回答待ち", "at": request.created_at})
    return rows


def client_text(session: Session) -> str:
    setup = client(session)
    if setup is None:
        return ""
    return (f"{setup.client_code} {setup.name} / {setup.bank_code} {setup.bank_name} {setup.branch_code} "
            f"{setup.branch_name} {zengin.ACCOUNT_TYPES[setup.account_type]} {setup.account_number}")
