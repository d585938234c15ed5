"""`desktop-dl export`: every format from a run folder's model.keras, with parity for ONNX."""
import ast
import json
import shutil

import pytest

from desktop_dl.cli import main
from desktop_dl.engine.recognizer import Recognizer

pytestmark = pytest.mark.slow


@pytest.fixture
def run_folder(digit_onnx_model, tmp_path):
    """model.keras with the history.json and spec.json that engine/run_folder.py writes beside it."""
    from desktop_dl.core.templates import load_template

    folder = tmp_path / "run"
    folder.mkdir()
    shutil.copy(digit_onnx_model.keras_path, folder / "model.keras")
    (folder / "history.json").write_text(json.dumps({
        "task": "multiclass",
        "dataset": {"name": "mnist-5k", "kind": "image",
                    "preprocessing": {"kind": "image", "pixel_scale": 1 / 255, "digit_normalisation": "mnist"}},
        "evaluation": {"per_class": {"classes": [{"name": str(i)} for i in range(10)]}}}))
    load_template("mnist-cnn").save(folder / "spec.json")
    return folder


def test_export_onnx_with_dataset_parity(run_folder, digit_onnx_model, capsys):
    out = run_folder / "digits.onnx"
    assert main(["export", str(run_folder / "model.keras"), "--format", "onnx", "--out", str(out),
                 "--dataset", "mnist-5k", "--opset", "17"]) == 0
    line = capsys.readouterr().out
    assert "opset 17, parity on 32 validation samples: largest difference" in line
    rec = Recognizer.open(out)
    assert rec.metadata["dataset"] == "mnist-5k" and rec.metadata["parity"]["source"] == "validation samples"
    assert rec.metadata["opset"] == 17 and rec.class_names == [str(i) for i in range(10)]
    assert (rec.predict(digit_onnx_model.x_test).argmax(1) == digit_onnx_model.y_test).mean() >= 0.95


def test_export_onnx_metadata_from_run_folder(run_folder):
    out = run_folder / "model.onnx"
    assert main(["export", str(run_folder / "model.keras"), "--out", str(out)]) == 0
    rec = Recognizer.open(out)
    # The run's built-in dataset supplies the parity samples even without --dataset.
    assert rec.metadata["dataset"] == "mnist-5k" and rec.metadata["parity"]["source"] == "validation samples"
    assert rec.digit_normalisation == "mnist" and rec.metadata["task"] == "multiclass"
    assert rec.class_names == [str(i) for i in range(10)]
    # A run on imported data (not loadable by name) falls back to random inputs.
    history = json.loads((run_folder / "history.json").read_text())
    history["dataset"]["name"] = "my_scans_folder"
    (run_folder / "history.json").write_text(json.dumps(history))
    assert main(["export", str(run_folder / "model.keras"), "--out", str(out)]) == 0
    assert Recognizer.open(out).metadata["parity"]["source"] == "random inputs"


def test_export_keras_savedmodel_and_python(run_folder, capsys):
    keras_out = run_folder / "copy.keras"
    assert main(["export", str(run_folder / "model.keras"), "--format", "keras", "--out", str(keras_out)]) == 0
    from desktop_dl.engine.keras_io import load_keras
    assert load_keras(keras_out).count_params() > 0

    saved = run_folder / "saved"
    assert main(["export", str(run_folder / "model.keras"), "--format", "savedmodel", "--out", str(saved)]) == 0
    assert (saved / "saved_model.pb").is_file()

    script = run_folder / "train_model.py"
    assert main(["export", str(run_folder / "model.keras"), "--format", "python", "--out", str(script)]) == 0
    source = script.read_text()
    ast.parse(source)
    assert "Conv2D" in source and "mnist" in source.lower()
    # Straight from a spec file, too.
    assert main(["export", str(run_folder / "spec.json"), "--format", "python",
                 "--out", str(run_folder / "from_spec.py")]) == 0
    assert "Wrote from_spec.py" in capsys.readouterr().out


def test_export_errors_are_messages(run_folder, tmp_path, capsys):
    lonely = tmp_path / "lonely.keras"
    shutil.copy(run_folder / "model.keras", lonely)
    assert main(["export", str(lonely), "--format", "python", "--out", str(tmp_path / "x.py")]) == 2
    assert "no spec.json lies beside lonely.keras" in capsys.readouterr().err

    notes = tmp_path / "notes.keras"
    notes.write_text("hello")
    assert main(["export", str(notes), "--out", str(tmp_path / "n.onnx")]) == 2
    assert "notes.keras is not a Keras .keras file" in capsys.readouterr().err

    assert main(["export", str(run_folder / "spec.json"), "--format", "onnx", "--out", str(tmp_path / "s.onnx")]) == 2
    assert "needs a trained model: give a .keras file" in capsys.readouterr().err
    assert not (tmp_path / "n.onnx").exists() and not (tmp_path / "s.onnx").exists()
