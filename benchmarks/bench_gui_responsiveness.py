"""GUI event-loop lateness while the Train tab trains the MNIST CNN on the bundled digits.

A QTimer asks to fire every 10 ms and records how late each tick is (actual gap - 10 ms); the
curves keep redrawing meanwhile. Reports max and p99 lateness in three phases: idle (the same
timer with nothing running: what the machine itself gives), start-up (the worker imports
TensorFlow and builds the model) and training (from the first batch to the last epoch), and the
number of redraws. The load average is printed too: on a shared machine, lateness follows it.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_responsiveness.py [--epochs 2]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("DESKTOP_DL_DATA", tempfile.mkdtemp(prefix="ddl-bench-"))

INTERVAL_MS = 10


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", default="mnist-cnn")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()

    import numpy as np
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv)

    from desktop_dl.core.templates import load_template
    from desktop_dl.engine.trainer import TrainSettings
    from desktop_dl.ui.train.training_panel import TrainingPanel

    panel = TrainingPanel()
    panel.resize(1280, 760)
    panel.show()
    spec = load_template(args.template)
    panel.set_spec_source(lambda: spec)
    panel.settings_form.set_settings(TrainSettings(epochs=args.epochs, batch_size=args.batch_size, seed=0))

    gaps: dict[str, list[float]] = {"idle": [], "start-up": [], "training": []}
    phase = {"name": "idle"}
    last = [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        if phase["name"] in gaps:
            gaps[phase["name"]].append((now - last[0]) * 1000 - INTERVAL_MS)
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(tick)
    timer.start()

    # Measure while batches flow: from the first batch point to the last epoch.
    def watch():
        if phase["name"] == "idle":
            return
        counts = panel.plots.point_counts()
        if counts["raw"] == 0:
            phase["name"] = "start-up"
        elif counts["train_loss"] < args.epochs:
            phase["name"] = "training"
        else:
            phase["name"] = "after"
    watcher = QTimer()
    watcher.setInterval(5)
    watcher.timeout.connect(watch)
    watcher.start()

    idle = QEventLoop()
    QTimer.singleShot(5000, idle.quit)
    idle.exec()
    loop = QEventLoop()
    panel.trainingFinished.connect(loop.quit)
    started = time.perf_counter()
    phase["name"] = "start-up"
    panel.start()
    loop.exec()
    total = time.perf_counter() - started
    run = panel.runs.run_at(0) if panel.runs.rowCount() else None
    print(f"{args.template}, {args.epochs} epochs, batch {args.batch_size}: whole job {total:.1f} s "
          f"(training {run.seconds if run else float('nan'):.1f} s), {panel.plots.redraws} plot "
          f"redraws; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, values in gaps.items():
        late = np.maximum(np.asarray(values), 0.0)
        if len(late):
            print(f"  {name:>9}: {len(late):5d} ticks, lateness max {late.max():7.1f} ms, "
                  f"p99 {np.percentile(late, 99):6.1f} ms, p50 {np.percentile(late, 50):5.1f} ms")
    print("target: max < 50 ms while training")
    panel.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
