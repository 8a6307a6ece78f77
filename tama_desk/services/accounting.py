"""The hand-off to the accountant: the account mapping (設定), journal export batches, grant receipts,
write-offs. Entries come from domain.journal; the bytes from exports.journal_*.

Records are chosen by their accounting date (issue date, cancellation date, payment date …) and not yet
exported in the format; a period overlapping an earlier batch of the same format needs `again=True`, which
exports the already-exported records of the period too, as a new batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from tama_desk.db.guards import StaleEditError
from tama_desk.db.models import Expenditure, Grant, Invoice, Payment
from tama_desk.db.models_accounting import AccountingSettings, AccountMapping, ExportBatch, ExportMark, GrantReceipt
from tama_desk.db.models_contracts import Client, Contract, ContractCost
from tama_desk.db.models_feedocs import WriteOff
from tama_desk.domain import journal
from tama_desk.domain.choices import JOURNAL_FORMATS
from tama_desk.domain.invoice import DocumentSnapshot
from tama_desk.errors import Problem, UserError
from tama_desk.exports import journal_freee, journal_mf, journal_yayoi
from tama_desk.exports.journal_csv import Rendered
from tama_desk.services import audit, invoices, payments

FORMATS = {code: (JOURNAL_FORMATS[code], module)  # the codes and names: domain.choices (a CHECK constraint too)
           for code, module in (("yayoi", journal_yayoi), ("mf", journal_mf), ("freee", journal_freee))}


# --- settings and the account mapping -----------------------------------------------------------------------------

def settings(session: Session) -> AccountingSettings:
    """The options as saved, or the defaults (not added: a read, such as the dashboard's, writes nothing)."""
    row = session.get(AccountingSettings, 1)
    if row is None:
        row = AccountingSettings(id=1, department_in_memo=False, known_accounts="", annual_fixed_costs=0)
    return row


def _stored_settings(session: Session) -> AccountingSettings:
    row = session.get(AccountingSettings, 1)
    if row is None:
        row = settings(session)
        session.add(row)
    return row


def accounts(session: Session) -> dict[str, str]:
    """Every role's account: the defaults of domain.journal, overridden by what 設定 saved."""
    mapping = journal.default_accounts()
    mapping.update({row.role: row.account for row in session.scalars(select(AccountMapping))})
    return mapping


def set_accounts(session: Session, changes: dict[str, str], shown: Mapping[str, str] | None = None) -> None:
    """Save accounts by role (or `cost:<費目>`); a blank name goes back to the default. `shown`: the accounts
    the user was shown (role → name); a role another PC changed since is not overwritten (StaleEditError)."""
    stored = {row.role: row for row in session.scalars(select(AccountMapping))}
    if shown is not None:
        current = accounts(session)

        def effective(role: str) -> str:  # what the user sees for the role, a 費目 falling back to its default
            if role.startswith("cost:"):
                return journal.cost_account(current, role.removeprefix("cost:"))
            return current.get(role, "")

        for role, name in changes.items():
            now = effective(role)
            before = shown.get(role, now)
            if now != before and name.strip() not in (now, ""):
                row = stored.get(role)
                raise StaleEditError(row.updated_by if row else "",
                                     f"{row.updated_at:%Y-%m-%d %H:%M}" if row and row.updated_at else "")
    for role, name in changes.items():
        if role not in journal.ACCOUNT_ROLES and not role.startswith("cost:"):
            raise UserError("勘定科目の役割「{role}」はありません", role=role)
        name = name.strip()
        if len(name) > 100:
            raise UserError("{role}: 勘定科目名が長すぎます", role=role)
        if not name:
            if role in stored:
                session.delete(stored[role])
            continue
        if role in stored:
            stored[role].account = name
        else:
            session.add(AccountMapping(role=role, account=name))
    session.flush()
    audit.record(session, "update", "accounting_account", None,
                 ", ".join(f"{role}={name}" for role, name in changes.items()))


def set_options(session: Session, *, department_in_memo: bool | None = None, known_accounts: str | None = None,
                annual_fixed_costs: int | None = None) -> AccountingSettings:
    row = _stored_settings(session)
    if department_in_memo is not None:
        row.department_in_memo = department_in_memo
    if known_accounts is not None:
        row.known_accounts = "\n".join(journal.parse_name_list(known_accounts))
    if annual_fixed_costs is not None:
        if annual_fixed_costs < 0:
            raise UserError("固定費は0円以上にしてください")
        row.annual_fixed_costs = annual_fixed_costs
    session.flush()
    return row


def check_accounts(session: Session, names: set[str] | None = None) -> list[str]:
    """Account names (of the mapping with every 費目's account, or the given ones) missing from the pasted list
    of the software."""
    known = settings(session).known_accounts.splitlines()
    if names is None:
        mapping = accounts(session)
        names = set(mapping.values()) | {journal.cost_account(mapping, name) for name in journal.DEFAULT_COST_ACCOUNTS}
    return journal.unknown_accounts(names, known)


# --- what happened, as entries ------------------------------------------------------------------------------------

def contract_departments(session: Session, invoice_ids: list[int]) -> dict[int, str]:
    """部門 of invoices that belong to a municipal contract: the contract's title."""
    if not invoice_ids:
        return {}
    query = (select(Invoice.id, Contract.title).join(Contract, Invoice.contract_id == Contract.id)
             .where(Invoice.id.in_(invoice_ids)))
    return dict(session.execute(query).all())


def contract_costs(session: Session, start: date, end: date) -> list[journal.CostFacts]:
    """Costs charged to contracts, with the contract as 部門."""
    query = (select(ContractCost, Contract.title).join(Contract, ContractCost.contract_id == Contract.id)
             .where(ContractCost.payment_date.between(start, end)))
    return [journal.CostFacts(f"contract_cost:{cost.id}", cost.payment_date, cost.payee, cost.category, cost.amount,
                              cost.tax, title, cost.description) for cost, title in session.execute(query)]


def _partner(invoice: Invoice, client_names: dict[int, str]) -> str:
    """補助科目 / 取引先: the member's or the client's name as registered (the recipient line may add a
    department or an honorific)."""
    if invoice.member is not None:
        return invoice.member.name
    return client_names.get(invoice.client_id) or invoice.recipient_name


def _in(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def entries_for(session: Session, start: date, end: date, exported: Set[str] = frozenset()) -> list[journal.Entry]:
    """Every entry whose accounting date falls in the period, in date order. A 手数料差引 (WriteOff) voided
    with its payment is left out, unless its entry is in `exported`: then its reversal is there too."""
    mapping = accounts(session)
    found: list[journal.Entry] = []
    query = (select(Invoice).where(or_(Invoice.issue_date.between(start, end),
                                       Invoice.cancelled_at.between(start, date.fromordinal(end.toordinal() + 1))))
             .order_by(Invoice.issue_date, Invoice.id))
    chosen = list(session.scalars(query.options(selectinload(Invoice.member))))
    departments = contract_departments(session, [invoice.id for invoice in chosen])
    client_names = dict(session.execute(select(Client.id, Client.name)).all())
    for invoice in chosen:
        snapshot = DocumentSnapshot.from_json(invoice.snapshot)
        facts = journal.InvoiceFacts(
            invoice.id, invoice.number, invoice.kind, "contract" if invoice.contract_id else invoice.purpose,
            invoice.issue_date, invoice.due_date,
            _partner(invoice, client_names), snapshot.subject,
            tuple((total.tax_category, total.net, total.tax) for total in snapshot.totals),
            departments.get(invoice.id, ""), invoice.cancelled_at.date() if invoice.cancelled_at else None)
        found += [entry for entry in journal.invoice_entries(facts, mapping) if _in(entry.on, start, end)]
    query = (select(Payment).options(selectinload(Payment.allocations), selectinload(Payment.member))
             .where(or_(Payment.received_on.between(start, end),
                        Payment.reversed_at.between(start, date.fromordinal(end.toordinal() + 1))))
             .order_by(Payment.received_on, Payment.id))
    for payment in session.scalars(query):
        partner = (payment.member.name if payment.member else client_names.get(payment.client_id)
                   or payment.payer_name)
        allocations = tuple((a.invoice.number, "contract" if a.invoice.contract_id else a.invoice.purpose, a.amount)
                            for a in payment.allocations)
        facts = journal.PaymentFacts(payment.id, payment.received_on, partner, payment.method, payment.amount,
                                     allocations, payment.reversed_at.date() if payment.reversed_at else None)
        found += [entry for entry in journal.payment_entries(facts, mapping) if _in(entry.on, start, end)]
    query = (select(WriteOff, Payment.reversed_at).outerjoin(Payment, WriteOff.payment_id == Payment.id)
             .options(selectinload(WriteOff.invoice).selectinload(Invoice.member))
             .where(or_(WriteOff.written_on.between(start, end),
                        Payment.reversed_at.between(start, date.fromordinal(end.toordinal() + 1)))))
    for row, voided_at in session.execute(query):
        if voided_at and f"write_off:{row.id}" not in exported:
            continue
        invoice = row.invoice
        facts = journal.WriteOffFacts(row.id, row.written_on, _partner(invoice, client_names), invoice.number,
                                      "contract" if invoice.contract_id else invoice.purpose, row.amount,
                                      voided_at.date() if voided_at else None)
        found += [entry for entry in journal.write_off_entries(facts, mapping) if _in(entry.on, start, end)]
    for receipt in session.scalars(select(GrantReceipt).where(GrantReceipt.received_on.between(start, end))):
        found.append(journal.grant_receipt_entry(journal.GrantReceiptFacts(
            receipt.id, receipt.received_on, receipt.grant.name, receipt.grant.grantor, receipt.amount,
            receipt.note), mapping))
    costs = [journal.CostFacts(f"expenditure:{spend.id}", spend.payment_date, spend.payee, spend.category,
                               spend.amount, spend.tax, grant_name, spend.description)
             for spend, grant_name in session.execute(
                 select(Expenditure, Grant.name).join(Grant, Expenditure.grant_id == Grant.id)
                 .where(Expenditure.payment_date.between(start, end)))]
    found += [journal.cost_entry(facts, mapping) for facts in costs + contract_costs(session, start, end)]
    found.sort(key=lambda entry: (entry.on, _KIND_ORDER.get(entry.kind, 9), entry.key))
    return found


_KIND_ORDER = {"sale": 0, "sale_reversal": 1, "grant_receipt": 2, "payment": 3, "write_off": 4,
               "payment_reversal": 5, "cost": 6}


# --- export batches -----------------------------------------------------------------------------------------------

@dataclass
class ExportResult:
    batch: ExportBatch
    data: bytes
    warnings: list[Problem]


def overlapping(session: Session, file_format: str, start: date, end: date) -> list[ExportBatch]:
    query = select(ExportBatch).where(ExportBatch.format == file_format, ExportBatch.period_start <= end,
                                      ExportBatch.period_end >= start).order_by(ExportBatch.id)
    return list(session.scalars(query))


def exported_keys(session: Session, file_format: str) -> set[str]:
    query = select(ExportMark.record_key).join(ExportBatch).where(ExportBatch.format == file_format)
    return set(session.scalars(query))


def export(session: Session, file_format: str, start: date, end: date, *, again: bool = False, reason: str = "",
           file_name: str = "", write: Callable[[bytes], None] | None = None) -> ExportResult:
    """Build the file, record the batch and mark what it holds. `write` (given the bytes) runs before the
    caller commits, so a file that cannot be written leaves no batch behind."""
    if file_format not in FORMATS:
        raise UserError("形式「{format}」はありません（yayoi, mf, freee）", format=file_format)
    if end < start:
        raise UserError("期間の終わり {end} が始まり {start} より前です", start=start, end=end)
    label, module = FORMATS[file_format]
    earlier = overlapping(session, file_format, start, end)
    if earlier and not again:
        first = earlier[-1]
        raise UserError("{format}: 期間が書き出し済みのバッチ {batch}（{batch_start}〜{batch_end}、{when} {who}）と重なります。"
                        "もう一度書き出すには --again を指定してください",
                        format=label, batch=first.id, batch_start=first.period_start, batch_end=first.period_end,
                        when=f"{first.created_at:%Y-%m-%d %H:%M}", who=first.created_by)
    if again and earlier and not reason.strip():
        reason = "再出力"
    done = exported_keys(session, file_format)
    entries = [entry for entry in entries_for(session, start, end, done) if entry.kind in module.KINDS]
    if not again:
        entries = [entry for entry in entries if entry.key not in done]
    if not entries:
        raise UserError("{start}〜{end} に書き出す仕訳はありません（{format}）", start=start, end=end, format=label)
    if settings(session).department_in_memo:
        entries = journal.department_into_memo(entries)
    unknown = check_accounts(session, journal.accounts_used(entries))
    if unknown:
        raise UserError("会計ソフトの科目一覧にない勘定科目があります: {names}（設定で直してください）",
                        names="、".join(unknown))
    if module is journal_freee:  # payments become the 決済 of a sale, or a 取引 of freee's own receivable
        mapping = accounts(session)
        rendered: Rendered = module.render(entries, bank=mapping["bank"], receivable=mapping["receivable"])
    else:
        rendered = module.render(entries)
    batch = ExportBatch(format=file_format, period_start=start, period_end=end, entry_count=len(entries),
                        row_count=rendered.rows, debit_total=sum(entry.total for entry in entries),
                        file_sha256=hashlib.sha256(rendered.data).hexdigest(), file_name=file_name,
                        again=again, reason=reason.strip())
    batch.marks = [ExportMark(record_key=key) for key in dict.fromkeys(entry.key for entry in entries)]
    session.add(batch)
    session.flush()
    audit.record(session, "export", "accounting_export_batch", batch.id,
                 f"{label} {start}〜{end} {len(entries)}仕訳 {batch.debit_total:,}円 {file_name}")
    if write:
        write(rendered.data)
    return ExportResult(batch, rendered.data, rendered.warnings)


def list_batches(session: Session) -> list[ExportBatch]:
    return list(session.scalars(select(ExportBatch).order_by(ExportBatch.id.desc())))


# --- money the other areas do not record --------------------------------------------------------------------------

def record_grant_receipt(session: Session, grant_id: int, received_on: date, amount: int, note: str = "") -> GrantReceipt:
    grant = session.get(Grant, grant_id)
    if grant is None:
        raise UserError("補助金（id {id}）が見つかりません", id=grant_id)
    if amount <= 0:
        raise UserError("受取額は1円以上にしてください")
    receipt = GrantReceipt(grant_id=grant_id, received_on=received_on, amount=amount, note=note.strip())
    session.add(receipt)
    session.flush()
    audit.record(session, "receive", "grant_receipt", receipt.id, f"{grant.name} {received_on} {amount:,}円")
    return receipt


def write_off(session: Session, invoice_number: str, amount: int, on: date, reason: str):
    """差引: what a payer kept back (e.g. the transfer fee) settles the invoice as 支払手数料 / the receivable —
    the same record (WriteOff) as the statement import's 手数料差引; at most what is open."""
    invoice = invoices.find_by_number(session, invoice_number)
    if not reason.strip():
        raise UserError("請求書 {number}: 差引の理由を入力してください", number=invoice.number)
    return payments.write_off(session, invoice.id, amount, on, limit=max(amount, 1), note=reason.strip())


# --- what the window shows ------------------------------------------------------------------------------------

def batch_rows(session: Session) -> list[dict]:
    return [{"id": batch.id, "format": FORMATS[batch.format][0], "start": batch.period_start,
             "end": batch.period_end, "entries": batch.entry_count, "rows": batch.row_count,
             "total": batch.debit_total, "at": batch.created_at, "who": batch.created_by,
             "file": batch.file_name, "again": "再出力" if batch.again else "", "reason": batch.reason}
            for batch in list_batches(session)]


def mapping_rows(session: Session) -> list[dict]:
    """Every role with its label, account and whether the pasted list lacks it (設定 → 勘定科目)."""
    mapping, unknown = accounts(session), set(check_accounts(session))
    rows = [{"role": role, "label": label, "account": mapping[role], "default": default,
             "unknown": mapping[role] in unknown} for role, (label, default) in journal.ACCOUNT_ROLES.items()]
    categories = dict.fromkeys([*journal.DEFAULT_COST_ACCOUNTS,
                                *(role.removeprefix("cost:") for role in mapping if role.startswith("cost:"))])
    for category in categories:
        name = journal.cost_account(mapping, category)
        rows.append({"role": f"cost:{category}", "label": category, "account": name,
                     "default": journal.DEFAULT_COST_ACCOUNTS.get(category, mapping["cost_default"]),
                     "unknown": name in unknown})
    return rows
