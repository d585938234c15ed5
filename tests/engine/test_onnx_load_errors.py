"""Model files that do not load say why, by cause, each tested with a real file made here.

Causes: an IR version newer than this ONNX Runtime reads (with the in-memory down-conversion
when it is one step newer), an opset newer than supported, an operator this runtime lacks, an
external-data file that is missing, files that are not ONNX at all, truncation.
"""
import json
import pickle
import re
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest

from desktop_dl.cli import main
from desktop_dl.core.errors import ModelFileError
from desktop_dl.engine.onnx_load_errors import ModelLoadError
from desktop_dl.engine.recognizer import Recognizer
from desktop_dl.paths import resource

FIELD = Path(__file__).resolve().parents[1] / "data" / "field"


def _model(*, ir=8, opset=17, op="Softmax", domain="", extra_opsets=(), weights=None):
    from onnx import TensorProto, helper, numpy_helper

    nodes = [helper.make_node("MatMul", ["X", "W"], ["z"]), helper.make_node(op, ["z"], ["y"], domain=domain)]
    w = weights if weights is not None else np.eye(64, 10, dtype=np.float32)
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 64])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])],
                              [numpy_helper.from_array(w, "W")])
    return helper.make_model(graph, ir_version=ir, opset_imports=[helper.make_opsetid("", opset), *extra_opsets])


def _save(model, path, **kw):
    import onnx

    onnx.save(model, str(path), **kw)
    return path


def _max_ir(tmp_path) -> int:
    """The newest IR version this ONNX Runtime reads (from its own refusal of IR 99)."""
    with pytest.raises(ModelLoadError) as info:
        Recognizer.open(_save(_model(ir=99), tmp_path / "ir99.onnx"))
    return int(re.search(r"max supported IR version: (\d+)", info.value.details).group(1))


def test_ir_one_step_newer_names_both_versions_and_loads_when_allowed(tmp_path):
    newest = _max_ir(tmp_path)
    path = _save(_model(ir=newest + 1), tmp_path / "newer.onnx")
    with pytest.raises(ModelLoadError) as info:
        Recognizer.open(path)
    error = info.value
    assert error.cause == "ir_version" and error.downgrade_ir_to == newest
    assert f"IR version {newest + 1}" in str(error) and f"IR ≤ {newest}" in str(error)
    assert "--allow-ir-downgrade" in str(error)
    assert f"Unsupported model IR version: {newest + 1}, max supported IR version: {newest}" in error.details
    rec = Recognizer.open(path, allow_ir_downgrade=True)
    assert rec.notes and f"loaded as IR version {newest}" in rec.notes[0]
    assert rec.predict(np.eye(64, dtype=np.float32)[:10].reshape(10, 8, 8)).argmax(axis=1).tolist() == list(range(10))
    assert path.read_bytes() == _model(ir=newest + 1).SerializeToString()      # the file is unchanged


def test_ir_two_steps_newer_offers_no_downgrade(tmp_path):
    newest = _max_ir(tmp_path)
    path = _save(_model(ir=newest + 2), tmp_path / "much_newer.onnx")
    with pytest.raises(ModelLoadError) as info:
        Recognizer.open(path, allow_ir_downgrade=True)
    assert info.value.downgrade_ir_to is None and "--allow-ir-downgrade" not in str(info.value)
    assert f"IR version {newest + 2}" in str(info.value)


def test_ir_one_step_newer_with_an_unsupported_opset_is_not_offered_a_downgrade(tmp_path):
    newest = _max_ir(tmp_path)
    with pytest.raises(ModelLoadError) as info:
        Recognizer.open(_save(_model(ir=newest + 1, opset=30), tmp_path / "both.onnx"), allow_ir_downgrade=True)
    assert info.value.downgrade_ir_to is None and "--allow-ir-downgrade" not in str(info.value)
    assert re.search(r"also uses opset 30, newer than this runtime's \d+", str(info.value))


def test_field_12_newer_ir_version_message_and_downgrade(capsys):
    """../shared/field/12: re-saved with IR 14; the message named no cause ("truncated or damaged")."""
    model = str(FIELD / "12-newer-ir-version" / "saved_with_onnx_1_23_defaults.onnx")
    samples = [str(resource("samples", "digit_7_light_ink.png")), str(resource("samples", "digit_3_dark_ink.png"))]
    assert main(["predict", model, *samples]) == 2
    err = capsys.readouterr().err
    assert "saved by a newer ONNX (IR version 14)" in err and "IR ≤ 13" in err
    assert "truncated" not in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert main(["predict", model, *samples, "--verbose"]) == 2
    assert "max supported IR version: 13" in capsys.readouterr().err       # the runtime's full text
    assert main(["predict", model, *samples, "--allow-ir-downgrade", "--json"]) == 0
    captured = capsys.readouterr()
    assert [p["label"] for p in json.loads(captured.out)["predictions"]] == ["7", "3"]
    assert "note:" in captured.err and "loaded as IR version 13" in captured.err


