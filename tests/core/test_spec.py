"""Model spec JSON: round trips, versions, and malformed files as clear SpecErrors."""
import json

import pytest

from desktop_dl.core.errors import SpecError, UserError
from desktop_dl.core.spec import SPEC_FORMAT, SPEC_VERSION, LayerSpec, ModelSpec
from desktop_dl.core.templates import load_template


def good():
    return load_template("lstm-classifier").to_dict()


def test_round_trip_keeps_everything(tmp_path):
    spec = load_template("separable-cnn")
    spec.compile.learning_rate = 0.01
    spec.compile.metrics = ["accuracy", "top_k_categorical_accuracy"]
    path = tmp_path / "model.json"
    spec.save(path)
    again = ModelSpec.load(path)
    assert again.to_dict() == spec.to_dict()
    assert json.loads(path.read_text(encoding="utf-8"))["version"] == SPEC_VERSION


def test_free_dimensions_survive_json():
    spec = ModelSpec((None, 3), [LayerSpec("LSTM", {"units": 2})])
    assert ModelSpec.from_json(spec.to_json()).input_shape == (None, 3)


def test_copy_is_deep_and_keeps_ids():
    spec = load_template("mnist-cnn")
    other = spec.copy()
    other.layers[0].params["filters"] = 1
    assert spec.layers[0].params["filters"] == 32
    assert [l.uid for l in other.layers] == [l.uid for l in spec.layers]


@pytest.mark.parametrize("mutate,fragment", [
    (lambda d: d.update(version=SPEC_VERSION + 1), "newer desktop_dl"),
    (lambda d: d.update(version="1"), "no valid version"),
    (lambda d: d.update(version=0), "unknown spec version 0"),
    (lambda d: d.update(format="something-else"), "is not a desktop_dl model spec"),
    (lambda d: d.pop("input"), "malformed (missing 'input')"),
    (lambda d: d["input"].update(shape=[]), "input shape is empty"),
    (lambda d: d["input"].update(shape=[28, -1]), "not a positive whole number"),
    (lambda d: d["input"].update(shape=[28.5]), "not a positive whole number"),
    (lambda d: d["layers"].append({"params": {}}), "layer 5 has no type"),
    (lambda d: d["layers"].append({"type": "Dense", "params": [1]}), "malformed parameters"),
    (lambda d: d.update(compile=[]), "\"compile\" must be an object"),
    (lambda d: d["compile"].update(learning_rate="fast"), "malformed"),
    (lambda d: d["compile"].update(learning_rate=-1), "learning rate must be a positive number"),
    (lambda d: d["compile"].update(learning_rate=float("nan")), "learning rate must be"),
    (lambda d: d.update(layers={"type": "Dense"}), "\"layers\" must be a list"),
])
def test_malformed_specs_give_clear_errors(mutate, fragment):
    data = good()
    mutate(data)
    with pytest.raises(SpecError) as err:
        ModelSpec.from_dict(data, source="m.json")
    assert fragment in str(err.value) and str(err.value).startswith("m.json")


def test_files_that_are_not_specs(tmp_path):
    cases = {"empty.json": b"", "list.json": b"[1, 2]", "binary.json": b"\xff\xfe\x00\x01",
             "trunc.json": json.dumps(good()).encode()[:50]}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(UserError):
            ModelSpec.load(tmp_path / name)
    with pytest.raises(SpecError, match="Cannot read"):
        ModelSpec.load(tmp_path / "missing.json")
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(SpecError, match="JSON nesting is deeper"):
        ModelSpec.from_json(deep)
    with pytest.raises(SpecError, match="not valid JSON"):
        ModelSpec.from_json("{")


def test_format_constant():
    assert good()["format"] == SPEC_FORMAT
