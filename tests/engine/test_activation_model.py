"""Activations through ONNX Runtime match the Keras model's own layers, shapes and values."""
import numpy as np
import pytest

from desktop_dl.core.errors import ModelFileError
from desktop_dl.engine.activation_model import ActivationModel

pytestmark = pytest.mark.slow   # uses the session's trained digit CNN


def test_layers_shapes_and_values_match_keras(digit_onnx_model):
    import keras

    model = keras.models.load_model(digit_onnx_model.keras_path)
    view = ActivationModel.open(digit_onnx_model.onnx_path)

    convs = [l for l in model.layers if isinstance(l, keras.layers.Conv2D)]
    denses = [l for l in model.layers if isinstance(l, keras.layers.Dense)]
    assert [l.kind for l in view.layers] == ["conv"] * len(convs) + ["dense"] * len(denses)
    for layer, keras_layer in zip(view.layers, convs):
        h, w, c = keras_layer.output.shape[1:]
        assert layer.shape == (c, h, w) and layer.activation == "Relu"
    assert view.layers[-1].shape == (10,) and view.layers[-1].activation == "Softmax"

    # the first layer's filters are its kernels: Keras HWIO → (filters, h, w)
    kernel = convs[0].get_weights()[0]
    assert view.filters.shape == (kernel.shape[3], kernel.shape[0], kernel.shape[1])
    np.testing.assert_allclose(view.filters, kernel.mean(axis=2).transpose(2, 0, 1), atol=1e-6)

    digit = digit_onnx_model.x_test[0, :, :, 0]
    probe = keras.Model(model.inputs, [l.output for l in convs + denses])
    expected = probe([digit[None, :, :, None]], training=False)
    for got, want in zip(view.run(digit), expected):
        want = np.asarray(want)[0]
        if want.ndim == 3:
            want = want.transpose(2, 0, 1)
        np.testing.assert_allclose(got, want, atol=1e-4)


def test_a_dense_mnist_net_shows_its_weights_as_images(tmp_path):
    import keras

    from desktop_dl.engine.onnx_export import export_onnx

    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dropout(0.2),
                              keras.layers.Dense(10, activation="softmax")])
    path = export_onnx(model, tmp_path / "dense.onnx",
                       parity_inputs=np.random.default_rng(0).random((4, 28, 28, 1), np.float32)).path
    view = ActivationModel.open(path)
    assert [(l.kind, l.shape, l.activation) for l in view.layers] == [
        ("dense", (32,), "Relu"), ("dense", (10,), "Softmax")]
    weights = model.layers[1].get_weights()[0]          # (784, 32)
    assert view.filters.shape == (32, 28, 28)
    np.testing.assert_allclose(view.filters[3], weights[:, 3].reshape(28, 28), atol=1e-6)
    values = view.run(np.zeros((28, 28), np.float32))
    assert values[-1].sum() == pytest.approx(1.0, abs=1e-5)


def test_unreadable_file_is_a_model_file_error(tmp_path):
    bad = tmp_path / "broken.onnx"
    bad.write_bytes(b"\x00not onnx at all")
    with pytest.raises(ModelFileError, match="broken.onnx"):
        ActivationModel.open(bad)
