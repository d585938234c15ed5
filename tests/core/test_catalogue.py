"""The catalogue declares every tutorial layer, with help, sane defaults and working rules."""
import pytest

from desktop_dl.core.catalogue import (ACTIVATIONS, CATALOGUE, GROUPS, INPUT, LayerOutput,
                                       ShapeError, describe_shape, input_params, palette_types,
                                       with_input_params)
from desktop_dl.core.spec import ModelSpec
from desktop_dl.core.validation import check_params, check_value

ISSUE_LAYERS = ["Input", "Dense", "Activation", "Dropout", "Flatten", "Reshape",
                "BatchNormalization", "Conv1D", "Conv2D", "SeparableConv2D", "MaxPooling1D",
                "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling1D",
                "GlobalAveragePooling2D", "Embedding", "SimpleRNN", "LSTM", "GRU", "RandomFlip",
                "RandomRotation", "RandomZoom", "RandomTranslation", "Rescaling"]

# A shape each layer accepts with its default parameters.
SAMPLE_INPUT = {"Conv1D": (20, 4), "MaxPooling1D": (20, 4), "GlobalAveragePooling1D": (20, 4),
                "SimpleRNN": (20, 4), "LSTM": (20, 4), "GRU": (20, 4), "Embedding": (20,),
                "Dense": (16,), "Reshape": (784,)}


def test_every_issue_layer_is_declared():
    assert set(ISSUE_LAYERS) <= set(CATALOGUE)
    assert set(ACTIVATIONS) == {"relu", "sigmoid", "softmax", "tanh", "elu", "gelu", "linear"}


def test_recurrent_layers_offer_return_sequences():
    for name in ("SimpleRNN", "LSTM", "GRU"):
        assert CATALOGUE[name].param("return_sequences").kind == "bool"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_entry_is_complete_and_its_defaults_are_valid(name):
    entry = CATALOGUE[name]
    assert entry.name == name
    assert entry.group in GROUPS
    assert 20 < len(entry.help) < 300 and entry.help.endswith(".")
    for p in entry.params:
        assert p.help, f"{name}.{p.name} has no help"
        assert p.kind in ("int", "float", "bool", "choice", "shape", "int_or_pair", "factor")
        if p.kind == "choice":
            assert p.default in p.choices
        if p.unset_from:
            assert p.unset and p.unset_from in {q.name for q in entry.params}, (name, p.name)
        assert check_value(name, p, p.default) is None, (name, p.name)
    params, errors = check_params(entry, {})
    assert errors == [] and params == entry.defaults()


@pytest.mark.parametrize("name", sorted(set(CATALOGUE) - {INPUT}))
def test_defaults_infer_a_shape(name):
    out = CATALOGUE[name].infer(SAMPLE_INPUT.get(name, (28, 28, 1)), CATALOGUE[name].defaults())
    assert isinstance(out, LayerOutput)
    assert all(d is None or d > 0 for d in out.shape)
    assert out.trainable >= 0 and out.non_trainable >= 0


def test_every_group_has_layers_in_the_palette():
    groups = {t.group for t in palette_types()}
    assert groups == set(GROUPS)
    assert INPUT not in [t.name for t in palette_types()]


def test_input_row_round_trips_through_the_spec():
    spec = ModelSpec((28, 28, 1))
    assert input_params(spec) == {"shape": (28, 28, 1), "dtype": "float32"}
    changed = with_input_params(spec, {"shape": [200], "dtype": "int32"})
    assert changed.input_shape == (200,) and changed.input_dtype == "int32"
    assert spec.input_shape == (28, 28, 1), "the original is untouched"


def test_parameter_counts_of_the_classic_layers():
    p = CATALOGUE["Dense"].complete({"units": 512})
    assert CATALOGUE["Dense"].infer((784,), p).trainable == 401_920
    p = CATALOGUE["Conv2D"].complete({"filters": 64, "kernel_size": 3})
    assert CATALOGUE["Conv2D"].infer((13, 13, 32), p) == LayerOutput((11, 11, 64), 18_496)
    bn = CATALOGUE["BatchNormalization"].infer((10,), CATALOGUE["BatchNormalization"].defaults())
    assert (bn.trainable, bn.non_trainable) == (20, 20)
    lstm = CATALOGUE["LSTM"].infer((200, 32), CATALOGUE["LSTM"].complete({"units": 32}))
    assert lstm == LayerOutput((32,), 8_320)
    gru = CATALOGUE["GRU"].infer((None, 32), CATALOGUE["GRU"].complete(
        {"units": 32, "return_sequences": True}))
    assert gru == LayerOutput((None, 32), 6_336)


def test_shape_error_speaks_to_a_learner():
    with pytest.raises(ShapeError, match=r"Conv2D needs an image .* but Flatten gives a vector "
                                         r"of 784 — add a Reshape to \(28, 28, 1\) or remove the "
                                         r"Flatten\."):
        CATALOGUE["Conv2D"].infer((784,), CATALOGUE["Conv2D"].defaults(), "Flatten")


def test_describe_shape():
    assert describe_shape((784,)) == "a vector of 784"
    assert describe_shape((None, 32)) == "a sequence of any number of steps × 32 features"
    assert describe_shape((28, 28, 1)) == "an image 28×28×1"


def test_every_entry_declares_what_the_app_needs_per_layer():
    """Adding a layer is one catalogue entry: loss rules, the exported script, explanations and
    figures read these fields (LayerType makes each required; here their values are checked)."""
    from desktop_dl.core.catalogue import ACTIVATIONS, CATALOGUE, INPUT
    from desktop_dl.core.layer_figures import RULES, title

    for entry in CATALOGUE.values():
        assert entry.output_activation in ("own", "passes") or entry.output_activation in ACTIVATIONS
        names = {p.name for p in entry.params}
        assert set(entry.positional) <= names, entry.name
        assert set(entry.keras_defaults) <= names, entry.name
        assert entry.figures in RULES or entry.name == INPUT, entry.name
        assert title(entry.name, entry.defaults()).startswith(entry.name)
        if entry.output_activation == "own" and entry.name != INPUT:
            assert "activation" in names or entry.name in (
                "Embedding", "BatchNormalization", "Rescaling"), entry.name


def test_catalogue_fields_drive_losses_codegen_and_titles():
    from desktop_dl.core.codegen import layer_code
    from desktop_dl.core.layer_figures import title
    from desktop_dl.core.losses import output_activation
    from desktop_dl.core.spec import LayerSpec

    lstm = LayerSpec("LSTM", {"units": 8})
    assert output_activation([LayerSpec("Dense", {"units": 3, "activation": "softmax"}),
                              LayerSpec("Dropout", {"rate": 0.2})]) == "softmax"
    assert output_activation([lstm]) == "tanh"
    assert layer_code(lstm) == "layers.LSTM(8)"              # tanh is LSTM's own default
    assert layer_code(LayerSpec("Conv2D", {"filters": 8, "kernel_size": [3, 5]})) == \
        "layers.Conv2D(8, (3, 5), activation=\"relu\")"
    assert title("Conv2D", {"filters": 8, "kernel_size": [3, 5], "activation": "relu"}) == \
        "Conv2D(8, 3×5, relu)"
