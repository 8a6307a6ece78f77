"""The audit log: every issue, cancellation, payment and registry change, append-only and hash-chained.

Each entry carries the hash of the entry before it and of what it records (for an issued document: its
frozen columns, snapshot and total included). Entries written in a transaction are sealed just before its
commit (`db.guards` calls `seal`), in commit order, with the chain head locked, so the chain never forks.
`verify` walks the chain and the documents and names the first thing that does not match.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from tama_desk.db.engine import current_user
from tama_desk.db.guards import AUDIT_FLOOR, FROZEN_FIELDS
from tama_desk.db.models import AuditLog, DocumentAsset, Invoice
from tama_desk.db.models_reliability import AuditChainHead
from tama_desk.errors import UserError
from tama_desk.i18n import language, t

PENDING = "tama_desk_audit_pending"
ENTRY_FIELDS = ("chain_seq", "at", "user", "action", "entity", "entity_id", "summary", "record_hash", "prev_hash")


def record(session: Session, action: str, entity: str, entity_id: int | None, summary: str = "") -> None:
    session.add(AuditLog(user=current_user(), action=action, entity=entity, entity_id=entity_id, summary=summary))


def record_many(session: Session, rows: list[dict]) -> None:
    """Bulk entries (a billing run): one INSERT, sealed with the rest at the commit."""
    if rows:
        ids = session.scalars(insert(AuditLog).returning(AuditLog.id), rows).all()
        session.info.setdefault(PENDING, set()).update(ids)


# What the summaries were written from. A summary is stored as written (Japanese: it is hashed into the chain);
# shown in English, it is read back against these templates and translated, the codes inside it too (振込,
# 登録済, 理事会 …); names and reasons stay as entered. A field's name says what it holds (see _FIELD).
SUMMARIES = (
    "{year}年度 {type} {fee}円", "{year}年度 会費請求 {n} 件 {total}円",
    "請求書 {number} {name} {total}円", "返還請求書 {number} {name} {total}円",
    "{date} {amount}円 {method} {payer} → {settled}", "{amount}円: {reason}",
    "{number} 取消（入金取消）: {reason}", "預り金 {amount}円 を充当", "{number} 手数料差引 {amount}円（支払手数料）",
    "{level} {date} {amount}円", "入金明細から {n} 件を消込", "会員 {n} 件", "補助事業 {n} 件",
    "{name} 交付決定額 {amount}円 補助率 {rate}", "{label} {category}→{target} {amount}円 {reference}",
    "{voucher} {category} {amount}円 {payee}", "{before} → {status}",
    "{file}: 支出 {n} 件", "{file}: 経費 {n} 件", "{file}: 出席者 {n} 名", "{file}: 商談 {n} 件",
    "{label} {start}〜{end} {n}仕訳 {total}円 {file}", "{name} {date} {amount}円",
    "{date} {n}件 {total}円", "{number} 口座振替不能: {reason}",
    "{client} {title} {amount}円 {terms} {tax}", "契約日 {date}", "第{n}回 {name} {date} {amount}円",
    "{name} 期限 {date}", "{name} 提出 {date}", "完了届 {date}", "完了届 {date}（第{n}回）",
    "検査 {date} {result}", "検査 {date} {result}（第{n}回）", "確定額 {amount}円（{date}）",
    "確定額 {amount}円（{date}） 変更前 {before_amount}円", "{number} {amount}円", "{number} 返還 {amount}円",
    "変更契約 {date}: {details}", "{kind} {title} {date}", "訂正 {date} {what}: {before} → {after}（{reason}）",
    "会議の設定", "議事録確定 {title}", "第{n}号議案 {title} {result}", "報告事項{n} {title} {result}", "フォロー {date} {outcome} {notes}", "フォロー {date} {outcome}", "成約 {date} {amount}円",
    "団体情報: {labels}", "{what} → 委託 {title}: {reason}", "{what} ← 委託 id {id}: {reason}",
    "{what} → 補助金 {name}: {reason}", "{what} ← 補助金 id {id}: {reason}", "{subject}: {status}",
)
_FIELD = {"year": r"\d{4}", "date": r"\d{4}-\d{2}-\d{2}", "start": r"\d{4}-\d{2}-\d{2}", "end": r"\d{4}-\d{2}-\d{2}",
          "number": r"\S+", "n": r"\d+", "id": r"\d+", "fee": r"-?[\d,]+", "amount": r"-?[\d,]+", "total": r"-?[\d,]+",
          "before_amount": r"-?[\d,]+", "level": r"\S+", "method": r"\S+", "status": r"[^:：\s]+",
          "result": r"\S+?", "terms": r"\S+", "tax": r"\S+", "kind": r"\S+", "category": r"\S+?", "target": r"\S+"}


@functools.cache
def _summary_patterns() -> list[tuple[str, re.Pattern]]:
    """The templates as patterns, those with the most fixed text first (tried in that order)."""
    found = []
    for template in SUMMARIES:
        parts = re.split(r"\{(\w+)\}", template)
        pattern = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>{_FIELD.get(part, '.*?')})"
                          for index, part in enumerate(parts))
        found.append((len("".join(parts[::2])), template, re.compile(pattern)))
    return [(template, pattern) for _size, template, pattern in sorted(found, key=lambda f: -f[0])]


def describe(summary: str) -> str:
    """An audit summary as shown: in Japanese as written; in English translated from the template it was written
    from (a summary that matches none is shown as written)."""
    if language() == "ja" or not summary:
        return summary
    for template, pattern in _summary_patterns():
        match = pattern.fullmatch(summary)
        if match:
            fields = {key: tuple(value.split("、")) if key == "labels" else t(value, context="監査")
                      for key, value in match.groupdict().items()}
            return t(template, **fields)
    return t(summary)  # a summary that is a label (完了)


def history(session: Session, entity: str, entity_id: int) -> list[AuditLog]:
    query = select(AuditLog).where(AuditLog.entity == entity, AuditLog.entity_id == entity_id)
    return list(session.scalars(query.order_by(AuditLog.at, AuditLog.id)))


# What an entry records, hashed: entity name → function(connection-or-session, ids) → {id: digest}.
def _invoice_digests(session, ids: Iterable[int]) -> dict[int, str]:
    columns = [getattr(Invoice.__table__.c, name) for name in FROZEN_FIELDS]
    rows = session.execute(select(Invoice.__table__.c.id, *columns).where(Invoice.__table__.c.id.in_(list(ids))))
    return {row[0]: document_digest(dict(zip(FROZEN_FIELDS, row[1:], strict=True))) for row in rows}


RECEIPT_FIELDS = ("number", "fiscal_year", "sequence", "payment_id", "member_id", "issue_date", "amount", "deposit",
                  "recipient_name", "snapshot")


def _receipt_digests(session, ids: Iterable[int]) -> dict[int, str]:
    from tama_desk.db.models_receipts import Receipt

    table = Receipt.__table__
    rows = session.execute(select(table.c.id, *(table.c[name] for name in RECEIPT_FIELDS))
                           .where(table.c.id.in_(list(ids))))
    return {row[0]: document_digest(dict(zip(RECEIPT_FIELDS, row[1:], strict=True)), RECEIPT_FIELDS) for row in rows}


# Approved minutes: what the 議事録 says (services.meetings.minutes_content) as it was when confirmed — not the
# association's name, the check's list or the dated corrections (訂正記録) printed after them, which may follow;
# the same in either language (an item's label is translated when shown).
MINUTES_UNHASHED = ("association", "status", "missing", "amendments", "retention_until")


def _minutes_digests(session, ids: Iterable[int]) -> dict[int, str]:
    from dataclasses import asdict

    from tama_desk.services import meetings

    found = {}
    for meeting_id in ids:
        content = {key: value for key, value in asdict(meetings.minutes_content(session, meeting_id)).items()
                   if key not in MINUTES_UNHASHED}
        for item in content["items"]:  # 「第1号議案」 is shown in the window's language: its kind and place count
            item.pop("label")
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
        found[meeting_id] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return found


RECORDERS: dict[str, Callable] = {"invoice": _invoice_digests, "receipt": _receipt_digests, "meeting": _minutes_digests}
ISSUE_ONLY = {"meeting"}  # hashed at their issue entry only (a meeting's other entries record edits before it)


def document_digest(values: dict, fields: tuple[str, ...] = FROZEN_FIELDS) -> str:
    text = json.dumps({name: str(values[name]) for name in fields}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_digest(values: dict) -> str:
    text = json.dumps({name: str(values[name]) for name in ENTRY_FIELDS}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def track_new(session: Session) -> None:
    """After a flush: remember the audit entries this session added (sealed at its commit)."""
    ids = [obj.id for obj in session.new if isinstance(obj, AuditLog)]
    if ids:
        session.info.setdefault(PENDING, set()).update(ids)


def seal(session: Session) -> None:
    """Before the commit: chain this transaction's entries onto the head (locked), in id order."""
    session.flush()
    ids = session.info.pop(PENDING, None) or set()
    floor = session.connection().info.pop(AUDIT_FLOOR, None)
    if floor is not None:  # bulk Core inserts in this transaction: the unsealed entries above the floor
        table = AuditLog.__table__
        ids |= set(session.scalars(select(table.c.id).where(table.c.id > floor, table.c.chain_seq.is_(None))))
    if ids:
        seal_entries(session, sorted(ids))


