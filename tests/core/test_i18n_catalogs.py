"""The gettext catalogs: complete, compiled, with the same placeholders as the source, and every
`_()` call in the code written so that Babel can extract it."""
import ast
import re
import sys
from pathlib import Path

import pytest

import desktop_dl
from desktop_dl.paths import resource

# Babel is a test dependency (pyproject's [test] extra); update_catalogs imports it.
sys.path.insert(0, str(resource("locale")))
import update_catalogs  # noqa: E402

PACKAGE = Path(desktop_dl.__file__).parent
FIELD = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdr]|%[sdr]")   # {named} fields; argparse's %-formats


@pytest.mark.parametrize("lang", update_catalogs.LANGUAGES)
def test_catalog_is_complete_and_the_mo_is_compiled_from_the_po(lang):
    """Fails for a new `_()` message missing from the .po, an untranslated or fuzzy one, and a
    committed .mo that is not what the .po compiles to (run update_catalogs.py)."""
    assert update_catalogs.problems(lang) == []


@pytest.mark.parametrize("lang", update_catalogs.LANGUAGES)
def test_translations_keep_every_placeholder(lang):
    wrong = []
    for message in update_catalogs.read(lang):
        if not message.id:
            continue
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            if sorted(FIELD.findall(text)) != sorted(FIELD.findall(source)):
                wrong.append((source, text))
    assert wrong == []


def _calls():
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext", "N_"):
                yield path.relative_to(PACKAGE.parent), node


def test_messages_are_literals_with_named_placeholders():
    """`_(f"...")` would look up the already-filled text (never found), and `{}`/`%s` cannot
    be reordered by a translator: messages are literals with {named} fields. `_(variable)`
    translates data marked elsewhere with N_() (or a bundled template's title)."""
    bad = []
    for where, call in _calls():
        literals = call.args[:2] if call.func.id == "ngettext" else call.args[:1]
        for arg in literals:
            if isinstance(arg, ast.JoinedStr):
                bad.append(f"{where}:{call.lineno}: f-string")
            elif isinstance(arg, ast.Constant) and re.search(r"\{\}|\{\d|%[sd]", arg.value):
                bad.append(f"{where}:{call.lineno}: positional placeholder")
    assert bad == []


def test_no_message_is_translated_at_import_time():
    """The language is chosen at start-up, after modules are imported: text defined at module
    level is marked with N_() and translated with _() where it is shown."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node, in_function):
            for child in ast.iter_child_nodes(node):
                inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                          ast.Lambda))
                if (not in_function and isinstance(child, ast.Call)
                        and getattr(child.func, "id", None) in ("_", "ngettext")):
                    found.append(f"{path.name}:{child.lineno}")
                visit(child, inner)
        visit(tree, False)
    assert found == []


def test_no_module_that_translates_rebinds_the_underscore():
    """`for _ in ...` or `a, _ = ...` in a function that also calls `_()` makes `_` local there:
    UnboundLocalError at the first message. Modules importing `_` use another throwaway name."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        imports = re.findall(r"^from desktop_dl\.core\.i18n import ([^#\n]*)", text, re.M)
        if "_" not in {name.strip() for line in imports for name in line.split(",")}:
            continue
        for node in ast.walk(ast.parse(text)):
            if (isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)) \
                    or (isinstance(node, ast.arg) and node.arg == "_"):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
