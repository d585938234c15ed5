"""Overhead of the app's training path vs a bare `model.fit`, measured in one process.

The app path is the real Train tab: TrainingPanel → prepare_run (a Job thread) → the training
process (engine/training_process.py: Trainer with its listener, events over a pipe) → the Qt
adapter's signals → live pyqtgraph curves redrawn at ≤ 20 Hz. CPU time counts both processes
(this one and the training worker, read from /proc). The bare path is
`model.fit(..., verbose=0)` of the same template, data, batch size and validation set. Runs
alternate (bare, app, bare, app, …) after a warm-up so drift and caching hit both alike; the
figures compared are the training wall time (Trainer's own clock vs a clock around fit) and the
CPU time the whole process spent meanwhile (all threads: TensorFlow, the worker's callback, the
GUI thread's redraws). On a shared machine the CPU time is the steadier figure. Both exclude the
app's test evaluation and ONNX export that follow a run.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_training_overhead.py [--epochs 3] [--repeats 2]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("DESKTOP_DL_DATA", tempfile.mkdtemp(prefix="ddl-bench-"))


def worker_cpu(pid: int | None) -> float:
    """User + system CPU seconds of process `pid` so far (Linux /proc)."""
    if pid is None:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--template", default="mnist-cnn")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv)

    import keras

    from desktop_dl.core.datasets import load_dataset
    from desktop_dl.core.templates import load_template
    from desktop_dl.engine.keras_build import build_model, compile_model
    from desktop_dl.engine.trainer import TrainSettings
    from desktop_dl.ui.train.training_panel import TrainingPanel

    spec = load_template(args.template)
    data = load_dataset("mnist-5k")
    splits = data.splits(validation=0.1, test=0.1, seed=0)

    def bare(epochs: int) -> tuple[float, float]:
        keras.utils.set_random_seed(0)
        model = build_model(spec)
        compile_model(model, spec, data.task)
        started, cpu = time.perf_counter(), time.process_time()
        model.fit(splits.x_train, splits.y_train, batch_size=args.batch_size, epochs=epochs,
                  validation_data=(splits.x_val, splits.y_val), verbose=0, shuffle=True)
        return time.perf_counter() - started, time.process_time() - cpu

    panel = TrainingPanel()
    panel.resize(1280, 760)
    panel.show()
    panel.set_spec_source(lambda: spec)
    panel.set_dataset(data)

    def with_app(epochs: int) -> tuple[float, float, int]:
        panel.settings_form.set_settings(TrainSettings(epochs=epochs, batch_size=args.batch_size, seed=0))
        loop = QEventLoop()
        panel.trainingFinished.connect(loop.quit)
        redraws = panel.plots.redraws
        cpu = {}

        def both_processes() -> float:
            return time.process_time() + worker_cpu(panel._process.process.pid)

        def clock(progress):      # CPU time from the start of fit to its last epoch
            message = progress.data
            if message[0] == "begin":
                cpu["begin"] = both_processes()
            elif message[0] == "epoch" and message[1] == epochs - 1:
                cpu["end"] = both_processes()

        panel._process.progress.connect(clock)
        panel.start()
        loop.exec()
        panel.trainingFinished.disconnect(loop.quit)
        panel._process.progress.disconnect(clock)
        run = panel.runs.run_at(panel.runs.rowCount() - 1)
        return run.seconds, cpu["end"] - cpu["begin"], panel.plots.redraws - redraws

    print(f"{args.template} on mnist-5k: {len(splits.y_train)} training samples, batch {args.batch_size}, "
          f"{args.epochs} epochs, keras {keras.__version__} ({keras.backend.backend()}), "
          f"{os.cpu_count()} CPUs", flush=True)
    bare(1)             # warm-up: imports, first graph tracing, thread pools
    with_app(1)         # the same for the training process
    bare_times, app_times, bare_cpu, app_cpu = [], [], [], []
    for i in range(args.repeats):
        b, bc = bare(args.epochs)
        a, ac, redraws = with_app(args.epochs)
        bare_times.append(b)
        app_times.append(a)
        bare_cpu.append(bc)
        app_cpu.append(ac)
        print(f"  repeat {i + 1}: bare fit {b:.2f} s ({bc:.1f} CPU s)   app with live plots "
              f"{a:.2f} s ({ac:.1f} CPU s, {redraws} redraws)   wall ratio {a / b:.3f}, "
              f"CPU ratio {ac / bc:.3f}   load {os.getloadavg()[0]:.1f}", flush=True)
    b, a = statistics.median(bare_times), statistics.median(app_times)
    bc, ac = statistics.median(bare_cpu), statistics.median(app_cpu)
    print(f"median wall: bare fit {b:.2f} s, app {a:.2f} s, overhead {100 * (a / b - 1):+.1f}%")
    print(f"median CPU:  bare fit {bc:.1f} s, app {ac:.1f} s, overhead {100 * (ac / bc - 1):+.1f}% "
          f"(target within +10%)")
    panel.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
