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
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "tama_desk.sqlite3"


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_file() -> Path:
    return data_dir() / "settings.json"
