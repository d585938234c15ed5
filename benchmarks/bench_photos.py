"""Photos of digits: accuracy before → after the photo route, 4-digit strings, predict latency.

Synthetic phone photos (tests/core/photo_synth.py: held-out bundled MNIST digits in pencil-grey
ink on paper, lighting gradient and shadow, darker textured desk, rotated ±8°, JPEG) are read
- "before": the recipe used until the photo route existed (polarity from the border, background
  removed, mnist_normalize: core.digit_photo.clean_ink), which is what `predict` did;
- "after": `predict`'s reading now (core.digit_preprocess.load_picture_digits).
Also: 4-digit strings on one sheet (each digit read left to right), and the p50 time per image
of predict's reading + recognition for clean 28×28-style PNGs and for photos.

The digit model is the app's default digit model (engine/default_digit_model.py: the Draw tab's
one-click CNN, trained here in a private data folder) and the digits are its held-out test split
(500 bundled digits it never saw); `--model FILE.onnx` measures another model on those digits.

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


def default_model(folder: Path):
    """The Draw tab's default digit model, trained into `folder`, and the digits it never saw:
    (path, x_test (N, 28, 28) float32 0..1, y_test (N,))."""
    os.environ["DESKTOP_DL_DATA"] = str(folder / "data")      # no personal digits of this machine
    from desktop_dl.core.datasets.registry import load_dataset
    from desktop_dl.engine.default_digit_model import train_default_digit_model

    result = train_default_digit_model(path=folder / "digit_cnn.onnx")
    splits = load_dataset("mnist-5k").splits(validation=0.1, test=0.1, seed=0)   # as it trained
    return Path(result["path"]), splits.x_test[..., 0].astype(np.float32), splits.y_test.astype(np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--strings", type=int, default=100)
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()

    from PIL import Image

    from desktop_dl.core import digit_photo
    from desktop_dl.core.digit_preprocess import _decode, load_picture_digits, mnist_normalize
    from desktop_dl.engine.recognizer import Recognizer

    synth = _synth()
    folder = Path(tempfile.mkdtemp(prefix="bench_photos-"))
    model_path, x, y = default_model(folder)
    rec = Recognizer.open(args.model or model_path)
    print(f"model: {'default digit model' if args.model is None else args.model}; "
          f"{len(x)} held-out digits, read clean: {np.mean(rec.predict(x).argmax(axis=1) == y):.1%}")

    def read_before(path):
        arr, _ = _decode(path)
        return rec.predict_digit(mnist_normalize(digit_photo.clean_ink(arr))).index

    def read_after(path):
        found = load_picture_digits(path)
        return "".join(rec.predict_digit(d.image).label for d in found.digits)

    photos = []
    for i in range(args.photos):
        path = folder / f"photo{i}.jpg"
        path.write_bytes(synth.make_photo([x[i % len(x)]], seed=i))
        photos.append((path, int(y[i % len(x)])))
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

    # Latency: clean MNIST-style PNGs (the old route and the new one) and photos.
    clean = []
    for i in range(200):
        path = folder / f"clean{i}.png"
        Image.fromarray((255 - x[i] * 255).astype(np.uint8)).resize((112, 112)).save(path)
        clean.append(path)

    def p50_pair(paths, repeat=3):
        """p50 ms of the old and the new reading, timed in turn on each image (a busy machine
        slows both alike)."""
        old, new = [], []
        for _ in range(repeat):
            for path in paths:
                for fn, times in ((read_before, old), (read_after, new)):
                    start = time.perf_counter()
                    fn(path)
                    times.append(time.perf_counter() - start)
        return statistics.median(old) * 1000, statistics.median(new) * 1000

    for fn in (read_before, read_after):       # warm up imports and caches
        fn(clean[0]), fn(photos[0][0])
    old, new = p50_pair(clean)
    print(f"predict p50, clean digit PNG: before {old:.2f} ms → after {new:.2f} ms ({new / old - 1:+.0%})")
    old, new = p50_pair([p for p, _ in photos[:100]], 1)
    print(f"predict p50, photo JPEG: before {old:.2f} ms → after {new:.2f} ms")


if __name__ == "__main__":
    main()
