"""What holds whatever code runs, installed with the engine (`engine.make_engine`):

- an issued document's content cannot change (a flush guard here, database triggers from migration 0008
  behind it, so a bulk `update(Invoice)` or a raw UPDATE fails too);
- every audit entry written in a transaction is sealed into the hash chain just before the commit
  (`services.audit.seal`);
- a save over a newer change from another PC is refused with a message naming who and when
  (`StaleEditError`).
"""

from __future__ import annotations

import re
import zlib
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Engine, Integer, event, inspect, text
from sqlalchemy.orm import Session

from tama_desk.errors import UserError

FROZEN_FIELDS = ("number", "fiscal_year", "sequence", "kind", "member_id", "recipient_name", "issue_date",
                 "due_date", "total", "snapshot", "billed_year", "purpose", "client_id", "contract_id", "milestone_id",
                 "contract_stage")
FROZEN_TRIGGER_MESSAGE = "issued document is frozen"
APPEND_ONLY_MESSAGE = "audit log is append-only"


class FrozenInvoiceError(UserError):
    pass


class StaleEditError(UserError):
    """Another PC saved the record after this one was loaded: nothing was written. The window offers to load
    the latest (feedback.show_error: the dialog closes and the view is read again)."""

    exit_code = 1
    offers_reload = True

    def __init__(self, user: str = "", time: str = ""):
        super().__init__("他のPCで {user} が {time} に変更しました。最新の内容を読み込みますか？",
                         user=user or "?", time=time or "?")


def serialize(session: Session, name: str) -> None:
    """Let one batch of this kind run at a time (a billing run on two PCs at once): the second waits and
    then sees what the first wrote. PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN IMMEDIATE
    already serialises writers."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": zlib.crc32(name.encode())})


def expect_version(obj, version) -> None:
    """Refuse to save over a newer change: `version` is what the user loaded (None: no check)."""
    if version in (None, ""):
        return
    if obj.version != int(version):
        when = f"{obj.updated_at:%Y-%m-%d %H:%M}" if obj.updated_at else ""
        raise StaleEditError(obj.updated_by, when)


def _refuse_edits_to_issued_documents(session: Session, _context, _instances) -> None:
    from tama_desk.db.models import Invoice, InvoiceLine

    for obj in session.dirty:
        if isinstance(obj, Invoice):
            state = inspect(obj)
            changed = [name for name in (*FROZEN_FIELDS, "lines") if state.attrs[name].history.has_changes()]
            if changed:
                number = (state.attrs["number"].history.deleted or [obj.number])[0]
                raise FrozenInvoiceError("発行済みの請求書 {number} は変更できません（取消して再発行してください）",
                                         number=number)
        if isinstance(obj, InvoiceLine) and session.is_modified(obj):
            raise FrozenInvoiceError("発行済みの請求書の明細は変更できません")
    for obj in session.new:  # lines are only ever written together with their invoice, by issue_many
        if isinstance(obj, InvoiceLine):
            raise FrozenInvoiceError("発行済みの請求書に明細は追加できません")
    for obj in session.deleted:
        if isinstance(obj, (Invoice, InvoiceLine)):
            raise FrozenInvoiceError("発行済みの請求書は削除できません（取消してください）")


# The last line of defence for every row the ORM writes, whichever service or importer built it, so the
# same input is refused (by name) on SQLite and on PostgreSQL alike instead of failing raw on one of them.
DATE_RANGE = (date(1900, 1, 1), date(2100, 12, 31))
AMOUNT_LIMIT = 10**12
INT32_LIMIT = 2**31
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def value_problem(column, value) -> tuple[str, dict] | None:
    """Why `value` cannot be stored in `column` (a template and its parameters), or None."""
    if value is None:
        return None
    kind = column.type
    if isinstance(value, str):
        if _FORBIDDEN.search(value):
            return "制御文字（NUL・書式制御など）は入力できません", {}
        length = getattr(kind, "length", None)
        if length and len(value) > length:
            return "{max}文字以内で入力してください", {"max": length}
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int) and isinstance(kind, Integer):
        limit = AMOUNT_LIMIT if isinstance(kind, BigInteger) else INT32_LIMIT
        if abs(value) >= limit:
            return "金額・数値が大きすぎます（{limit}未満）", {"limit": f"{limit:,}"}
    elif isinstance(value, (date, datetime)) and isinstance(kind, (Date, DateTime)):
        day = value.date() if isinstance(value, datetime) else value
        if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
            return "日付は1900年から2100年の間で入力してください", {}
    return None


def check_row(model, values, problems, row: int | None, labels) -> None:
    """The same checks before the flush, for one imported row: each problem named by the file's line and the
    column's header (`labels`: key → header), so a 1 MB cell or a NUL is refused where it is."""
    columns = model.__table__.columns
    for key, value in values.items():
        column = columns.get(key)
        found = value_problem(column, value) if column is not None else None
        if found:
            problems.add(found[0], labels.get(key, key), row, **found[1])


