"""Load a full-size MNIST file (60,000 + 10,000 images of 28×28) and show the first page of the
sample grid; then scroll the grid. Prints the figures (target: load + first page under 1 s).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_dataset_load.py

The files are generated in a temporary folder in the Keras mnist.npz format (compressed, as
Keras ships it), as an uncompressed npz (memory-mapped) and as gzipped IDX files, from the
bundled 5,000 real digits repeated, so compression behaves like real MNIST.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402


def make_files(folder: Path) -> dict[str, Path]:
    from desktop_dl.core.datasets.mnist_files import write_idx
    from desktop_dl.paths import resource

    with np.load(resource("mnist_5k.npz")) as data:
        x5, y5 = data["x"], data["y"]
    rng = np.random.default_rng(0)
    order = rng.permutation(np.tile(np.arange(5000), 14))
    x, y = x5[order], y5[order]
    x_train, y_train, x_test, y_test = x[:60000], y[:60000], x[60000:70000], y[60000:70000]
    files = {"keras mnist.npz (compressed)": folder / "mnist.npz",
             "uncompressed npz (memory-mapped)": folder / "plain" / "mnist.npz",
             "gzipped IDX folder": folder / "idx"}
    np.savez_compressed(files["keras mnist.npz (compressed)"], x_train=x_train, y_train=y_train,
                        x_test=x_test, y_test=y_test)
    (folder / "plain").mkdir()
    np.savez(files["uncompressed npz (memory-mapped)"], x_train=x_train, y_train=y_train,
             x_test=x_test, y_test=y_test)
    (folder / "idx").mkdir()
    for name, arr in (("train-images-idx3-ubyte.gz", x_train), ("train-labels-idx1-ubyte.gz", y_train),
                      ("t10k-images-idx3-ubyte.gz", x_test), ("t10k-labels-idx1-ubyte.gz", y_test)):
        write_idx(folder / "idx" / name, arr)
    return files


def _paint_first_page(app, view, model) -> int:
    """Process events and paint until the first page's thumbnails are drawn; returns how many."""
    painted = set()
    original = model._pixmap

    def counting(sample):
        painted.add(sample)
        return original(sample)

    model._pixmap = counting
    deadline = time.perf_counter() + 10
    while len(painted) < 40 and time.perf_counter() < deadline:
        app.processEvents()
        view.viewport().repaint()
    model._pixmap = original
    return len(painted)


def main() -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from desktop_dl.core.datasets import load_dataset
    from desktop_dl.ui.data.dataset_grid_model import SampleGridModel, make_sample_grid_view

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        files = make_files(Path(tmp))
        print(f"generated the files in {time.perf_counter() - t:.1f} s")
        # Qt's one-time costs (fonts, enums, first paint) are paid once, as the window does at
        # start-up, so that the figures below are about the data.
        warm_model = SampleGridModel()
        warm = make_sample_grid_view(warm_model)
        warm.show()
        warm_model.set_dataset(load_dataset("mnist-5k"))
        _paint_first_page(app, warm, warm_model)
        warm.close()
        for label, path in files.items():
            model = SampleGridModel()
            view = make_sample_grid_view(model)
            view.resize(900, 650)
            view.show()
            app.processEvents()
            t0 = time.perf_counter()
            ds = load_dataset(path)
            t1 = time.perf_counter()
            model.set_dataset(ds)
            thumbnails = _paint_first_page(app, view, model)
            t2 = time.perf_counter()
            print(f"{label:34s} load {1000 * (t1 - t0):6.0f} ms + first grid page "
                  f"{1000 * (t2 - t1):5.0f} ms = {1000 * (t2 - t0):6.0f} ms  ({len(ds):,} images, "
                  f"{thumbnails} thumbnails painted)")
            view.close()
        # Scrolling, once the background layout has placed all 70,000 items.
        deadline = time.perf_counter() + 10
        last = model.index(model.rowCount() - 1)
        view.show()
        t = time.perf_counter()
        while not view.visualRect(last).isValid() and time.perf_counter() < deadline:
            app.processEvents()
        print(f"background layout of {model.rowCount():,} items finished after "
              f"{1000 * (time.perf_counter() - t):.0f} ms (the first page was already shown)")
        bar = view.verticalScrollBar()
        jumps, steps = [], []
        for k in range(40):
            t = time.perf_counter()
            bar.setValue(int(bar.maximum() * k / 39))
            view.viewport().repaint()
            app.processEvents()
            jumps.append(time.perf_counter() - t)
        for _ in range(40):
            t = time.perf_counter()
            bar.setValue(bar.value() - 40)
            view.viewport().repaint()
            app.processEvents()
            steps.append(time.perf_counter() - t)
        print(f"scroll to a new page (all thumbnails new): median {1000 * statistics.median(jumps):.1f} ms,"
              f" max {1000 * max(jumps):.1f} ms")
        print(f"scroll by a wheel step (full repaint):     median {1000 * statistics.median(steps):.1f} ms,"
              f" max {1000 * max(steps):.1f} ms")
        t = time.perf_counter()
        s = ds.splits(validation=0.1)
        print(f"splits() of 70,000 images to float32: {1000 * (time.perf_counter() - t):.0f} ms "
              f"(train {s.x_train.shape}, test {s.x_test.shape})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
