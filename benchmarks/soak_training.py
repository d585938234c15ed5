"""Soak test: the real training panel trains and plots for 10,000+ batches; does memory stay flat
and does the GUI stay responsive?

The panel trains a small dense net on the bundled MNIST digits (4,000 training images at batch 8
give 500 batches an epoch; 20 epochs = 10,000 batches) while its live curves redraw. A 10 ms
precise QTimer measures event-loop lateness (actual gap - 10 ms) the whole time. RSS is sampled
at every epoch end: "before" is the end of epoch 1 (TensorFlow loaded, model built, first
curves drawn), "after" the end of the run; the slope over the second half shows any leak.

    QT_QPA_PLATFORM=offscreen python benchmarks/soak_training.py [--epochs 20] [--batch-size 8]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("DESKTOP_DL_DATA", tempfile.mkdtemp(prefix="ddl-soak-"))

INTERVAL_MS = 10
MB = 1024 * 1024


def rss_bytes() -> int:
    """Resident memory now (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--units", type=int, default=64)
    args = parser.parse_args()

    import numpy as np
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv)

    from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec
    from desktop_dl.engine.trainer import TrainSettings
    from desktop_dl.ui.train.training_panel import TrainingPanel

    panel = TrainingPanel()
    panel.resize(1280, 760)
    panel.show()
    spec = ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                   LayerSpec("Dense", {"units": args.units, "activation": "relu"}),
                                   LayerSpec("Dense", {"units": 10, "activation": "softmax"})],
                     CompileSpec("adam", 1e-3), name="soak")
    panel.set_spec_source(lambda: spec)
    panel.settings_form.set_settings(TrainSettings(epochs=args.epochs, batch_size=args.batch_size,
                                                   seed=0, early_stopping=0))

    lateness: list[float] = []
    last = [time.perf_counter()]
    training = {"on": False}

    def tick():
        now = time.perf_counter()
        if training["on"]:
            lateness.append((now - last[0]) * 1000 - INTERVAL_MS)
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(tick)
    timer.start()

    rss_start = rss_bytes()
    epochs: list[tuple[int, float, int]] = []     # (epoch, seconds since start, rss)
    batches = {"n": 0}
    t0 = time.perf_counter()

    def progress(message):
        kind = message[0]
        if kind == "batches":
            if not training["on"]:
                training["on"] = True
                last[0] = time.perf_counter()
            batches["n"] += len(message[1])
        elif kind == "epoch":
            epochs.append((message[1], time.perf_counter() - t0, rss_bytes()))
            print(f"  epoch {message[1] + 1:>3}: {batches['n']:>6} batches, "
                  f"RSS {rss_bytes() / MB:7.1f} MB, {time.perf_counter() - t0:6.1f} s", flush=True)

    done = QEventLoop()
    panel.trainingFinished.connect(done.quit)
    panel.start()
    panel._job.progress.connect(progress)
    done.exec()
    training["on"] = False
    timer.stop()
    app.processEvents()
    wall = time.perf_counter() - t0
    rss_end = rss_bytes()

    run = panel.runs.runs()[-1] if panel.runs.runs() else None
    print(f"\nsoak: {batches['n']} batches in {len(epochs)} epochs, {wall:.0f} s "
          f"({batches['n'] / wall:.0f} batches/s incl. start-up); run status: "
          f"{run.status if run else 'none'} {run.message if run else panel.last_error}")
    if epochs:
        first, final = epochs[0][2], epochs[-1][2]
        print(f"RSS: {rss_start / MB:.0f} MB at start, {first / MB:.0f} MB after epoch 1 "
              f"(TensorFlow loaded), {final / MB:.0f} MB after epoch {len(epochs)}, "
              f"{rss_end / MB:.0f} MB at the end")
        half = epochs[len(epochs) // 2:]
        if len(half) >= 2:
            slope = np.polyfit([e[0] for e in half], [e[2] / MB for e in half], 1)[0]
            per_1000 = slope * 1000 / max(1, batches["n"] / len(epochs))
            print(f"RSS growth over the second half: {slope:+.2f} MB per epoch "
                  f"({per_1000:+.2f} MB per 1,000 batches); epoch 1 → end: "
                  f"{(final - first) / MB:+.1f} MB")
    if lateness:
        lat = np.array(lateness)
        print(f"GUI event-loop lateness while training ({len(lat)} ticks of {INTERVAL_MS} ms): "
              f"median {np.median(lat):.1f} ms, p99 {np.percentile(lat, 99):.1f} ms, "
              f"max {lat.max():.1f} ms; ticks later than 100 ms: {(lat > 100).sum()}")
    print(f"plot redraws: {getattr(panel.plots, 'redraws', 'n/a')}")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
