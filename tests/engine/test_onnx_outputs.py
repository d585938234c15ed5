"""Foreign ONNX classifiers: which output holds the scores, what kind they are, whose names.

Every model here is built with onnx.helper in the forms other tools write: scikit-learn's
converter (label first, probabilities second, as a tensor or as a ZipMap), ONNX-ML classifiers
with class labels, bare logits, Softmax, a sigmoid unit, metadata class names.
"""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from desktop_dl.cli import main
from desktop_dl.core.errors import ModelFileError
from desktop_dl.engine.recognizer import Recognizer
from desktop_dl.paths import resource

FIELD = Path(__file__).resolve().parents[1] / "data" / "field"
PIXELS = 64          # 8×8 pictures, flattened: small and fast, still an image model
ML = "ai.onnx.ml"


def _coefficients(classes: int) -> list[float]:
    """Class k scores 10 × pixel k: a picture with pixel k lit is class k."""
    w = np.zeros((classes, PIXELS), np.float32)
    for k in range(classes):
        w[k, k] = 10.0
    return w.ravel().tolist()


def _picture(k: int) -> np.ndarray:
    image = np.zeros((8, 8), np.float32)
    image.flat[k] = 1.0
    return image


def _sklearn_like(path, *, form: str, labels=("cat", "dog", "sun"), int_labels=False):
    """A LinearClassifier as skl2onnx writes it: outputs `label` (int64 or string) first, then
    `probabilities` as a tensor (form="tensor"), a ZipMap (form="zipmap"), or nothing (form="label")."""
    import onnx
    from onnx import TensorProto, helper

    label_attr = ({"classlabels_ints": [int(v) for v in labels]} if int_labels
                  else {"classlabels_strings": list(labels)})
    nodes = [helper.make_node("LinearClassifier", ["X"], ["label", "probability_tensor"], domain=ML,
                              coefficients=_coefficients(len(labels)), intercepts=[0.0] * len(labels),
                              post_transform="SOFTMAX", **label_attr)]
    label_type = TensorProto.INT64 if int_labels else TensorProto.STRING
    outputs = [helper.make_tensor_value_info("label", label_type, ["N"])]
    if form == "tensor":
        nodes.append(helper.make_node("Identity", ["probability_tensor"], ["probabilities"]))
        outputs.append(helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", len(labels)]))
    elif form == "zipmap":
        zip_attr = ({"classlabels_int64s": [int(v) for v in labels]} if int_labels
                    else {"classlabels_strings": list(labels)})
        nodes.append(helper.make_node("ZipMap", ["probability_tensor"], ["output_probability"], domain=ML, **zip_attr))
        key = TensorProto.INT64 if int_labels else TensorProto.STRING
        seq = helper.make_sequence_type_proto(helper.make_map_type_proto(key, helper.make_tensor_type_proto(TensorProto.FLOAT, [])))
        outputs.append(helper.make_value_info("output_probability", seq))
    graph = helper.make_graph(nodes, "sklearn", [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", PIXELS])], outputs)
    model = helper.make_model(graph, ir_version=8, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(ML, 1)])
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return path


def _matmul_model(path, *, head: str, classes: int = 3, props=None, input_shape=("N", PIXELS)):
    """X (N, 64) → MatMul → head ("none": logits, "softmax", "sigmoid") → `scores`."""
    import onnx
    from onnx import TensorProto, helper

    w = np.array(_coefficients(classes), np.float32).reshape(classes, PIXELS).T
    nodes = [helper.make_node("MatMul", ["X", "W"], ["z" if head != "none" else "scores"])]
    if head == "softmax":
        nodes.append(helper.make_node("Softmax", ["z"], ["scores"], axis=-1))
    elif head == "sigmoid":
        nodes.append(helper.make_node("Sigmoid", ["z"], ["scores"]))
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("X", TensorProto.FLOAT, list(input_shape))],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [input_shape[0], classes])],
        [onnx.numpy_helper.from_array(w - (5.0 if head == "sigmoid" else 0.0), "W")])
    model = helper.make_model(graph, ir_version=8, opset_imports=[helper.make_opsetid("", 17)])
    for key, value in (props or {}).items():
        model.metadata_props.add(key=key, value=value)
    onnx.save(model, str(path))
    return path


def _read(rec, k):
    return rec.predict_digit(_picture(k))


@pytest.mark.parametrize("form", ["tensor", "zipmap"])
def test_sklearn_label_first_reads_the_probabilities_with_class_labels(tmp_path, form):
    rec = Recognizer.open(_sklearn_like(tmp_path / "sk.onnx", form=form))
    assert rec.output_name == ("probabilities" if form == "tensor" else "output_probability")
    assert rec.class_names == ["cat", "dog", "sun"] and rec.score_kind == "probabilities"
    for k, name in enumerate(["cat", "dog", "sun"]):
        pred = _read(rec, k)
        assert pred.label == name and pred.confidence > 0.99
    np.testing.assert_allclose(rec.predict(np.stack([_picture(1)])).sum(axis=1), 1.0, atol=1e-5)


def test_zipmap_with_integer_labels_names_the_classes_by_them(tmp_path):
    rec = Recognizer.open(_sklearn_like(tmp_path / "sk.onnx", form="zipmap", labels=(3, 5, 7), int_labels=True))
    assert rec.class_names == ["3", "5", "7"]
    assert [_read(rec, k).label for k in range(3)] == ["3", "5", "7"]


