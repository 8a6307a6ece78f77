from __future__ import annotations

from tama_desk.services import audit


def test_record_and_history(db, monkeypatch):
    monkeypatch.setattr(audit, "current_user", lambda: "office1")
    with db.transaction() as session:
        audit.record(session, "create", "member", 1, "0001 A")
        audit.record(session, "update", "member", 2, "0002 B")
        audit.record(session, "update", "member", 1, "0001 A2")
    with db.reading() as session:
        entries = audit.history(session, "member", 1)
    assert [(e.action, e.summary, e.user) for e in entries] == [("create", "0001 A", "office1"),
                                                                  ("update", "0001 A2", "office1")]
