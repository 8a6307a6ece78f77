"""payment method without write_off: a write-off is a WriteOff record only

Revision ID: 0019
Revises: 0016
Create Date: 2026-12-01

0011 turned the payments of method `write_off` into WriteOff rows but kept some, so the CHECK still admitted
the code. What a database can hold at this revision, and what becomes of it:

- a payment 0011 kept reversed to hold a (cancelled) receipt: its WriteOff rows exist already;
- a write_off payment reversed by a user before 0011: it becomes WriteOff rows voided with it (`payment_id`
  points at it, so they settle nothing, as before); when its entry reached the accountant (`payment:<id>`,
  and `payment:<id>:reverse`) the new rows carry the same marks, so the reversal still to be sent is sent
  once and nothing is sent twice;
- one written by another program after 0011 (not reversed): WriteOff rows as 0011 made them (live, marks
  copied), and the payment is reversed (「手数料差引へ移行」) with any receipt of it cancelled.

Every such payment then keeps only what the receipt and the history need: its allocations are removed (the
WriteOff rows settle the invoices now), its amount is 0 and its method `transfer`, and its note says what it
was and for how much, so no later export books it as money. Balances do not change: a reversed payment
settled nothing, and a live one's amount moves to its WriteOff rows. The payment rows themselves stay (the
receipts point at them; retention). The codes are copied here; the downgrade re-admits `write_off` (the rows
stay as converted).
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

from tama_desk.db.migration_steps import add_checks, drop_checks

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

BEFORE = {('payment', 'method'): ('transfer', 'direct_debit', 'cash', 'write_off')}
AFTER = {('payment', 'method'): ('transfer', 'direct_debit', 'cash')}
REASON = "手数料差引へ移行"  # 0011's reason for the payments it kept
ACCOUNT = "支払手数料"

payment = sa.table('payment', *(sa.column(name) for name in (
    'id', 'method', 'amount', 'received_on', 'note', 'reversed', 'reversal_reason', 'reversed_at', 'reversed_by',
    'created_at', 'created_by', 'updated_at', 'updated_by')))
allocation = sa.table('payment_allocation', sa.column('payment_id'), sa.column('invoice_id'), sa.column('amount'))
write_off = sa.Table('write_off', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True),
                     *(sa.Column(name) for name in ('invoice_id', 'payment_id', 'written_on', 'amount', 'kind',
                                                    'account', 'note', 'created_at', 'created_by', 'updated_at',
                                                    'updated_by')))
mark = sa.table('accounting_export_mark', sa.column('batch_id'), sa.column('record_key'))
receipt = sa.table('receipt', sa.column('payment_id'), sa.column('cancelled_at'), sa.column('cancel_reason'))


def upgrade() -> None:
    convert_write_off_payments(op.get_bind())
    drop_checks(revision, BEFORE)
    add_checks(revision, AFTER)


def convert_write_off_payments(bind) -> None:
    now = datetime.now()
    for paid in bind.execute(sa.select(payment).where(payment.c.method == 'write_off').order_by(payment.c.id)).all():
        settled = bind.execute(sa.select(allocation.c.invoice_id, allocation.c.amount).where(
            allocation.c.payment_id == paid.id).order_by(allocation.c.invoice_id)).all()
        kept_by_0011 = paid.reversed and paid.reversal_reason == REASON and paid.reversed_by == 'migration 0011'
        if not kept_by_0011:
            marks = {suffix: [batch for (batch,) in bind.execute(sa.select(mark.c.batch_id).where(
                mark.c.record_key == f"payment:{paid.id}{suffix}"))] for suffix in ("", ":reverse")}
            for invoice_id, amount in settled:
                new_id = bind.execute(write_off.insert().values(
                    invoice_id=invoice_id, payment_id=paid.id if paid.reversed else None,
                    written_on=paid.received_on, amount=amount, kind='transfer_fee', account=ACCOUNT,
                    note=paid.note or '', created_at=paid.created_at, created_by=paid.created_by or '',
                    updated_at=now, updated_by='migration 0019')).inserted_primary_key[0]
                for suffix, batches in marks.items():
                    for batch in batches:
                        bind.execute(mark.insert().values(batch_id=batch, record_key=f"write_off:{new_id}{suffix}"))
        if not paid.reversed:
            bind.execute(payment.update().where(payment.c.id == paid.id).values(
                reversed=True, reversal_reason=REASON, reversed_at=now, reversed_by='migration 0019'))
            bind.execute(receipt.update().where(receipt.c.payment_id == paid.id, receipt.c.cancelled_at.is_(None))
                         .values(cancelled_at=now, cancel_reason=REASON))
        was = f"差引（償却）{paid.amount:,}円 → 手数料差引（0019で移行）"
        bind.execute(allocation.delete().where(allocation.c.payment_id == paid.id))
        bind.execute(payment.update().where(payment.c.id == paid.id).values(
            method='transfer', amount=0, note=f"{paid.note[:299 - len(was)]} {was}".strip(), updated_at=now,
            updated_by='migration 0019'))


def downgrade() -> None:
    drop_checks(revision, AFTER)
    add_checks(revision, BEFORE)
