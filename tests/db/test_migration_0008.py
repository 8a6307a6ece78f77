"""Migration 0008 seals the audit entries written before the chain with its own copy of the sealing code (a
migration never imports live app code): the hashes it writes are those today's `audit verify` recomputes."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import text

from tama_desk.db import engine as engine_module
from tama_desk.services import audit

MIGRATIONS = Path(engine_module.__file__).parent / "migrations" / "versions"


def chain(database) -> list[tuple]:
    with database.engine.connect() as connection:
        return connection.execute(text(
            "SELECT id, chain_seq, prev_hash, record_hash, entry_hash FROM audit_log ORDER BY id")).all()


def first_minutes_entry(database) -> int:
    """The id of the first 議事録確定 entry: its minutes' hash is newer than 0008 (the app seals it since
    the minutes were hashed, a version after 0008), so 0008 seals it without one and the chain differs from there on."""
    with database.engine.connect() as connection:
        return connection.execute(text("SELECT min(id) FROM audit_log WHERE entity = 'meeting' AND action = 'issue'"
                                       )).scalar() or 10**9


def test_a_database_upgraded_through_0008_verifies_with_todays_audit_check(demo_db):
    sealed_by_the_app = chain(demo_db)
    minutes = first_minutes_entry(demo_db)
    assert len(sealed_by_the_app) > 100 and any(row[3] for row in sealed_by_the_app)  # invoices' record hashes
    engine_module.downgrade(demo_db.engine, "0006")  # before the chain: its columns are dropped
    engine_module.upgrade(demo_db.engine, "head")
    with demo_db.transaction() as session:
        entries, documents, broken = audit.verify(session)
    assert broken is None and entries == len(sealed_by_the_app) and documents > 100
    # byte-identical: the demo was sealed by services.audit one transaction after another, in id order
    before = [row for row in sealed_by_the_app if row[0] < minutes]
    assert len(before) > 100 and [row for row in chain(demo_db) if row[0] < minutes] == before


def test_no_migration_imports_live_app_code():
    """Only db.migration_steps (mechanism, no values) may be imported by a revision."""
    wrong = []
    for path in sorted(MIGRATIONS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            wrong += [f"{path.name}:{node.lineno} {name}" for name in names
                      if name.startswith("tama_desk") and name != "tama_desk.db.migration_steps"]
    assert wrong == []
