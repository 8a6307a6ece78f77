"""Moving every table between databases: SQLite ⇄ PostgreSQL (`transfer --to URL`), the portable copy inside
a PostgreSQL backup archive, and the load step of a restore.

Tables are read by reflection (what the database holds, at whatever revision it is), copied in
foreign-key order, in chunks; `alembic_version` is never copied (the target is migrated to the same revision).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Connection, Engine, MetaData, func, insert, select, text

from tama_desk.db import engine as engine_module
from tama_desk.db import guards
from tama_desk.db.engine import Database, make_engine
from tama_desk.errors import UserError

CHUNK = 2000
SKIPPED = {"alembic_version"}
# Tables that hold user data: a transfer target must have none of these rows.
USER_TABLES = ("member", "invoice", "payment", "grant_project")


def reflected(connection: Connection) -> list:
    metadata = MetaData()
    metadata.reflect(bind=connection)
    return [table for table in metadata.sorted_tables if table.name not in SKIPPED]


def _rows(connection: Connection, table) -> Iterator[list[dict]]:
    order = [column for column in table.primary_key.columns] or list(table.columns)[:1]
    result = connection.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order))
    for chunk in result.mappings().partitions(CHUNK):
        yield [dict(row) for row in chunk]


def fingerprints(engine: Engine) -> dict[str, tuple[int, str]]:
    """Every table: (rows, SHA-256 of its rows in key order) — to compare two databases' content."""
    import hashlib

    result = {}
    with engine.connect().execution_options(tama_desk_reading=True) as connection:
        for table in reflected(connection):
            digest, count = hashlib.sha256(), 0
            for chunk in _rows(connection, table):
                for row in chunk:
                    digest.update(repr(tuple(row.values())).encode())
                    count += 1
            result[table.name] = (count, digest.hexdigest())
    return result


def row_counts(connection: Connection) -> dict[str, int]:
    return {table.name: connection.scalar(select(func.count()).select_from(table)) for table in reflected(connection)}


def _without_triggers(connection: Connection):
    """Invoice triggers refuse DELETE; a restore replaces everything, so they are set aside meanwhile."""
    if connection.dialect.name == "postgresql":
        names = [t.name for t in reflected(connection)]
        guarded = [name for name in ("invoice", "invoice_line", "audit_log", *guards.RETENTION_TABLES) if name in names]
        for name in guarded:
            connection.exec_driver_sql(f"ALTER TABLE {name} DISABLE TRIGGER USER")
        return lambda: [connection.exec_driver_sql(f"ALTER TABLE {name} ENABLE TRIGGER USER") for name in guarded]
    triggers = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return lambda: [connection.exec_driver_sql(sql) for _name, sql in triggers]


def replace_all(target: Connection, tables_rows) -> dict[str, int]:
    """Empty every table of `target` and fill it from `tables_rows` (name → iterator of row chunks)."""
    tables = reflected(target)
    restore_triggers = _without_triggers(target)
    for table in reversed(tables):
        target.execute(table.delete())
    counts = {}
    for table in tables:
        columns = {column.name for column in table.columns}
        counts[table.name] = 0
        for chunk in tables_rows(table.name):
            rows = [{key: value for key, value in row.items() if key in columns} for row in chunk]
            if rows:
                target.execute(insert(table), rows)
                counts[table.name] += len(rows)
    restore_triggers()
    if target.dialect.name == "postgresql":
        for table in tables:
            if "id" in table.columns and table.columns["id"].autoincrement in (True, "auto"):
                target.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return counts


def copy_database(source: Engine, target: Engine) -> dict[str, int]:
    """Every row of `source` into `target` (same revision), in one transaction of the target."""
    with source.connect() as reader, _write_connection(target) as writer:
        by_name = {table.name: table for table in reflected(reader)}
        copied = replace_all(writer, lambda name: _rows(reader, by_name[name]) if name in by_name else iter(()))
        for name, table in by_name.items():  # checked before the commit: a short copy is never kept
            expected = reader.scalar(select(func.count()).select_from(table))
            if copied.get(name) != expected:
                raise UserError("表 {table} を移せませんでした（{found} / {expected} 行）。何も書き込んでいません",
                                table=name, found=copied.get(name, 0), expected=expected)
        return copied


class _write_connection:
    """A transaction on `engine`; SQLite's foreign keys off meanwhile (rows arrive table by table)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def __enter__(self) -> Connection:
        self.connection = self.engine.connect()
        if self.engine.dialect.name == "sqlite":
            self.connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        self.transaction = self.connection.begin()
        return self.connection

    def __exit__(self, kind, value, _traceback) -> None:
        try:
            if kind is None:
                self.transaction.commit()
            else:
                self.transaction.rollback()
        finally:
            if self.engine.dialect.name == "sqlite":
                self.connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")
            self.connection.close()


def transfer(db: Database, target_url: str) -> dict[str, int]:
    """Copy this database into another (an empty one, migrated here first): moving from the local file to a
    shared PostgreSQL server, or back. The source is not changed."""
    target_engine = make_engine(target_url)
    try:
        engine_module.upgrade(target_engine, "head")
        with target_engine.connect() as connection:
            names = {t.name for t in reflected(connection)}
            busy = [name for name in USER_TABLES if name in names
                    and connection.scalar(select(func.count()).select_from(text(name)))]
        if busy:
            raise UserError("移行先のデータベースには既にデータがあります（{tables}）。空のデータベースを指定してください",
                            tables=", ".join(busy))
        return copy_database(db.engine, target_engine)
    finally:
        target_engine.dispose()


# The portable copy (JSON lines, one file per table) written into a PostgreSQL backup archive.

def encode(value):
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):  # meeting start/end, arrival/departure
        return {"t": value.isoformat()}
    if isinstance(value, (bytes, memoryview)):
        return {"b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def decode(value):
    if isinstance(value, dict):
        if "dt" in value:
            return datetime.fromisoformat(value["dt"])
        if "d" in value:
            return date.fromisoformat(value["d"])
        if "t" in value:
            return time.fromisoformat(value["t"])
        if "b" in value:
            return base64.b64decode(value["b"])
        if "n" in value:
            return Decimal(value["n"])
    return value


def dump_lines(connection: Connection) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(table name, its rows as JSON lines) for every table."""
    for table in reflected(connection):
        def lines(table=table) -> Iterator[bytes]:
            for chunk in _rows(connection, table):
                for row in chunk:
                    yield (json.dumps({k: encode(v) for k, v in row.items()}, ensure_ascii=False) + "\n").encode()
        yield table.name, lines()


def parse_lines(data: bytes) -> Iterator[list[dict]]:
    chunk = []
    for line in data.decode("utf-8").splitlines():
        if line.strip():
            chunk.append({k: decode(v) for k, v in json.loads(line).items()})
            if len(chunk) >= CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk
