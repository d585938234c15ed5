"""Peak memory of training on an image npz read from disk vs loaded into memory, by file size.

For each size, a fresh process writes nothing but reads a generated uncompressed npz of 64×64
grayscale images (memory-mapped by the reader), trains a small model one epoch on it through the
app's Trainer, and reports its peak resident memory (ru_maxrss). "stream" uses
core/datasets/lazy_splits.py (batches read with os.pread through keras.utils.PyDataset);
"memory" uses Dataset.splits() (float32 arrays of every sample). Streaming's peak should not grow
with the file; the in-memory peak grows by about 4× the file size.

    python benchmarks/bench_streaming_rss.py [--sizes-mb 100 400] [--modes stream memory]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDE = 64


def make_npz(path: Path, megabytes: int) -> int:
    import numpy as np

    count = megabytes * 2**20 // (SIDE * SIDE)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, size=count).astype(np.uint8)
    # Learnable: each class brightens its own band of rows.
    x = rng.integers(0, 64, size=(count, SIDE, SIDE), dtype=np.uint8)
    for c in range(10):
        x[y == c, c * 6:(c + 1) * 6, :] += 150
    np.savez(path, x=x, y=y)
    return count


def child(path: str, mode: str) -> None:
    import resource
    import time

    from desktop_dl.core.datasets import load_dataset
    from desktop_dl.core.datasets.lazy_splits import lazy_splits
    from desktop_dl.core.spec import LayerSpec, ModelSpec
    from desktop_dl.engine.trainer import Trainer, TrainSettings

    import keras  # noqa: F401  (imported before the baseline, like the data-free part of a run)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dataset = load_dataset(path)
    splits = lazy_splits(dataset, 0.1, 0.1, 0) if mode == "stream" else dataset.splits(0.1, 0.1, 0)
    spec = ModelSpec((SIDE, SIDE, 1), [LayerSpec("AveragePooling2D", {"pool_size": 4}),
                                       LayerSpec("Flatten", {}),
                                       LayerSpec("Dense", {"units": 10, "activation": "softmax"})])
    started = time.perf_counter()
    result = Trainer(spec, splits, TrainSettings(epochs=1, batch_size=256, learning_rate=0.01)).run()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "samples": len(dataset), "peak_rss_mb": round(peak),
                      "baseline_rss_mb": round(baseline), "seconds": round(time.perf_counter() - started, 1),
                      "val_accuracy": round(result.history["val_accuracy"][-1], 3)}))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes-mb", type=int, nargs="+", default=[100, 400])
    parser.add_argument("--modes", nargs="+", default=["stream", "memory"])
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3"}
    rows = []
    with tempfile.TemporaryDirectory(prefix="ddl-rss-") as tmp:
        for size in args.sizes_mb:
            path = Path(tmp) / f"images_{size}mb.npz"
            make_npz(path, size)
            for mode in args.modes:
                out = subprocess.run([sys.executable, __file__, "--child", str(path), mode], env=env,
                                     capture_output=True, text=True, check=True).stdout
                row = {"file_mb": round(path.stat().st_size / 2**20), **json.loads(out.strip().splitlines()[-1])}
                rows.append(row)
                print(json.dumps(row), flush=True)
            path.unlink()
    print(f"{'file MB':>8} {'mode':>7} {'samples':>8} {'peak RSS MB':>12} {'(before data)':>14} {'s':>6} {'val acc':>8}")
    for r in rows:
        print(f"{r['file_mb']:>8} {r['mode']:>7} {r['samples']:>8} {r['peak_rss_mb']:>12} "
              f"{r['baseline_rss_mb']:>14} {r['seconds']:>6} {r['val_accuracy']:>8}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        sys.exit(0)
    sys.exit(main())
