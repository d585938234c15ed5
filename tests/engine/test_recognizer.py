"""Recognizer: our exports and other people's ONNX digit models, broken files, no TensorFlow."""
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from desktop_dl.core.errors import ModelFileError
from desktop_dl.engine.recognizer import Recognizer


def _foreign(digit_onnx_model, tmp_path, name, *, nchw=False, logits=False, batch=None, flat=False):
    """The fixture's model rewritten as someone else's file: no metadata, other layout/outputs."""
    import onnx
    from onnx import TensorProto, helper

    model = onnx.load(str(digit_onnx_model.onnx_path))
    del model.metadata_props[:]
    graph = model.graph
    if logits:  # the final Softmax becomes an Identity: the file now gives raw scores
        for node in graph.node:
            if node.op_type == "Softmax":
                node.op_type = "Identity"
                del node.attribute[:]
    old = graph.input[0]
    dim0 = batch if batch is not None else "N"
    if nchw or flat:
        shape = [dim0, 784] if flat else [dim0, 1, 28, 28]
        new_input = helper.make_tensor_value_info("image", TensorProto.FLOAT, shape)
        if flat:
            target = helper.make_tensor("to_nhwc", TensorProto.INT64, [4], [-1, 28, 28, 1])
            graph.initializer.append(target)
            front = helper.make_node("Reshape", ["image", "to_nhwc"], [old.name])
        else:
            front = helper.make_node("Transpose", ["image"], [old.name], perm=[0, 2, 3, 1])
        graph.node.insert(0, front)
        graph.input.remove(old)
        graph.input.insert(0, new_input)
    elif batch is not None:
        old.type.tensor_type.shape.dim[0].Clear()
        old.type.tensor_type.shape.dim[0].dim_value = batch
    onnx.checker.check_model(model, full_check=True)
    path = tmp_path / name
    onnx.save(model, str(path))
    return path


def _accuracy(recognizer, digit_onnx_model):
    probs = recognizer.predict(digit_onnx_model.x_test)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-4)
    return float((probs.argmax(axis=1) == digit_onnx_model.y_test).mean())


def test_our_export_recognises_bundled_test_digits(digit_onnx_model):
    rec = Recognizer.open(digit_onnx_model.onnx_path)
    assert rec.provider == "CPUExecutionProvider"   # this machine has no GPU
    assert rec.class_names == digit_onnx_model.class_names and rec.classes == 10
    assert rec.layout == "NHWC" and rec.image_shape == (28, 28, 1) and rec.is_image_model
    assert rec.metadata["dataset"] == "mnist-5k" and rec.digit_normalisation == "mnist"
    assert _accuracy(rec, digit_onnx_model) >= 0.95
    x, y = digit_onnx_model.x_test, digit_onnx_model.y_test
    hits = [rec.predict_digit(x[i, :, :, 0]).index == y[i] for i in range(50)]
    assert sum(hits) >= 46
    pred = rec.predict_digit(x[0])
    assert pred.label == str(pred.index) and 0 < pred.confidence <= 1
    top = pred.top(3)
    assert len(top) == 3 and top[0] == (pred.label, pytest.approx(pred.confidence))
    assert top[0][1] >= top[1][1] >= top[2][1]
    assert json.loads(json.dumps(pred.to_json()))["top"][0]["label"] == pred.label
    assert "10 classes" in rec.describe() and "CPU" in rec.describe()


@pytest.mark.parametrize("variant", [
    dict(nchw=True, logits=True, batch=1),     # 1×1×28×28 NCHW, raw scores
    dict(nchw=True),                           # N×1×28×28, probabilities
    dict(batch=1),                             # 1×28×28×1 NHWC, probabilities
    dict(logits=True),                         # N×28×28×1, raw scores
    dict(flat=True, logits=True),              # N×784, raw scores
])
def test_foreign_models_without_metadata(digit_onnx_model, tmp_path, variant):
    path = _foreign(digit_onnx_model, tmp_path, "foreign.onnx", **variant)
    rec = Recognizer.open(path)
    assert rec.metadata == {} and rec.class_names == [str(i) for i in range(10)]
    assert rec.layout == ("flat" if variant.get("flat") else "NCHW" if variant.get("nchw") else "NHWC")
    # Softmax is applied exactly when the file gives raw scores: probabilities match ours.
    ours = Recognizer.open(digit_onnx_model.onnx_path).predict(digit_onnx_model.x_test[:40])
    np.testing.assert_allclose(rec.predict(digit_onnx_model.x_test[:40]), ours, atol=1e-5)
    assert _accuracy(rec, digit_onnx_model) >= 0.95     # fixed batch 1: fed one image at a time


