"""fee settlements: a receipt can be cancelled (取消 with date and reason); one kind of write-off record

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

- receipt.cancelled_at / cancel_reason: reversing a payment cancels its receipt.
- write_off.note: why it was written off (the reason `accounting write-off` asks for).
- The payments of method `write_off` (the accounting area's older record of a written-off shortfall) become
  write_off rows, one per invoice they settled, with the payment's date, note and author. A journal entry
  already exported for such a payment (`payment:<id>`) marks the new rows as exported in the same batch, so
  the accountant never gets the write-off twice. The payment itself is removed; one that holds an issued
  receipt is kept instead, reversed (「手数料差引へ移行」), and its receipt cancelled. A write_off payment that
  was already reversed settled nothing and is left as it is.
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

REASON = "手数料差引へ移行"
ACCOUNT = "支払手数料"  # WRITE_OFF_ACCOUNTS["transfer_fee"] when this was written

payment = sa.table('payment', sa.column('id', sa.Integer), sa.column('method', sa.String),
                   sa.column('received_on', sa.Date), sa.column('note', sa.String),
                   sa.column('reversed', sa.Boolean), sa.column('reversal_reason', sa.String),
                   sa.column('reversed_at', sa.DateTime), sa.column('reversed_by', sa.String),
                   sa.column('created_at', sa.DateTime), sa.column('created_by', sa.String))
allocation = sa.table('payment_allocation', sa.column('payment_id', sa.Integer), sa.column('invoice_id', sa.Integer),
                      sa.column('amount', sa.BigInteger))
write_off = sa.Table('write_off', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True),
                     *(sa.Column(name, kind) for name, kind in (
                         ('invoice_id', sa.Integer), ('payment_id', sa.Integer), ('written_on', sa.Date),
                         ('amount', sa.BigInteger), ('kind', sa.String), ('account', sa.String), ('note', sa.String),
                         ('created_at', sa.DateTime), ('created_by', sa.String), ('updated_at', sa.DateTime),
                         ('updated_by', sa.String))))
mark = sa.table('accounting_export_mark', sa.column('batch_id', sa.Integer), sa.column('record_key', sa.String))
receipt = sa.table('receipt', sa.column('payment_id', sa.Integer), sa.column('cancelled_at', sa.DateTime),
                   sa.column('cancel_reason', sa.String))


def upgrade() -> None:
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=False, server_default=''))
    with op.batch_alter_table('write_off', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.String(length=500), nullable=False, server_default=''))
    move_write_off_payments(op.get_bind())


def move_write_off_payments(bind) -> None:
    now = datetime.now()
    rows = bind.execute(sa.select(payment).where(payment.c.method == 'write_off',
                                                 payment.c.reversed == sa.false())).all()
    for paid in rows:
        batches = [batch for (batch,) in bind.execute(sa.select(mark.c.batch_id).where(
            mark.c.record_key == f"payment:{paid.id}"))]
        for invoice_id, amount in bind.execute(sa.select(allocation.c.invoice_id, allocation.c.amount).where(
                allocation.c.payment_id == paid.id)).all():
            new_id = bind.execute(write_off.insert().values(
                invoice_id=invoice_id, payment_id=None, written_on=paid.received_on, amount=amount,
                kind='transfer_fee', account=ACCOUNT, note=paid.note or '', created_at=paid.created_at,
                created_by=paid.created_by or '', updated_at=now, updated_by='migration 0011')).inserted_primary_key[0]
            for batch in batches:
                bind.execute(mark.insert().values(batch_id=batch, record_key=f"write_off:{new_id}"))
        held = bind.execute(sa.select(sa.func.count()).select_from(receipt).where(
            receipt.c.payment_id == paid.id)).scalar()
        if held:
            bind.execute(payment.update().where(payment.c.id == paid.id).values(
                reversed=True, reversal_reason=REASON, reversed_at=now, reversed_by='migration 0011'))
            bind.execute(receipt.update().where(receipt.c.payment_id == paid.id).values(
                cancelled_at=now, cancel_reason=REASON))
        else:
            bind.execute(allocation.delete().where(allocation.c.payment_id == paid.id))
            bind.execute(payment.delete().where(payment.c.id == paid.id))


def downgrade() -> None:
    with op.batch_alter_table('write_off', schema=None) as batch_op:
        batch_op.drop_column('note')
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
