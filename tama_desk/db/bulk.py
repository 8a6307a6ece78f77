"""Bulk INSERTs that return the new ids in the order of the rows, in batches on every database.

SQLAlchemy's `returning(..., sort_by_parameter_order=True)` runs one INSERT per row on SQLite (it cannot prove
the order of RETURNING there): 10,000 members or invoices were 10,000 statements. On SQLite a table's new
INTEGER PRIMARY KEY is the largest one plus one, row after row, while this transaction holds the write lock, so
the ids of one batched INSERT sorted are the rows' ids in order; they are checked to be consecutive.
PostgreSQL sorts RETURNING in batches itself.
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session


def insert_ids(session: Session, model, rows: list[dict]) -> list[int]:
    """INSERT `rows` into `model` in batches; the new ids in the order of `rows`. None is written as NULL
    (`render_nulls`): else the ORM leaves such a column out and splits the rows by their None values."""
    if not rows:
        return []
    statement = insert(model).execution_options(render_nulls=True)
    if session.get_bind().dialect.name != "sqlite":
        return list(session.scalars(statement.returning(model.id, sort_by_parameter_order=True), rows))
    ids = sorted(session.scalars(statement.returning(model.id), rows))
    if ids != list(range(ids[0], ids[0] + len(rows))):  # never seen: ids not handed out one after another
        raise RuntimeError(f"{model.__tablename__}: the new ids are not consecutive")
    return ids


def insert_rows(session: Session, model, rows: list[dict]) -> None:
    """INSERT `rows` into `model` in batches, None as NULL."""
    if rows:
        session.execute(insert(model).execution_options(render_nulls=True), rows)
