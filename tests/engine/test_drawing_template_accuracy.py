"""The drawing template, trained with its defaults through `desktop-dl train`, reads digits that
are not MNIST: drawn ones (core/digit_paths.py, rasterised as the canvas does) and UCI digits by
other writers read as `desktop-dl predict` reads a PNG. Floors on a slice; the full figures are
benchmarks/bench_drawn_digits.py's (99.7 % drawn, 89.8 % UCI here)."""
import json

import numpy as np
import pytest

from desktop_dl.cli import main

pytestmark = pytest.mark.slow


def test_drawing_template_reads_drawn_and_uci_digits(tmp_path, capsys):
    from uci_digits import uci_digits_28

    from desktop_dl.core.digit_paths import digit_drawings
    from desktop_dl.core.stroke_raster import rasterize_strokes
    from desktop_dl.engine.recognizer import Recognizer

    out = tmp_path / "run"
    assert main(["train", "--template", "digits-drawing", "--dataset", "mnist-5k", "--out", str(out),
                 "--quiet"]) == 0
    final = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert final["epochs"] == 10 and final["metrics"]["test_accuracy"] > 0.96
    recognizer = Recognizer.open(out / "model.onnx")

    drawings = digit_drawings(per_style=2, seed=11)
    x = np.array([rasterize_strokes([{"points": [(u * 280, v * 280, 1.0) for u, v in s], "width": w}
                                     for s in d.strokes])
                  for d, w in zip(drawings, np.resize([6.0, 20.0, 40.0], len(drawings)))])
    y = np.array([d.label for d in drawings])
    drawn = np.mean(recognizer.predict(x).argmax(axis=1) == y)

    xu, yu = uci_digits_28(tmp_path / "uci", count=300, seed=1)
    uci = np.mean(recognizer.predict(xu / 255.0).argmax(axis=1) == yu)
    print(f"drawn {drawn:.3f}, UCI {uci:.3f}")
    assert drawn >= 0.95, drawn
    assert uci >= 0.85, uci
