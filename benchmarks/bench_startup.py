"""Start-up benchmark: process start → main window painted, offscreen (target < 1.5 s).

Each run is a fresh interpreter (`python benchmarks/bench_startup.py --child`), timed from the
parent's Popen to the child's report of the window's first paint event; the child also says
whether TensorFlow had been imported by then. Prints every run and the median.
    python benchmarks/bench_startup.py [--runs 7]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def child() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    from desktop_dl.ui.app.main_window import MainWindow

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                print("painted", "tensorflow" in sys.modules, flush=True)
                QTimer.singleShot(0, app.quit)
                obj.removeEventFilter(self)
            return False

    window = MainWindow()
    spy = FirstPaint()
    window.installEventFilter(spy)
    window.show()
    app.exec()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--child", action="store_true")
    args = ap.parse_args()
    if args.child:
        child()
        return
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # As a user's install runs: with compiled bytecode (pip compiles site-packages; an editable
    # checkout compiles on first run unless PYTHONDONTWRITEBYTECODE forbids it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    import compileall
    import desktop_dl
    compileall.compile_dir(os.path.dirname(desktop_dl.__file__), quiet=1)
    times, tf_loaded = [], []
    for i in range(args.runs + 1):
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, __file__, "--child"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True, env=env)
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - t0
        proc.wait()
        if not line.startswith("painted"):
            sys.exit("the window did not paint")
        if i == 0:
            continue  # warm-up: fills the OS file cache
        times.append(elapsed)
        tf_loaded.append(line.split()[1] == "True")
        print(f"run {i}: {elapsed * 1000:.0f} ms")
    print(f"start-up to first paint: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {len(times)} runs; "
          f"TensorFlow imported before paint: {any(tf_loaded)}")


if __name__ == "__main__":
    main()
