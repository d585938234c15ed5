"""`desktop-dl train` writes model.keras, model.onnx and history.json and ends with a JSON line."""
import json

import pytest

from desktop_dl.cli import main
from desktop_dl.core.spec import LayerSpec, ModelSpec

pytestmark = pytest.mark.slow


def test_train_writes_its_files_and_a_final_json_line(tmp_path, capsys):
    spec_path = tmp_path / "tiny.json"
    ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                            LayerSpec("Dense", {"units": 10, "activation": "softmax"})],
              name="tiny").save(spec_path)
    out = tmp_path / "run"
    code = main(["train", "--spec", str(spec_path), "--dataset", "mnist-5k", "--epochs", "2",
                 "--batch-size", "256", "--learning-rate", "0.01", "--out", str(out)])
    assert code == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith("epoch 2/2") for line in lines)
    final = json.loads(lines[-1])
    assert final["status"] == "completed" and final["epochs"] == 2
    assert final["metrics"]["val_accuracy"] > 0.7 and "test_accuracy" in final["metrics"]
    for name in ("model.keras", "model.onnx", "history.json", "spec.json"):
        assert (out / name).is_file(), name
    history = json.loads((out / "history.json").read_text())
    assert [e["epoch"] for e in history["epochs"]] == [1, 2]
    assert {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(history["epochs"][0])
    assert len(history["evaluation"]["confusion_matrix"]) == 10
    assert history["settings"]["batch_size"] == 256


def test_train_refuses_a_model_that_does_not_fit_the_data(tmp_path, capsys):
    spec_path = tmp_path / "wrong.json"
    ModelSpec((8,), [LayerSpec("Dense", {"units": 10, "activation": "softmax"})]).save(spec_path)
    code = main(["train", "--spec", str(spec_path), "--dataset", "mnist-5k", "--out", str(tmp_path / "x")])
    assert code == 2
    err = capsys.readouterr().err
    assert "(8,)" in err and "(28, 28, 1)" in err and "Traceback" not in err