def test_metadata_scales_pixels_for_models_trained_on_raw_values(tmp_path):
    """A model whose metadata says pixel_scale 1 (raw 0..255) gets 255× the 0..1 canvas image."""
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Flatten", ["x"], ["flat"]),
         helper.make_node("ReduceMax", ["flat"], ["peak"], keepdims=1),
         helper.make_node("Concat", ["peak", "peak"], ["y"], axis=1)],
        "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 28, 28, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    meta = {"kind": "image", "input": {"layout": "NHWC"}, "output": {"kind": "values"},
            "preprocessing": {"pixel_scale": 1.0}, "class_names": ["a", "b"]}
    model.metadata_props.add(key="desktop_dl", value=json.dumps(meta))
    path = tmp_path / "raw.onnx"
    onnx.save(model, str(path))
    rec = Recognizer.open(path)
    image = np.zeros((28, 28), np.float32)
    image[10, 10] = 0.5
    assert rec.predict(image[None])[0, 0] == pytest.approx(127.5)


def _rank5_model(path):
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4, 5])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 3, 4, 5])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), str(path))


@pytest.mark.parametrize("case, expected", [
    ("empty", r"empty \(0 bytes\)"),
    ("text", r"is a text file, not an ONNX model"),
    ("random", r"not a readable ONNX model: it may be truncated or damaged"),
    ("truncated", r"not a readable ONNX model: it may be truncated or damaged"),
    ("keras", r"zip archive: a Keras \.keras model, not an ONNX model"),
    ("rank5", r"inputs of rank 5"),
    ("table", r"takes rows of 13 numbers, not images"),
    ("missing", r"does not exist"),
    ("folder", r"is a folder"),
])
def test_broken_files_give_clear_messages_and_keep_previous_model(digit_onnx_model, tmp_path, case, expected):
    previous = Recognizer.open(digit_onnx_model.onnx_path)
    path = tmp_path / "model.onnx"
    good = digit_onnx_model.onnx_path.read_bytes()
    if case == "empty":
        path.write_bytes(b"")
    elif case == "text":
        path.write_text("# my model\nlayers: 3\n")
    elif case == "random":
        path.write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    elif case == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif case == "keras":
        path.write_bytes(digit_onnx_model.keras_path.read_bytes())
    elif case == "rank5":
        _rank5_model(path)
    elif case == "table":
        import onnx
        from onnx import TensorProto, helper
        graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g",
                                  [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 13])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 13])])
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8), str(path))
    elif case == "folder":
        path.mkdir()
    recognizer = previous
    with pytest.raises(ModelFileError, match=expected) as info:
        recognizer = Recognizer.open(path)          # the documented swap-on-success pattern
    assert "Traceback" not in str(info.value) and len(str(info.value)) < 400
    assert case in ("missing", "folder") or path.name in str(info.value)
    assert recognizer is previous
    assert previous.predict_digit(digit_onnx_model.x_test[0]).index == previous.predict(
        digit_onnx_model.x_test[:1]).argmax()