def test_opset_newer_than_the_runtime(tmp_path):
    with pytest.raises(ModelLoadError) as info:
        Recognizer.open(_save(_model(ir=10, opset=30), tmp_path / "opset30.onnx"))
    assert info.value.cause == "opset"
    assert re.search(r"\(opset\) 30 of ai\.onnx, newer than this app's ONNX Runtime supports \(up to \d+\)", str(info.value))


@pytest.mark.parametrize("op, domain, named", [("FancyOp", "com.example", "FancyOp (domain com.example)"),
                                               ("NoSuchOp", "", "NoSuchOp at opset 17")])
def test_an_operator_the_runtime_lacks_is_named(tmp_path, op, domain, named):
    from onnx import helper

    extra = [helper.make_opsetid(domain, 1)] if domain else []
    with pytest.raises(ModelLoadError) as info:
        Recognizer.open(_save(_model(op=op, domain=domain, extra_opsets=extra), tmp_path / "op.onnx"))
    assert info.value.cause == "operator" and f"uses the operator {named}" in str(info.value)


def test_missing_external_data_file_is_named(tmp_path):
    path = _save(_model(), tmp_path / "big.onnx", save_as_external_data=True,
                 all_tensors_to_one_file=True, location="big_weights.bin", size_threshold=0)
    assert Recognizer.open(path).classes == 10          # with its data file next to it: fine
    (tmp_path / "big_weights.bin").unlink()
    with pytest.raises(ModelFileError) as info:
        Recognizer.open(path)
    assert "big_weights.bin" in str(info.value) and "same folder as big.onnx" in str(info.value)


def test_external_data_outside_the_models_folder_is_never_read(tmp_path):
    secret = tmp_path / "secret.bin"
    secret.write_bytes(np.eye(64, 10, dtype=np.float32).tobytes())
    inner = tmp_path / "models"
    inner.mkdir()
    model = _model()
    weight = model.graph.initializer[0]
    weight.ClearField("raw_data")
    weight.data_location = 1          # EXTERNAL
    for key, value in (("location", "../secret.bin"), ("length", str(64 * 10 * 4))):
        weight.external_data.add(key=key, value=value)
    with pytest.raises(ModelFileError, match="outside its own folder"):
        Recognizer.open(_save(model, inner / "m.onnx"))


def _keras_zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", "{}")
        z.writestr("config.json", "{}")
        z.writestr("model.weights.h5", b"\x89HDF\r\n\x1a\n")


def _torch_zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("model/data.pkl", pickle.dumps({"a": 1}))
        z.writestr("model/version", "3\n")


@pytest.mark.parametrize("kind, make, expected", [
    ("keras", _keras_zip, "a Keras .keras model, not an ONNX model. Export it to ONNX first"),
    ("pytorch", _torch_zip, "a PyTorch .pt/.pth checkpoint, not an ONNX model. Export it with torch.onnx.export"),
    ("hdf5", lambda p: p.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(600)), "an HDF5 file (a Keras .h5 model or weights)"),
    ("tflite", lambda p: p.write_bytes(b"\x1c\x00\x00\x00TFL3" + bytes(600)), "a TensorFlow Lite model (.tflite flatbuffer)"),
    ("pickle", lambda p: p.write_bytes(pickle.dumps({"w": [1, 2]}, protocol=4)), "a Python pickle"),
    ("safetensors", lambda p: p.write_bytes(struct.pack("<Q", 20) + b'{"w": {"dtype": 1}} ' + bytes(64)),
     "a safetensors weights file"),
    ("picture", lambda p: __import__("PIL.Image", fromlist=["Image"]).new("L", (8, 8)).save(p, "PNG"), "a PNG picture, not a model"),
    ("text", lambda p: p.write_text("layers:\n  - dense\n"), "is a text file, not an ONNX model"),
])
def test_files_that_are_not_onnx_say_what_they_are(tmp_path, kind, make, expected):
    path = tmp_path / "model.onnx"
    make(path)
    with pytest.raises(ModelLoadError) as info:
        Recognizer.open(path)
    assert info.value.cause == kind and expected in str(info.value) and "model.onnx" in str(info.value)


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.999])
def test_truncated_files(tmp_path, cut):
    whole = _model().SerializeToString()
    path = tmp_path / "cut.onnx"
    path.write_bytes(whole[: int(len(whole) * cut)])
    with pytest.raises(ModelFileError, match="may be truncated or damaged|is damaged|shorter than"):
        Recognizer.open(path)
