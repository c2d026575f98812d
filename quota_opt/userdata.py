"""The user data folder: where quota-opt keeps what a user adds (saved runs, notice rules, reference data).

``%APPDATA%\\quota-opt`` on Windows, ``~/Library/Application Support/quota-opt`` on macOS,
``$XDG_DATA_HOME/quota-opt`` (default ``~/.local/share/quota-opt``) elsewhere. Inside it:
``runs.sqlite3`` (the run store, unless ``QUOTA_OPT_DB`` moves it), ``rules/YEAR.toml`` (notice
rules a user entered) and ``data/DATASET.csv`` (reference figures a user supplied).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_FOLDER = "quota-opt"


def user_data_dir(env: dict[str, str] | None = None, platform: str | None = None, home: Path | None = None) -> Path:
    """The user data folder of this platform (it may not exist yet; nothing here creates it)."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    if platform.startswith("win"):
        base = Path(env["APPDATA"]) if env.get("APPDATA") else home / "AppData" / "Roaming"
    elif platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(env["XDG_DATA_HOME"]) if env.get("XDG_DATA_HOME") else home / ".local" / "share"
    return base / APP_FOLDER


def user_rules_dir() -> Path:
    """``rules/`` in the user data folder: notice years a user entered."""
    return user_data_dir() / "rules"


def user_reference_dir() -> Path:
    """``data/`` in the user data folder: reference figures a user supplied for a basis year."""
    return user_data_dir() / "data"
