#!/usr/bin/env python3
"""Curve diagnosis: false alarms on noisy healthy runs, detection delay on noisy overfitting,
and the cost of one call (it runs after every epoch).

    python benchmarks/bench_diagnosis.py [RUNS]
"""
import math
import sys
import time

import numpy as np

from desktop_dl.core import diagnosis as dg


def decaying(n, start, floor, rate):
    return floor + (start - floor) * np.exp(-rate * np.arange(n))


def noisy(values, rng, rel):
    return values * (1 + rel * rng.standard_normal(len(values)))


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    alarms = calls = 0
    t0 = time.perf_counter()
    for seed in range(runs):
        rng = np.random.default_rng(100_000 + seed)
        n = int(rng.integers(5, 40))
        rel, floor, rate = rng.uniform(0, 0.05), rng.uniform(0.02, 0.5), rng.uniform(0.3, 1.5)
        train = noisy(decaying(n, 2.3, floor * 0.8, rate), rng, rel)
        val = noisy(decaying(n, 2.3, floor, rate), rng, rel)
        for k in range(1, n + 1):
            calls += 1
            if dg.diagnose({"loss": train[:k], "val_loss": val[:k]}, math.log(10)).kind in (
                    dg.OVERFITTING, dg.DIVERGENCE):
                alarms += 1
                break
    per_call = (time.perf_counter() - t0) / calls
    print(f"healthy noisy runs (noise 0-5 %): {alarms} of {runs} raised a false alarm at some epoch")
    print(f"one diagnose() call: {per_call * 1e3:.2f} ms (mean over {calls} calls of 1-40 epochs)")
    for rel in (0.0, 0.03, 0.06):
        delays, missed = [], 0
        for seed in range(200):
            rng = np.random.default_rng(seed)
            e = np.arange(40)
            train = noisy(decaying(40, 2.0, 0.02, 0.3), rng, rel)
            truth = 0.3 + 0.0015 * np.maximum(e - 15, 0) ** 1.5 + 0.4 * np.exp(-0.3 * e)
            best = int(np.argmin(truth)) + 1
            val = noisy(truth, rng, rel)
            first = next((k for k in range(3, 41) if dg.diagnose(
                {"loss": train[:k], "val_loss": val[:k]}).kind == dg.OVERFITTING), None)
            if first is None:
                missed += 1
            else:
                delays.append(first - best)
        print(f"overfitting (val loss +10 % 8 epochs after its minimum), noise {rel:.0%}: "
              f"found {len(delays)}/200, epochs after the true best: median "
              f"{np.median(delays):.0f}, p90 {np.percentile(delays, 90):.0f}")


if __name__ == "__main__":
    main()
