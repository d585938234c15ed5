"""Photos of digits recognised by a digit model; `predict --show`; several digits in one picture."""
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_dl.cli import main
from desktop_dl.core.digit_preprocess import load_picture_digits
from desktop_dl.engine.recognizer import Recognizer

_spec = importlib.util.spec_from_file_location(
    "photo_synth", Path(__file__).resolve().parents[1] / "core" / "photo_synth.py")
synth = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("photo_synth", synth)
_spec.loader.exec_module(synth)


@pytest.mark.slow
def test_synthetic_photos_are_recognised(digit_onnx_model, tmp_path):
    """Held-out bundled digits in pencil on paper, on a desk, uneven light, rotated, JPEG."""
    x, y = synth.held_out_digits()       # the fixture trained on the other 4,000
    rec = Recognizer.open(digit_onnx_model.onnx_path)
    count, right = 40, 0
    for i in range(count):
        path = tmp_path / f"photo{i}.jpg"
        path.write_bytes(synth.make_photo([x[i]], seed=i))
        found = load_picture_digits(path)
        right += len(found.digits) == 1 and rec.predict_digit(found.digits[0].image).index == y[i]
    assert right / count >= 0.90


def test_predict_show_writes_the_28x28_the_model_sees(digit_onnx_model, tmp_path, capsys):
    x, y = synth.held_out_digits()
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(synth.make_photo([x[7]], seed=7))
    shown = tmp_path / "seen.png"
    assert main(["predict", str(digit_onnx_model.onnx_path), str(photo), "--show", str(shown), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    seen = np.asarray(Image.open(shown), np.float32) / 255.0
    assert seen.shape == (28, 28)
    expected = load_picture_digits(photo).digits[0].image
    np.testing.assert_allclose(seen, expected, atol=1 / 255 + 1e-6)
    prediction = doc["predictions"][0]
    assert prediction["label"] == str(y[7]) and doc["scores"] == "probabilities"
    assert len(prediction["digits"]) == 1 and len(prediction["digits"][0]["box"]) == 4
    assert prediction["notes"] and "photo" in prediction["notes"][0]


def test_four_digits_in_one_picture_print_as_a_string_with_boxes(digit_onnx_model, tmp_path, capsys):
    x, y = synth.held_out_digits()
    rec = Recognizer.open(digit_onnx_model.onnx_path)
    # Digits this model reads right on their own, so the test is about finding and ordering them.
    easy = [i for i in range(200) if rec.predict_digit(x[i]).index == y[i]]
    pick = [next(i for i in easy if y[i] == d) for d in (2, 0, 2, 6)]
    photo = tmp_path / "year.jpg"
    photo.write_bytes(synth.make_photo([x[i] for i in pick], seed=20_26))
    white = tmp_path / "year_clean.png"
    strip = np.concatenate([np.pad(x[i], 6) for i in pick], axis=1)
    Image.fromarray(np.uint8(255 - strip * 255)).resize((strip.shape[1] * 3, strip.shape[0] * 3)).save(white)
    assert main(["predict", str(digit_onnx_model.onnx_path), str(photo), str(white)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith(f"{photo}: 2026  (4 digits, left to right:")
    assert lines[1].startswith(f"{white}: 2026  (4 digits")
    assert main(["predict", str(digit_onnx_model.onnx_path), str(white), "--json", "--show", str(tmp_path / "s.png")]) == 0
    entry = json.loads(capsys.readouterr().out)["predictions"][0]
    assert entry["text"] == "2026" and [d["label"] for d in entry["digits"]] == list("2026")
    lefts = [d["box"][1] for d in entry["digits"]]
    assert lefts == sorted(lefts) and all(d["box"][3] - d["box"][1] <= 40 * 3 for d in entry["digits"])
    assert np.asarray(Image.open(tmp_path / "s.png")).shape == (28, 4 * 28)
