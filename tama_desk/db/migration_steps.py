"""What the migration scripts share: mechanism only. The values a revision uses (code lists, column names,
trigger bodies) are copied into its own file, so that it means the same whatever the live code says later.

It lives here, not in db/migrations/, because the Windows build ships that folder as plain files (Alembic loads
the scripts by path) while this module is imported like the rest of the package.

SQLite cannot add a constraint to a table, so a table gets its CHECK constraints by a rebuild (alembic batch:
create the new table, copy the rows, drop the old one, rename). `db.engine.upgrade/downgrade` switch foreign
keys off before the transaction begins (inside one the pragma is ignored, and dropping a parent table would fire
ON DELETE CASCADE and empty its children) and run PRAGMA foreign_key_check before the commit. Indexes are
re-created by the batch; triggers, which a DROP TABLE removes, are saved and re-created by `rebuild`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import sqlalchemy as sa
from alembic import op


def audit_columns() -> list[sa.Column]:
    """The four columns every Audited table carries (models.Audited), as the revisions create them."""
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('created_by', sa.String(length=100), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False),
            sa.Column('updated_by', sa.String(length=100), nullable=False)]


def in_list(column: str, codes: Iterable) -> str:
    """The SQL of a CHECK constraint allowing exactly these codes: `status IN ('a', 'b')` (`level IN (1, 2)`)."""
    def literal(code) -> str:
        return str(int(code)) if isinstance(code, int) else "'" + str(code).replace("'", "''") + "'"

    return f"{column} IN ({', '.join(literal(code) for code in codes)})"


def require_foreign_keys_off(revision: str) -> None:
    """Stop before a rebuild that would cascade (the script run by hand, outside db.engine)."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(f"{revision} rebuilds tables: run it through tama_desk.db.engine.migrate, which switches "
                           "SQLite foreign keys off before the transaction (a DROP would cascade otherwise)")


# Names for the constraints SQLite reflects without one (a REFERENCES added by ALTER TABLE … ADD COLUMN in 0005):
# the rebuilt table keeps the names the models give them.
UNNAMED_FOREIGN_KEYS = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def rebuild(table: str, change: Callable) -> None:
    """SQLite: `change(batch)` on a copy of `table` that replaces it; its triggers are re-created afterwards."""
    bind = op.get_bind()
    triggers = [sql for (sql,) in bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))]
    with op.batch_alter_table(table, recreate="always", naming_convention=UNNAMED_FOREIGN_KEYS) as batch:
        change(batch)
    for sql in triggers:
        bind.exec_driver_sql(sql)


def _by_table(checks: Mapping[tuple[str, str], Iterable]) -> dict[str, list[tuple[str, Iterable]]]:
    tables: dict[str, list[tuple[str, Iterable]]] = {}
    for (table, column), codes in checks.items():
        tables.setdefault(table, []).append((column, codes))
    return tables


def _name(table: str, column: str):
    return op.f(f"ck_{table}_{column}")


def _each_column(revision: str, checks, on_batch: Callable, in_place: Callable) -> None:
    require_foreign_keys_off(revision)
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in _by_table(checks).items():
        if sqlite:
            rebuild(table, lambda batch, table=table, columns=columns: [
                on_batch(batch, _name(table, column), column, codes) for column, codes in columns])
        else:
            for column, codes in columns:
                in_place(_name(table, column), table, column, codes)


def add_checks(revision: str, checks: Mapping[tuple[str, str], Iterable]) -> None:
    """One CHECK constraint `ck_<table>_<column>` per (table, column): codes (a rebuild per table on SQLite)."""
    _each_column(revision, checks,
                 lambda batch, name, column, codes: batch.create_check_constraint(name, sa.text(in_list(column, codes))),
                 lambda name, table, column, codes: op.create_check_constraint(name, table, in_list(column, codes)))


def drop_checks(revision: str, checks: Mapping[tuple[str, str], Iterable]) -> None:
    _each_column(revision, checks,
                 lambda batch, name, _column, _codes: batch.drop_constraint(name, type_="check"),
                 lambda name, table, _column, _codes: op.drop_constraint(name, table, type_="check"))
