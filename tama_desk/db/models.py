"""Typed SQLAlchemy models. Money is integer yen; dates are dates.

Every table users edit carries who (OS user) and when it was created and last changed;
`tama_desk.db.engine` fills these in before each flush.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from tama_desk.domain.choices import CHECKED_COLUMNS, check_condition

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Audited:
    """Who created and last changed a row, and when (local time of the office PC)."""

    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    updated_by: Mapped[str] = mapped_column(String(100), default="")


class Versioned:
    """Optimistic locking: a save over a row another PC changed since it was loaded is refused
    (`db.guards.StaleEditError`), never silently overwritten."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}


class AssociationProfile(Versioned, Audited, Base):
    """The association itself (設定): printed on every document. One row, id 1."""

    __tablename__ = "association_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    representative_title: Mapped[str] = mapped_column(String(100), default="会長")
    representative: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(8), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    registration_number: Mapped[str] = mapped_column(String(14), default="")
    bank_name: Mapped[str] = mapped_column(String(100), default="")
    bank_branch: Mapped[str] = mapped_column(String(100), default="")
    bank_account_type: Mapped[str] = mapped_column(String(10), default="普通")
    bank_account_number: Mapped[str] = mapped_column(String(10), default="")
    bank_account_holder: Mapped[str] = mapped_column(String(100), default="")
    seal_png: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    fiscal_year_start_month: Mapped[int] = mapped_column(Integer, default=4)
    invoice_number_pattern: Mapped[str] = mapped_column(String(50), default="{fy}-{seq:04d}")
    tax_rounding: Mapped[str] = mapped_column(String(10), default="floor")
    # 手数料差引を自動で処理する: a shortfall up to the limit is written off during reconciliation (on in a new
    # database; migration 0010 turns it off for an existing profile until the office turns it on)
    write_off_auto: Mapped[bool] = mapped_column(Boolean, default=True)
    write_off_limit: Mapped[int] = mapped_column(BigInteger, default=880)
    stamp_duty: Mapped[str] = mapped_column(String(20), default="exempt")  # 収入印紙: domain.choices.STAMP_DUTY


class MembershipType(Versioned, Audited, Base):
    """会員種別: 正会員, 賛助会員 … with the annual fee and its tax treatment."""

    __tablename__ = "membership_type"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    annual_fee: Mapped[int] = mapped_column(Integer, default=0)
    tax_category: Mapped[str] = mapped_column(String(20), default="out_of_scope")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    voting: Mapped[bool] = mapped_column(Boolean, default=True)  # 社員 (議決権あり) at a 社員総会: 賛助会員 not


