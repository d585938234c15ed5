"""The figures a learner reads in "What is this?" equal Keras's own model.summary() numbers."""
import re

import pytest

from desktop_dl.core.explanations import explain
from desktop_dl.core.templates import load_template


@pytest.mark.slow
@pytest.mark.parametrize("template", ["mnist-cnn", "mnist-batchnorm", "gru-classifier", "separable-cnn"])
def test_explanation_figures_match_keras(template):
    from desktop_dl.engine.keras_build import build_model

    spec = load_template(template)
    model = build_model(spec)
    layers = [l for l in model.layers if l.__class__.__name__ != "InputLayer"]
    assert len(layers) == len(spec.layers)
    for i, layer in enumerate(layers):
        e = explain(spec, i)
        shape = tuple(layer.output.shape)
        assert e.output_shape == shape, (layer.name, e.output_shape, shape)
        stated = re.findall(r"= ([\d,]+) parameters", " ".join(e.figures))
        total = int(stated[-1].replace(",", "")) if stated else 0
        assert total == layer.count_params(), (layer.name, e.figures)
