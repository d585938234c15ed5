"""Where the app finds its bundled resources and keeps the user's files.

Plain Python: importable from core, engine and ui alike.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in a checkout, inside a PyInstaller bundle."""
    override = os.environ.get("DESKTOP_DL_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """Per-user folder for logs, personal datasets, recovery files and recent runs.

    DESKTOP_DL_DATA overrides it (tests point it at a temporary folder).
    """
    override = os.environ.get("DESKTOP_DL_DATA")
    if override:
        path = Path(override)
    elif sys.platform == "win32":
        path = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "desktop_dl"
    elif sys.platform == "darwin":
        path = Path.home() / "Library" / "Application Support" / "desktop_dl"
    else:
        path = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "desktop_dl"
    path.mkdir(parents=True, exist_ok=True)
    return path
