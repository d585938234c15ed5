#!/usr/bin/env python3
"""Refresh the translations: lupdate over desktop_dl/ into the .ts sources, then lrelease to .qm.

Usage (from anywhere, where PySide6-Essentials is installed):
    python resources/i18n/update_translations.py            # lupdate + lrelease
    python resources/i18n/update_translations.py --release  # lrelease only (after translating)
New strings arrive in the .ts as "unfinished"; translate them (Qt Linguist, or any editor),
then run this again. The .ts files are the sources kept in git; the .qm files are built from
them and committed too, so a checkout runs without Qt's tools.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]   # the project root (desktop_dl/resources/i18n → ../../..)
LANGUAGES = ("zh_CN",)


def tool(name: str) -> list[str]:
    """PySide6's wrapper (pyside6-lupdate) or, failing that, the binary inside the PySide6 wheel."""
    wrapper = shutil.which(f"pyside6-{name}")
    if wrapper:
        return [wrapper]
    import PySide6
    binary = Path(PySide6.__file__).parent / (name + (".exe" if sys.platform == "win32" else ""))
    if binary.exists():
        return [str(binary)]
    raise SystemExit(f"Cannot find pyside6-{name}: install PySide6-Essentials (pip install PySide6-Essentials).")


def ts_path(lang: str) -> Path:
    return HERE / f"desktop_dl_{lang}.ts"


PLURAL_ONLY = ("en",)   # English needs only the plural forms of tr("%n file(s)", "", n)


def lupdate() -> None:
    for lang in LANGUAGES + PLURAL_ONLY:
        # -locations none keeps the .ts stable while the code moves; contexts are the class names.
        extra = ["-pluralonly"] if lang in PLURAL_ONLY else []
        subprocess.run(tool("lupdate") + ["-extensions", "py", "-locations", "none", "-no-obsolete",
                                          *extra, "-target-language", lang, str(ROOT / "desktop_dl"),
                                          "-ts", str(ts_path(lang))], check=True)


def lrelease() -> None:
    for lang in LANGUAGES + PLURAL_ONLY:
        subprocess.run(tool("lrelease") + [str(ts_path(lang)), "-qm",
                                           str(HERE / f"desktop_dl_{lang}.qm")], check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--release", action="store_true", help="only build the .qm files")
    args = ap.parse_args()
    if not args.release:
        lupdate()
    lrelease()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
