"""Every folder the app uses, looked up at call time so tests can redirect them.

Frozen (PyInstaller) or not, bundled resources are found through `resource_path`.
User data (the database, backups, logs) lives in the per-user data folder, or in
the folder named by TAMA_DESK_HOME (tests and portable installs).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_DIR_NAME = "TamaDesk"


def resource_root() -> Path:
    """The folder holding `assets/` and the `tama_desk` package (the repository, or `sys._MEIPASS`)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def font_path() -> Path:
    return resource_path("assets", "fonts", "ipaexg.ttf")


def icon_path() -> Path:
    return resource_path("assets", "icons", "tamadesk.png")


def migrations_path() -> Path:
    return Path(__file__).resolve().parent / "db" / "migrations"


def data_dir() -> Path:
    """Per-user data folder (on Windows `%LOCALAPPDATA%\\TamaDesk`), created on first use."""
    override = os.environ.get("TAMA_DESK_HOME")
    # appauthor=False: %LOCALAPPDATA%\TamaDesk on Windows, not %LOCALAPPDATA%\TamaDesk\TamaDesk
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME, False, roaming=False))
    return _private_dir(path)


def _private_dir(path: Path) -> Path:
    """Created readable by the user only (0700; on Windows the per-user folder already is)."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        try:
            os.chmod(path, 0o700)
        except OSError:
            pass
    return path


def default_db_path() -> Path:
    return data_dir() / "tama_desk.sqlite3"


def backup_dir() -> Path:
    return _private_dir(data_dir() / "backups")


def log_dir() -> Path:
    return _private_dir(data_dir() / "logs")


# Files kept beside the database (vouchers, seals, stored documents), all inside the data folder and all
# copied into every backup archive. An area storing files adds its folder name here.
ATTACHMENT_FOLDERS = ("attachments", "documents", "seals")


def attachment_dirs() -> list[Path]:
    return [data_dir() / name for name in ATTACHMENT_FOLDERS]


def attachments_dir() -> Path:
    return _private_dir(data_dir() / "attachments")


def config_file() -> Path:
    return data_dir() / "settings.json"
