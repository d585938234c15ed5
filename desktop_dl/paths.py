"""Where the app finds its bundled resources and keeps the user's files.

Plain Python: importable from core, engine and ui alike.
"""
from __future__ import annotations

import os
import sys
from importlib.resources import files
from pathlib import Path


def resources_dir() -> Path:
    """The package's `desktop_dl/resources/` folder, wherever the package is installed.

    Read through `importlib.resources`, so the same code works from a checkout, an installed
    wheel and a PyInstaller bundle (which keeps package data at the same relative place).
    DESKTOP_DL_RESOURCES overrides it (tests of a damaged install).
    """
    override = os.environ.get("DESKTOP_DL_RESOURCES")
    if override:
        return Path(override)
    # The package is always a folder on disk (wheel, checkout, bundle), never a zip import.
    return Path(str(files("desktop_dl").joinpath("resources")))


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


def is_app_owned(path: str | os.PathLike) -> bool:
    """True when `path` (links resolved) lies inside the app's own folders: its data folder
    (run folders, downloads, the default digit model) or its bundled resources.

    Paths read from a file someone sent (a project) are only followed when this holds, or when
    the user chose the same path in this app before (recorded in its settings)."""
    try:
        resolved = Path(path).resolve()
        roots = [user_data_dir().resolve(), resources_dir().resolve()]
    except (OSError, RuntimeError, ValueError):
        return False
    return any(resolved == root or root in resolved.parents for root in roots)
