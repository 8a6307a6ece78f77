"""Noticing a second TAMA Desk window on the same PC and profile (two windows on one database confuse staff).

A lock file in the data folder is held for the life of the process; the OS releases it when the process
ends, even after a crash, so a stale lock never blocks the next start.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

from tama_desk import paths


def acquire(path: Path | None = None) -> IO | None:
    """The open lock file (keep it referenced), or None when another process holds it."""
    path = path or paths.data_dir() / "tama_desk.lock"
    handle = open(path, "a+")  # noqa: SIM115 - held open on purpose until the process ends
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle
