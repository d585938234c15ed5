"""Qt widgets. Thin: they talk to core and engine, and run long jobs through ui.jobs."""
# Before any Qt call: PySide6 6.12 on Python 3.11 drops a reference to None per void call and
# would abort the interpreter after a few thousand (see pyside_refcount_guard).
from desktop_dl.ui.pyside_refcount_guard import make_singletons_immortal as _immortal

_immortal()
