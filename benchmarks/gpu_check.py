"""Does GPU training work, and is it faster? One script for a bare GPU machine.

Trains the MNIST CNN template (desktop_dl/resources/templates/mnist-cnn.json) on the bundled
5,000 digits (desktop_dl/resources/mnist_5k.npz) for 3 epochs on the GPU and then on the CPU,
same seed, and prints for each: the device name, samples per second (epochs after the first, so
compilation is not counted) and the final validation accuracy; then the GPU/CPU speed ratio and
whether the two accuracies agree (a GPU run far below the CPU one is the bug class users of other
tools report). With onnxruntime-gpu installed it also runs a small ONNX graph on ONNX Runtime's
CUDA provider and compares it with the CPU provider.

Self-contained: it needs only numpy, keras and one backend (JAX or PyTorch; TensorFlow works too),
reads the template JSON and the npz directly and imports nothing from desktop_dl, so it runs on a
machine where the project's pure-Python wheels were carried and nothing else installed. Under
3 minutes on any GPU; the CPU part is the slow one.

    python benchmarks/gpu_check.py                      # GPU and CPU, backend: jax, torch or tensorflow
    KERAS_BACKEND=torch python benchmarks/gpu_check.py  # a chosen backend
    python benchmarks/gpu_check.py --cpu-only --epochs 1 --samples 600   # what CI runs

The last line is a JSON summary (also written to --json PATH). Exit status 0 when every check
passed, 1 when one failed (accuracies disagree, CUDA provider wrong), 2 when no GPU was found and
--cpu-only was not given.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "desktop_dl" / "resources"
ACCURACY_TOLERANCE = 0.02


def pick_backend() -> str:
    """KERAS_BACKEND if set, else the first installed of jax, torch, tensorflow (GPU machines
    here carry JAX or PyTorch)."""
    chosen = os.environ.get("KERAS_BACKEND")
    if chosen:
        return chosen
    for name in ("jax", "torch", "tensorflow"):
        if importlib.util.find_spec(name) is not None:
            return name
    raise SystemExit("gpu_check: no Keras backend installed (jax, torch or tensorflow).")


def load_data(samples: int, seed: int = 0):
    import numpy as np

    with np.load(RESOURCES / "mnist_5k.npz", allow_pickle=False) as data:
        x, y = data["x"], data["y"].astype("int32")
    order = np.random.default_rng(seed).permutation(len(y))[:samples]   # the file is sorted by class
    x = (x[order].astype("float32") / 255.0)[..., None]
    y = y[order]
    n_val = max(1, len(y) // 10)
    return (x[n_val:], y[n_val:]), (x[:n_val], y[:n_val])


def build_model(keras):
    """The template's layers with the template's parameters, compiled as the app compiles it."""
    spec = json.loads((RESOURCES / "templates" / "mnist-cnn.json").read_text(encoding="utf-8"))
    model = keras.Sequential([keras.Input(tuple(spec["input"]["shape"]))] + [
        getattr(keras.layers, layer["type"])(**{k: tuple(v) if isinstance(v, list) else v
                                                for k, v in layer.get("params", {}).items()})
        for layer in spec["layers"]])
    compile_spec = spec.get("compile", {})
    optimizer = {"adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD,
                 "rmsprop": keras.optimizers.RMSprop}.get(compile_spec.get("optimizer", "adam"),
                                                          keras.optimizers.Adam)
    model.compile(optimizer=optimizer(learning_rate=compile_spec.get("learning_rate", 0.001)),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def devices(backend: str) -> dict:
    """{"gpu": (keras device string, name) or None, "cpu": (device string, name)}."""
    cpu = ("cpu:0", cpu_name())
    if backend == "jax":
        import jax
        try:
            gpus = jax.devices("gpu")
        except RuntimeError:
            gpus = []
        return {"gpu": ("gpu:0", gpus[0].device_kind) if gpus else None, "cpu": cpu}
    if backend == "torch":
        import torch
        if torch.cuda.is_available():
            return {"gpu": ("cuda:0", torch.cuda.get_device_name(0)), "cpu": ("cpu", cpu[1])}
        return {"gpu": None, "cpu": ("cpu", cpu[1])}
    import tensorflow as tf
    gpus = tf.config.list_physical_devices("GPU")
    name = tf.config.experimental.get_device_details(gpus[0]).get("device_name", "GPU") if gpus else None
    return {"gpu": ("gpu:0", name) if gpus else None, "cpu": cpu}


def cpu_name() -> str:
    import platform

    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} cores"
    except OSError:
        pass
    return f"{platform.processor() or platform.machine() or 'CPU'}, {os.cpu_count()} cores"


def train_on(keras, device: str, data, epochs: int, batch_size: int, seed: int) -> dict:
    (x, y), (x_val, y_val) = data
    times = []

    class EpochClock(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self._t = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self._t)

    keras.utils.set_random_seed(seed)
    with keras.device(device):
        model = build_model(keras)
        started = time.perf_counter()
        history = model.fit(x, y, batch_size=batch_size, epochs=epochs, validation_data=(x_val, y_val),
                            verbose=0, shuffle=True, callbacks=[EpochClock()])
        total = time.perf_counter() - started
    steady = times[1:] or times         # the first epoch compiles; leave it out when there are more
    return {"device": device, "seconds": round(total, 2),
            "samples_per_second": round(len(y) * len(steady) / sum(steady), 1),
            "val_accuracy": round(float(history.history["val_accuracy"][-1]), 4),
            "accuracy": round(float(history.history["accuracy"][-1]), 4)}


def check_onnxruntime_cuda() -> dict:
    """Runs a small graph on ONNX Runtime's CUDA provider (when present) and the CPU provider."""
    if importlib.util.find_spec("onnxruntime") is None:
        return {"status": "skipped", "why": "onnxruntime is not installed"}
    import onnxruntime as ort

    providers = ort.get_available_providers()
    if "CUDAExecutionProvider" not in providers:
        return {"status": "skipped", "why": f"no CUDA provider ({', '.join(providers)})"}
    if importlib.util.find_spec("onnx") is None:
        return {"status": "skipped", "why": "the onnx package (to build the test graph) is missing"}
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    weights = rng.normal(size=(784, 10)).astype("float32")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["logits"]), helper.make_node("Softmax", ["logits"], ["p"], axis=1)],
        "check", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 784])],
        [helper.make_tensor_value_info("p", TensorProto.FLOAT, [None, 10])],
        [numpy_helper.from_array(weights, "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    data = model.SerializeToString()
    x = rng.random((256, 784), dtype=np.float32)
    cuda = ort.InferenceSession(data, providers=["CUDAExecutionProvider", "CPUExecutionProvider"])
    cpu = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
    diff = float(np.abs(cuda.run(None, {"x": x})[0] - cpu.run(None, {"x": x})[0]).max())
    used = cuda.get_providers()[0]
    ok = used == "CUDAExecutionProvider" and diff < 1e-4
    return {"status": "passed" if ok else "failed", "provider": used, "max_abs_diff": diff,
            "onnx": onnx.__version__, "onnxruntime": ort.__version__}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu-only", action="store_true", help="train on the CPU only (CI)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--samples", type=int, default=5000, help="how many of the 5,000 digits")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", metavar="PATH", help="also write the summary here")
    args = parser.parse_args(argv)

    backend = pick_backend()
    os.environ["KERAS_BACKEND"] = backend           # before Keras is imported
    import keras

    found = devices(backend)
    data = load_data(args.samples, args.seed)
    summary: dict = {"backend": backend, "keras": keras.__version__, "epochs": args.epochs,
                     "train_samples": len(data[0][1]), "checks": {}}
    print(f"gpu_check: Keras {keras.__version__} on {backend}, {len(data[0][1])} training samples, "
          f"{args.epochs} epochs of batches of {args.batch_size}", flush=True)
    runs = {}
    targets = [("cpu", found["cpu"])]
    if not args.cpu_only:
        if found["gpu"] is None:
            print("gpu_check: no GPU visible to this backend (use --cpu-only to check the CPU path)")
            summary["error"] = "no GPU"
            _finish(summary, args.json)
            return 2
        targets.insert(0, ("gpu", found["gpu"]))
    for kind, (device, name) in targets:
        run = train_on(keras, device, data, args.epochs, args.batch_size, args.seed)
        run["name"] = name
        runs[kind] = run
        print(f"  {kind.upper()} {name}: {run['samples_per_second']:.0f} samples/s, "
              f"val accuracy {run['val_accuracy']:.4f} ({run['seconds']:.1f} s)", flush=True)
    summary["runs"] = runs
    ok = True
    if "gpu" in runs:
        ratio = runs["gpu"]["samples_per_second"] / max(runs["cpu"]["samples_per_second"], 1e-9)
        gap = runs["cpu"]["val_accuracy"] - runs["gpu"]["val_accuracy"]
        agree = abs(gap) <= ACCURACY_TOLERANCE
        summary["speedup_gpu_over_cpu"] = round(ratio, 2)
        summary["checks"]["accuracy_gpu_vs_cpu"] = {"status": "passed" if agree else "failed",
                                                    "cpu_minus_gpu": round(gap, 4),
                                                    "tolerance": ACCURACY_TOLERANCE}
        ok &= agree
        print(f"  GPU/CPU speed ratio {ratio:.1f}×; accuracies {'agree' if agree else 'DISAGREE'} "
              f"(CPU − GPU = {gap:+.4f})")
    # onnxruntime-gpu lists its CUDA provider even where there is no GPU: only a GPU run checks it.
    ort_check = {"status": "skipped", "why": "--cpu-only"} if args.cpu_only else check_onnxruntime_cuda()
    summary["checks"]["onnxruntime_cuda"] = ort_check
    ok &= ort_check["status"] != "failed"
    print(f"  ONNX Runtime CUDA provider: {ort_check['status']}"
          + (f" ({ort_check['why']})" if "why" in ort_check else ""))
    summary["ok"] = bool(ok)
    _finish(summary, args.json)
    return 0 if ok else 1


def _finish(summary: dict, path: str | None) -> None:
    text = json.dumps(summary)
    if path:
        Path(path).write_text(text + "\n", encoding="utf-8")
    print(text, flush=True)


if __name__ == "__main__":
    sys.exit(main())
