"""reliability: version columns (optimistic locking), the audit hash chain, frozen-invoice triggers

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None

VERSIONED = ('association_profile', 'membership_type', 'member', 'contact', 'fee_schedule', 'invoice', 'payment',
             'bank_mapping', 'grant_project', 'grant_budget', 'grant_budget_change', 'grant_expenditure')


def upgrade() -> None:
    from tama_desk.db import guards
    from tama_desk.services import audit

    for table in VERSIONED:
        op.add_column(table, sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    op.add_column('audit_log', sa.Column('chain_seq', sa.Integer(), nullable=True))
    for name in ('prev_hash', 'record_hash', 'entry_hash'):
        op.add_column('audit_log', sa.Column(name, sa.String(length=64), server_default='', nullable=False))
    op.create_index(op.f('ix_audit_log_chain_seq'), 'audit_log', ['chain_seq'], unique=True)
    op.create_table('audit_chain_head',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('seq', sa.Integer(), nullable=False),
                    sa.Column('entry_hash', sa.String(length=64), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head')))
    connection = op.get_bind()
    connection.execute(sa.text("INSERT INTO audit_chain_head (id, seq, entry_hash) VALUES (1, 0, '')"))
    ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM audit_log ORDER BY id"))]
    audit.seal_entries(connection, ids)
    for statement in guards.trigger_ddl(connection.dialect.name):
        op.execute(statement)


def downgrade() -> None:
    from tama_desk.db import guards

    for statement in guards.drop_trigger_ddl(op.get_bind().dialect.name):
        op.execute(statement)
    op.drop_table('audit_chain_head')
    op.drop_index(op.f('ix_audit_log_chain_seq'), table_name='audit_log')
    with op.batch_alter_table('audit_log') as batch_op:
        for name in ('entry_hash', 'record_hash', 'prev_hash', 'chain_seq'):
            batch_op.drop_column(name)
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('version')
