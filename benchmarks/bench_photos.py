"""Photos of digits: accuracy before → after the photo route, 4-digit strings, predict latency.

Synthetic phone photos (tests/core/photo_synth.py: held-out bundled MNIST digits in pencil-grey
ink on paper, lighting gradient and shadow, darker textured desk, rotated ±8°, JPEG) are read
- "before": the recipe used until the photo route existed (polarity from the border, background
  removed, mnist_normalize: core.digit_photo.clean_ink), which is what `predict` did;
- "after": `predict`'s reading now (core.digit_preprocess.load_picture_digits).
Also: 4-digit strings on one sheet (each digit read left to right), and the p50 time per image
of predict's reading + recognition for clean 28×28-style PNGs and for photos.

The digit model is the tests' fixture recipe (a small CNN on 4,000 bundled digits, ~15 s to
train), or `--model FILE.onnx`.

Run: python benchmarks/bench_photos.py [--photos 200] [--strings 100] [--model M.onnx]
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402


def _synth():
    spec = importlib.util.spec_from_file_location("photo_synth", ROOT / "tests" / "core" / "photo_synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def train_model(folder: Path, epochs: int = 3) -> Path:
    """The tests' digit CNN (tests/conftest.py digit_onnx_model), exported to ONNX."""
    import keras

    from desktop_dl.engine.onnx_export import export_onnx
    from desktop_dl.paths import resource

    data = np.load(resource("mnist_5k.npz"))
    x = (data["x"].astype("float32") / 255.0)[..., None]
    y = data["y"].astype("int64")
    order = np.random.default_rng(0).permutation(len(x))
    x, y = x[order], y[order]
    keras.utils.set_random_seed(0)
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(16, 5, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(32, 5, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(10, activation="softmax")])
    model.compile(keras.optimizers.Adam(2e-3), "sparse_categorical_crossentropy")
    model.fit(x[:4000], y[:4000], epochs=epochs, batch_size=32, verbose=0)
    report = export_onnx(model, folder / "digit_cnn.onnx", parity_inputs=x[4000:4064], metadata={
        "class_names": [str(i) for i in range(10)], "kind": "image",
        "preprocessing": {"pixel_scale": 1 / 255, "kind": "image", "digit_normalisation": "mnist"}})
    return Path(report.path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--strings", type=int, default=100)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()

    from PIL import Image

    from desktop_dl.core import digit_photo
    from desktop_dl.core.digit_preprocess import _decode, load_picture_digits, mnist_normalize
    from desktop_dl.engine.recognizer import Recognizer

    synth = _synth()
    x, y = synth.held_out_digits()
    folder = Path(tempfile.mkdtemp(prefix="bench_photos-"))
    model_path = args.model or train_model(folder)
    rec = Recognizer.open(model_path)

    def read_before(path):
        arr, _ = _decode(path)
        return rec.predict_digit(mnist_normalize(digit_photo.clean_ink(arr))).index

    def read_after(path):
        found = load_picture_digits(path)
        return "".join(rec.predict_digit(d.image).label for d in found.digits)

    photos = []
    for i in range(args.photos):
        path = folder / f"photo{i}.jpg"
        path.write_bytes(synth.make_photo([x[i]], seed=i))
        photos.append((path, int(y[i])))
    before = np.mean([read_before(p) == label for p, label in photos])
    after = np.mean([read_after(p) == str(label) for p, label in photos])
    print(f"single-digit photos ({len(photos)}): before {before:.1%} → after {after:.1%}")

    rng = np.random.default_rng(1)
    right = clean_right = found_four = both = 0
    for i in range(args.strings):
        pick = rng.choice(len(x), 4, replace=False)
        path = folder / f"string{i}.jpg"
        path.write_bytes(synth.make_photo([x[j] for j in pick], seed=10_000 + i))
        want = "".join(str(int(y[j])) for j in pick)
        read = read_after(path)
        right += read == want
        found_four += len(read) == 4
        # The model's own limit: the same four digits given to it as clean 28×28 images.
        clean_ok = "".join(rec.predict_digit(x[j]).label for j in pick) == want
        clean_right += clean_ok
        both += clean_ok and read == want
    n = max(1, args.strings)
    print(f"4-digit strings ({args.strings}): {right / n:.1%} read right; 4 digits found in "
          f"{found_four / n:.1%}; the same digits given clean: {clean_right / n:.1%}; of the strings "
          f"the model reads right clean, read right from the photo: {both / max(1, clean_right):.1%}")
    print(f"model on the {len(x)} held-out digits, clean: {np.mean(rec.predict(x).argmax(axis=1) == y):.1%}")

    # Latency: clean MNIST-style PNGs (the old route and the new one) and photos.
    clean = []
    for i in range(200):
        path = folder / f"clean{i}.png"
        Image.fromarray((255 - x[i] * 255).astype(np.uint8)).resize((112, 112)).save(path)
        clean.append(path)

    def p50(fn, paths, repeat=3):
        times = []
        for _ in range(repeat):
            for path in paths:
                start = time.perf_counter()
                fn(path)
                times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000

    for fn in (read_before, read_after):       # warm up imports and caches
        fn(clean[0]), fn(photos[0][0])
    print(f"predict p50, clean digit PNG: before {p50(read_before, clean):.2f} ms → "
          f"after {p50(read_after, clean):.2f} ms")
    print(f"predict p50, photo JPEG: before {p50(read_before, [p for p, _ in photos[:100]], 1):.2f} ms → "
          f"after {p50(read_after, [p for p, _ in photos[:100]], 1):.2f} ms")


if __name__ == "__main__":
    main()
