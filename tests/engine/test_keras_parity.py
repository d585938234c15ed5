"""Our plain-Python shapes and parameter counts equal what Keras computes, layer by layer."""
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_dl import cli
from desktop_dl.core.catalogue import CATALOGUE, ShapeError
from desktop_dl.core.shapes import analyse
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.core.templates import template_names, load_template
from desktop_dl.engine.keras_build import build_model


def _count(weights) -> int:
    return sum(int(np.prod(w.shape)) for w in weights)


def assert_parity(spec):
    analysis = analyse(spec)
    # Generated stacks may hold learner problems (softmax over one unit): shapes still count.
    model = build_model(spec, strict=False)
    keras_layers = model.layers[1:] if type(model.layers[0]).__name__ == "InputLayer" \
        else model.layers
    assert len(keras_layers) == len(analysis.layers)
    for report, layer in zip(analysis.layers, keras_layers):
        assert type(layer).__name__ == report.type
        got = (tuple(layer.output.shape), _count(layer.trainable_weights),
               _count(layer.non_trainable_weights))
        assert got == (report.output_shape, report.trainable, report.non_trainable), \
            f"layer {report.index} {report.type} {spec.layers[report.index].params}"
    assert model.count_params() == analysis.total
    return model


@pytest.mark.slow
@pytest.mark.parametrize("name", template_names())
def test_every_template_matches_keras(name, capsys):
    model = assert_parity(load_template(name))
    # ... and so does what `desktop-dl summary --template NAME --json` prints.
    assert cli.main(["summary", "--template", name, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    keras_rows = [{"name": layer.name, "output_shape": list(layer.output.shape),
                   "trainable": _count(layer.trainable_weights),
                   "non_trainable": _count(layer.non_trainable_weights)}
                  for layer in model.layers[1:]]
    assert [{k: row[k] for k in ("name", "output_shape", "trainable", "non_trainable")}
            for row in printed["layers"]] == keras_rows
    assert printed["total"] == model.count_params()


def _spec(shape, *layers, dtype="float32"):
    return ModelSpec(shape, [LayerSpec(t, CATALOGUE[t].complete(p)) for t, p in layers],
                     input_dtype=dtype)


EDGE_CASES = {
    "free-size image": _spec((None, None, 3), ("Conv2D", {"filters": 4, "strides": 2}),
                             ("MaxPooling2D", {"padding": "same"}),
                             ("SeparableConv2D", {"filters": 5, "depth_multiplier": 2}),
                             ("GlobalAveragePooling2D", {}), ("Dense", {"units": 2})),
    "causal strided conv1d": _spec((None, 3), ("Conv1D", {"filters": 4, "kernel_size": 3,
                                                          "strides": 2, "padding": "causal"}),
                                   ("GRU", {"units": 3, "return_sequences": True}),
                                   ("Dense", {"units": 2})),
    "odd pooling": _spec((7, 5, 2), ("AveragePooling2D", {"pool_size": [3, 2]}),
                         ("Flatten", {}), ("BatchNormalization", {"center": False})),
    "reshape back to image": _spec((784,), ("Reshape", {"target_shape": [28, -1, 1]}),
                                   ("Conv2D", {"filters": 2, "kernel_size": [5, 3]}),
                                   ("RandomFlip", {}), ("Rescaling", {"scale": 2.0})),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(EDGE_CASES))
def test_edge_cases_match_keras(case):
    assert_parity(EDGE_CASES[case])


# -- generated specs -------------------------------------------------------------------------
# Small sizes keep each Keras build fast; the rules do not depend on size.
_CAPS = {"units": 6, "filters": 5, "kernel_size": 4, "strides": 3, "pool_size": 3,
         "depth_multiplier": 2, "input_dim": 30, "output_dim": 5}

_BY_RANK = {
    1: ["Dense", "Dropout", "BatchNormalization", "Activation", "Rescaling", "Reshape"],
    2: ["Dense", "Dropout", "BatchNormalization", "Activation", "Conv1D", "MaxPooling1D",
        "GlobalAveragePooling1D", "SimpleRNN", "LSTM", "GRU", "Flatten", "Reshape"],
    3: ["Dense", "Dropout", "BatchNormalization", "Activation", "Rescaling", "Conv2D", "Conv2D",
        "SeparableConv2D", "SeparableConv2D", "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D",
        "Flatten", "Reshape", "RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation",
        "RandomShear"],
}


def _param_value(p):
    if p.kind == "int":
        return st.integers(int(p.minimum), min(int(p.maximum), _CAPS.get(p.name, 8)))
    if p.kind == "int_or_pair":
        top = min(int(p.maximum), _CAPS.get(p.name, 4))
        one = st.integers(int(p.minimum), top)
        return st.one_of(one, st.lists(one, min_size=2, max_size=2))
    if p.kind == "float":
        return st.floats(max(p.minimum, -10), min(p.maximum, 10), allow_nan=False)
    if p.kind == "factor":
        end = st.floats(-p.maximum, p.maximum, allow_nan=False)
        pair = st.lists(end, min_size=2, max_size=2).map(sorted)
        return st.one_of(st.floats(0.0, p.maximum), pair, *([st.none()] if p.unset else []))
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "choice":
        return st.sampled_from(p.choices)
    raise AssertionError(p.kind)


def _reshape_target(draw, shape):
    n = int(np.prod(shape))
    options = [[n], [n, 1], [-1, 1], [1, -1]]
    for d in range(2, n):
        if n % d == 0:
            options += [[d, n // d], [d, -1, 1]]
            break
    return draw(st.sampled_from(options))


@st.composite
def valid_specs(draw):
    kind = draw(st.sampled_from(["image", "image", "vector", "sequence", "tokens"]))
    layers = []
    dtype = "float32"
    if kind == "image":
        shape = (draw(st.integers(3, 14)), draw(st.integers(3, 14)), draw(st.integers(1, 3)))
    elif kind == "vector":
        shape = (draw(st.integers(1, 24)),)
    elif kind == "sequence":
        shape = (draw(st.sampled_from([None, 2, 5, 9])), draw(st.integers(1, 4)))
    else:
        shape, dtype = (draw(st.sampled_from([None, 4, 10])),), "int32"
    input_shape = shape
    if kind == "tokens":
        params = {"input_dim": draw(st.integers(2, 30)), "output_dim": draw(st.integers(1, 5))}
        layers.append(LayerSpec("Embedding", params))
        shape = CATALOGUE["Embedding"].infer(shape, params).shape
    for _ in range(draw(st.integers(1, 5))):
        choices = [t for t in _BY_RANK.get(len(shape), ["Flatten", "Dense"])
                   if None not in shape or t not in ("Flatten", "Reshape", "Dense")]
        if None in shape and len(shape) > 1 and len(shape) != 2:
            break
        type_ = draw(st.sampled_from(choices))
        entry = CATALOGUE[type_]
        params = {}
        for p in entry.params:
            if p.kind == "shape":
                params[p.name] = _reshape_target(draw, shape)
            else:
                params[p.name] = draw(_param_value(p))
        try:
            out = entry.infer(shape, params)
        except ShapeError:
            continue  # e.g. a kernel larger than the image: try another layer
        layers.append(LayerSpec(type_, params))
        shape = out.shape
    return ModelSpec(input_shape, layers, input_dtype=dtype)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(valid_specs())
def test_generated_specs_match_keras(spec):
    analysis = analyse(spec)
    blocking = [p for p in analysis.problems
                if p.index is None or analysis.layers[p.index].output_shape is None]
    assert not blocking, blocking
    if spec.layers:
        assert_parity(spec)
