"""the statement matcher's name keys kept with the member

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01

member.match_keys holds the keys the statement matcher (domain.matching.stored_keys) works out from the
member's payer names, with the rule version and the names they were made from. Added empty: the app fills a
member's keys when it saves the member or first matches a statement against its invoices (a text of another
version or of other names is never used, so nothing here depends on the app's code).
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('member', sa.Column('match_keys', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('member') as batch_op:
        batch_op.drop_column('match_keys')
