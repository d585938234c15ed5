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
