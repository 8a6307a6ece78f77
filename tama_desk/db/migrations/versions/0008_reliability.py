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

# Copied from db.guards as they were at this revision (a migration does not read live code): the columns an issued
# invoice may never change, and the messages db.engine.translate_error recognises.
FROZEN_FIELDS = ("number", "fiscal_year", "sequence", "kind", "member_id", "recipient_name", "issue_date",
                 "due_date", "total", "snapshot", "billed_year", "purpose", "client_id", "contract_id", "milestone_id",
                 "contract_stage")
FROZEN = "issued document is frozen"
APPEND_ONLY = "audit log is append-only"
_CHANGED = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in FROZEN_FIELDS)
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS invoice_frozen BEFORE UPDATE ON invoice WHEN {_CHANGED}
BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS invoice_no_delete BEFORE DELETE ON invoice
BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS invoice_line_frozen BEFORE UPDATE ON invoice_line
BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS invoice_line_no_delete BEFORE DELETE ON invoice_line
BEGIN SELECT RAISE(ABORT, '{FROZEN}'); END""",
    # The audit log is append-only: an entry may only be sealed (chain_seq set once), never changed or deleted.
    f"""CREATE TRIGGER IF NOT EXISTS audit_log_sealed BEFORE UPDATE ON audit_log WHEN OLD.chain_seq IS NOT NULL
BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS invoice_frozen", "DROP TRIGGER IF EXISTS invoice_no_delete",
               "DROP TRIGGER IF EXISTS invoice_line_frozen", "DROP TRIGGER IF EXISTS invoice_line_no_delete",
               "DROP TRIGGER IF EXISTS audit_log_sealed", "DROP TRIGGER IF EXISTS audit_log_no_delete"]
_PG_CHANGED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in FROZEN_FIELDS)
POSTGRES_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION tama_invoice_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'audit_log' THEN
    IF TG_OP = 'DELETE' OR OLD.chain_seq IS NOT NULL THEN
      RAISE EXCEPTION '{APPEND_ONLY}';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' OR TG_TABLE_NAME = 'invoice_line' OR ({_PG_CHANGED}) THEN
    RAISE EXCEPTION '{FROZEN}';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER invoice_frozen BEFORE UPDATE OR DELETE ON invoice "
    "FOR EACH ROW EXECUTE FUNCTION tama_invoice_frozen()",
    "CREATE TRIGGER invoice_line_frozen BEFORE UPDATE OR DELETE ON invoice_line "
    "FOR EACH ROW EXECUTE FUNCTION tama_invoice_frozen()",
    "CREATE TRIGGER audit_log_sealed BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION tama_invoice_frozen()",
]
POSTGRES_DROP = ["DROP TRIGGER IF EXISTS audit_log_sealed ON audit_log",
                 "DROP TRIGGER IF EXISTS invoice_frozen ON invoice",
                 "DROP TRIGGER IF EXISTS invoice_line_frozen ON invoice_line",
                 "DROP FUNCTION IF EXISTS tama_invoice_frozen()"]

VERSIONED = ('association_profile', 'membership_type', 'member', 'contact', 'fee_schedule', 'invoice', 'payment',
             'bank_mapping', 'grant_project', 'grant_budget', 'grant_budget_change', 'grant_expenditure')


def upgrade() -> None:
    from tama_desk.services import audit  # seals the entries so that today's `audit verify` accepts them

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
    for statement in POSTGRES_TRIGGERS if connection.dialect.name == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for statement in POSTGRES_DROP if op.get_bind().dialect.name == "postgresql" else SQLITE_DROP:
        op.execute(statement)
    op.drop_table('audit_chain_head')
    op.drop_index(op.f('ix_audit_log_chain_seq'), table_name='audit_log')
    with op.batch_alter_table('audit_log') as batch_op:
        for name in ('entry_hash', 'record_hash', 'prev_hash', 'chain_seq'):
            batch_op.drop_column(name)
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('version')
