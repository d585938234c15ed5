"""Fuzz every file reader for longer than the test suite does, and print what was tried.

    python benchmarks/fuzz_readers.py [--seconds 30] [--count N] [--only csv,picture]
                                      [--declared 0.5] [--save-failures DIR]

Each reader gets AFL-style mutations of valid seeds (tests/core/fuzz_harness.py) for the given
time (or until --count inputs). Readers: spec, project, csv (pandas reader with the field's
kinds as seeds: decimal comma, UTF-16, trailing delimiters, quoted newlines), npz, npz_labels
(labels 1..K, strings, one-hot, uint16 pixels), idx, idx_gz, image (digit pictures), picture
(core.images.decode_image: every mode, EXIF, GIF frames, WebP, a PostScript file), image_folder,
image_zip (a Mac-made zip of class folders), onnx and keras (the .keras pre-check).
`--declared` is the share of inputs made instead by the "declared size" mutator
(tests/core/fuzz_declared_sizes.py: zip sizes and entry counts, .npy shapes, IDX dimensions,
gzip lengths, PNG sizes and JSON shapes that lie, also inside re-zipped members); the peak memory
(RSS) of the whole run is printed at the end. The rule: every input is read or refused with a
UserError; anything else, or an input that takes more than 5 s, is a failure (saved to DIR for reproduction).
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DESKTOP_DL_DATA", tempfile.mkdtemp(prefix="desktop_dl-fuzz-"))


def load_harness():
    spec = importlib.util.spec_from_file_location("fuzz_harness", ROOT / "tests" / "core" / "fuzz_harness.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_harness"] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="time per reader")
    parser.add_argument("--count", type=int, default=None, help="at most this many inputs per reader")
    parser.add_argument("--only", default="", help="comma-separated reader names")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--save-failures", default="", metavar="DIR")
    parser.add_argument("--declared", type=float, default=0.5,
                        help="share of inputs from the declared-size mutator (0..1)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    fh = load_harness()
    names = [n for n in args.only.split(",") if n] or list(fh.TARGETS)
    print(f"seed {args.seed}, {args.seconds:.0f} s per reader")
    print(f"{'reader':<14}{'inputs':>9}{'read':>8}{'refused':>9}{'bad':>6}{'inputs/s':>10}{'slowest':>10}")
    total, bad = 0, 0
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            outcome = fh.fuzz(fh.TARGETS[name], Path(tmp), args.seconds, seed=args.seed,
                              max_inputs=args.count, declared=args.declared)
            rate = outcome.tried / (time.perf_counter() - start)
        total += outcome.tried
        bad += len(outcome.failures)
        print(f"{name:<14}{outcome.tried:>9}{outcome.accepted:>8}{outcome.refused:>9}"
              f"{len(outcome.failures):>6}{rate:>10.0f}{outcome.slowest * 1000:>8.0f} ms", flush=True)
        if outcome.failures:
            print(fh.describe_failures(outcome))
            if args.save_failures:
                fh.save_failures(outcome, Path(args.save_failures), name)
    import resource
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KB on Linux
    print(f"total: {total} inputs, {bad} bad outcomes, peak RSS {peak:.0f} MB "
          f"(declared-size share {args.declared:.0%})")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
