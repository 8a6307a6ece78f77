"""optimistic locking in the newer areas (version columns) and retention triggers

Revision ID: 0016
Revises: 0010
Create Date: 2026-12-01

Every record users edit in contracts, meetings and accounting gets a version (a save over a newer change is
refused, db.guards.StaleEditError). Deleting an accounting record inside its retention period (ten years from
the end of its fiscal year, April–March) or of a meeting that took place (or whose day has come) inside ten years is refused by a trigger.
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0013'
branch_labels = None
depends_on = None

VERSIONED = ('client', 'contract', 'contract_milestone', 'contract_deliverable', 'contract_cost', 'meeting',
             'meeting_participant', 'meeting_item', 'action_item', 'matching_pairing', 'matching_follow_up',
             'meeting_settings', 'accounting_account', 'accounting_settings', 'debit_client', 'debit_mandate')
RETENTION_MESSAGE = 'record is within its retention period'  # db.guards.RETENTION_MESSAGE
RETENTION_DATES = {'payment': 'received_on', 'receipt': 'issue_date', 'grant_expenditure': 'payment_date',
                   'grant_receipt': 'received_on', 'write_off': 'written_on', 'accounting_export_batch': 'period_end'}
RETENTION_TABLES = (*RETENTION_DATES, 'meeting')


def _triggers(dialect: str) -> list[str]:
    if dialect == "postgresql":  # nested IFs: plpgsql does not short-circuit AND, and OLD lacks other columns
        kept = "(date_trunc('year', OLD.{column} - interval '3 months') + interval '11 years 3 months' " \
               "- interval '1 day')::date >= current_date"
        checks = "\n".join(f"  IF TG_TABLE_NAME = '{table}' THEN\n    IF {kept.format(column=column)} THEN\n"
                           f"      RAISE EXCEPTION '{RETENTION_MESSAGE}';\n    END IF;\n  END IF;"
                           for table, column in RETENTION_DATES.items())
        return [f"""CREATE OR REPLACE FUNCTION tama_retention() RETURNS trigger AS $$
BEGIN
{checks}
  IF TG_TABLE_NAME = 'meeting' THEN
    IF (OLD.status <> '予定' OR OLD.day <= current_date)
       AND COALESCE(OLD.retention_until, OLD.day + interval '10 years') >= current_date THEN
      RAISE EXCEPTION '{RETENTION_MESSAGE}';
    END IF;
  END IF;
  RETURN OLD;
END $$ LANGUAGE plpgsql""", *(f"CREATE TRIGGER {table}_retention BEFORE DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION tama_retention()" for table in RETENTION_TABLES)]
    kept = "date(OLD.{column}, '-3 months', 'start of year', '+11 years', '+3 months', '-1 day') >= date('now')"
    return [*(f"CREATE TRIGGER IF NOT EXISTS {table}_retention BEFORE DELETE ON {table} "
              f"WHEN {kept.format(column=column)}\nBEGIN SELECT RAISE(ABORT, '{RETENTION_MESSAGE}'); END"
              for table, column in RETENTION_DATES.items()),
            "CREATE TRIGGER IF NOT EXISTS meeting_retention BEFORE DELETE ON meeting WHEN (OLD.status <> '予定' "
            "OR OLD.day <= date('now')) AND COALESCE(OLD.retention_until, date(OLD.day, '+10 years')) >= date('now')\n"
            f"BEGIN SELECT RAISE(ABORT, '{RETENTION_MESSAGE}'); END"]


def _drops(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [*(f"DROP TRIGGER IF EXISTS {table}_retention ON {table}" for table in RETENTION_TABLES),
                "DROP FUNCTION IF EXISTS tama_retention()"]
    return [f"DROP TRIGGER IF EXISTS {table}_retention" for table in RETENTION_TABLES]


def upgrade() -> None:
    for table in VERSIONED:
        op.add_column(table, sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    for statement in _triggers(op.get_bind().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in _drops(op.get_bind().dialect.name):
        op.execute(statement)
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('version')
