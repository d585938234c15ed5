"""The project's structure checks itself: import-linter contracts and no import cycles in core."""
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "HOME": str(root)}
    return subprocess.run([sys.executable, "-c", LINT], cwd=root, env=env, capture_output=True,
                          text=True, timeout=120)


def test_import_contracts_hold():
    out = lint_imports(ROOT)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_import_contracts_catch_qt_planted_in_core(tmp_path):
    shutil.copytree(ROOT / "desktop_dl", tmp_path / "desktop_dl",
                    ignore=shutil.ignore_patterns("resources", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    errors = tmp_path / "desktop_dl" / "core" / "errors.py"
    errors.write_text(errors.read_text() + "\nimport PySide6  # planted\n")
    out = lint_imports(tmp_path)
    assert out.returncode != 0
    assert "desktop_dl.core.errors -> PySide6" in out.stdout


def test_panels_do_not_import_each_other_and_draw_cannot_reach_train(tmp_path):
    shutil.copytree(ROOT / "desktop_dl", tmp_path / "desktop_dl",
                    ignore=shutil.ignore_patterns("resources", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    canvas = tmp_path / "desktop_dl" / "ui" / "draw" / "canvas.py"
    canvas.write_text(canvas.read_text() + "\nimport desktop_dl.ui.train.training_panel  # planted\n")
    out = lint_imports(tmp_path)
    assert out.returncode != 0 and "BROKEN" in out.stdout


def core_import_cycles() -> list[tuple[str, ...]]:
    graph = grimp.build_graph("desktop_dl")
    modules = sorted(m for m in graph.modules if m.startswith("desktop_dl.core."))
    edges = {m: {i for i in graph.find_modules_directly_imported_by(m) if i in modules}
             for m in modules}
    cycles, state = [], {}

    def visit(module, stack):
        state[module] = "open"
        for nxt in sorted(edges[module]):
            if state.get(nxt) == "open":
                cycles.append(tuple(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[module] = "done"

    for module in modules:
        if module not in state:
            visit(module, [module])
    return cycles


def test_core_has_no_import_cycles():
    # A module that is a package's __init__ re-exporting its children is not a cycle of ours.
    cycles = [c for c in core_import_cycles()
              if not any(m.count(".") == 2 and c[0].startswith(m + ".") for m in c)]
    assert cycles == []
