"""Accounting hand-off tables: the account mapping, journal export batches and what they exported,
grant receipts, and 口座振替 (委託者, mandates, requests and their records with the bank's results)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tama_desk.db import models
from tama_desk.db.models import Audited, Base, Grant, Member, Versioned


class AccountMapping(Versioned, Audited, Base):
    """勘定科目 for one role (see domain.journal.ACCOUNT_ROLES) or one 費目 (`cost:旅費`)."""

    __tablename__ = "accounting_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(80), unique=True)
    account: Mapped[str] = mapped_column(String(100))


class AccountingSettings(Versioned, Audited, Base):
    """One row (id 1): how entries are exported, and the fixed costs the runway is measured against."""

    __tablename__ = "accounting_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_in_memo: Mapped[bool] = mapped_column(Boolean, default=False)
    known_accounts: Mapped[str] = mapped_column(Text, default="")  # pasted from the accounting software
    annual_fixed_costs: Mapped[int] = mapped_column(BigInteger, default=0)


class ExportBatch(Audited, Base):
    """One journal file handed to the accountant: what period and format, how much, and the file's hash."""

    __tablename__ = "accounting_export_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    format: Mapped[str] = mapped_column(String(10), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    entry_count: Mapped[int] = mapped_column(BigInteger, default=0)
    row_count: Mapped[int] = mapped_column(BigInteger, default=0)
    debit_total: Mapped[int] = mapped_column(BigInteger, default=0)
    file_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(300), default="")
    again: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(300), default="")

    marks: Mapped[list[ExportMark]] = relationship(cascade="all, delete-orphan")


class ExportMark(Base):
    """A record (and event) written into a batch: `invoice:12:issue`, `payment:5`, `expenditure:7` …"""

    __tablename__ = "accounting_export_mark"
    __table_args__ = (UniqueConstraint("batch_id", "record_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("accounting_export_batch.id", ondelete="CASCADE"), index=True)
    record_key: Mapped[str] = mapped_column(String(80), index=True)


class GrantReceipt(Audited, Base):
    """補助金 money received (概算払 or 精算払) for a grant."""

    __tablename__ = "grant_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant_project.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(String(300), default="")

    grant: Mapped[Grant] = relationship()


class BankAccount:
    """A 全銀 account: bank and branch by code and name, 預金種目 (1 普通, 2 当座), 口座番号."""

    bank_code: Mapped[str] = mapped_column(String(4))
    bank_name: Mapped[str] = mapped_column(String(15))
    branch_code: Mapped[str] = mapped_column(String(3))
    branch_name: Mapped[str] = mapped_column(String(15))
    account_type: Mapped[str] = mapped_column(String(1))
    account_number: Mapped[str] = mapped_column(String(7))


class DebitClient(BankAccount, Versioned, Audited, Base):
    """委託者: the association as its bank registered it for 口座振替 (one row, id 1)."""

    __tablename__ = "debit_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(40))


class DebitMandate(BankAccount, Versioned, Audited, Base):
    """預金口座振替依頼書 of one member: the account to debit and where the bank's registration stands."""

    __tablename__ = "debit_mandate"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), unique=True)
    holder: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default="applied")  # applied | registered | stopped
    first_debit_done: Mapped[bool] = mapped_column(Boolean, default=False)

    member: Mapped[Member] = relationship()


class DebitRequest(Audited, Base):
    """One request file sent to the bank for one debit date."""

    __tablename__ = "debit_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    asked_date: Mapped[date] = mapped_column(Date)
    debit_date: Mapped[date] = mapped_column(Date, index=True)
    record_count: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    file_sha256: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    records: Mapped[list[DebitRecord]] = relationship(back_populates="request", order_by="DebitRecord.id")


class DebitRecord(Base):
    """One data record of a request: one open invoice of one member; the bank's answer once it comes."""

    __tablename__ = "debit_record"
    __table_args__ = (
        # an invoice in an unanswered request is never requested again
        Index("uq_debit_record_open_invoice", "invoice_id", unique=True,
              sqlite_where=text("result_code IS NULL"), postgresql_where=text("result_code IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("debit_request.id"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    mandate_id: Mapped[int] = mapped_column(ForeignKey("debit_mandate.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    customer_number: Mapped[str] = mapped_column(String(20), index=True)
    new_code: Mapped[str] = mapped_column(String(1), default="0")
    result_code: Mapped[str | None] = mapped_column(String(1), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), nullable=True)

    request: Mapped[DebitRequest] = relationship(back_populates="records")
    mandate: Mapped[DebitMandate] = relationship()


models.check_codes()  # this module's code columns, if it was imported before db.models
