"""fee documents: reminders sent, write-offs (手数料差引), the write-off and 収入印紙 settings

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

An existing database gets 手数料差引を自動で処理する switched OFF (the office turns it on when it wants it);
a new one (empty: no members, no invoices, no name in the profile) gets it on.
"""

import sqlalchemy as sa
from alembic import op

from tama_desk.db.migration_steps import audit_columns


revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminder_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_reminder_sent_invoice_id_invoice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sent')),
    )
    with op.batch_alter_table('reminder_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_sent_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_sent_sent_on'), ['sent_on'], unique=False)
    op.create_table('write_off',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('written_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('account', sa.String(length=40), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_write_off_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_write_off_payment_id_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_off')),
    )
    with op.batch_alter_table('write_off', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_write_off_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_write_off_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_write_off_written_on'), ['written_on'], unique=False)
    with op.batch_alter_table('association_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('write_off_auto', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('write_off_limit', sa.BigInteger(), nullable=False, server_default='880'))
        batch_op.add_column(sa.Column('stamp_duty', sa.String(length=20), nullable=False, server_default='exempt'))
    # 0001 seeds the profile row, so a brand-new database has one too: it is told apart by being empty
    op.execute("UPDATE association_profile SET write_off_auto = " + ("1" if op.get_bind().dialect.name == "sqlite"
               else "true") + " WHERE name = '' AND NOT EXISTS (SELECT 1 FROM member) "
               "AND NOT EXISTS (SELECT 1 FROM invoice)")


def downgrade() -> None:
    with op.batch_alter_table('association_profile', schema=None) as batch_op:
        batch_op.drop_column('stamp_duty')
        batch_op.drop_column('write_off_limit')
        batch_op.drop_column('write_off_auto')
    op.drop_table('write_off')
    op.drop_table('reminder_sent')
