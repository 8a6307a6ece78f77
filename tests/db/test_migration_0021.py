"""Migration 0021: an index on audit_log (entity, entity_id), so that a record's history is read through it, and
the queries that pick invoices by contract or by corrected invoice use those indexes, not ix_invoice_status."""

from __future__ import annotations

from sqlalchemy import select

from tama_desk.db import engine as engine_module
from tama_desk.db.engine import head_revision
from tama_desk.db.models import AuditLog, Invoice
from tama_desk.services import invoices
from tests.db.test_migrations import row_counts


def plan(db, query) -> str:
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as connection:
        return " ".join(row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}"))


def test_0021_upgrade_from_a_demo_filled_0020_keeps_every_row_and_indexes_the_history(demo_db):
    engine_module.downgrade(demo_db.engine, "0020")
    history = select(AuditLog).where(AuditLog.entity == "invoice", AuditLog.entity_id == 1)
    assert "ix_audit_log_entity" not in plan(demo_db, history) and "SCAN audit_log" in plan(demo_db, history)
    before = row_counts(demo_db.engine)
    assert before["audit_log"] > 0
    engine_module.upgrade(demo_db.engine, "head")
    assert engine_module.current_revision(demo_db.engine) == head_revision()
    assert row_counts(demo_db.engine) == before
    assert "USING INDEX ix_audit_log_entity" in plan(demo_db, history)


def test_issued_invoices_of_some_contracts_are_found_by_the_contract_index_not_the_status(db):
    by_contract = select(Invoice.id).where(Invoice.contract_id.in_([1, 2, 3]), invoices.is_issued())
    assert "ix_invoice_contract_id" in plan(db, by_contract) and "ix_invoice_status" not in plan(db, by_contract)
    plain = select(Invoice.id).where(Invoice.contract_id.in_([1, 2, 3]), Invoice.status == "issued")
    assert "ix_invoice_status" in plan(db, plain)  # what is_issued() is for: SQLite's choice without statistics
