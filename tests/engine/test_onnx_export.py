"""export_onnx: a checked ONNX file with our metadata, parity against Keras, refusal when it fails."""
import json

import numpy as np
import pytest

pytestmark = pytest.mark.slow  # each test builds Keras models and runs tf2onnx (seconds)


def _small_cnn(keras):
    layers = keras.layers
    return keras.Sequential([
        keras.Input((28, 28, 1)), layers.RandomRotation(0.1), layers.Conv2D(4, 3, activation="relu"),
        layers.BatchNormalization(), layers.MaxPooling2D(), layers.Flatten(), layers.Dropout(0.5),
        layers.Dense(10, activation="softmax")], name="small_cnn")


def test_digit_fixture_is_accurate_and_carries_metadata(digit_onnx_model):
    import onnx
    import onnxruntime as ort

    from desktop_dl import __version__
    from desktop_dl.engine.onnx_export import DEFAULT_OPSET, METADATA_KEY

    report = digit_onnx_model.report
    assert report.parity_ok and report.max_abs_diff < 1e-4 and report.opset == DEFAULT_OPSET
    proto = onnx.load(str(digit_onnx_model.onnx_path))
    onnx.checker.check_model(proto, full_check=True)
    props = {p.key: p.value for p in proto.metadata_props}
    meta = json.loads(props[METADATA_KEY])
    assert meta["class_names"] == [str(i) for i in range(10)]
    assert meta["input"]["layout"] == "NHWC" and meta["input"]["shape"] == [None, 28, 28, 1]
    assert meta["preprocessing"]["digit_normalisation"] == "mnist"
    assert meta["task"] == "multiclass" and meta["dataset"] == "mnist-5k"
    assert meta["app_version"] == __version__ and meta["output"]["kind"] == "probabilities"
    assert meta["parity"]["max_abs_diff"] == report.max_abs_diff and meta["parity"]["ok"]
    assert json.loads(props["class_names"]) == meta["class_names"]

    # Dynamic batch: ORT takes 1 and 1000 images, and the digits are recognised.
    session = ort.InferenceSession(str(digit_onnx_model.onnx_path), providers=["CPUExecutionProvider"])
    assert not isinstance(session.get_inputs()[0].shape[0], int)  # a named dynamic dimension
    x, y = digit_onnx_model.x_test, digit_onnx_model.y_test
    assert session.run(None, {"input": x[:1]})[0].shape == (1, 10)
    probs = session.run(None, {"input": x})[0]
    assert probs.shape == (len(x), 10)
    assert (probs.argmax(1) == y).mean() >= 0.95


def test_free_sequence_dimension_stays_dynamic(tmp_path):
    import keras
    import onnxruntime as ort

    from desktop_dl.engine.onnx_export import export_onnx

    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((None, 6)), keras.layers.GRU(8),
                              keras.layers.Dense(1, activation="sigmoid")])
    report = export_onnx(model, tmp_path / "seq.onnx", metadata={"task": "binary"},
                         parity_inputs=np.random.default_rng(0).random((4, 9, 6), dtype=np.float32))
    assert report.parity_ok and report.input_shape == (None, None, 6)
    assert report.metadata["kind"] == "sequence" and report.output_kind == "sigmoid"
    session = ort.InferenceSession(str(report.path), providers=["CPUExecutionProvider"])
    for length in (3, 20):
        x = np.random.default_rng(length).random((2, length, 6), dtype=np.float32)
        np.testing.assert_allclose(session.run(None, {"input": x})[0], model(x), atol=1e-5)


