"""core imports neither Qt nor TensorFlow; engine never imports Qt (STYLE.md §1)."""
import pkgutil
import subprocess
import sys

import desktop_dl.core
import desktop_dl.engine

HEAVY = ("PySide6", "tensorflow", "keras", "onnxruntime", "tf2onnx", "pyqtgraph")


def _modules(package):
    return [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]


def _loaded_after_import(module: str) -> set[str]:
    code = (f"import sys, {module}\n"
            "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_core_modules_import_no_qt_or_tensorflow():
    names = _modules(desktop_dl.core)
    assert names, "core has modules"
    code = "import sys\n" + "".join(f"import {n}\n" for n in names) + \
        "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert not loaded & set(HEAVY), f"core pulled in {loaded & set(HEAVY)}"


def test_engine_modules_import_no_qt():
    for name in _modules(desktop_dl.engine):
        loaded = _loaded_after_import(name)
        assert "PySide6" not in loaded and "pyqtgraph" not in loaded, f"{name} imports Qt"
