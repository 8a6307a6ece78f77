"""receipts: issued 領収書, numbered and frozen

Revision ID: 0009
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from tama_desk.db.migration_steps import audit_columns


revision = '0009'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('deposit', sa.BigInteger(), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_receipt_member_id_member')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_receipt_payment_id_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt')),
    sa.UniqueConstraint('fiscal_year', 'sequence', name=op.f('uq_receipt_fiscal_year')),
    sa.UniqueConstraint('number', name=op.f('uq_receipt_number')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_receipt_payment_id'))
    )
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_fiscal_year'), ['fiscal_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_issue_date'), ['issue_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_member_id'), ['member_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_member_id'))
        batch_op.drop_index(batch_op.f('ix_receipt_issue_date'))
        batch_op.drop_index(batch_op.f('ix_receipt_fiscal_year'))
    op.drop_table('receipt')