def seal_entries(connection, ids: list[int]) -> None:
    """`connection` is a Session or a Connection (migration 0008 seals the entries written before it)."""
    table, head_table = AuditLog.__table__, AuditChainHead.__table__
    head = connection.execute(select(head_table.c.seq, head_table.c.entry_hash)
                              .where(head_table.c.id == 1).with_for_update()).first()
    if head is None:
        connection.execute(insert(head_table).values(id=1, seq=0, entry_hash=""))
        seq, last = 0, ""
    else:
        seq, last = head
    updates = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        columns = [table.c.id, *(getattr(table.c, name) for name in ENTRY_FIELDS)]
        rows = connection.execute(select(*columns).where(table.c.id.in_(chunk), table.c.chain_seq.is_(None))
                                  .order_by(table.c.id)).mappings().all()
        digests: dict[tuple[str, int], str] = {}
        for entity, recorder in RECORDERS.items():
            wanted = [row["entity_id"] for row in rows if row["entity"] == entity and row["entity_id"]
                      and (entity not in ISSUE_ONLY or row["action"] == "issue")]
            if wanted:
                digests.update({(entity, k): v for k, v in recorder(connection, wanted).items()})
        for row in rows:
            seq += 1
            hashed = row["entity"] not in ISSUE_ONLY or row["action"] == "issue"
            values = dict(row, chain_seq=seq, prev_hash=last,
                          record_hash=digests.get((row["entity"], row["entity_id"]), "") if hashed else "")
            last = entry_digest(values)
            updates.append({"b_id": row["id"], "b_seq": seq, "b_prev": values["prev_hash"],
                            "b_record": values["record_hash"], "b_hash": last})
    if not updates:
        return
    connection.execute(update(table).where(table.c.id == bindparam("b_id")).values(
        chain_seq=bindparam("b_seq"), prev_hash=bindparam("b_prev"), record_hash=bindparam("b_record"),
        entry_hash=bindparam("b_hash")), updates)
    connection.execute(update(head_table).where(head_table.c.id == 1).values(seq=seq, entry_hash=last))


