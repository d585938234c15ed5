"""Load a generated 100 MB CSV (1,000,000 rows × 12 columns) as a dataset; time and peak memory.

    python benchmarks/bench_csv_load.py [--rows 1000000] [--decimal-comma] [--keep DIR]

The table has 11 number columns and a text target with five classes (≈ 100 bytes a row). Each
load runs in a fresh Python process, so its peak resident memory (ru_maxrss) is the load's own:
the figures printed are the seconds for `load_dataset(path, target=...)`, the peak RSS of the
process, and the peak above what the interpreter held after importing (the load's own memory).
Targets (issue 15): under 5 s, and within 3× the file size in memory.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from desktop_dl.core.datasets import load_dataset
import desktop_dl.core.datasets.csv_table, pandas, clevercsv, charset_normalizer  # imports first

def peak_rss():
    # VmHWM starts afresh at exec; ru_maxrss keeps the parent's peak across fork + exec.
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale

base = peak_rss()
start = time.perf_counter()
ds = load_dataset(sys.argv[2], target="label")
seconds = time.perf_counter() - start
peak = peak_rss()
print(json.dumps({"seconds": seconds, "peak": peak, "base": base, "rows": len(ds),
                  "shape": list(ds.input_shape), "notes": ds.notes[:2]}))
"""


def make_csv(path: Path, rows: int, decimal_comma: bool) -> None:
    import pandas as pd

    rng = np.random.default_rng(0)
    sep = ";" if decimal_comma else ","
    classes = np.array(["alpha", "beta", "gamma", "delta", "omega"])
    for start in range(0, rows, 200_000):
        n = min(200_000, rows - start)
        frame = pd.DataFrame(rng.normal(50, 20, (n, 11)), columns=[f"x{i}" for i in range(11)])
        frame["label"] = classes[rng.integers(0, 5, n)]
        frame.to_csv(path, sep=sep, decimal="," if decimal_comma else ".", float_format="%.4f",
                     index=False, header=start == 0, mode="w" if start == 0 else "a")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--decimal-comma", action="store_true",
                        help="write '5,35' numbers separated by ';' (the slower, detected path)")
    parser.add_argument("--keep", default="", metavar="DIR", help="write the CSV here and keep it")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-csv-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "big.csv"
    start = time.perf_counter()
    if not path.exists():
        make_csv(path, args.rows, args.decimal_comma)
    size = path.stat().st_size
    print(f"generated {path} ({size / 1e6:.1f} MB, {args.rows:,} rows × 12 columns) in "
          f"{time.perf_counter() - start:.1f} s")
    result = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(path)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stderr[-3000:])
        return 1
    r = json.loads(result.stdout.strip().splitlines()[-1])
    own = r["peak"] - r["base"]
    print(f"load_dataset: {r['seconds']:.2f} s for {r['rows']:,} rows, input shape {r['shape']}")
    print(f"peak RSS {r['peak'] / 1e6:.0f} MB ({r['peak'] / size:.2f}× the file); above the "
          f"imports {own / 1e6:.0f} MB ({own / size:.2f}× the file)")
    print(f"targets: < 5 s {'met' if r['seconds'] < 5 else 'MISSED'}; ≤ 3× file size "
          f"{'met' if r['peak'] <= 3 * size else 'MISSED'} (whole process)")
    print("notes:", " | ".join(r["notes"]))
    if not args.keep:
        path.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
