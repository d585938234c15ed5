"""Templates: the tutorials' networks as spec files in resources/templates/."""
import json

import pytest

from desktop_dl.core.errors import SpecError
from desktop_dl.core.shapes import analyse
from desktop_dl.core.spec import ModelSpec
from desktop_dl.core.templates import list_templates, load_template, template_names, templates_dir

EXPECTED = {"mnist-dense", "mnist-cnn", "mnist-dropout", "mnist-batchnorm", "separable-cnn",
            "imdb-binary", "tabular-regression", "tabular-binary", "lstm-classifier",
            "gru-classifier", "linear-unit"}


def test_all_templates_are_listed_with_title_and_description():
    infos = list_templates()
    assert EXPECTED <= {i.name for i in infos}
    for info in infos:
        assert info.title and len(info.description) > 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_template_is_valid_and_round_trips(name, tmp_path):
    spec = load_template(name)
    analysis = analyse(spec)
    assert analysis.ok, analysis.problems
    assert analysis.hints == [], analysis.hints
    path = tmp_path / f"{name}.json"
    spec.save(path)
    again = ModelSpec.load(path)
    assert analyse(again).to_dict() == analysis.to_dict()


def test_known_parameter_counts_and_layers():
    assert analyse(load_template("mnist-dense")).total == 407_050
    assert analyse(load_template("imdb-binary")).total == 160_305
    assert analyse(load_template("mnist-cnn")).total == 34_826
    assert analyse(load_template("linear-unit")).total == 2
    cnn = [l.type for l in load_template("mnist-cnn").layers]
    assert cnn == ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dropout",
                   "Dense"]
    lstm = load_template("lstm-classifier")
    assert lstm.input_dtype == "int32" and [l.type for l in lstm.layers] == [
        "Embedding", "LSTM", "LSTM", "Dense"]
    assert lstm.layers[1].params["return_sequences"] is True
    sep = {l.type for l in load_template("separable-cnn").layers}
    assert {"SeparableConv2D", "RandomRotation"} <= sep and "Rescaling" not in sep
    assert load_template("tabular-regression").compile.loss == "mse"
    assert load_template("tabular-binary").input_shape == (30,)


def test_template_files_are_named_for_their_template():
    for path in templates_dir().glob("*.json"):
        assert json.loads(path.read_text(encoding="utf-8"))["name"] == path.stem


def test_unknown_template_names_the_known_ones():
    with pytest.raises(SpecError) as err:
        load_template("mnist-transformer")
    assert str(err.value).startswith("No template named 'mnist-transformer'. Known templates: ")
    assert "mnist-cnn" in str(err.value)


def test_each_load_gives_fresh_layer_ids():
    a, b = load_template("mnist-cnn"), load_template("mnist-cnn")
    assert a.layers[0].uid != b.layers[0].uid
    assert template_names()[0] == "linear-unit"
