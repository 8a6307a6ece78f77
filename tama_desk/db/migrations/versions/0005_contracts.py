"""contracts

Revision ID: 0005
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from tama_desk.db.migration_steps import audit_columns


revision = '0005'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kana', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('contact_person', sa.String(length=100), nullable=False),
    sa.Column('addressee', sa.String(length=20), nullable=False),
    sa.Column('head_title', sa.String(length=100), nullable=False),
    sa.Column('head_name', sa.String(length=100), nullable=False),
    sa.Column('postal_code', sa.String(length=8), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('payer_name', sa.String(length=100), nullable=False),
    sa.Column('corporate_number', sa.String(length=13), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client'))
    )
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_name'), ['name'], unique=False)

    op.create_table('contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tax_amount', sa.BigInteger(), nullable=False),
    sa.Column('tax_category', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('payment_terms', sa.String(length=20), nullable=False),
    sa.Column('management_fee_rate', sa.String(length=20), nullable=False),
    sa.Column('final_amount', sa.BigInteger(), nullable=True),
    sa.Column('settled_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('inspection_passed', sa.Boolean(), nullable=False),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_contract_client_id_client')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_contract_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract'))
    )
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_fiscal_year'), ['fiscal_year'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_member_id'), ['member_id'], unique=False)

    op.create_table('contract_amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('amended_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('amount_before', sa.BigInteger(), nullable=False),
    sa.Column('amount_after', sa.BigInteger(), nullable=False),
    sa.Column('period_end_before', sa.Date(), nullable=False),
    sa.Column('period_end_after', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_amendment_contract_id_contract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_amendment'))
    )
    with op.batch_alter_table('contract_amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_amendment_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('voucher_number', sa.String(length=50), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('payment_date', sa.Date(), nullable=False),
    sa.Column('payee', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.Column('accounting_ref', sa.String(length=50), nullable=False),
    sa.Column('split_total', sa.BigInteger(), nullable=True),
    sa.Column('split_note', sa.String(length=300), nullable=False),
    sa.Column('attachment_path', sa.String(length=300), nullable=False),
    sa.Column('attachment_name', sa.String(length=200), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_cost_contract_id_contract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_cost')),
    sa.UniqueConstraint('contract_id', 'voucher_number', name=op.f('uq_contract_cost_contract_id'))
    )
    with op.batch_alter_table('contract_cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_cost_accounting_ref'), ['accounting_ref'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_cost_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_cost_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_cost_payment_date'), ['payment_date'], unique=False)

    op.create_table('contract_deliverable',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    *audit_columns(),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_deliverable_contract_id_contract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_deliverable'))
    )
    with op.batch_alter_table('contract_deliverable', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_deliverable_contract_id'), ['contract_id'], unique=False)

    op.create_table('contract_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('inspection_passed', sa.Boolean(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_milestone_contract_id_contract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_milestone')),
    sa.UniqueConstraint('contract_id', 'position', name=op.f('uq_contract_milestone_contract_id'))
    )
    with op.batch_alter_table('contract_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_milestone_contract_id'), ['contract_id'], unique=False)

    # New nullable columns on invoice and payment. On SQLite they are added with ALTER TABLE … ADD COLUMN …
    # REFERENCES, never by a batch table rebuild: with foreign keys on, dropping the old invoice table would
    # fire ON DELETE CASCADE and empty invoice_line.
    new_columns = [('invoice', 'client_id', 'client'), ('invoice', 'contract_id', 'contract'),
                   ('invoice', 'milestone_id', 'contract_milestone'), ('payment', 'client_id', 'client')]
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, column, target in new_columns:
        name = f'fk_{table}_{column}_{target}'
        if sqlite:
            op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES {target} (id)')
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(name, table, target, [column], ['id'])
    op.add_column('invoice', sa.Column('contract_stage', sa.String(length=20), nullable=True))
    op.create_index('ix_invoice_client_id', 'invoice', ['client_id'], unique=False)
    op.create_index('ix_invoice_contract_id', 'invoice', ['contract_id'], unique=False)
    op.create_index('ix_payment_client_id', 'payment', ['client_id'], unique=False)



def downgrade() -> None:
    # A batch rebuild of invoice/payment (SQLite): run it with foreign keys off on a database with data.
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_client_id'))
        batch_op.drop_column('client_id')

    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_contract_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_client_id'))
        batch_op.drop_column('contract_stage')
        batch_op.drop_column('milestone_id')
        batch_op.drop_column('contract_id')
        batch_op.drop_column('client_id')

    with op.batch_alter_table('contract_milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_milestone_contract_id'))

    op.drop_table('contract_milestone')
    with op.batch_alter_table('contract_deliverable', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_deliverable_contract_id'))

    op.drop_table('contract_deliverable')
    with op.batch_alter_table('contract_cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_cost_payment_date'))
        batch_op.drop_index(batch_op.f('ix_contract_cost_contract_id'))
        batch_op.drop_index(batch_op.f('ix_contract_cost_category'))
        batch_op.drop_index(batch_op.f('ix_contract_cost_accounting_ref'))

    op.drop_table('contract_cost')
    with op.batch_alter_table('contract_amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_amendment_contract_id'))

    op.drop_table('contract_amendment')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_member_id'))
        batch_op.drop_index(batch_op.f('ix_contract_fiscal_year'))
        batch_op.drop_index(batch_op.f('ix_contract_client_id'))

    op.drop_table('contract')
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_name'))

    op.drop_table('client')
