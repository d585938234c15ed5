"""Every public function, class and public method in core, engine and commands has a docstring.

Issue 18 asks that public APIs state shapes, dtypes, units and errors; this test checks the
floor of that (a docstring exists) by parsing the sources with ``ast`` so that it imports
none of the modules (no TensorFlow/Keras start-up, milliseconds to run).
"""

from __future__ import annotations

import ast
import pathlib

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "desktop_dl"
CHECKED_PACKAGES = ("core", "engine", "commands")
DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_public(name: str) -> bool:
    return not name.startswith("_")


def _undocumented(path: pathlib.Path, package: pathlib.Path = PACKAGE) -> list[str]:
    """'path:line name' for each public definition in *path* without a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(package.parent).as_posix()
    missing = []
    for node in tree.body:
        if not isinstance(node, DEFINITIONS) or not _is_public(node.name):
            continue
        if not ast.get_docstring(node):
            missing.append(f"{where}:{node.lineno} {node.name}")
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if (
                    isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and _is_public(member.name)
                    and not ast.get_docstring(member)
                ):
                    missing.append(f"{where}:{member.lineno} {node.name}.{member.name}")
    return missing


def _sources() -> list[pathlib.Path]:
    return sorted(
        path
        for package in CHECKED_PACKAGES
        for path in (PACKAGE / package).rglob("*.py")
    )


def test_the_checked_packages_exist():
    # Guards against the test passing vacuously after a move or rename.
    for package in CHECKED_PACKAGES:
        assert (PACKAGE / package / "__init__.py").is_file(), package
    assert len(_sources()) > 20


def test_the_checker_finds_a_missing_docstring(tmp_path):
    source = tmp_path / "desktop_dl" / "core" / "sample.py"
    source.parent.mkdir(parents=True)
    source.write_text(
        '"""Module."""\n'
        "def shown(): pass\n"
        "def _private(): pass\n"
        "class Shown:\n"
        '    """Documented."""\n'
        "    def method(self): pass\n"
        "    def _helper(self): pass\n",
        encoding="utf-8",
    )
    found = _undocumented(source, package=tmp_path / "desktop_dl")
    assert found == ["desktop_dl/core/sample.py:2 shown", "desktop_dl/core/sample.py:6 Shown.method"]


def test_every_public_definition_has_a_docstring():
    missing = [entry for path in _sources() for entry in _undocumented(path)]
    assert not missing, "Public definitions without a docstring:\n" + "\n".join(missing)
