#!/usr/bin/env python3
"""Refresh the gettext catalogs (Babel): extract `_()`, `ngettext()` and `N_()` messages from
desktop_dl/ plus the bundled templates' titles and descriptions, merge them into each
<lang>/LC_MESSAGES/desktop_dl.po, and compile the .po into the .mo beside it.

Usage (needs Babel: pip install "desktop-dl[test]" or pip install babel):
    python desktop_dl/resources/locale/update_catalogs.py            # extract + merge + compile
    python desktop_dl/resources/locale/update_catalogs.py --compile  # compile only (after translating)
    python desktop_dl/resources/locale/update_catalogs.py --check    # exit 1 if anything is stale
New messages arrive in the .po with an empty msgstr; translate them in any editor (or Poedit),
then run this again. Both the .po (source) and the .mo (built) are committed, so a checkout and
a wheel run without Babel. tests/core/test_i18n_catalogs.py fails while a message is missing,
untranslated or its placeholders differ, or the .mo is not what the .po compiles to.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parents[1]                    # desktop_dl/
DOMAIN = "desktop_dl"
LANGUAGES = ("zh_CN",)
# argparse_N_/argparse_ngettext mark argparse's own %-formatted messages in cli.py.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "argparse_N_": None,
            "argparse_ngettext": (1, 2)}
# Qt widgets translate with tr() (.ts files); the widgets' own `_()` calls are extracted too.
METHOD_MAP = [("**.py", "python")]


def po_path(lang: str) -> Path:
    return HERE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def template_catalog() -> Catalog:
    """Every message of the source: code, and the bundled templates' titles and descriptions."""
    catalog = Catalog(domain=DOMAIN, project="desktop_dl", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        catalog.add(message, None, [(f"desktop_dl/{filename}", lineno)], auto_comments=comments,
                    context=context)
    for path in sorted((PACKAGE / "resources" / "templates").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("title", "description"):
            if data.get(key):
                catalog.add(data[key], None, [(f"desktop_dl/resources/templates/{path.name}", 0)])
    return catalog


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def compiled(catalog: Catalog) -> bytes:
    """The .mo of the translated messages (an untranslated one stays English at run time)."""
    for message in list(catalog):
        if message.id and not _translated(message):
            del catalog[message.id]
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def merge(lang: str, template: Catalog) -> None:
    path = po_path(lang)
    if path.exists():
        catalog = read(lang)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=lang, domain=DOMAIN, project="desktop_dl", charset="utf-8")
    created = catalog.creation_date      # kept: a date in the header would change every run
    # No fuzzy matching: a guessed translation of a changed message is worse than none.
    catalog.update(template, no_fuzzy_matching=True)
    catalog.creation_date = created
    catalog.obsolete.clear()
    catalog.fuzzy = False           # the header: Babel marks a new catalog's header fuzzy
    with path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=False, ignore_obsolete=True,
                 include_lineno=False)


def compile_all() -> None:
    for lang in LANGUAGES:
        mo_path(lang).write_bytes(compiled(read(lang)))


def problems(lang: str) -> list[str]:
    """What is stale: messages missing from or untranslated in the .po, and a .mo that differs."""
    catalog = read(lang)
    out = [f"not in {po_path(lang).name}: {m.id!r}" for m in template_catalog()
           if m.id and catalog.get(m.id) is None]
    out += [f"not translated: {m.id!r}" for m in catalog if m.id and not _translated(m)]
    if not mo_path(lang).exists() or mo_path(lang).read_bytes() != compiled(read(lang)):
        out.append(f"{mo_path(lang)} is not what {po_path(lang).name} compiles to")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--compile", action="store_true", help="only compile the .po files")
    ap.add_argument("--check", action="store_true", help="report stale catalogs, change nothing")
    args = ap.parse_args()
    if args.check:
        found = [p for lang in LANGUAGES for p in problems(lang)]
        print("\n".join(found) or "catalogs up to date")
        return 1 if found else 0
    if not args.compile:
        template = template_catalog()
        for lang in LANGUAGES:
            merge(lang, template)
    compile_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
