"""Tables of the 委託事業 area: clients, contracts, milestones, deliverables, amendments, contract costs.

Invoices and payments for contracts are the ordinary `invoice` / `payment` rows (models.py), which carry
`client_id` / `contract_id` / `milestone_id` for them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tama_desk.db import models
from tama_desk.db.models import Audited, Base, Member, Versioned


class Client(Versioned, Audited, Base):
    """取引先 that is not a member: a city, a prefecture, a public corporation …"""

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kana: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(100), default="")  # 担当課
    contact_person: Mapped[str] = mapped_column(String(100), default="")  # 担当者
    # How documents address it: "department" → 八王子市 産業振興課 御中; "head" → 八王子市長 ○○ ○○ 様
    addressee: Mapped[str] = mapped_column(String(20), default="department")
    head_title: Mapped[str] = mapped_column(String(100), default="")  # 八王子市長
    head_name: Mapped[str] = mapped_column(String(100), default="")  # ○○ ○○
    postal_code: Mapped[str] = mapped_column(String(8), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    payer_name: Mapped[str] = mapped_column(String(100), default="")  # 振込名義 on bank statements
    corporate_number: Mapped[str] = mapped_column(String(13), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Contract(Versioned, Audited, Base):
    """委託契約: one commission from a client (a member or a Client)."""

    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("client.id"), index=True, nullable=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"), index=True, nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    number: Mapped[str] = mapped_column(String(100), default="")  # the client's 契約番号
    reference: Mapped[str] = mapped_column(String(100), default="")  # our own reference
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    signed_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # None: still a 見積
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)  # 契約金額, tax included
    tax_amount: Mapped[int] = mapped_column(BigInteger, default=0)  # うち消費税額 as the contract states it
    tax_category: Mapped[str] = mapped_column(String(20), default="standard_10")
    kind: Mapped[str] = mapped_column(String(10), default="準委任")
    payment_terms: Mapped[str] = mapped_column(String(20), default="completion")
    management_fee_rate: Mapped[str] = mapped_column(String(20), default="0")  # 一般管理費率, a fraction
    final_amount: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # 確定額 (概算払い)
    settled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    completed_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # 完了届 of the whole contract
    inspected_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    inspection_passed: Mapped[bool] = mapped_column(Boolean, default=True)
    cancelled_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    client: Mapped[Client | None] = relationship()
    member: Mapped[Member | None] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(cascade="all, delete-orphan", order_by="Milestone.position")
    deliverables: Mapped[list[Deliverable]] = relationship(cascade="all, delete-orphan",
                                                           order_by="Deliverable.due_date")
    amendments: Mapped[list[Amendment]] = relationship(cascade="all, delete-orphan",
                                                       order_by="Amendment.amended_on")


class Milestone(Versioned, Audited, Base):
    """A part of the work (部分払い: invoiced after its own inspection), numbered 1, 2 … per contract."""

    __tablename__ = "contract_milestone"
    __table_args__ = (UniqueConstraint("contract_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)  # the part invoiced at it, tax included
    completed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    inspected_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    inspection_passed: Mapped[bool] = mapped_column(Boolean, default=True)


class Deliverable(Versioned, Audited, Base):
    """成果物: 実施報告書, 成果報告書, 写真記録 … with its due date and when it was handed in."""

    __tablename__ = "contract_deliverable"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    submitted_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class Amendment(Audited, Base):
    """変更契約: a dated change of amount, period or milestones with its reason; never edited."""

    __tablename__ = "contract_amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    amended_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(300))
    amount_before: Mapped[int] = mapped_column(BigInteger)
    amount_after: Mapped[int] = mapped_column(BigInteger)
    period_end_before: Mapped[date] = mapped_column(Date)
    period_end_after: Mapped[date] = mapped_column(Date)
    period_start_before: Mapped[date | None] = mapped_column(Date, nullable=True)  # None: before migration 0013
    period_start_after: Mapped[date | None] = mapped_column(Date, nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")  # free text beside the recorded changes

    milestone_changes: Mapped[list[AmendmentMilestone]] = relationship(
        cascade="all, delete-orphan", order_by="AmendmentMilestone.id")


class AmendmentMilestone(Audited, Base):
    """One milestone an amendment added, removed or changed, with its name, due date and amount before and after
    (None where there was no before / is no after). The milestone row itself is updated or deleted."""

    __tablename__ = "contract_amendment_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("contract_amendment.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 第N回
    change: Mapped[str] = mapped_column(String(10))  # added / removed / changed
    name_before: Mapped[str] = mapped_column(String(200), default="")
    name_after: Mapped[str] = mapped_column(String(200), default="")
    due_before: Mapped[date | None] = mapped_column(Date, nullable=True)
    due_after: Mapped[date | None] = mapped_column(Date, nullable=True)
    amount_before: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    amount_after: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class ContractCost(Versioned, Audited, Base):
    """One expense charged to a contract. Grant expenditures (models.Expenditure) are the other funding
    source of the one cost ledger (services.cost_ledger checks across both)."""

    __tablename__ = "contract_cost"
    __table_args__ = (UniqueConstraint("contract_id", "voucher_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    voucher_number: Mapped[str] = mapped_column(String(50))  # 証ひょう番号, per contract
    category: Mapped[str] = mapped_column(String(50), index=True)
    payment_date: Mapped[date] = mapped_column(Date, index=True)
    payee: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(300), default="")
    amount: Mapped[int] = mapped_column(BigInteger)  # 支出額（税込）
    tax: Mapped[int] = mapped_column(BigInteger, default=0)
    accounting_ref: Mapped[str] = mapped_column(String(50), default="", index=True)  # 会計伝票番号
    # An explicit split (按分): this row is a share of an expense of `split_total` yen, with its reason.
    split_total: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    split_note: Mapped[str] = mapped_column(String(300), default="")
    attachment_path: Mapped[str] = mapped_column(String(300), default="")
    attachment_name: Mapped[str] = mapped_column(String(200), default="")


models.check_codes()  # this module's code columns, if it was imported before db.models