def _check_values(session: Session, _context, _instances) -> None:
    from tama_desk.errors import ProblemList

    problems = ProblemList()
    for obj in [*session.new, *session.dirty]:
        state = inspect(obj)
        mapper = state.mapper
        fresh = state.pending
        for attr in mapper.column_attrs:
            if not fresh and not state.attrs[attr.key].history.has_changes():
                continue
            for column in attr.columns:
                if not hasattr(column, "type"):
                    continue
                found = value_problem(column, state.dict.get(attr.key))
                if found:
                    problems.add(found[0], column.name, record=mapper.class_.__name__, **found[1])
    problems.raise_if_any("保存できない値があります。何も保存していません")


def _track_audit_entries(session: Session, _context) -> None:
    from tama_desk.services import audit

    audit.track_new(session)


def _seal_audit_chain(session: Session) -> None:
    from tama_desk.services import audit

    audit.seal(session)


AUDIT_FLOOR = "tama_desk_audit_floor"


def _note_bulk_audit_inserts(connection, _cursor, statement, *_args) -> None:
    """A Core INSERT into audit_log (a bulk loader) bypasses the ORM: remember the highest id before it, so
    the commit seals the entries above it (`services.audit.seal`)."""
    if AUDIT_FLOOR not in connection.info and statement.lstrip()[:21].lower() == "insert into audit_log":
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log")
            connection.info[AUDIT_FLOOR] = cursor.fetchone()[0]
        finally:
            cursor.close()


def _forget_floor(connection) -> None:
    connection.info.pop(AUDIT_FLOOR, None)


def install(engine: Engine | None = None) -> None:
    """Idempotent: the Session listeners serve every session of every engine; `engine` gets the bulk-insert
    watch of the audit log."""
    if engine is not None:
        for name, listener in (("before_cursor_execute", _note_bulk_audit_inserts), ("commit", _forget_floor),
                               ("rollback", _forget_floor)):
            if not event.contains(engine, name, listener):
                event.listen(engine, name, listener)
    for name, listener in (("before_flush", _refuse_edits_to_issued_documents),
                           ("before_flush", _check_values),
                           ("after_flush", _track_audit_entries),
                           ("before_commit", _seal_audit_chain)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


# Retention (domain.retention): accounting records are kept ten years from the end of their fiscal year
# (April–March here: the services apply the profile's start month and name the record), minutes ten years from
# the meeting. The services refuse a delete first; the triggers of migration 0016 refuse it whatever program
# deletes. Contract costs have none: moving one to a grant deletes the row (services.cost_ledger.move_cost).
RETENTION_MESSAGE = "record is within its retention period"
RETENTION_TABLES = ("payment", "receipt", "grant_expenditure", "grant_receipt", "write_off", "accounting_export_batch",
                    "meeting")
