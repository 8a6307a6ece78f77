"""reliability: version columns (optimistic locking), the audit hash chain, frozen-invoice triggers

Revision ID: 0008
Revises: 0009
Create Date: 2026-12-01
"""

import hashlib
import json

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

# Copied from services.audit as it was at this revision (seal_entries, entry_digest, document_digest and the
# invoice and receipt recorders): the entries written before the chain existed are sealed here byte for byte as
# today's `audit verify` recomputes them. The columns are typed as the models type them (a DateTime reads back as
# a datetime, whose str() the hash takes).
ENTRY_FIELDS = ("chain_seq", "at", "user", "action", "entity", "entity_id", "summary", "record_hash", "prev_hash")
RECEIPT_FIELDS = ("number", "fiscal_year", "sequence", "payment_id", "member_id", "issue_date", "amount", "deposit",
                  "recipient_name", "snapshot")
_AUDIT_LOG = sa.table('audit_log', sa.column('id', sa.Integer), sa.column('at', sa.DateTime),
                      sa.column('user', sa.String), sa.column('action', sa.String), sa.column('entity', sa.String),
                      sa.column('entity_id', sa.Integer), sa.column('summary', sa.Text),
                      sa.column('chain_seq', sa.Integer), sa.column('prev_hash', sa.String),
                      sa.column('record_hash', sa.String), sa.column('entry_hash', sa.String))
_TYPES = {"fiscal_year": sa.Integer, "sequence": sa.Integer, "member_id": sa.Integer, "payment_id": sa.Integer,
          "billed_year": sa.Integer, "client_id": sa.Integer, "contract_id": sa.Integer, "milestone_id": sa.Integer,
          "total": sa.Integer, "amount": sa.BigInteger, "deposit": sa.BigInteger, "issue_date": sa.Date,
          "due_date": sa.Date, "snapshot": sa.Text}
_DOCUMENTS = {entity: (sa.table(entity, sa.column('id', sa.Integer),
                                *(sa.column(name, _TYPES.get(name, sa.String)) for name in fields)), fields)
              for entity, fields in (("invoice", FROZEN_FIELDS), ("receipt", RECEIPT_FIELDS))}


def _digest(values: dict, fields: tuple[str, ...]) -> str:
    text = json.dumps({name: str(values[name]) for name in fields}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _document_digests(connection, entity: str, ids: list[int]) -> dict[int, str]:
    table, fields = _DOCUMENTS[entity]
    rows = connection.execute(sa.select(table.c.id, *(table.c[name] for name in fields))
                              .where(table.c.id.in_(ids)))
    return {row[0]: _digest(dict(zip(fields, row[1:], strict=True)), fields) for row in rows}


def seal_entries(connection) -> None:
    """Chain every audit entry, in id order, onto the head (seq 0, no hash yet)."""
    table = _AUDIT_LOG
    ids = [row[0] for row in connection.execute(sa.select(table.c.id).order_by(table.c.id))]
    seq, last, updates = 0, "", []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        columns = [table.c.id, *(table.c[name] for name in ENTRY_FIELDS)]
        rows = connection.execute(sa.select(*columns).where(table.c.id.in_(chunk), table.c.chain_seq.is_(None))
                                  .order_by(table.c.id)).mappings().all()
        digests: dict[tuple[str, int], str] = {}
        for entity in _DOCUMENTS:
            wanted = [row["entity_id"] for row in rows if row["entity"] == entity and row["entity_id"]]
            if wanted:
                digests.update({(entity, k): v for k, v in _document_digests(connection, entity, wanted).items()})
        for row in rows:
            seq += 1
            values = dict(row, chain_seq=seq, prev_hash=last,
                          record_hash=digests.get((row["entity"], row["entity_id"]), ""))
            last = _digest(values, ENTRY_FIELDS)
            updates.append({"b_id": row["id"], "b_seq": seq, "b_prev": values["prev_hash"],
                            "b_record": values["record_hash"], "b_hash": last})
    if updates:
        connection.execute(sa.update(table).where(table.c.id == sa.bindparam("b_id")).values(
            chain_seq=sa.bindparam("b_seq"), prev_hash=sa.bindparam("b_prev"), record_hash=sa.bindparam("b_record"),
            entry_hash=sa.bindparam("b_hash")), updates)
    connection.execute(sa.text("UPDATE audit_chain_head SET seq = :seq, entry_hash = :hash WHERE id = 1"),
                       {"seq": seq, "hash": last})


VERSIONED = ('association_profile', 'membership_type', 'member', 'contact', 'fee_schedule', 'invoice', 'payment',
             'bank_mapping', 'grant_project', 'grant_budget', 'grant_budget_change', 'grant_expenditure')


def upgrade() -> None:
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
    seal_entries(connection)  # so that `audit verify` accepts the entries written before the chain
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
