"""contract amendments: the period's start before/after, and the milestones an amendment added, removed or changed

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-01

Amendments recorded before this revision could not change the start of the period: both new columns get the
contract's start.
"""

import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contract_amendment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('period_start_before', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('period_start_after', sa.Date(), nullable=True))
    op.execute("UPDATE contract_amendment SET "
               "period_start_before = (SELECT period_start FROM contract WHERE contract.id = contract_id), "
               "period_start_after = (SELECT period_start FROM contract WHERE contract.id = contract_id)")
    op.create_table('contract_amendment_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('change', sa.String(length=10), nullable=False),
    sa.Column('name_before', sa.String(length=200), nullable=False),
    sa.Column('name_after', sa.String(length=200), nullable=False),
    sa.Column('due_before', sa.Date(), nullable=True),
    sa.Column('due_after', sa.Date(), nullable=True),
    sa.Column('amount_before', sa.BigInteger(), nullable=True),
    sa.Column('amount_after', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['contract_amendment.id'],
                            name=op.f('fk_contract_amendment_milestone_amendment_id_contract_amendment'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_amendment_milestone')),
    )
    with op.batch_alter_table('contract_amendment_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_amendment_milestone_amendment_id'), ['amendment_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('contract_amendment_milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_amendment_milestone_amendment_id'))
    op.drop_table('contract_amendment_milestone')
    with op.batch_alter_table('contract_amendment', schema=None) as batch_op:
        batch_op.drop_column('period_start_after')
        batch_op.drop_column('period_start_before')
