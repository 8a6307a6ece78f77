"""an index on invoice.original_invoice_id (the credit notes of an invoice)

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-01

Every balance (the 会費 list, the ledger, the aging list, the statement matching) sums the credit notes of its
invoices; without this index that is a scan of every invoice of ten years (about 100,000 rows) each time.
"""

from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_invoice_original_invoice_id', 'invoice', ['original_invoice_id'])


def downgrade() -> None:
    op.drop_index('ix_invoice_original_invoice_id', table_name='invoice')
