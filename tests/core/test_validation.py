"""Parameter checks: each kind, with a message naming the layer and the parameter."""
from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.validation import check_params, check_value


def msg(layer, name, value):
    return check_value(layer, CATALOGUE[layer].param(name), value)


def test_int_and_float_ranges():
    assert msg("Dense", "units", 10) is None
    assert msg("Dense", "units", 0) == "Dense: units must be a whole number from 1 to 100000 (it is 0)."
    assert "whole number" in msg("Dense", "units", 2.5)
    assert "whole number" in msg("Dense", "units", True)
    assert msg("Dropout", "rate", 0) is None
    assert msg("Dropout", "rate", 1.0) == "Dropout: rate must be a number from 0 to 0.95 (it is 1.0)."
    assert "number" in msg("Dropout", "rate", float("nan"))
    assert "number" in msg("Dropout", "rate", "0.5")


def test_bool_and_choice():
    assert msg("LSTM", "return_sequences", True) is None
    assert msg("LSTM", "return_sequences", 1) == \
        "LSTM: return_sequences must be true or false (it is 1)."
    assert msg("Dense", "activation", "swish").startswith(
        "Dense: activation must be one of relu, sigmoid, softmax, tanh, elu, gelu, linear")


def test_zoom_factors_take_a_number_a_range_or_for_the_width_none():
    assert msg("RandomZoom", "height_factor", 0.2) is None
    assert msg("RandomZoom", "height_factor", [-0.4, 0.1]) is None
    assert msg("RandomZoom", "width_factor", None) is None         # the height's zoom
    assert "number" in msg("RandomZoom", "height_factor", None)    # the height has no default
    assert msg("RandomZoom", "height_factor", -0.2) == (
        "RandomZoom: height_factor must be a number from 0 to 0.9 (the range minus to plus that "
        "number) or a pair [lower, upper] with each end from -0.9 to 0.9 (it is -0.2).")
    for bad in ([0.3, -0.1], [-1.0, 0.1], [0.1], [0.1, 0.2, 0.3], ["a", 0.1], float("nan"), True,
                10**400, [-10**400, 0.1]):
        assert msg("RandomZoom", "width_factor", bad), bad
    assert "number" in msg("Dropout", "rate", 10**400)     # too large for a float: no OverflowError


def test_pairs_and_shapes():
    assert msg("Conv2D", "kernel_size", 3) is None
    assert msg("Conv2D", "kernel_size", [3, 5]) is None
    assert msg("Conv2D", "kernel_size", [3]) is not None
    assert msg("Conv2D", "kernel_size", [3, 0]) is not None
    assert msg("Reshape", "target_shape", [-1, 28, 1]) is None
    assert msg("Reshape", "target_shape", []) is not None
    assert msg("Reshape", "target_shape", [28, None]) is not None
    assert msg("Input", "shape", [None, 3]) is None, "free dimensions belong to the input only"
    assert msg("Input", "shape", [0]) is not None


def test_check_params_fills_defaults_and_reports_unknown_names():
    params, errors = check_params(CATALOGUE["Dense"], {"units": 3, "colour": "red"})
    assert params == {"units": 3, "activation": "relu", "use_bias": True}
    assert errors == ["Dense has no parameter 'colour' (its parameters: activation, units, "
                      "use_bias)."]


# -- robustness: a hand-edited file may hold anything; analyse reports it, never crashes ---------
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from desktop_dl.core.shapes import analyse  # noqa: E402
from desktop_dl.core.spec import LayerSpec, ModelSpec  # noqa: E402

_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.sampled_from([10**400, -10**400]) |
    st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner,
                                                               max_size=3),
    max_leaves=4)


@st.composite
def wild_specs(draw):
    types = list(CATALOGUE) + ["Bogus"]
    layers = []
    for _ in range(draw(st.integers(0, 6))):
        type_ = draw(st.sampled_from(types))
        names = [p.name for p in CATALOGUE[type_].params] if type_ in CATALOGUE else []
        params = draw(st.dictionaries(st.sampled_from(names + ["extra"]), _JSONISH, max_size=4))
        layers.append(LayerSpec(type_, params))
    shape = tuple(draw(st.lists(st.one_of(st.none(), st.integers(-2, 40)), min_size=0,
                                max_size=4)))
    spec = ModelSpec(shape, layers, input_dtype=draw(st.sampled_from(["float32", "int32", "x"])))
    spec.compile.loss = draw(st.sampled_from(["auto", "mse", "binary_crossentropy",
                                              "sparse_categorical_crossentropy", "nonsense"]))
    return spec


@pytest.mark.slow
@settings(max_examples=150, deadline=None, derandomize=True)
@given(wild_specs())
def test_analyse_never_crashes(spec):
    analysis = analyse(spec)
    assert len(analysis.layers) == len(spec.layers)
    for report in analysis.layers:
        assert report.output_shape is None or all(d is None or d > 0
                                                   for d in report.output_shape[1:])
        if report.output_shape is None:
            assert analysis.problems, "an unknown shape always comes with a problem"
    for problem in analysis.problems:
        assert problem.message.endswith("."), problem.message
