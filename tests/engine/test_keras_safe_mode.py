"""Models inside projects load safely: code hidden in a .keras file never runs.

tests/engine/test_keras_io.py covers a plain Lambda .keras file; here the payload arrives the way
a shared project would bring it (a kept run's weights), nested inside a sub-model, or forged into
a layer's activation, and every time the marker file the payload would create never appears.
"""
import base64
import json
import marshal
import zipfile

import numpy as np
import pytest

from desktop_dl.core.errors import ModelFileError
from desktop_dl.core.project import Project, RunRecord, load_project, save_project
from desktop_dl.engine import keras_io
from desktop_dl.engine.project_weights import keras_bytes, model_from_keras_bytes

pytestmark = pytest.mark.slow


def _payload(marker):
    return eval(f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]")  # noqa: S307


def test_a_project_whose_run_hides_a_lambda_in_a_sub_model_is_refused(tmp_path):
    import keras

    marker = tmp_path / "pwned"
    inner = keras.Sequential([keras.Input((4,)), keras.layers.Lambda(_payload(marker), name="normalise"),
                              keras.layers.Dense(3)], name="block")
    model = keras.Sequential([keras.Input((4,)), inner, keras.layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    marker.unlink()
    project = tmp_path / "shared.ddl"
    save_project(Project(runs=[RunRecord("r1", "Run 1", kept=True,
                                         weights=(tmp_path / "m.keras").read_bytes())]), project)

    run = load_project(project).runs[0]           # reading the project itself is harmless
    with pytest.raises(ModelFileError, match=r"Run 1 contains a Lambda layer \(normalise\)"):
        model_from_keras_bytes(run.weights, "Run 1")
    assert not marker.exists()


def test_a_lambda_forged_into_an_activation_is_refused_by_us_and_by_keras(tmp_path, monkeypatch):
    import keras

    marker = tmp_path / "pwned"
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="head")])
    clean = tmp_path / "clean.keras"
    model.save(clean)
    # Keras serialises a Python lambda as {"class_name": "__lambda__", "config": {"code": ...}}.
    code = base64.b64encode(marshal.dumps(_payload(marker).__code__)).decode()
    with zipfile.ZipFile(clean) as src:
        config = json.loads(src.read("config.json"))
        head = [l for l in config["config"]["layers"] if l["config"].get("name") == "head"][0]
        head["config"]["activation"] = {"module": None, "class_name": "__lambda__",
                                        "config": {"code": code, "defaults": None, "closure": None},
                                        "registered_name": None}
        forged = tmp_path / "forged.keras"
        with zipfile.ZipFile(forged, "w") as dst:
            for item in src.namelist():
                dst.writestr(item, json.dumps(config) if item == "config.json" else src.read(item))

    with pytest.raises(ModelFileError, match="__lambda__"):
        model_from_keras_bytes(forged.read_bytes(), "forged.keras")
    # Without our own check, Keras's safe mode is the second wall.
    monkeypatch.setattr(keras_io, "check_keras_file", lambda p: {})
    with pytest.raises(ModelFileError):
        model_from_keras_bytes(forged.read_bytes(), "forged.keras")
    assert not marker.exists()


def test_damaged_weights_give_a_message_naming_the_run():
    with pytest.raises(ModelFileError, match="Run 3 has no saved model"):
        model_from_keras_bytes(b"", "Run 3")
    with pytest.raises(ModelFileError, match="Run 3 is not a Keras .keras file"):
        model_from_keras_bytes(b"not a zip", "Run 3")


def test_keras_bytes_round_trip_predicts_the_same(tmp_path):
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(1)])
    x = np.random.default_rng(0).normal(size=(8, 5)).astype(np.float32)
    again = model_from_keras_bytes(keras_bytes(model))
    np.testing.assert_array_equal(np.asarray(again(x)), np.asarray(model(x)))
