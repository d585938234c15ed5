"""Re-validation speed: core.shapes.analyse on long stacks, as the editor runs it after each edit.

Usage:  python benchmarks/bench_validation.py [--layers 100 200 1000] [--repeat 200]

For each stack kind and size it prints median / 95th percentile / max in milliseconds of
  analyse          analyse(spec) on an unchanged spec
  edit + analyse   change one layer's parameter (alternating units), then analyse
as wall-clock time, and the median CPU time of this process (which other processes sharing the
cores cannot inflate). Target (issue 3): under 5 ms for 100 layers.
"""
from __future__ import annotations

import argparse
import statistics
import time

from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.shapes import analyse
from desktop_dl.core.spec import LayerSpec, ModelSpec


def _layer(kind, **params):
    return LayerSpec(kind, CATALOGUE[kind].complete(params))


def mlp(n):
    block = [_layer("Dense", units=64), _layer("BatchNormalization"), _layer("Dropout", rate=0.2)]
    layers = [_layer("Flatten")] + [block[i % 3].copy(fresh_uid=True) for i in range(n - 2)]
    return ModelSpec((28, 28, 1), layers + [_layer("Dense", units=10, activation="softmax")])


def cnn(n):
    block = [_layer("Conv2D", filters=16, padding="same", activation="linear"),
             _layer("BatchNormalization"), _layer("Activation", activation="relu")]
    layers = [block[i % 3].copy(fresh_uid=True) for i in range(n - 3)]
    layers += [_layer("GlobalAveragePooling2D"), _layer("Dropout"),
               _layer("Dense", units=10, activation="softmax")]
    return ModelSpec((32, 32, 3), layers)


def recurrent(n):
    layers = [_layer("Embedding", input_dim=10000, output_dim=32)]
    layers += [_layer("LSTM" if i % 2 else "GRU", units=32, return_sequences=True)
               for i in range(n - 3)]
    layers += [_layer("LSTM", units=32), _layer("Dense", units=1, activation="sigmoid")]
    return ModelSpec((200,), layers, input_dtype="int32")


def _edit_target(spec):
    for layer in spec.layers:
        for key in ("units", "filters"):
            if key in layer.params:
                return layer, key
    raise AssertionError("no editable layer")


def stats(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered):6.3f}   p95 {p95:6.3f}   max {ordered[-1]:6.3f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, nargs="+", default=[100, 200, 1000])
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    for name, make in (("mlp", mlp), ("cnn", cnn), ("recurrent", recurrent)):
        for n in args.layers:
            spec = make(n)
            first = analyse(spec)
            assert len(first.layers) == n and first.ok, first.problems[:3]
            plain, edited, plain_cpu, edited_cpu = [], [], [], []
            layer, key = _edit_target(spec)
            for i in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                analyse(spec)
                plain.append((time.perf_counter() - t0) * 1000)
                plain_cpu.append((time.process_time() - c0) * 1000)
                layer.params[key] = 32 if i % 2 else 48
                t0, c0 = time.perf_counter(), time.process_time()
                analyse(spec)
                edited.append((time.perf_counter() - t0) * 1000)
                edited_cpu.append((time.process_time() - c0) * 1000)
            for label, wall, cpu in (("analyse       ", plain, plain_cpu),
                                     ("edit + analyse", edited, edited_cpu)):
                print(f"{name:>9} {n:5d} layers  {label}  {stats(wall)}   "
                      f"cpu median {statistics.median(cpu):6.3f} ms")


if __name__ == "__main__":
    main()
