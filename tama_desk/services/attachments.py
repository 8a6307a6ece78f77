"""Files that belong to records (voucher scans, PDFs): copied in with the transaction that records them.

`stage(session, source, relative)` copies the file now to a hidden temporary name beside its place (so a missing
or unreadable file fails the action while it can still be refused), renames it into place when the session's
transaction commits, and removes it when the transaction rolls back (or the session closes without committing).
So the database never points at a file that is not there, and a refused action leaves no file behind.
Paths stored in the database are relative to the data folder; `resolve()` turns them back into a path.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from tama_desk import atomic, paths
from tama_desk.errors import UserError


def safe_name(text: str) -> str:
    """A file-name part from a record's text: letters, digits, '-' and '_' kept, the rest '_'."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text) or "_"


def voucher_path(owner: str, record_id: int, voucher_number: str, suffix: str) -> str:
    """Where a voucher lives, relative to the data folder: `owner` is `grant_3` (a grant expenditure) or
    `contract_5` (a contract cost)."""
    return f"attachments/{owner}/{record_id}_{safe_name(voucher_number)}{suffix.lower()}"


def attach_voucher(session: Session, record, owner: str, source: Path) -> Path:
    """Attach `source` to a record with `id`, `voucher_number`, `attachment_path` and `attachment_name` (a grant
    expenditure, a contract cost): copied into the data folder when the transaction commits (never a link to
    where it was), with a safe name and never an executable extension; a voucher attached again (replaced)
    never writes over the earlier file."""
    source = Path(source)
    relative = voucher_path(owner, record.id, record.voucher_number, atomic.safe_suffix(source.name))
    home = paths.data_dir()
    relative = atomic.free_name(home / relative).relative_to(home).as_posix()
    target = stage(session, source, relative)
    record.attachment_path, record.attachment_name = relative, source.name
    return target


def resolve(relative: str) -> Path:
    """The file of a stored relative path (for opening it)."""
    return paths.data_dir() / relative


def stage(session: Session, source: Path, relative: str) -> Path:
    """Copy `source` to `relative` (under the data folder) once the session's transaction commits."""
    source = Path(source)
    if not source.is_file():
        raise UserError("ファイルが見つかりません: {path}", path=str(source))
    target = resolve(relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        shutil.copy2(source, temporary)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UserError("ファイルを読み込めません: {path}（{error}）", path=str(source), error=str(error)) from error
    session.info.setdefault(_STAGED, []).append((Path(temporary), target))
    return target


_STAGED = "tama_desk.staged_files"


@event.listens_for(Session, "after_commit")
def _move_staged_files_into_place(session: Session) -> None:
    for temporary, target in session.info.pop(_STAGED, []):
        os.replace(temporary, target)


@event.listens_for(Session, "after_transaction_end")
def _drop_staged_files(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without a commit: nothing stays
        for temporary, _target in session.info.pop(_STAGED, []):
            temporary.unlink(missing_ok=True)
