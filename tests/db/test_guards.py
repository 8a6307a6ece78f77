"""Frozen documents, the audit hash chain, optimistic locking and two PCs at once."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
from datetime import date

import pytest
from sqlalchemy import delete, event, func, select, text, update
from sqlalchemy.orm import Session

from tama_desk import cli
from tama_desk.db import guards
from tama_desk.db.engine import DatabaseBusyError, open_database
from tama_desk.db.models import AuditLog, Invoice, Member
from tama_desk.errors import UserError
from tama_desk.services import audit, fees
from tama_desk.services.members import save_member

NEW_MEMBER = {"name": "株式会社ガード", "kana": "ガード", "category": "企業", "membership_type": "正会員"}
FORK = multiprocessing.get_context("fork")


@pytest.fixture
def billed(db):
    with db.transaction() as session:
        for index in range(5):
            save_member(session, NEW_MEMBER | {"name": f"株式会社ガード{index}"})
        fees.bill_fiscal_year(session, 2026, date(2026, 4, 1))
    return db


def test_guards_are_installed_with_the_engine(db):
    assert event.contains(Session, "before_flush", guards._refuse_edits_to_issued_documents)
    assert event.contains(Session, "before_commit", guards._seal_audit_chain)


def test_bulk_update_of_an_issued_invoice_is_refused_by_the_database(billed):
    with pytest.raises(guards.FrozenInvoiceError), billed.transaction() as session:
        session.execute(update(Invoice).values(total=1))
    with pytest.raises(guards.FrozenInvoiceError), billed.transaction() as session:
        session.execute(delete(Invoice).where(Invoice.id == 1))
    with pytest.raises(sqlite3.IntegrityError, match="frozen"), \
            sqlite3.connect(billed.engine.url.database) as raw:
        raw.execute("UPDATE invoice SET snapshot = '{}' WHERE id = 1")
    with billed.transaction() as session:  # the status may change (取消): not a frozen column
        session.execute(update(Invoice).where(Invoice.id == 1).values(status="cancelled", cancel_reason="x"))
    with billed.reading() as session:
        assert session.scalar(select(func.sum(Invoice.total))) == 5 * 70000


def test_audit_entries_cannot_be_changed_or_deleted(billed):
    for statement in ("UPDATE audit_log SET summary = 'x' WHERE id = 1", "DELETE FROM audit_log WHERE id = 1"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"), \
                sqlite3.connect(billed.engine.url.database) as raw:
            raw.execute(statement)
    with pytest.raises(UserError, match="監査ログは追記のみ"), billed.transaction() as session:
        session.execute(delete(AuditLog))
    assert _verify(billed)[2] is None


def test_orm_edit_of_an_issued_invoice_is_refused(billed):
    with pytest.raises(guards.FrozenInvoiceError, match="変更できません"), billed.transaction() as session:
        session.get(Invoice, 1).recipient_name = "別の会社"


def _tamper(db, *statements: str) -> None:
    with sqlite3.connect(db.engine.url.database) as raw:
        for trigger in ("invoice_frozen", "invoice_no_delete", "audit_log_sealed", "audit_log_no_delete"):
            raw.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for statement in statements:
            raw.execute(statement)


def _verify(db):
    with db.reading() as session:
        return audit.verify(session)


def test_chain_verifies_and_names_the_first_break(billed, capsys):
    entries, documents, broken = _verify(billed)
    assert broken is None and documents == 5 and entries >= 11
    path = billed.engine.url.database
    assert cli.main(["audit", "verify", "--db", path]) == 0
    assert "ok" in capsys.readouterr().out

    _tamper(billed, "UPDATE audit_log SET summary = '改ざん' WHERE id = 3")
    assert str(_verify(billed)[2]).startswith("entry #3")
    assert cli.main(["audit", "verify", "--db", path]) == 1
    assert "entry #3" in capsys.readouterr().err


def test_changed_snapshot_or_total_is_found(billed):
    _tamper(billed, "UPDATE invoice SET total = total - 1 WHERE id = 2")
    broken = _verify(billed)[2]
    assert broken.what == "document" and "(id 2)" in broken.ident
    with billed.reading() as session:
        assert "変更されています" in audit.verify_document(session, 2)
        assert audit.verify_document(session, 3) is None


def test_deleted_or_forged_entries_are_found(billed):
    _tamper(billed, "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)")
    assert "ends early" in str(_verify(billed)[2])


def test_forged_entry_outside_the_app_is_found(billed):
    _tamper(billed, "INSERT INTO audit_log (at, user, action, entity, summary, prev_hash, record_hash, entry_hash)"
                    " VALUES ('2026-01-01', 'x', 'issue', 'invoice', '', '', '', '')")
    assert "not in the chain" in str(_verify(billed)[2])
    with billed.transaction() as session:  # a later commit does not adopt the forged entry
        save_member(session, NEW_MEMBER)
    assert "not in the chain" in str(_verify(billed)[2])


def test_stale_edit_is_refused_with_who_and_when(db):
    with db.transaction() as session:
        member = save_member(session, NEW_MEMBER)
        member_id, shown_version = member.id, member.version
    with db.transaction() as session:  # another PC saves meanwhile
        save_member(session, {"phone": "042-000-0000"}, member_id)
    with pytest.raises(guards.StaleEditError) as error, db.transaction() as session:
        save_member(session, {"phone": "042-111-1111", "version": shown_version}, member_id)
    assert "他のPCで" in str(error.value) and "最新の内容を読み込みますか" in str(error.value)
    assert isinstance(error.value, UserError)
    with db.reading() as session:
        assert session.get(Member, member_id).phone == "042-000-0000"


def test_lost_update_between_load_and_flush_is_refused(db):
    with db.transaction() as session:
        member_id = save_member(session, NEW_MEMBER).id
    with db.reading() as session:
        stale = session.get(Member, member_id)
        session.expunge(stale)
    with db.transaction() as session:
        session.get(Member, member_id).phone = "1"
    with pytest.raises(guards.StaleEditError), db.transaction() as session:
        session.merge(stale, load=False).phone = "2"


def test_locked_database_gives_a_japanese_message(db, monkeypatch):
    monkeypatch.setattr("tama_desk.db.engine.BUSY_TIMEOUT_SECONDS", 0.2)
    other_pc = open_database(db.url)
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another PC is writing
    try:
        with pytest.raises(DatabaseBusyError) as error, other_pc.transaction() as session:
            save_member(session, NEW_MEMBER)
    finally:
        holder.rollback()
        holder.close()
        other_pc.close()
    message = str(error.value)
    assert "他のPCがデータベースに書き込み中" in message and "何も失われていません" in message
    assert "INSERT" not in message and "SELECT" not in message and "locked" not in message


def _bill(url: str, queue) -> None:
    database = open_database(url)
    try:
        with database.transaction() as session:
            plan, created = fees.bill_fiscal_year(session, 2026, date(2026, 4, 1))
        queue.put(("ok", len(created), len(plan.excluded)))
    except Exception as error:  # reported to the test, never swallowed
        queue.put(("error", type(error).__name__, str(error)))
    finally:
        database.close()


def _two_billing_runs(url: str, members: int) -> list:
    queue = FORK.Queue()
    runs = [FORK.Process(target=_bill, args=(url, queue)) for _ in range(2)]
    for run in runs:
        run.start()
    results = [queue.get(timeout=60) for _ in runs]
    for run in runs:
        run.join(10)
    return results


def _members(db, count: int) -> None:
    with db.transaction() as session:
        for index in range(count):
            save_member(session, NEW_MEMBER | {"name": f"株式会社同時{index}"})


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
def test_two_billing_runs_at_once_on_sqlite(db):
    _members(db, 150)
    results = sorted(_two_billing_runs(db.url, 150))
    assert results == [("ok", 0, 150), ("ok", 150, 0)], results
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Invoice)) == 150
        assert audit.verify(session)[2] is None


def test_two_billing_runs_at_once_on_postgresql(pg_url):
    pg = open_database(pg_url)
    _members(pg, 150)
    results = sorted(_two_billing_runs(pg_url, 150))
    assert results == [("ok", 0, 150), ("ok", 150, 0)], results
    with pg.reading() as session:
        assert session.scalar(select(func.count()).select_from(Invoice)) == 150
        assert audit.verify(session)[2] is None
    pg.close()


def test_concurrent_audit_appends_never_fork_the_chain_on_postgresql(pg_url):
    pg = open_database(pg_url)
    errors = []

    def writer(index: int) -> None:
        try:
            for step in range(10):
                with pg.transaction() as session:
                    audit.record(session, "test", "member", None, f"{index}-{step}")
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with pg.reading() as session:
        entries, _, broken = audit.verify(session)
        assert broken is None and entries == session.scalar(select(func.count()).select_from(AuditLog)) >= 40
        assert session.execute(text("SELECT COUNT(DISTINCT prev_hash) FROM audit_log")).scalar() == entries
    pg.close()


@pytest.fixture
def full_disk(monkeypatch):
    """Every commit fails as it does on a full disk."""
    from sqlalchemy import exc

    def refuse(session):
        raise exc.OperationalError("COMMIT", None, sqlite3.OperationalError("database or disk is full"))

    event.listen(Session, "before_commit", refuse)
    yield
    event.remove(Session, "before_commit", refuse)


def test_cancel_says_nothing_was_saved_when_the_commit_fails(billed, capsys, full_disk):
    path = billed.engine.url.database
    with billed.reading() as session:
        number = session.scalar(select(Invoice.number).where(Invoice.id == 1))
    assert cli.main(["invoices", "cancel", number, "--reason", "誤り", "--db", path]) == 1
    captured = capsys.readouterr()
    assert "取り消しました" not in captured.out
    assert "ディスクがいっぱい" in captured.err and "保存していません" in captured.err
    assert "COMMIT" not in captured.err and "UPDATE" not in captured.err
    with billed.reading() as session:
        assert session.get(Invoice, 1).status == "issued"


def test_statement_apply_prints_success_only_after_the_commit(billed, tmp_path, capsys, full_disk):
    statement = tmp_path / "statement.csv"
    statement.write_text("取引日,入金額,振込依頼人名,摘要\n2026-05-01,70000,ｶﾌﾞｼｷｶﾞｲｼﾔｶﾞ-ﾄﾞ0,\n", encoding="utf-8")
    code = cli.main(["payments", "import", str(statement), "--apply", "--db", billed.engine.url.database])
    captured = capsys.readouterr()
    assert code == 1 and "自動で消し込みました" not in captured.out


def test_stale_expenditure_and_profile_saves_are_refused(db):
    from tama_desk.services import grants, profile

    with db.transaction() as session:
        shown = profile.get_profile(session).version
    with db.transaction() as session:
        profile.update_profile(session, {"name": "一般社団法人 別のPC"})
    with pytest.raises(guards.StaleEditError), db.transaction() as session:
        profile.update_profile(session, {"name": "一般社団法人 こちら", "version": shown})
    with db.transaction() as session:
        grant = grants.create_grant(session, name="補助", grantor="東京都", fiscal_year=2026,
                                    period_start=date(2026, 4, 1), period_end=date(2027, 3, 31),
                                    decided_amount=1_000_000, rate="1/2", budgets={"旅費": 500_000})
        expenditure, _ = grants.add_expenditure(session, grant.id, {
            "voucher_number": "V1", "category": "旅費", "payment_date": "2026-05-01", "payee": "JR",
            "amount": "1000", "eligible_amount": "1000"})
        expenditure_id, shown = expenditure.id, expenditure.version
    with db.transaction() as session:
        grants.update_expenditure(session, expenditure_id, {
            "voucher_number": "V1", "category": "旅費", "payment_date": "2026-05-01", "payee": "JR東日本",
            "amount": "1000", "eligible_amount": "1000"})
    with pytest.raises(guards.StaleEditError), db.transaction() as session:
        grants.update_expenditure(session, expenditure_id, {
            "voucher_number": "V1", "category": "旅費", "payment_date": "2026-05-01", "payee": "バス",
            "amount": "1000", "eligible_amount": "1000", "version": shown})


def test_bulk_core_inserts_of_audit_entries_are_sealed_too(db):
    from sqlalchemy import insert

    with db.transaction() as session:
        session.execute(insert(AuditLog), [{"user": "demo", "action": "demo", "entity": "member", "entity_id": None,
                                            "summary": f"bulk {n}"} for n in range(50)])
        session.execute(insert(AuditLog.__table__).values(user="demo", action="demo", entity="member", summary="x"))
    entries, _, broken = _verify(db)
    assert broken is None and entries == 51


def test_every_write_is_checked_against_the_schema(db):
    with db.transaction() as session:
        member_id = save_member(session, NEW_MEMBER).id
    for field, value, reason in (("name", "x" * 201, "200文字以内"), ("notes", "a\x00b", "制御文字"),
                                 ("address", "\u202e東京都", "制御文字"), ("join_date", date(1800, 1, 1), "1900年"),
                                 ("withdrawal_date", date(2117, 1, 1), "2100年")):
        with pytest.raises(UserError) as error, db.transaction() as session:
            setattr(session.get(Member, member_id), field, value)
        assert reason in str(error.value) and field in str(error.value)
    with pytest.raises(UserError, match="大きすぎます"), db.transaction() as session:
        from tama_desk.db.models import Payment

        session.add(Payment(member_id=member_id, received_on=date(2026, 5, 1), amount=10**13))
    with db.reading() as session:
        member = session.get(Member, member_id)
        assert member.name == NEW_MEMBER["name"] and member.join_date is None