@dataclass(frozen=True)
class Break:
    """The first thing that does not match: an audit entry or a document."""

    what: str  # "entry" | "document" | "asset"
    ident: str
    reason: str

    def __str__(self) -> str:
        return f"{self.what} {self.ident}: {self.reason}"


def verify(session: Session) -> tuple[int, int, Break | None]:
    """(entries checked, documents checked, the first break or None)."""
    table, head_table = AuditLog.__table__, AuditChainHead.__table__
    unsealed = session.execute(select(table.c.id).where(table.c.chain_seq.is_(None)).order_by(table.c.id)).first()
    if unsealed:
        return 0, 0, Break("entry", f"id {unsealed[0]}", "not in the chain (written outside TAMA Desk?)")
    last, expected_seq, entries = "", 1, 0
    issued: dict[int, str] = {}
    for row in session.execute(select(table).order_by(table.c.chain_seq)).mappings().yield_per(2000):
        entries += 1
        if row["chain_seq"] != expected_seq:
            return entries, 0, Break("entry", f"#{expected_seq}", "missing (deleted?)")
        if row["prev_hash"] != last or entry_digest(row) != row["entry_hash"]:
            return entries, 0, Break("entry", f"#{row['chain_seq']} (id {row['id']})", "changed after it was written")
        last, expected_seq = row["entry_hash"], expected_seq + 1
        if row["entity"] == "invoice" and row["action"] == "issue" and row["entity_id"] is not None:
            issued.setdefault(row["entity_id"], row["record_hash"])
    head = session.execute(select(head_table.c.seq, head_table.c.entry_hash).where(head_table.c.id == 1)).first()
    if head is not None and (head[0], head[1]) != (expected_seq - 1, last):
        return entries, 0, Break("entry", f"#{head[0]}", "the chain ends early (entries deleted?)")
    documents = 0
    columns = [getattr(Invoice.__table__.c, name) for name in FROZEN_FIELDS]
    for row in session.execute(select(Invoice.__table__.c.id, *columns).order_by(Invoice.__table__.c.id)):
        documents += 1
        values = dict(zip(FROZEN_FIELDS, row[1:], strict=True))
        if issued.get(row[0]) != document_digest(values):
            reason = "no audit entry" if row[0] not in issued else "changed after it was issued"
            return entries, documents, Break("document", f"{values['number']} (id {row[0]})", reason)
    from tama_desk.db.models_receipts import Receipt

    receipt_ids = list(session.scalars(select(Receipt.id)))
    documents += len(receipt_ids)
    changed = tampered(session, "receipt", receipt_ids)
    if changed:
        return entries, documents, Break("document", changed[0], "changed after it was issued")
    minutes = sorted({entity_id for (entity_id,) in session.execute(select(table.c.entity_id).where(
        table.c.entity == "meeting", table.c.action == "issue"))})
    documents += len(minutes)
    changed = tampered(session, "meeting", minutes)
    if changed:
        return entries, documents, Break("document", f"議事録 {changed[0]}", "changed after it was approved")
    for digest, data in session.execute(select(DocumentAsset.sha256, DocumentAsset.data)):
        if hashlib.sha256(data).hexdigest() != digest:
            return entries, documents, Break("asset", digest[:12], "image changed")
    return entries, documents, None


