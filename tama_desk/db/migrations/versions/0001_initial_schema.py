"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

from tama_desk.db.migration_steps import audit_columns


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('association_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('representative_title', sa.String(length=100), nullable=False),
    sa.Column('representative', sa.String(length=100), nullable=False),
    sa.Column('postal_code', sa.String(length=8), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('registration_number', sa.String(length=14), nullable=False),
    sa.Column('bank_name', sa.String(length=100), nullable=False),
    sa.Column('bank_branch', sa.String(length=100), nullable=False),
    sa.Column('bank_account_type', sa.String(length=10), nullable=False),
    sa.Column('bank_account_number', sa.String(length=10), nullable=False),
    sa.Column('bank_account_holder', sa.String(length=100), nullable=False),
    sa.Column('seal_png', sa.LargeBinary(), nullable=True),
    sa.Column('fiscal_year_start_month', sa.Integer(), nullable=False),
    sa.Column('invoice_number_pattern', sa.String(length=50), nullable=False),
    sa.Column('tax_rounding', sa.String(length=10), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_association_profile'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('membership_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('annual_fee', sa.Integer(), nullable=False),
    sa.Column('tax_category', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    *audit_columns(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_type')),
    sa.UniqueConstraint('name', name=op.f('uq_membership_type_name'))
    )
    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kana', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('membership_type_id', sa.Integer(), nullable=False),
    sa.Column('corporate_number', sa.String(length=13), nullable=False),
    sa.Column('registration_number', sa.String(length=14), nullable=False),
    sa.Column('postal_code', sa.String(length=8), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('payer_name', sa.String(length=100), nullable=False),
    sa.Column('join_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_date', sa.Date(), nullable=True),
    sa.Column('withdrawal_reason', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['membership_type_id'], ['membership_type.id'], name=op.f('fk_member_membership_type_id_membership_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member')),
    sa.UniqueConstraint('number', name=op.f('uq_member_number'))
    )
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_kana'), ['kana'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_membership_type_id'), ['membership_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_member_status'), ['status'], unique=False)

    op.create_table('contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('department', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    *audit_columns(),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_contact_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_member_id'), ['member_id'], unique=False)

    _seed()


def _seed() -> None:
    """A new database starts with the profile row and the three usual membership types (all 不課税)."""
    now = datetime.now()
    stamp = {"created_at": now, "created_by": "setup", "updated_at": now, "updated_by": "setup"}
    profile = sa.table(
        "association_profile",
        *(sa.column(name) for name in ("id", "name", "representative_title", "representative", "postal_code",
                                       "address", "phone", "email", "registration_number", "bank_name",
                                       "bank_branch", "bank_account_type", "bank_account_number",
                                       "bank_account_holder", "fiscal_year_start_month",
                                       "invoice_number_pattern", "tax_rounding", *stamp)),
    )
    op.bulk_insert(profile, [{
        "id": 1, "name": "", "representative_title": "会長", "representative": "", "postal_code": "",
        "address": "", "phone": "", "email": "", "registration_number": "", "bank_name": "", "bank_branch": "",
        "bank_account_type": "普通", "bank_account_number": "", "bank_account_holder": "",
        "fiscal_year_start_month": 4, "invoice_number_pattern": "{fy}-{seq:04d}", "tax_rounding": "floor",
        **stamp,
    }])
    types = sa.table(
        "membership_type",
        *(sa.column(name) for name in ("name", "annual_fee", "tax_category", "sort_order", "active", *stamp)),
    )
    op.bulk_insert(types, [
        {"name": name, "annual_fee": fee, "tax_category": "out_of_scope", "sort_order": order, "active": True, **stamp}
        for order, (name, fee) in enumerate([("正会員", 70000), ("賛助会員", 30000), ("特別会員", 0)], start=1)
    ])


def downgrade() -> None:
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_member_id'))

    op.drop_table('contact')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_status'))
        batch_op.drop_index(batch_op.f('ix_member_membership_type_id'))
        batch_op.drop_index(batch_op.f('ix_member_kana'))
        batch_op.drop_index(batch_op.f('ix_member_category'))

    op.drop_table('member')
    op.drop_table('membership_type')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    op.drop_table('association_profile')