def test_a_model_with_only_a_label_output_is_refused_with_its_outputs_listed(tmp_path):
    with pytest.raises(ModelFileError) as info:
        Recognizer.open(_sklearn_like(tmp_path / "labels.onnx", form="label"))
    message = str(info.value)
    assert "no output that can be read as class scores" in message
    assert "label (tensor(string), (?))" in message and "labels.onnx" in message


@pytest.mark.parametrize("head, kind", [("none", "logits"), ("softmax", "probabilities")])
def test_logits_get_a_softmax_and_probabilities_are_used_as_they_are(tmp_path, head, kind):
    rec = Recognizer.open(_matmul_model(tmp_path / "m.onnx", head=head))
    probs = rec.predict(np.stack([_picture(2), _picture(0)]))
    assert rec.last_scores == kind and rec.class_names == ["0", "1", "2"]
    expected = np.exp([0, 0, 10.0]) / np.exp([0, 0, 10.0]).sum()
    np.testing.assert_allclose(probs[0], expected, rtol=1e-5)
    assert probs.argmax(axis=1).tolist() == [2, 0]


def test_one_sigmoid_unit_is_a_yes_no_model(tmp_path):
    rec = Recognizer.open(_matmul_model(tmp_path / "s.onnx", head="sigmoid", classes=1))
    assert rec.classes == 2 and rec.score_kind == "sigmoid" and rec.class_names == ["0", "1"]
    yes, no = rec.predict(np.stack([_picture(0), _picture(5)]))
    assert yes[1] == pytest.approx(1 / (1 + np.exp(-5.0)), rel=1e-5) and no[1] == pytest.approx(1 / (1 + np.exp(5.0)), rel=1e-5)
    # One raw unit without a Sigmoid node: a binary logit, still read as a sigmoid yes/no.
    raw = Recognizer.open(_matmul_model(tmp_path / "r.onnx", head="none", classes=1))
    assert raw.classes == 2
    raw.predict(np.stack([_picture(0)]))
    assert raw.last_scores == "sigmoid"


@pytest.mark.parametrize("key, value", [("class_names", json.dumps(["zero", "one", "two"])),
                                        ("labels", "zero, one, two"),
                                        ("classes", json.dumps({"0": "zero", "1": "one", "2": "two"}))])
def test_class_names_from_other_tools_metadata(tmp_path, key, value):
    rec = Recognizer.open(_matmul_model(tmp_path / "m.onnx", head="softmax", props={key: value}))
    assert rec.class_names == ["zero", "one", "two"]
    assert _read(rec, 1).label == "one"


def test_control_characters_in_class_names_never_reach_the_terminal(tmp_path, capsys):
    names = ["\x1b[2J\x1b[Hzero", "one\u202e", "two\nthree\x07"]
    path = _matmul_model(tmp_path / "m.onnx", head="softmax", props={"class_names": json.dumps(names)})
    rec = Recognizer.open(path)
    assert rec.class_names == ["[2J[Hzero", "one", "twothree"]
    picture = tmp_path / "digit.png"
    from PIL import Image
    Image.fromarray(np.uint8(_picture(1) * 255)).resize((64, 64)).save(picture)
    assert main(["predict", str(path), str(picture)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out


def test_several_inputs_and_fixed_batches_are_refused_with_the_reason(tmp_path):
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph([helper.make_node("Add", ["X", "mask"], ["y"])], "g",
                              [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", PIXELS]),
                               helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["N", PIXELS])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", PIXELS])])
    onnx.save(helper.make_model(graph, ir_version=8, opset_imports=[helper.make_opsetid("", 17)]), str(tmp_path / "two.onnx"))
    with pytest.raises(ModelFileError, match=r"takes 2 inputs \(X \(\?, 64\); mask \(\?, 64\)\).*optional ones included"):
        Recognizer.open(tmp_path / "two.onnx")
    with pytest.raises(ModelFileError, match="only takes batches of exactly 4 inputs"):
        Recognizer.open(_matmul_model(tmp_path / "b4.onnx", head="softmax", input_shape=(4, PIXELS)))
    one = Recognizer.open(_matmul_model(tmp_path / "b1.onnx", head="softmax", input_shape=(1, PIXELS)))
    assert one.predict(np.stack([_picture(k) for k in range(3)])).argmax(axis=1).tolist() == [0, 1, 2]


def test_field_11_sklearn_style_label_first_reads_7_and_3(tmp_path, capsys):
    """../shared/field/11: `label` int64 first, `probabilities` second; every image was "0 (100 %)"."""
    model = FIELD / "11-sklearn-style-label-first" / "digits_sklearn_like.onnx"
    samples = [str(resource("samples", "digit_7_light_ink.png")), str(resource("samples", "digit_3_dark_ink.png"))]
    assert main(["predict", str(model), *samples, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [p["label"] for p in doc["predictions"]] == ["7", "3"]
    assert doc["scores"] == "probabilities" and all(p["confidence"] > 0.5 for p in doc["predictions"])
    rec = Recognizer.open(model)
    assert rec.output_name == "probabilities" and rec.class_names == [str(i) for i in range(10)]
    shutil.rmtree(tmp_path, ignore_errors=True)
