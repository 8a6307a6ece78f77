"""What the start needs to know about the database before SQLAlchemy and Alembic are imported (they take about
a second): where it is, the schema revision this version migrates to, and the revision a SQLite file holds.

`HEAD_REVISION` is Alembic's head, written down so that a start at head never imports Alembic;
tests/db/test_schema_head.py fails when a migration is added and the constant is not moved with it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tama_desk import paths

HEAD_REVISION = "0021"  # = the newest file in db/migrations/versions (a test keeps them equal)


def resolve_url(target: str | None = None) -> str:
    """`--db` wins, then TAMA_DESK_DB, then the default file. A plain path means a SQLite file."""
    target = target or os.environ.get("TAMA_DESK_DB") or str(paths.default_db_path())
    if "://" in target:
        return target
    path = Path(target).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def plain_sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL (no query); None for anything else (a server, an unusual URL)."""
    if not url.startswith("sqlite:///") or "?" in url:
        return None
    name = url.removeprefix("sqlite:///")
    return Path(name) if name and name != ":memory:" else None


def stored_revision(file: Path) -> str | None:
    """The revision in the file's alembic_version (None: no schema yet), read with the sqlite3 module only.
    Raises sqlite3.DatabaseError for a file that is not a readable database."""
    connection = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'").fetchone():
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        connection.close()


def at_head(target: str | None = None) -> bool:
    """True when the start may open the database at once: a server database (its checks come when it is
    opened), a SQLite file not created yet, or one that reads and is at this version's schema. Otherwise
    (a file that does not read, an older or newer schema) the full start check runs first."""
    url = resolve_url(target)
    if not url.startswith("sqlite:"):
        return True
    file = plain_sqlite_file(url)
    if file is None:
        return False
    if not file.exists() or file.stat().st_size == 0:
        return True
    try:
        return stored_revision(file) == HEAD_REVISION
    except sqlite3.DatabaseError:
        return False
