"""checks: every status/kind code column accepts only the codes of its list (domain.choices)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

PostgreSQL adds the constraints in place. SQLite cannot add a constraint to a table, so each table is rebuilt
(alembic batch: create the new table, copy the rows, drop the old one, rename): the caller (db.engine.migrate)
switches foreign keys off before the transaction begins, since inside one the pragma is ignored and dropping a
parent table would fire ON DELETE CASCADE and empty its children, and runs PRAGMA foreign_key_check before the
commit. Indexes are re-created by the batch; triggers, which a DROP TABLE removes, are saved and re-created here.
"""

import sqlalchemy as sa
from alembic import op

from tama_desk.domain.choices import CHECKED_COLUMNS, check_condition

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _by_table() -> dict[str, list[tuple[str, dict[str, str]]]]:
    tables: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for (table, column), codes in CHECKED_COLUMNS.items():
        tables.setdefault(table, []).append((column, codes))
    return tables


def _sqlite_guard(bind) -> None:
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("0004 rebuilds tables: run it through tama_desk.db.engine.migrate, which switches "
                           "SQLite foreign keys off before the transaction (a DROP would cascade otherwise)")


def _rebuild(table: str, change) -> None:
    bind = op.get_bind()
    triggers = [sql for (sql,) in bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))]
    with op.batch_alter_table(table, recreate="always") as batch:
        change(batch)
    for sql in triggers:
        bind.exec_driver_sql(sql)


def _each_table(sqlite_change, other_change) -> None:
    """sqlite_change(batch, table, columns) inside a rebuild; other_change(table, column, codes) in place."""
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        _sqlite_guard(bind)
    for table, columns in _by_table().items():
        if sqlite:
            _rebuild(table, lambda batch, table=table, columns=columns: sqlite_change(batch, table, columns))
        else:
            for column, codes in columns:
                other_change(table, column, codes)


def _name(table: str, column: str):
    return op.f(f"ck_{table}_{column}")


def upgrade() -> None:
    def add(batch, table, columns):
        for column, codes in columns:
            batch.create_check_constraint(_name(table, column), sa.text(check_condition(column, codes)))

    _each_table(add, lambda table, column, codes: op.create_check_constraint(
        _name(table, column), table, check_condition(column, codes)))


def downgrade() -> None:
    def drop(batch, table, columns):
        for column, _codes in columns:
            batch.drop_constraint(_name(table, column), type_="check")

    _each_table(drop, lambda table, column, _codes: op.drop_constraint(_name(table, column), table, type_="check"))
