"""Memory after many runs and dataset switches: RSS of the window's process (and of the training
worker) after the first run, then after N runs and M dataset switches in the Data tab.

Issue 17's target: RSS after 20 runs and 5 dataset switches within 300 MB of RSS after the
first run. Runs are tiny (a dense net, one epoch on mnist-5k) so the growth measured is the
app's, not the model's.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_memory_runs.py [--runs 20] [--switches 5]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("DESKTOP_DL_DATA", tempfile.mkdtemp(prefix="ddl-bench-"))


def rss_mb(pid: int | None = None) -> float:
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--switches", type=int, default=5)
    args = ap.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from desktop_dl.core.spec import LayerSpec, ModelSpec
    from desktop_dl.engine.trainer import TrainSettings
    from desktop_dl.ui.app.main_window import MainWindow

    window = MainWindow()
    window.show()
    panel, browser = window.training, window.browser
    spec = ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                   LayerSpec("Dense", {"units": 32, "activation": "relu"}),
                                   LayerSpec("Dense", {"units": 10, "activation": "softmax"})])
    panel.set_spec_source(lambda: spec)

    def wait(signal, seconds=300):
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()
        signal.disconnect(loop.quit)

    def one_run():
        panel.settings_form.set_settings(TrainSettings(epochs=1, batch_size=128, seed=0))
        QTimer.singleShot(0, panel.start)
        wait(panel.trainingFinished)

    one_run()
    first = rss_mb(os.getpid()), rss_mb(panel._process.process.pid)
    t0 = time.perf_counter()
    names = ["iris", "wine", "diabetes", "breast-cancer", "mnist-5k"]
    for i in range(1, args.runs):
        if i <= args.switches:
            QTimer.singleShot(0, lambda n=names[(i - 1) % len(names)]: browser.load(n))
            wait(browser.datasetChanged, 60)
        one_run()
    after = rss_mb(os.getpid()), rss_mb(panel._process.process.pid)
    print(f"{panel.runs.rowCount()} runs, {args.switches} dataset switches in "
          f"{time.perf_counter() - t0:.0f} s")
    print(f"window process RSS: after the first run {first[0]:.0f} MB, after all {after[0]:.0f} MB "
          f"(+{after[0] - first[0]:.0f} MB; target < +300 MB)")
    print(f"training worker RSS: {first[1]:.0f} MB → {after[1]:.0f} MB")
    print(f"datasets cached in the Data tab: {len(browser._loaded)}")
    window.project.prompts.save_changes = lambda name: "discard"
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
