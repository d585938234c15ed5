"""Every model template exports to ONNX and matches Keras (random weights are enough for parity).

Covers BatchNormalization, Dropout, SeparableConv2D, LSTM/GRU, Embedding and the augmentation
layers, which must be the identity at inference (the export calls the model with training=False).
"""
import numpy as np
import pytest

from desktop_dl.core.templates import template_names

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """template name -> (keras model, ExportReport), built and exported once for the module."""
    import keras

    from desktop_dl.core.templates import load_template
    from desktop_dl.engine.keras_build import build_model
    from desktop_dl.engine.onnx_export import export_onnx, synthetic_inputs

    folder = tmp_path_factory.mktemp("templates")
    keras.utils.set_random_seed(0)
    results = {}
    for name in template_names():
        model = build_model(load_template(name))
        inputs = synthetic_inputs(model, n=4, seed=1)
        results[name] = (model, inputs, export_onnx(model, folder / f"{name}.onnx", metadata={"task": None},
                                                    parity_inputs=inputs))
    return results


@pytest.mark.parametrize("name", template_names())
def test_template_exports_with_parity(exported, name):
    import onnx
    import onnxruntime as ort

    model, inputs, report = exported[name]
    assert report.parity_ok and report.max_abs_diff <= 1e-4 * max(1.0, report.metadata["parity"].get("scale", 1.0)), \
        report.summary()
    onnx.checker.check_model(onnx.load(str(report.path)), full_check=True)
    # Another batch size runs too (dynamic batch dimension) and gives the same rows.
    session = ort.InferenceSession(str(report.path), providers=["CPUExecutionProvider"])
    batch = session.run(None, {"input": inputs})[0]
    single = session.run(None, {"input": inputs[:1]})[0]
    np.testing.assert_allclose(single, batch[:1], atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name", template_names())
def test_template_keras_file_reloads_safely(exported, name, tmp_path):
    from desktop_dl.engine.keras_io import load_keras, save_keras

    model, _, _ = exported[name]
    again = load_keras(save_keras(model, tmp_path / f"{name}.keras"))
    assert [type(layer).__name__ for layer in again.layers] == [type(layer).__name__ for layer in model.layers]
    for before, after in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_the_hard_layers_are_covered(exported):
    kinds = set()
    for model, _, _ in exported.values():
        kinds |= {type(layer).__name__ for layer in model.layers}
    for needed in ("BatchNormalization", "Dropout", "SeparableConv2D", "LSTM", "GRU"):
        assert needed in kinds, f"no template uses {needed}"
    assert any(k.startswith("Random") for k in kinds), "no template uses an augmentation layer"


def test_augmentation_is_identity_at_inference(exported):
    """The augmented template's ONNX output does not change between runs on the same input."""
    import onnxruntime as ort

    augmented = [n for n, (m, _, _) in exported.items()
                 if any(type(layer).__name__.startswith("Random") for layer in m.layers)]
    assert augmented
    for name in augmented:
        model, inputs, report = exported[name]
        session = ort.InferenceSession(str(report.path), providers=["CPUExecutionProvider"])
        first, second = (session.run(None, {"input": inputs})[0] for _ in range(2))
        np.testing.assert_array_equal(first, second)
