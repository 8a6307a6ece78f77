"""Per-user preferences of the window (language, theme, window size): a small JSON file, written atomically.

Association data (the profile) lives in the database, not here: it is shared by every PC.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields

from tama_desk import paths
from tama_desk.fileio import write_atomic

log = logging.getLogger(__name__)


@dataclass
class Preferences:
    language: str = "ja"
    theme: str = "bootstrap-light"
    geometry: str = "1280x800"
    wareki: bool = False  # 和暦で表示: dates on screens as 令和8年12月5日
    backup_folder: str = ""  # a second copy of every backup archive (USB stick, NAS); services.backup


def load() -> Preferences:
    file = paths.config_file()
    if not file.exists():
        return Preferences()
    try:
        stored = json.loads(file.read_text(encoding="utf-8"))
        known = {f.name for f in fields(Preferences)}
        return Preferences(**{key: value for key, value in stored.items() if key in known})
    except (OSError, ValueError, TypeError):
        log.warning("preferences unreadable, using defaults: %s", file, exc_info=True)
        return Preferences()


def save(preferences: Preferences) -> None:
    data = json.dumps(asdict(preferences), ensure_ascii=False, indent=2).encode("utf-8")
    write_atomic(paths.config_file(), data)
