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


def _tiny_spec(tmp_path, units=10, activation="softmax"):
    path = tmp_path / "tiny.json"
    ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                            LayerSpec("Dense", {"units": units, "activation": activation})],
              name="tiny").save(path)
    return path


def test_the_test_split_flag_sets_the_dataset_s_split(tmp_path, capsys):
    code = main(["train", "--spec", str(_tiny_spec(tmp_path)), "--dataset", "mnist-5k",
                 "--epochs", "1", "--batch-size", "256", "--test-split", "0.3", "--quiet",
                 "--out", str(tmp_path / "run")])
    assert code == 0
    final = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert final["test_samples"] == 1500 and final["validation_samples"] == 500
    assert final["train_samples"] == 3000
    history = json.loads((tmp_path / "run" / "history.json").read_text())
    assert sum(map(sum, history["evaluation"]["confusion_matrix"])) == 1500


def test_eleven_classes_for_dense_10_are_refused_before_training(tmp_path):
    """One line, both numbers, the fix, exit 2 — and TensorFlow never imported (so no traceback
    can come from it)."""
    import subprocess
    import sys

    import numpy as np

    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(11), 12)
    np.savez(tmp_path / "eleven.npz", x=rng.integers(0, 256, (len(y), 28, 28), dtype=np.uint8), y=y)
    code = ("import sys, runpy\n"
            "sys.argv = ['desktop-dl'] + sys.argv[1:]\n"
            "from desktop_dl.cli import main\n"
            "status = main()\n"
            "assert 'tensorflow' not in sys.modules\n"
            "raise SystemExit(status)\n")
    done = subprocess.run([sys.executable, "-c", code, "train", "--spec", str(_tiny_spec(tmp_path)),
                           "--dataset", str(tmp_path / "eleven.npz"), "--out", str(tmp_path / "x")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "11 classes" in lines[0] and "Dense(10, softmax)" in lines[0] and "Dense(11, softmax)" in lines[0]
    assert not (tmp_path / "x").exists()


FIELD = __import__("pathlib").Path(__file__).parents[1] / "data" / "field"


def test_field_10_labels_1_to_10_never_end_in_a_traceback(tmp_path, capsys):
    """../shared/field/10: labels 1..10. Read as 11 classes (class 0 empty) the run is refused
    before training; read as 10 classes (labels mapped, the data-side fix) it trains."""
    from desktop_dl.core.datasets import load_dataset

    npz = FIELD / "10-labels-1-to-10" / "digits_1to10.npz"
    classes = load_dataset(str(npz)).class_names
    code = main(["train", "--template", "mnist-dense", "--dataset", str(npz), "--epochs", "1",
                 "--quiet", "--out", str(tmp_path / "run")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if len(classes) == 11:
        assert code == 2
        assert "11 classes" in captured.err and "Dense(10, softmax)" in captured.err
        assert "'0'" in captured.err        # the empty class is named: the data-side fix
    else:
        assert len(classes) == 10 and code == 0, captured.err
        assert json.loads(captured.out.strip().splitlines()[-1])["status"] == "completed"


def test_field_09_mac_litter_is_refused_or_trains_two_classes(tmp_path, capsys):
    """../shared/field/09: a __MACOSX folder read as a third class is refused before training
    (it has no samples, and Dense(1, sigmoid) is for two); cat and dog alone train."""
    from desktop_dl.core.datasets import load_dataset

    folder = FIELD / "09-macosx-phantom-class" / "pets"
    classes = load_dataset(str(folder)).class_names
    code = main(["train", "--spec", str(FIELD / "09-macosx-phantom-class" / "spec_pets.json"),
                 "--dataset", str(folder), "--epochs", "1", "--validation-split", "0.2",
                 "--test-split", "0.2", "--quiet", "--out", str(tmp_path / "run")])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    if "__MACOSX" in classes:
        assert code == 2
        assert "3 classes" in captured.err and "Dense(1, sigmoid)" in captured.err
        assert "'__MACOSX'" in captured.err
    else:
        assert classes == ["cat", "dog"] and code == 0, captured.err
        assert json.loads(captured.out.strip().splitlines()[-1])["test_samples"] == 2
