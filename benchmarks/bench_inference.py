"""Single-image digit recognition latency through the Recognizer, preprocessing included.

For the mnist-dense and mnist-cnn templates (random weights: latency does not depend on them),
exported with engine.onnx_export and opened with engine.recognizer:
  * end to end: a 280×280 drawing → core.digit_preprocess.mnist_normalize → predict_digit
  * the parts: preprocessing alone, ONNX Runtime alone
  * batch 1024 throughput
on the provider the Recognizer chooses (CPU here; CUDA is measured when it really loads).

Run: python benchmarks/bench_inference.py [--repeat 3000]
"""
from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402


def _drawing(seed: int) -> np.ndarray:
    """A canvas-sized (280×280) image of a bundled MNIST digit, off-centre, as a user draws it."""
    from PIL import Image

    from desktop_dl.paths import resource
    data = np.load(resource("mnist_5k.npz"))
    digit = data["x"][seed * 397 % len(data["x"])]
    big = Image.fromarray(digit).resize((170, 170), Image.BILINEAR)
    canvas = np.zeros((280, 280), np.float32)
    canvas[40:210, 70:240] = np.asarray(big, np.float32) / 255.0
    return canvas


def _percentiles(samples_s: list[float]) -> str:
    ms = np.asarray(samples_s) * 1e3
    return (f"p50 {np.percentile(ms, 50):.3f} ms  p99 {np.percentile(ms, 99):.3f} ms  "
            f"mean {ms.mean():.3f} ms  max {ms.max():.3f} ms")


def bench(template: str, folder: Path, repeat: int, preference: str) -> None:
    from desktop_dl.core.digit_preprocess import mnist_normalize
    from desktop_dl.core.templates import load_template
    from desktop_dl.engine.keras_build import build_model
    from desktop_dl.engine.onnx_export import export_onnx
    from desktop_dl.engine.recognizer import Recognizer

    model = build_model(load_template(template))
    report = export_onnx(model, folder / f"{template}.onnx", metadata={
        "class_names": [str(i) for i in range(10)], "task": "multiclass", "kind": "image",
        "preprocessing": {"pixel_scale": 1 / 255, "digit_normalisation": "mnist"}}, parity_inputs=None)
    rec = Recognizer.open(report.path, preference=preference)
    drawings = [_drawing(i) for i in range(16)]
    for d in drawings:                    # warm-up: allocations, caches
        rec.predict_digit(mnist_normalize(d))

    end_to_end, cpu_time, prep, ort_only = [], [], [], []
    clock, cpu_clock = time.perf_counter, time.thread_time
    for i in range(repeat):
        d = drawings[i % len(drawings)]
        c0 = cpu_clock()
        t0 = clock()
        image = mnist_normalize(d)
        t1 = clock()
        rec.predict_digit(image)
        t2 = clock()
        cpu_time.append(cpu_clock() - c0)
        end_to_end.append(t2 - t0)
        prep.append(t1 - t0)
    x1 = rec._to_model_layout(mnist_normalize(drawings[0])[None])
    for _ in range(repeat):
        t0 = clock()
        rec._session.run([rec.output_name], {rec.input_name: x1})
        ort_only.append(clock() - t0)

    print(f"\n{template}: {model.count_params():,} parameters, {report.size_bytes / 1024:.0f} KiB ONNX, "
          f"provider {rec.provider}")
    print(f"  end to end (280×280 drawing → preprocessing → predict_digit): {_percentiles(end_to_end)}")
    # CPU time of this thread: what the wall clock would show without other processes preempting us.
    print(f"  end to end, this thread's CPU time:                            {_percentiles(cpu_time)}")
    print(f"  preprocessing only (mnist_normalize):                          {_percentiles(prep)}")
    print(f"  ONNX Runtime only (session.run, batch 1):                       {_percentiles(ort_only)}")
    batch = np.repeat(x1, 1024, axis=0)
    providers = [preference] if preference != "auto" else (
        ["cpu", "cuda"] if rec.provider == "CUDAExecutionProvider" else ["cpu"])
    outputs = {}
    for provider in providers:
        for threads in ((1, None) if provider == "cpu" else (None,)):
            big = Recognizer.open(report.path, preference=provider, intra_threads=threads)
            single = [_timed(big, x1) for _ in range(200)]
            times = [_timed(big, batch) for _ in range(20)]
            outputs[big.provider] = big._session.run([big.output_name], {big.input_name: batch})[0]
            where = f"{big.provider.replace('ExecutionProvider', '')}, " + (
                "1 thread" if threads else "all cores" if provider == "cpu" else "GPU")
            print(f"  [{where}] batch 1: {np.median(single) * 1e3:.3f} ms median; batch 1024: "
                  f"{np.median(times) * 1e3:.2f} ms median, {1024 / min(times):,.0f} images/s at best")
    if len(outputs) == 2:
        cpu, gpu = outputs.values()
        print(f"  CUDA vs CPU outputs, batch 1024: largest difference {np.abs(cpu - gpu).max():.2g}")


def _timed(rec, x) -> float:
    t0 = time.perf_counter()
    rec._session.run([rec.output_name], {rec.input_name: x})
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3000)
    parser.add_argument("--provider", default="auto", choices=["auto", "cpu", "cuda"])
    args = parser.parse_args()
    import onnxruntime as ort

    from desktop_dl.engine import onnx_providers
    print(f"load average {os.getloadavg()[0]:.1f} (a busy machine inflates the wall-clock p99)")
    print(f"onnxruntime {ort.__version__}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPU cores; providers listed: {', '.join(ort.get_available_providers())}")
    with tempfile.TemporaryDirectory() as tmp:
        for template in ("mnist-dense", "mnist-cnn"):
            bench(template, Path(tmp), args.repeat, args.provider)
    print(f"\nCUDA: {onnx_providers.cuda_status()}")


if __name__ == "__main__":
    main()
