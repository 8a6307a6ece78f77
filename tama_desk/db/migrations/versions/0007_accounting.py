"""accounting

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from tama_desk.db.migration_steps import audit_columns


revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('accounting_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=80), nullable=False),
    sa.Column('account', sa.String(length=100), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_account')),
    sa.UniqueConstraint('role', name=op.f('uq_accounting_account_role'))
    )
    op.create_table('accounting_export_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('entry_count', sa.BigInteger(), nullable=False),
    sa.Column('row_count', sa.BigInteger(), nullable=False),
    sa.Column('debit_total', sa.BigInteger(), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('again', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_export_batch'))
    )
    with op.batch_alter_table('accounting_export_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_export_batch_format'), ['format'], unique=False)

    op.create_table('accounting_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_in_memo', sa.Boolean(), nullable=False),
    sa.Column('known_accounts', sa.Text(), nullable=False),
    sa.Column('annual_fixed_costs', sa.BigInteger(), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_settings'))
    )
    op.create_table('debit_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('bank_code', sa.String(length=4), nullable=False),
    sa.Column('bank_name', sa.String(length=15), nullable=False),
    sa.Column('branch_code', sa.String(length=3), nullable=False),
    sa.Column('branch_name', sa.String(length=15), nullable=False),
    sa.Column('account_type', sa.String(length=1), nullable=False),
    sa.Column('account_number', sa.String(length=7), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debit_client'))
    )
    op.create_table('debit_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asked_date', sa.Date(), nullable=False),
    sa.Column('debit_date', sa.Date(), nullable=False),
    sa.Column('record_count', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debit_request'))
    )
    with op.batch_alter_table('debit_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_debit_request_debit_date'), ['debit_date'], unique=False)

    op.create_table('accounting_export_mark',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('record_key', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['accounting_export_batch.id'], name=op.f('fk_accounting_export_mark_batch_id_accounting_export_batch'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounting_export_mark')),
    sa.UniqueConstraint('batch_id', 'record_key', name=op.f('uq_accounting_export_mark_batch_id'))
    )
    with op.batch_alter_table('accounting_export_mark', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounting_export_mark_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_accounting_export_mark_record_key'), ['record_key'], unique=False)

    op.create_table('grant_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['grant_id'], ['grant_project.id'], name=op.f('fk_grant_receipt_grant_id_grant_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_receipt'))
    )
    with op.batch_alter_table('grant_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_receipt_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_receipt_received_on'), ['received_on'], unique=False)

    op.create_table('debit_mandate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('bank_code', sa.String(length=4), nullable=False),
    sa.Column('bank_name', sa.String(length=15), nullable=False),
    sa.Column('branch_code', sa.String(length=3), nullable=False),
    sa.Column('branch_name', sa.String(length=15), nullable=False),
    sa.Column('account_type', sa.String(length=1), nullable=False),
    sa.Column('account_number', sa.String(length=7), nullable=False),
    sa.Column('holder', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('first_debit_done', sa.Boolean(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_debit_mandate_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debit_mandate')),
    sa.UniqueConstraint('member_id', name=op.f('uq_debit_mandate_member_id'))
    )
    op.create_table('debit_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('mandate_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('customer_number', sa.String(length=20), nullable=False),
    sa.Column('new_code', sa.String(length=1), nullable=False),
    sa.Column('result_code', sa.String(length=1), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_debit_record_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['mandate_id'], ['debit_mandate.id'], name=op.f('fk_debit_record_mandate_id_debit_mandate')),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_debit_record_payment_id_payment')),
    sa.ForeignKeyConstraint(['request_id'], ['debit_request.id'], name=op.f('fk_debit_record_request_id_debit_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_debit_record'))
    )
    with op.batch_alter_table('debit_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_debit_record_customer_number'), ['customer_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_debit_record_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_debit_record_mandate_id'), ['mandate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_debit_record_request_id'), ['request_id'], unique=False)
        batch_op.create_index('uq_debit_record_open_invoice', ['invoice_id'], unique=True, sqlite_where=sa.text('result_code IS NULL'), postgresql_where=sa.text('result_code IS NULL'))



def downgrade() -> None:
    with op.batch_alter_table('debit_record', schema=None) as batch_op:
        batch_op.drop_index('uq_debit_record_open_invoice', sqlite_where=sa.text('result_code IS NULL'), postgresql_where=sa.text('result_code IS NULL'))
        batch_op.drop_index(batch_op.f('ix_debit_record_request_id'))
        batch_op.drop_index(batch_op.f('ix_debit_record_mandate_id'))
        batch_op.drop_index(batch_op.f('ix_debit_record_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_debit_record_customer_number'))

    op.drop_table('debit_record')
    op.drop_table('debit_mandate')
    with op.batch_alter_table('grant_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_receipt_received_on'))
        batch_op.drop_index(batch_op.f('ix_grant_receipt_grant_id'))

    op.drop_table('grant_receipt')
    with op.batch_alter_table('accounting_export_mark', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_export_mark_record_key'))
        batch_op.drop_index(batch_op.f('ix_accounting_export_mark_batch_id'))

    op.drop_table('accounting_export_mark')
    with op.batch_alter_table('debit_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_debit_request_debit_date'))

    op.drop_table('debit_request')
    op.drop_table('debit_client')
    op.drop_table('accounting_settings')
    with op.batch_alter_table('accounting_export_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounting_export_batch_format'))

    op.drop_table('accounting_export_batch')
    op.drop_table('accounting_account')
