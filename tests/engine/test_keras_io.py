"""`.keras` save/load in safe mode (Lambda and foreign code refused), SavedModel export."""
import json
import zipfile

import numpy as np
import pytest

from desktop_dl.core.errors import ModelFileError, UserError
from desktop_dl.engine import keras_io

pytestmark = pytest.mark.slow


def test_digit_model_round_trips_through_keras_file(digit_onnx_model, tmp_path):
    model = keras_io.load_keras(digit_onnx_model.keras_path)
    x = digit_onnx_model.x_test[:200]
    accuracy = (np.asarray(model(x, training=False)).argmax(1) == digit_onnx_model.y_test[:200]).mean()
    assert accuracy >= 0.93
    again = keras_io.save_keras(model, tmp_path / "copy.keras")
    reloaded = keras_io.load_keras(again)
    np.testing.assert_allclose(np.asarray(reloaded(x[:8])), np.asarray(model(x[:8])), atol=1e-6)
    assert [p.name for p in tmp_path.iterdir()] == ["copy.keras"]   # no temp files left behind


def test_lambda_model_is_refused_and_its_code_never_runs(tmp_path, monkeypatch):
    import keras

    marker = tmp_path / "pwned"
    # Building/saving runs the lambda once; loading must not run it again.
    payload = eval(f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]")  # noqa: S307
    model = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(payload, name="innocent_scaling"),
                              keras.layers.Dense(2)])
    path = tmp_path / "malicious.keras"
    model.save(path)
    marker.unlink()
    with pytest.raises(ModelFileError, match=r"contains a Lambda layer \(innocent_scaling\).*refuses"):
        keras_io.load_keras(path)
    assert not marker.exists()
    # Even when our own check is bypassed, Keras's safe mode still refuses it.
    monkeypatch.setattr(keras_io, "check_keras_file", lambda p: {})
    with pytest.raises(ModelFileError, match="safe mode"):
        keras_io.load_keras(path)
    assert not marker.exists()


def test_foreign_classes_and_broken_files_are_refused(tmp_path, digit_onnx_model):
    # A config naming a class outside Keras (someone's custom module).
    with zipfile.ZipFile(digit_onnx_model.keras_path) as src:
        config = json.loads(src.read("config.json"))
        config["config"]["layers"][1]["module"] = "evil_package.layers"
        forged = tmp_path / "forged.keras"
        with zipfile.ZipFile(forged, "w") as dst:
            for item in src.namelist():
                dst.writestr(item, json.dumps(config) if item == "config.json" else src.read(item))
    with pytest.raises(ModelFileError, match="from evil_package.layers, which is not part of Keras"):
        keras_io.load_keras(forged)

    (tmp_path / "notes.keras").write_text("hello")
    with pytest.raises(ModelFileError, match="not a Keras .keras file"):
        keras_io.load_keras(tmp_path / "notes.keras")
    with pytest.raises(ModelFileError, match="looks like an ONNX model"):
        keras_io.load_keras(digit_onnx_model.onnx_path)
    with pytest.raises(ModelFileError, match="does not exist"):
        keras_io.load_keras(tmp_path / "nothing.keras")
    empty_zip = tmp_path / "empty.keras"
    zipfile.ZipFile(empty_zip, "w").close()
    with pytest.raises(ModelFileError, match="config.json cannot be read"):
        keras_io.load_keras(empty_zip)


def test_savedmodel_export_serves_the_same_outputs(digit_onnx_model, tmp_path):
    import tensorflow as tf

    model = keras_io.load_keras(digit_onnx_model.keras_path)
    folder = keras_io.export_savedmodel(model, tmp_path / "saved")
    assert (folder / "saved_model.pb").is_file()
    served = tf.saved_model.load(str(folder))
    x = digit_onnx_model.x_test[:5]
    np.testing.assert_allclose(np.asarray(served.serve(tf.constant(x))), np.asarray(model(x)), atol=1e-5)
    with pytest.raises(UserError, match="not an empty folder"):
        keras_io.export_savedmodel(model, folder)


def test_run_info_reads_the_run_folder(tmp_path):
    (tmp_path / "history.json").write_text(json.dumps({
        "task": "multiclass",
        "dataset": {"name": "mnist-5k", "kind": "image", "preprocessing": {"pixel_scale": 1 / 255}},
        "evaluation": {"per_class": {"classes": [{"name": "zero"}, {"name": "one"}]}}}))
    (tmp_path / "spec.json").write_text("{}")
    info = keras_io.run_info(tmp_path / "model.keras")
    assert info["task"] == "multiclass" and info["dataset"] == "mnist-5k" and info["kind"] == "image"
    assert info["class_names"] == ["zero", "one"] and info["spec"] == tmp_path / "spec.json"
    assert keras_io.run_info(tmp_path / "elsewhere" / "model.keras") == {}