class TamperedDocumentError(UserError):
    """An issued document no longer matches the hash recorded when it was issued: it is not opened, saved or
    printed (exit code 1 on the command line)."""

    exit_code = 1
    title = "改ざんの可能性があります"  # the dialog's title in the window


def tampered(session: Session, entity: str, ids: Iterable[int]) -> list[str]:
    """The numbers of the issued documents (`invoice`, `receipt` or the approved minutes of a `meeting`) among
    `ids` whose content no longer matches the hash recorded when they were issued, in id order. An invoice
    without its issue entry counts as changed; a receipt issued before receipts were hashed, or minutes confirmed
    before minutes were (no entry), cannot be checked and are let through (`unrecorded` names them)."""
    ids = sorted(set(ids))
    if not ids:
        return []
    table = AuditLog.__table__
    recorded: dict[int, tuple[int, str]] = {}  # id → (chain_seq, hash) of its earliest sealed issue entry
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for entity_id, seq, digest in session.execute(
                select(table.c.entity_id, table.c.chain_seq, table.c.record_hash).where(
                    table.c.entity == entity, table.c.action == "issue", table.c.entity_id.in_(chunk))):
            seq = seq if seq is not None else 2**62  # issued in this very transaction: not sealed yet
            if entity_id not in recorded or seq < recorded[entity_id][0]:
                recorded[entity_id] = (seq, digest)
    found = []
    for start in range(0, len(ids), 500):
        current = RECORDERS[entity](session, ids[start:start + 500])
        numbers = _numbers(session, entity, list(current))
        for entity_id, digest in sorted(current.items()):
            if entity_id not in recorded:
                if entity == "invoice":
                    found.append(numbers[entity_id])
            elif recorded[entity_id][1] and recorded[entity_id][1] != digest:
                found.append(numbers[entity_id])
    return found


