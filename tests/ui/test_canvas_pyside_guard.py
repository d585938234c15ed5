"""PySide6 6.12 on Python 3.11 loses a reference to None per void Qt call; the guard in
desktop_dl.ui keeps the interpreter alive (without it this aborts with none_dealloc)."""
import subprocess
import sys


def test_many_void_qt_calls_and_signal_emits_do_not_abort_python():
    code = ("import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "import desktop_dl.ui\n"
            "from PySide6.QtCore import QObject, Signal\n"
            "from PySide6.QtWidgets import QApplication, QLabel\n"
            "app = QApplication([])\n"
            "class Emitter(QObject):\n"
            "    changed = Signal()\n"
            "label, emitter = QLabel(), Emitter()\n"
            "for i in range(30000):\n"
            "    label.setText('x')\n"
            "    emitter.changed.emit()\n"
            "print('alive')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "alive" in out.stdout, out.stderr[-2000:]
