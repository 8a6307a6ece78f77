"""an index on audit_log (entity, entity_id): a record's history

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01

A contract's or an invoice's detail shows its history (services.audit.history); without this index each showing
scanned the whole audit log, which at ten-year scale holds about 170,000 entries (0.05 s and growing).
"""

from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_audit_log_entity', 'audit_log', ['entity', 'entity_id'])


def downgrade() -> None:
    op.drop_index('ix_audit_log_entity', table_name='audit_log')