def unrecorded(session: Session, entity: str, ids: Iterable[int]) -> list[str]:
    """The numbers of the documents among `ids` with no issue entry to check them against: receipts issued
    before receipts were hashed. No hash is made up for them later (it would vouch for whatever they hold by
    then); they are shown as 発行時の記録なし, unchecked."""
    ids = sorted(set(ids))
    table = AuditLog.__table__
    recorded: set[int] = set()
    for start in range(0, len(ids), 500):
        recorded |= set(session.scalars(select(table.c.entity_id).where(
            table.c.entity == entity, table.c.action == "issue", table.c.entity_id.in_(ids[start:start + 500]))))
    missing = [entity_id for entity_id in ids if entity_id not in recorded]
    numbers = _numbers(session, entity, missing) if missing else {}
    return [numbers[entity_id] for entity_id in missing if entity_id in numbers]


def _numbers(session: Session, entity: str, ids: list[int]) -> dict[int, str]:
    from tama_desk.db.models_meetings import Meeting
    from tama_desk.db.models_receipts import Receipt

    if entity == "meeting":
        return {id_: f"{day:%Y-%m-%d} {title}" for id_, day, title in session.execute(
            select(Meeting.id, Meeting.day, Meeting.title).where(Meeting.id.in_(ids)))}
    model = Invoice if entity == "invoice" else Receipt
    return dict(session.execute(select(model.id, model.number).where(model.id.in_(ids))).all())


def refuse_tampered(session: Session, *, invoices: Iterable[int] = (), receipts: Iterable[int] = (),
                    minutes: Iterable[int] = ()) -> None:
    """Before an issued document is opened, saved or printed: refuse (naming them) any that no longer match."""
    changed = (tampered(session, "invoice", invoices) + tampered(session, "receipt", receipts)
               + tampered(session, "meeting", minutes))
    if changed:
        raise TamperedDocumentError(
            "{numbers} は発行時の記録（ハッシュ）と一致しません。発行後に書き換えられた可能性があるため、開く・保存・"
            "印刷はできません（audit verify で確認してください）", numbers=tuple(changed))


def verify_document(session: Session, invoice_id: int) -> str | None:
    """Re-check one issued document against the hash recorded when it was issued (before opening or
    printing it). A message naming the mismatch, or None when it matches."""
    table = AuditLog.__table__
    recorded = session.scalar(select(table.c.record_hash).where(
        table.c.entity == "invoice", table.c.entity_id == invoice_id, table.c.action == "issue")
        .order_by(table.c.chain_seq))
    current = _invoice_digests(session, [invoice_id]).get(invoice_id)
    if current is None:
        return None
    if not recorded:
        return "発行の記録がありません（改ざんの可能性があります）"
    if recorded != current:
        return "発行後に内容が変更されています（改ざんの可能性があります）"
    return None