def test_non_image_models_of_ours_predict_but_refuse_digits(tmp_path):
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("ReduceSum", ["x", "axes"], ["y"], keepdims=1)], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 13])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1])],
                              [helper.make_tensor("axes", TensorProto.INT64, [1], [1])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    model.metadata_props.add(key="desktop_dl", value=json.dumps(
        {"kind": "table", "task": "regression", "output": {"kind": "values"}}))
    onnx.save(model, str(tmp_path / "wine.onnx"))
    rec = Recognizer.open(tmp_path / "wine.onnx")
    assert not rec.is_image_model
    assert rec.predict(np.ones((3, 13)))[:, 0].tolist() == [13.0, 13.0, 13.0]
    with pytest.raises(ModelFileError, match="not an image classifier"):
        rec.predict_digit(np.zeros((28, 28)))


def test_recognizer_never_imports_tensorflow_and_cuda_try_is_silent(digit_onnx_model):
    """In a fresh interpreter: open and predict; TensorFlow/Keras stay unloaded, stderr stays empty."""
    code = textwrap.dedent(f"""
        import sys
        import numpy as np
        from desktop_dl.engine.recognizer import Recognizer
        rec = Recognizer.open({str(digit_onnx_model.onnx_path)!r})
        rec.predict_digit(np.zeros((28, 28), np.float32))
        Recognizer.open({str(digit_onnx_model.onnx_path)!r})
        heavy = sorted({{m.split('.')[0] for m in sys.modules}} & {{'tensorflow', 'keras', 'tf2onnx'}})
        print(rec.provider, heavy)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**__import__("os").environ, "DESKTOP_DL_ORT_PROVIDER": "auto"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "CPUExecutionProvider []"
    assert out.stderr.strip() == "", out.stderr     # no TensorRT/CUDA error spam


def test_provider_preference_cpu_skips_cuda(digit_onnx_model, monkeypatch):
    from desktop_dl.engine import onnx_providers

    monkeypatch.setattr(onnx_providers, "cuda_listed", lambda: pytest.fail("CUDA was considered"))
    rec = Recognizer.open(digit_onnx_model.onnx_path, preference="cpu")
    assert rec.provider == onnx_providers.CPU


@pytest.mark.parametrize("units, names, expected_classes", [(1, ["negative", "positive"], 2),
                                                            (3, ["cat", "dog", "sun"], 3)])
def test_sigmoid_outputs_binary_and_multilabel(tmp_path, units, names, expected_classes):
    """One sigmoid unit becomes two class columns; several (multi-label) are left as they are."""
    import onnx
    from onnx import TensorProto, helper

    weights = helper.make_tensor("w", TensorProto.FLOAT, [4, units], [0.5] * (4 * units))
    graph = helper.make_graph(
        [helper.make_node("Flatten", ["x"], ["flat"]), helper.make_node("MatMul", ["flat", "w"], ["z"]),
         helper.make_node("Sigmoid", ["z"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2, 2, 1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", units])], [weights])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    model.metadata_props.add(key="desktop_dl", value=json.dumps(
        {"kind": "image", "class_names": names, "output": {"kind": "sigmoid"}, "input": {"layout": "NHWC"}}))
    onnx.save(model, str(tmp_path / "sig.onnx"))
    rec = Recognizer.open(tmp_path / "sig.onnx")
    assert rec.classes == expected_classes and rec.class_names == names
    probs = rec.predict(np.ones((2, 2, 2), np.float32))
    p = 1 / (1 + np.exp(-2.0))
    expected = [1 - p, p] if units == 1 else [p] * units
    np.testing.assert_allclose(probs, [expected, expected], rtol=1e-5)
    assert rec.predict_digit(np.ones((2, 2))).label == names[-1 if units == 1 else 0]


def _cuda_listed() -> bool:
    from desktop_dl.engine import onnx_providers
    return onnx_providers.cuda_listed()


@pytest.mark.skipif(not _cuda_listed(), reason="this onnxruntime build has no CUDA provider to try")
def test_failed_cuda_try_is_remembered(digit_onnx_model, monkeypatch):
    """This machine lists CUDA but has no GPU: the first open tries it once, later opens go straight to CPU."""
    import onnxruntime as ort

    from desktop_dl.engine import onnx_providers
    monkeypatch.setattr(onnx_providers, "_cuda_works", None)
    tried = []
    real = ort.InferenceSession

    def spy(model, sess_options=None, providers=None, **kw):   # records, then runs the real thing
        tried.append(list(providers))
        return real(model, sess_options=sess_options, providers=providers, **kw)

    monkeypatch.setattr(ort, "InferenceSession", spy)
    first = Recognizer.open(digit_onnx_model.onnx_path)
    second = Recognizer.open(digit_onnx_model.onnx_path)
    if first.provider == onnx_providers.CUDA:        # a real GPU: both use it
        assert second.provider == onnx_providers.CUDA and onnx_providers.cuda_status() == "in use"
        return
    assert tried == [[onnx_providers.CUDA, onnx_providers.CPU], [onnx_providers.CPU]]
    assert second.provider == onnx_providers.CPU
    assert "failed to load" in onnx_providers.cuda_status()


def test_uint8_image_models_get_raw_pixels(tmp_path):
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Cast", ["x"], ["xf"], to=TensorProto.FLOAT),
         helper.make_node("Flatten", ["xf"], ["flat"]),
         helper.make_node("ReduceMax", ["flat", "axes"], ["peak"], keepdims=1),
         helper.make_node("Concat", ["peak", "peak"], ["y"], axis=1)],
        "g", [helper.make_tensor_value_info("x", TensorProto.UINT8, ["N", 1, 28, 28])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 2])],
        [helper.make_tensor("axes", TensorProto.INT64, [1], [1])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], ir_version=8)
    model.metadata_props.add(key="desktop_dl", value=json.dumps({"output": {"kind": "values"}}))
    onnx.save(model, str(tmp_path / "u8.onnx"))
    rec = Recognizer.open(tmp_path / "u8.onnx")
    assert rec.layout == "NCHW"
    images = np.zeros((2, 28, 28), np.float32)
    images[0, 3, 4], images[1, 5, 5] = 1.0, 0.5
    assert rec.predict(images)[:, 0].tolist() == [255.0, 128.0]
