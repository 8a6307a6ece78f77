"""checks: every status/kind code column accepts only the codes of its list (domain.choices, as it was then)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

PostgreSQL adds the constraints in place; SQLite rebuilds each table (db.migration_steps explains how, with
foreign keys off and triggers re-created). The codes are copied here from domain.choices as they were at this
revision: a later change to a list needs a revision of its own re-creating that constraint.
"""

from tama_desk.db.migration_steps import add_checks, drop_checks

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

TAX_CATEGORIES = ('standard_10', 'reduced_8', 'exempt', 'out_of_scope')
CHECKS = {
    ('member', 'category'): ('company', 'academic', 'municipality', 'financial', 'support', 'individual', 'overseas'),
    ('member', 'status'): ('active', 'suspended', 'withdrawn'),
    ('membership_type', 'tax_category'): TAX_CATEGORIES,
    ('fee_schedule', 'tax_category'): TAX_CATEGORIES,
    ('invoice_line', 'tax_category'): TAX_CATEGORIES,
    ('association_profile', 'tax_rounding'): ('floor', 'half_up', 'ceil'),
    ('invoice', 'kind'): ('invoice', 'credit_note'),
    ('invoice', 'status'): ('issued', 'cancelled'),
    ('invoice', 'purpose'): ('annual_fee', 'admission_fee', 'event', 'other'),
    ('payment', 'method'): ('transfer', 'direct_debit', 'cash', 'write_off'),
    ('grant_project', 'status'): ('applied', 'decided', 'running', 'reported', 'confirmed', 'settled'),
    ('grant_project', 'formula'): ('rate', 'ratio'),
    ('grant_project', 'tax_basis'): ('excluded', 'included'),
    ('grant_budget_change', 'kind'): ('reallocation', 'approved_change'),
}


def upgrade() -> None:
    add_checks(revision, CHECKS)


def downgrade() -> None:
    drop_checks(revision, CHECKS)