def test_parity_failure_refuses_and_keeps_previous_file(tmp_path, monkeypatch):
    import keras

    from desktop_dl.core.errors import UserError
    from desktop_dl.engine import onnx_export

    model = _small_cnn(keras)
    target = tmp_path / "model.onnx"
    target.write_bytes(b"previous good export")
    x = np.random.default_rng(0).random((8, 28, 28, 1), dtype=np.float32)
    # A runtime that disagrees with Keras: the real ORT output, shifted.
    real = onnx_export._onnx_outputs
    monkeypatch.setattr(onnx_export, "_onnx_outputs", lambda proto, xs: real(proto, xs) + 0.01)
    with pytest.raises(onnx_export.ParityError) as info:
        onnx_export.export_onnx(model, target, metadata={}, parity_inputs=x)
    assert isinstance(info.value, UserError)
    assert "differ by up to 0.01" in str(info.value) and "not written" in str(info.value)
    assert info.value.report.parity_ok is False and info.value.report.max_abs_diff == pytest.approx(0.01, rel=1e-3)
    assert target.read_bytes() == b"previous good export"


def test_random_parity_inputs_when_no_data_and_integer_inputs(tmp_path):
    import keras

    from desktop_dl.engine.onnx_export import export_onnx

    model = keras.Sequential([keras.Input((20,), dtype="int32"), keras.layers.Embedding(50, 4),
                              keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1, activation="sigmoid")])
    report = export_onnx(model, tmp_path / "imdb.onnx", metadata={"task": "binary"}, parity_inputs=None)
    assert report.parity_ok and report.parity_source == "random inputs"
    assert report.metadata["input"]["dtype"] == "int32"


def test_bad_requests_give_user_errors(tmp_path):
    import keras

    from desktop_dl.engine.onnx_export import ExportError, export_onnx

    model = _small_cnn(keras)
    x = np.zeros((2, 28, 28, 1), np.float32)
    with pytest.raises(ExportError, match="opset 7"):
        export_onnx(model, tmp_path / "a.onnx", metadata={}, parity_inputs=x, opset=7)
    with pytest.raises(ExportError, match="does not exist"):
        export_onnx(model, tmp_path / "missing" / "a.onnx", metadata={}, parity_inputs=x)
    with pytest.raises(ExportError, match=r"shape \(2, 28, 28\)"):
        export_onnx(model, tmp_path / "a.onnx", metadata={}, parity_inputs=x[..., 0])
    assert not (tmp_path / "a.onnx").exists()


def _io_names(path):
    """(input name, its dims, output name, its dims) as onnx.load(...).graph shows them."""
    import onnx

    graph = onnx.load(str(path)).graph
    initializers = {t.name for t in graph.initializer}
    (inp,) = [i for i in graph.input if i.name not in initializers]
    (out,) = list(graph.output)

    def dims(value):
        return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]
    return inp.name, dims(inp), out.name, dims(out)


def test_exported_names_are_readable_by_task(tmp_path, digit_onnx_model):
    """What Netron or an inference server shows: input/probabilities/logits/value, batch, sequence."""
    import keras
    import onnxruntime as ort

    from desktop_dl.engine.onnx_export import export_onnx

    assert _io_names(digit_onnx_model.onnx_path) == ("input", ["batch", 28, 28, 1], "probabilities", ["batch", 10])
    assert digit_onnx_model.report.output_name == "probabilities"

    keras.utils.set_random_seed(2)
    rng = np.random.default_rng(2)
    cases = [  # (model, task, input shape of the parity batch, expected names)
        (keras.Sequential([keras.Input((None, 6)), keras.layers.GRU(4), keras.layers.Dense(3)]),
         "multiclass", (4, 7, 6), ("input", ["batch", "sequence", 6], "logits", ["batch", 3])),
        (keras.Sequential([keras.Input((5,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]),
         "regression", (6, 5), ("input", ["batch", 5], "value", ["batch", 1])),
    ]
    for i, (model, task, shape, expected) in enumerate(cases):
        x = rng.random(shape, dtype=np.float32)
        report = export_onnx(model, tmp_path / f"m{i}.onnx", metadata={"task": task}, parity_inputs=x)
        assert report.parity_ok and report.output_name == expected[2]
        assert _io_names(report.path) == expected
        assert report.metadata["output"]["name"] == expected[2]
        session = ort.InferenceSession(str(report.path), providers=["CPUExecutionProvider"])
        np.testing.assert_allclose(session.run([expected[2]], {"input": x})[0], model(x), atol=1e-5)