class Member(Versioned, Audited, Base):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kana: Mapped[str] = mapped_column(String(200), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    membership_type_id: Mapped[int] = mapped_column(ForeignKey("membership_type.id"), index=True)
    corporate_number: Mapped[str] = mapped_column(String(13), default="")
    registration_number: Mapped[str] = mapped_column(String(14), default="")
    postal_code: Mapped[str] = mapped_column(String(8), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    payer_name: Mapped[str] = mapped_column(String(100), default="")
    join_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    withdrawal_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    withdrawal_reason: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Number, name, kana and contact names folded by domain.kana.search_key, for one LIKE query.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The statement matcher's keys of the payer names (domain.matching.stored_keys): set by apply_values, and
    # filled or renewed by the matcher itself (migration 0017 added it empty; a stale text is never used).
    match_keys: Mapped[str | None] = mapped_column(Text, nullable=True, default=None)

    membership_type: Mapped[MembershipType] = relationship(lazy="joined")
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="Contact.sort_order"
    )

    @property
    def primary_contact(self) -> Contact | None:
        for contact in self.contacts:
            if contact.is_primary:
                return contact
        return self.contacts[0] if self.contacts else None


class Contact(Versioned, Audited, Base):
    """担当者: a person at a member organisation."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    department: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    member: Mapped[Member] = relationship(back_populates="contacts")


class AuditLog(Base):
    """Append-only record of what users did: never updated, never deleted."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)  # a record's history

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now, index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    # The hash chain (services.audit): sealed just before the commit, in commit order.
    chain_seq: Mapped[int | None] = mapped_column(Integer, unique=True, index=True, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    record_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")


class FeeSchedule(Versioned, Audited, Base):
    """The annual fee of a membership type for one fiscal year (fees change between years)."""

    __tablename__ = "fee_schedule"
    __table_args__ = (UniqueConstraint("fiscal_year", "membership_type_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    membership_type_id: Mapped[int] = mapped_column(ForeignKey("membership_type.id"))
    annual_fee: Mapped[int] = mapped_column(Integer)
    tax_category: Mapped[str] = mapped_column(String(20), default="out_of_scope")
    admission_fee: Mapped[int] = mapped_column(Integer, default=0)
    # How a member who joins during the year is billed: full, monthly (月割, yen down) or half_year.
    proration: Mapped[str] = mapped_column(String(20), default="full")

    membership_type: Mapped[MembershipType] = relationship(lazy="joined")


class Invoice(Versioned, Audited, Base):
    """An issued document: 請求書 or 適格返還請求書. Frozen once issued (see services.invoices).

    `snapshot` holds the printed content as JSON (domain.invoice.DocumentSnapshot); the columns beside it
    copy what the office searches and sums by (電子帳簿保存法: date, counterparty, amount).
    """

    __tablename__ = "invoice"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "sequence"),
        # One live annual-fee invoice per member and year: a billing run twice never bills twice.
        Index("uq_invoice_annual_fee", "member_id", "billed_year", unique=True,
              sqlite_where=text("purpose = 'annual_fee' AND status = 'issued' AND kind = 'invoice'"),
              postgresql_where=text("purpose = 'annual_fee' AND status = 'issued' AND kind = 'invoice'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="invoice")
    purpose: Mapped[str] = mapped_column(String(20), default="other")
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True, nullable=True)
    billed_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    recipient_name: Mapped[str] = mapped_column(String(200))
    issue_date: Mapped[date] = mapped_column(Date, index=True)
    due_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    total: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="issued", index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    cancelled_by: Mapped[str] = mapped_column(String(100), default="")
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    original_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoice.id"), index=True, nullable=True)
    snapshot: Mapped[str] = mapped_column(Text)
    # A contract invoice (委託事業): to a client (or a member), for a contract and maybe one milestone.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"), index=True, nullable=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True, nullable=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("contract_milestone.id"), nullable=True)
    contract_stage: Mapped[str | None] = mapped_column(String(20), nullable=True)  # completion|milestone|advance|final

    member: Mapped[Member | None] = relationship()
    lines: Mapped[list[InvoiceLine]] = relationship(cascade="all, delete-orphan", order_by="InvoiceLine.position")
    allocations: Mapped[list[PaymentAllocation]] = relationship(back_populates="invoice")


class InvoiceLine(Base):
    """A copy of each printed line, for sums by tax category (never edited: the invoice is frozen)."""

    __tablename__ = "invoice_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    tax_category: Mapped[str] = mapped_column(String(20))
    amount: Mapped[int] = mapped_column(Integer)


class Payment(Versioned, Audited, Base):
    """Money received. Never deleted: a mistake is reversed (reversed=True, with reason), and audited.

    The part not allocated to invoices is the member's credit (前受金/過入金).
    """

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True, nullable=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"), index=True, nullable=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20), default="transfer")
    payer_name: Mapped[str] = mapped_column(String(100), default="")
    # A bank statement line's fingerprint: the same statement imported twice never pays twice.
    statement_ref: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    reversed: Mapped[bool] = mapped_column(Boolean, default=False)
    reversed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    reversed_by: Mapped[str] = mapped_column(String(100), default="")
    reversal_reason: Mapped[str] = mapped_column(String(300), default="")

    member: Mapped[Member | None] = relationship()
    allocations: Mapped[list[PaymentAllocation]] = relationship(back_populates="payment",
                                                                cascade="all, delete-orphan")


class PaymentAllocation(Base):
    """How much of a payment settles which invoice."""

    __tablename__ = "payment_allocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id", ondelete="CASCADE"), index=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoice.id"), index=True)
    amount: Mapped[int] = mapped_column(Integer)

    payment: Mapped[Payment] = relationship(back_populates="allocations")
    invoice: Mapped[Invoice] = relationship(back_populates="allocations")


class DocumentAsset(Base):
    """An image printed on issued documents (the seal), stored once and named by its SHA-256."""

    __tablename__ = "document_asset"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class BankMapping(Versioned, Audited, Base):
    """The column mapping a user confirmed once for a bank's statement layout (keyed by its header line)."""

    __tablename__ = "bank_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    header_key: Mapped[str] = mapped_column(String(64), unique=True)
    mapping: Mapped[str] = mapped_column(String(200))


class ExpenseCategory(Base):
    """経費区分 (費目) offered when budgeting a grant: 謝金, 旅費, 会議費 … (configurable list)."""

    __tablename__ = "expense_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Grant(Versioned, Audited, Base):
    """補助事業: one grant decision and how its subsidy is computed."""

    __tablename__ = "grant_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    programme: Mapped[str] = mapped_column(String(200), default="")
    grantor: Mapped[str] = mapped_column(String(200))
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    decision_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    applied_amount: Mapped[int] = mapped_column(Integer, default=0)
    decided_amount: Mapped[int] = mapped_column(Integer)
    rate: Mapped[str] = mapped_column(String(20))  # an exact fraction, e.g. "2/3"
    formula: Mapped[str] = mapped_column(String(10), default="rate")
    decided_eligible_cost: Mapped[int] = mapped_column(Integer, default=0)
    rounding_unit: Mapped[int] = mapped_column(Integer, default=1)
    tax_basis: Mapped[str] = mapped_column(String(10), default="excluded")
    reallocation_limit: Mapped[str] = mapped_column(String(20), default="1/5")
    advance_paid: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="decided")
    summary: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    budgets: Mapped[list[GrantBudget]] = relationship(cascade="all, delete-orphan", order_by="GrantBudget.position")


class GrantBudget(Versioned, Audited, Base):
    __tablename__ = "grant_budget"
    __table_args__ = (UniqueConstraint("grant_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant_project.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(Integer, default=0)
    planned: Mapped[int] = mapped_column(Integer)
    eligible_planned: Mapped[int] = mapped_column(Integer)


class BudgetChange(Versioned, Audited, Base):
    """流用 (within the limit) or 変更承認 (approved, with date and reference): `amount` moves from one
    category to another; an approved change may also add to or take from one category alone."""

    __tablename__ = "grant_budget_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant_project.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # reallocation | approved_change
    from_category: Mapped[str] = mapped_column(String(50), default="")
    to_category: Mapped[str] = mapped_column(String(50), default="")
    amount: Mapped[int] = mapped_column(Integer)
    change_date: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(String(300), default="")


class Expenditure(Versioned, Audited, Base):
    """One spend under a grant (経費支出管理表 line), with its voucher (証ひょう) number."""

    __tablename__ = "grant_expenditure"
    __table_args__ = (UniqueConstraint("grant_id", "voucher_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grant_project.id", ondelete="CASCADE"), index=True)
    voucher_number: Mapped[str] = mapped_column(String(50))
    category: Mapped[str] = mapped_column(String(50), index=True)
    contract_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    payment_date: Mapped[date] = mapped_column(Date, index=True)
    payee: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(300), default="")
    amount: Mapped[int] = mapped_column(Integer)  # 支出額（税込）
    tax: Mapped[int] = mapped_column(Integer, default=0)
    eligible_amount: Mapped[int] = mapped_column(Integer)  # 補助対象額
    ineligible_reason: Mapped[str] = mapped_column(String(300), default="")
    attachment_path: Mapped[str] = mapped_column(String(300), default="")  # inside the data folder
    attachment_name: Mapped[str] = mapped_column(String(200), default="")


_CHECKED: set[tuple[str, str]] = set()


def check_codes() -> None:
    """Each code column accepts only the codes of its list (domain.choices.CHECKED_COLUMNS; migration 0004).
    Called here and at the end of every area's models module, so the constraints are there whichever module is
    imported first (an area module imported first is only half defined when this module's import of it returns)."""
    for (table, column), codes in CHECKED_COLUMNS.items():
        if (table, column) not in _CHECKED and table in Base.metadata.tables:
            Base.metadata.tables[table].append_constraint(CheckConstraint(check_condition(column, codes), name=column))
            _CHECKED.add((table, column))


from tama_desk.db import (  # noqa: E402,F401  (one import per area's models)
    models_accounting,
    models_contracts,
    models_feedocs,
    models_meetings,
    models_receipts,
    models_reliability,
)

check_codes()
