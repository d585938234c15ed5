"""Drawn digits that are not MNIST: how well do the digit models read them?

Two evaluation sets, neither of them MNIST:
  drawn  digits drawn through the real canvas widget with mouse events (press, moves, release),
         28 styles of the ten digits (serif and plain 1s, crossed 7s, open and closed 4s, 6s,
         9s, looped 2s, ... core/digit_paths.py), each varied in slant, shape, size (a fifth to
         four fifths of the square), position and brush width (6, 20 or 40 units). Read as the
         Draw tab reads them (stroke rasterisation at MNIST's scale), and, for comparison, as it
         read them before (the painted ink image scaled to 20 px).
  uci    the UCI optical digits shipped with scikit-learn (1,797 digits by 43 writers, 8×8),
         each rendered as a 160×160 dark-on-light PNG and read with `desktop-dl predict`.
Each model is trained with its template's defaults through `desktop-dl train --template NAME
--dataset mnist-5k` (or given with --model NAME=FILE.onnx).

    python benchmarks/bench_drawn_digits.py [--templates mnist-cnn digits-drawing] [--per-style 20]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="bench-drawn-config-")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "ui"))
BRUSHES = (6.0, 20.0, 40.0)


def drawn_set(per_style: int, seed: int = 0):
    """(x_raster, x_painted, y, styles): every drawing replayed on a real DrawingCanvas."""
    import desktop_dl.ui  # noqa: F401  (PySide6 guard first)
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from canvas_drawing import draw_digit
    from desktop_dl.core.digit_paths import digit_drawings
    from desktop_dl.core.digit_preprocess import mnist_normalize
    from desktop_dl.core.stroke_raster import rasterize_strokes
    from desktop_dl.ui.draw.canvas import DrawingCanvas

    app = QApplication.instance() or QApplication([])
    canvas = DrawingCanvas()
    canvas.resize(360, 360)
    canvas.show()
    app.processEvents()
    rng = np.random.default_rng(seed + 1)
    raster, painted, labels, styles = [], [], [], []
    for drawing in digit_drawings(per_style=per_style, seed=seed):
        canvas.clear()
        draw_digit(QTest, canvas, drawing, brush=float(rng.choice(BRUSHES)))
        raster.append(rasterize_strokes(canvas.strokes()))
        painted.append(mnist_normalize(canvas.ink_array()))
        labels.append(drawing.label)
        styles.append(f"{drawing.label}:{drawing.style}")
    canvas.close()
    return np.array(raster), np.array(painted), np.array(labels), styles


def uci_pngs(folder: Path) -> tuple[list[str], np.ndarray]:
    """The 1,797 UCI digits as 160×160 PNGs, dark ink on light paper (bilinear blow-up)."""
    from PIL import Image
    from sklearn.datasets import load_digits

    digits = load_digits()
    paths = []
    folder.mkdir(parents=True, exist_ok=True)
    for i, image in enumerate(digits.images):
        paper = (255 - image * (255 / 16)).astype(np.uint8)
        path = folder / f"uci_{i:04d}_{digits.target[i]}.png"
        Image.fromarray(paper).resize((160, 160), Image.BILINEAR).save(path)
        paths.append(str(path))
    return paths, digits.target.astype(int)


def cli(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-m", "desktop_dl", *args], capture_output=True,
                          text=True, env=env)
    if done.returncode not in (0, 1):
        raise SystemExit(f"desktop-dl {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def train(template: str, out: Path) -> tuple[Path, dict]:
    started = time.perf_counter()
    lines = cli("train", "--template", template, "--dataset", "mnist-5k", "--out", str(out), "--quiet")
    final = json.loads(lines.strip().splitlines()[-1])
    final["wall_seconds"] = round(time.perf_counter() - started, 1)
    return out / "model.onnx", final


def predict_uci(model: Path, paths: list[str]) -> np.ndarray:
    report = json.loads(cli("predict", str(model), *paths, "--json"))
    return np.array([int(p["label"]) if "label" in p else -1 for p in report["predictions"]])


def per_class(pred, y) -> str:
    return " ".join(f"{k}:{100 * np.mean(pred[y == k] == k):.0f}" for k in range(10))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", nargs="*", default=["mnist-cnn", "digits-drawing"])
    parser.add_argument("--model", action="append", default=[], metavar="NAME=FILE.onnx")
    parser.add_argument("--per-style", type=int, default=20, help="drawings per style (28 styles)")
    args = parser.parse_args()
    from desktop_dl.engine.recognizer import Recognizer

    work = Path(tempfile.mkdtemp(prefix="bench-drawn-"))
    x_raster, x_painted, y_drawn, styles = drawn_set(args.per_style)
    uci_paths, y_uci = uci_pngs(work / "uci")
    print(f"drawn set: {len(y_drawn)} digits through the canvas; UCI: {len(y_uci)} PNGs")
    models = dict(m.split("=", 1) for m in args.model)
    training = {}
    for template in args.templates:
        path, final = train(template, work / template)
        models[template] = str(path)
        training[template] = final
        print(f"trained {template}: {final['wall_seconds']} s wall, MNIST test accuracy "
              f"{final['metrics'].get('test_accuracy', float('nan')):.4f}")
    results = {}
    for name, path in models.items():
        recognizer = Recognizer.open(path)
        new = recognizer.predict(x_raster[..., None]).argmax(axis=1)
        old = recognizer.predict(x_painted[..., None]).argmax(axis=1)
        uci = predict_uci(Path(path), uci_paths)
        wrong_styles = sorted({s for s, p, t in zip(styles, new, y_drawn) if p != t})
        results[name] = {"drawn": float(np.mean(new == y_drawn)),
                         "drawn_painted_ink": float(np.mean(old == y_drawn)),
                         "uci": float(np.mean(uci == y_uci)),
                         "training": training.get(name)}
        print(f"\n{name}")
        print(f"  drawn (stroke raster) {100 * results[name]['drawn']:.1f} %   per digit {per_class(new, y_drawn)}")
        print(f"  drawn (painted ink)   {100 * results[name]['drawn_painted_ink']:.1f} %   per digit {per_class(old, y_drawn)}")
        print(f"  UCI via predict       {100 * results[name]['uci']:.1f} %   per digit {per_class(uci, y_uci)}")
        print(f"  styles with mistakes: {', '.join(wrong_styles) or 'none'}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
