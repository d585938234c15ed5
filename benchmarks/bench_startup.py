"""Start-up benchmark: process start → main window painted, offscreen, against a bare window.

Each run is a fresh interpreter (`python benchmarks/bench_startup.py --child [--bare]`), timed
from the parent's Popen to the child's report of the window's first paint event; the child also
says whether TensorFlow had been imported by then. The bare window is what any PySide6 +
pyqtgraph app pays (QApplication, numpy, pyqtgraph, a QMainWindow holding one PlotWidget); runs
alternate app/bare so machine load hits both alike. Target: app ≤ 1.3 × bare.
    python benchmarks/bench_startup.py [--runs 7]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def child(bare: bool) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    if bare:
        import pyqtgraph
        from PySide6.QtWidgets import QMainWindow

        def MainWindow():  # noqa: N802 - stands in for the class
            window = QMainWindow()
            window.setCentralWidget(pyqtgraph.PlotWidget())
            window.resize(1280, 800)
            return window
    else:
        from desktop_dl.ui.app.main_window import MainWindow

    class FirstPaint(QObject):
        # On the application: the first widget of the window to paint (a bare window's only
        # painted child is its plot), the same moment for both kinds of window.
        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                print("painted", "tensorflow" in sys.modules, flush=True)
                QTimer.singleShot(0, app.quit)
                app.removeEventFilter(self)
            return False

    window = MainWindow()
    spy = FirstPaint()
    app.installEventFilter(spy)
    QTimer.singleShot(60_000, app.quit)   # never hang the parent
    window.show()
    app.exec()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--child", action="store_true")
    ap.add_argument("--bare", action="store_true")
    args = ap.parse_args()
    if args.child:
        child(args.bare)
        return
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # As a user's install runs: with compiled bytecode (pip compiles site-packages; an editable
    # checkout compiles on first run unless PYTHONDONTWRITEBYTECODE forbids it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    import compileall
    import desktop_dl
    compileall.compile_dir(os.path.dirname(desktop_dl.__file__), quiet=1)
    times, bare_times, tf_loaded = [], [], []
    for i in range(args.runs + 1):
        for bare in (False, True):
            t0 = time.perf_counter()
            command = [sys.executable, __file__, "--child"] + (["--bare"] if bare else [])
            proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True, env=env)
            line = proc.stdout.readline()
            elapsed = time.perf_counter() - t0
            proc.wait()
            if not line.startswith("painted"):
                sys.exit("the window did not paint")
            if i == 0:
                continue  # warm-up: fills the OS file cache
            (bare_times if bare else times).append(elapsed)
            if not bare:
                tf_loaded.append(line.split()[1] == "True")
        if i:
            print(f"run {i}: app {times[-1] * 1000:.0f} ms, bare {bare_times[-1] * 1000:.0f} ms")
    app, bare = statistics.median(times), statistics.median(bare_times)
    print(f"start-up to first paint: app median {app * 1000:.0f} ms (min {min(times) * 1000:.0f}), "
          f"bare PySide6 + pyqtgraph window median {bare * 1000:.0f} ms "
          f"(min {min(bare_times) * 1000:.0f}); ratio {app / bare:.2f} over {len(times)} runs; "
          f"TensorFlow imported before paint: {any(tf_loaded)}")


if __name__ == "__main__":
    main()
