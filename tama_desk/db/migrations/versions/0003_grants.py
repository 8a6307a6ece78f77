"""grants

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from tama_desk.db.migration_steps import audit_columns


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('expense_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense_category')),
    sa.UniqueConstraint('name', name=op.f('uq_expense_category_name'))
    )
    op.create_table('grant_project',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('programme', sa.String(length=200), nullable=False),
    sa.Column('grantor', sa.String(length=200), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('decision_number', sa.String(length=100), nullable=False),
    sa.Column('decision_date', sa.Date(), nullable=True),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('applied_amount', sa.Integer(), nullable=False),
    sa.Column('decided_amount', sa.Integer(), nullable=False),
    sa.Column('rate', sa.String(length=20), nullable=False),
    sa.Column('formula', sa.String(length=10), nullable=False),
    sa.Column('decided_eligible_cost', sa.Integer(), nullable=False),
    sa.Column('rounding_unit', sa.Integer(), nullable=False),
    sa.Column('tax_basis', sa.String(length=10), nullable=False),
    sa.Column('reallocation_limit', sa.String(length=20), nullable=False),
    sa.Column('advance_paid', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_project'))
    )
    with op.batch_alter_table('grant_project', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_project_fiscal_year'), ['fiscal_year'], unique=False)

    op.create_table('grant_budget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('planned', sa.Integer(), nullable=False),
    sa.Column('eligible_planned', sa.Integer(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['grant_id'], ['grant_project.id'], name=op.f('fk_grant_budget_grant_id_grant_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_budget')),
    sa.UniqueConstraint('grant_id', 'category', name=op.f('uq_grant_budget_grant_id'))
    )
    with op.batch_alter_table('grant_budget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_budget_grant_id'), ['grant_id'], unique=False)

    op.create_table('grant_budget_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('from_category', sa.String(length=50), nullable=False),
    sa.Column('to_category', sa.String(length=50), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('change_date', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['grant_id'], ['grant_project.id'], name=op.f('fk_grant_budget_change_grant_id_grant_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_budget_change'))
    )
    with op.batch_alter_table('grant_budget_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_budget_change_grant_id'), ['grant_id'], unique=False)

    op.create_table('grant_expenditure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('voucher_number', sa.String(length=50), nullable=False),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('contract_date', sa.Date(), nullable=True),
    sa.Column('payment_date', sa.Date(), nullable=False),
    sa.Column('payee', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('tax', sa.Integer(), nullable=False),
    sa.Column('eligible_amount', sa.Integer(), nullable=False),
    sa.Column('ineligible_reason', sa.String(length=300), nullable=False),
    sa.Column('attachment_path', sa.String(length=300), nullable=False),
    sa.Column('attachment_name', sa.String(length=200), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['grant_id'], ['grant_project.id'], name=op.f('fk_grant_expenditure_grant_id_grant_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_expenditure')),
    sa.UniqueConstraint('grant_id', 'voucher_number', name=op.f('uq_grant_expenditure_grant_id'))
    )
    with op.batch_alter_table('grant_expenditure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_expenditure_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_expenditure_grant_id'), ['grant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_expenditure_payment_date'), ['payment_date'], unique=False)
    categories = sa.table("expense_category", sa.column("name"), sa.column("sort_order"))
    op.bulk_insert(categories, [{"name": name, "sort_order": order} for order, name in enumerate(
        ["謝金", "旅費", "会議費", "借料及び損料", "委託費", "印刷製本費", "通信運搬費", "広報費", "人件費", "消耗品費",
         "その他"], start=1)])


def downgrade() -> None:
    with op.batch_alter_table('grant_expenditure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_expenditure_payment_date'))
        batch_op.drop_index(batch_op.f('ix_grant_expenditure_grant_id'))
        batch_op.drop_index(batch_op.f('ix_grant_expenditure_category'))

    op.drop_table('grant_expenditure')
    with op.batch_alter_table('grant_budget_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_budget_change_grant_id'))

    op.drop_table('grant_budget_change')
    with op.batch_alter_table('grant_budget', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_budget_grant_id'))

    op.drop_table('grant_budget')
    with op.batch_alter_table('grant_project', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_project_fiscal_year'))

    op.drop_table('grant_project')
    op.drop_table('expense_category')
