"""Keep PySide6 6.12 from crashing Python 3.11: make None, True and False immortal, as 3.12 does.

Measured here with PySide6 6.12.0 on CPython 3.11: every call of a Qt method that returns
nothing (label.setText, painter.drawPath, widget.update, QTest.mouseClick, ...) hands back None
without a new reference, and Signal.emit does the same with True. Shiboken was written for
Python 3.12+, where these singletons are immortal and their count no longer matters. On 3.11
each call lowers None's reference count by one; after a few thousand calls (a few seconds of
drawing on the canvas, a long test session) the interpreter aborts with "Fatal Python error:
none_dealloc: deallocating None", mid-run or at exit after every test passed.

Python 3.12 (PEP 683) gives immortal objects a huge reference count; we do the same here, so
references lost by the binding can never bring these objects to zero. They are never freed in
any case, so nothing else changes. Applied once, on CPython before 3.12 only, and only after
checking that the count sits where the C layout says (it does in every release build).
"""
from __future__ import annotations

import ctypes
import platform
import sys

_applied = False


def make_singletons_immortal() -> bool:
    """Returns True when the counts were raised (now or earlier), False where not needed."""
    global _applied
    if _applied:
        return True
    if sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    # 2**40 lost references would take years of calls; stay inside a 32-bit Py_ssize_t too.
    boost = (1 << 40) if ctypes.sizeof(ctypes.c_ssize_t) >= 8 else (1 << 28)
    for obj in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(obj))
        if count.value != sys.getrefcount(obj) - 1:   # a debug build's layout: leave it alone
            return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += boost
    _applied = True
    return True
