"""`desktop-dl predict`: digits in PNG/JPEG files, either polarity, text and JSON output."""
import json
import subprocess
import sys

import numpy as np
from PIL import Image

from desktop_dl.cli import main


def _photo_like(digit28: np.ndarray, path, dark_on_light: bool, size=120, offset=(10, 30)):
    """A bigger, off-centre picture of an MNIST digit, as someone might photograph or draw it."""
    big = Image.fromarray((digit28 * 255).astype(np.uint8)).resize((60, 60), Image.BILINEAR)
    canvas = Image.new("L", (size, size), 0)
    canvas.paste(big, offset)
    array = np.asarray(canvas)
    if dark_on_light:
        array = 255 - (array * 0.8).astype(np.uint8)      # grey-white paper, dark ink
    Image.fromarray(array).save(path)
    return path


def _images(digit_onnx_model, tmp_path, count=12):
    x, y = digit_onnx_model.x_test[:, :, :, 0], digit_onnx_model.y_test
    paths = []
    for i in range(count):
        suffix = ".jpg" if i % 3 == 2 else ".png"
        paths.append(str(_photo_like(x[i], tmp_path / f"digit{i}{suffix}", dark_on_light=i % 2 == 1)))
    return paths, y[:count]


def test_predict_prints_label_and_top3(digit_onnx_model, tmp_path, capsys):
    paths, labels = _images(digit_onnx_model, tmp_path)
    assert main(["predict", str(digit_onnx_model.onnx_path), *paths]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(paths)
    predicted = [int(line.split(": ")[1].split()[0]) for line in lines]
    assert sum(p == t for p, t in zip(predicted, labels)) >= len(paths) - 1
    assert lines[0].startswith(paths[0] + ": ") and lines[0].count("%") == 3


def test_predict_json_runs_without_tensorflow(digit_onnx_model, tmp_path):
    paths, labels = _images(digit_onnx_model, tmp_path, count=4)
    code = ("import sys, json\nfrom desktop_dl.cli import main\n"
            f"rc = main(['predict', {str(digit_onnx_model.onnx_path)!r}, *{paths!r}, '--json'])\n"
            "print('HEAVY', sorted({m.split('.')[0] for m in sys.modules} & {'tensorflow', 'keras'}), rc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    body, tail = out.stdout.rsplit("HEAVY", 1)
    assert tail.strip() == "[] 0"
    doc = json.loads(body)
    assert doc["provider"] == "CPUExecutionProvider" and doc["classes"] == [str(i) for i in range(10)]
    assert [p["image"] for p in doc["predictions"]] == paths
    for pred, label in zip(doc["predictions"], labels):
        assert len(pred["top"]) == 3 and pred["top"][0]["label"] == pred["label"]
        assert sum(t["probability"] for t in pred["top"]) <= 1.0 + 1e-6
    assert sum(int(p["label"]) == t for p, t in zip(doc["predictions"], labels)) >= 3


def test_predict_reports_bad_images_and_bad_models(digit_onnx_model, tmp_path, capsys):
    good, _ = _images(digit_onnx_model, tmp_path, count=1)
    blank = tmp_path / "blank.png"
    Image.new("L", (50, 50), 255).save(blank)
    notes = tmp_path / "notes.png"
    notes.write_text("not an image")
    rc = main(["predict", str(digit_onnx_model.onnx_path), good[0], str(blank), str(notes), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert "label" in doc["predictions"][0]
    assert "looks blank" in doc["predictions"][1]["error"]
    assert "'notes.png' is not a PNG, JPEG" in doc["predictions"][2]["error"]   # core.images

    fake = tmp_path / "model.onnx"
    fake.write_text("hello")
    assert main(["predict", str(fake), good[0]]) == 2
    err = capsys.readouterr().err
    assert "desktop-dl predict: error: model.onnx is a text file" in err and "Traceback" not in err
