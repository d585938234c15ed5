"""ONNX files crafted to exhaust memory or break parsing are refused before anything big exists.

Declared input shapes and weight sizes are checked before the trial run, the trial run uses the
smallest input the model takes, and metadata is parsed with depth and type checks (issue 22).
Each open runs in a child process with its address space capped at 3 GB, so a check that
failed would show as a crash rather than pass by luck on a big machine.
"""
import json
import os
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest


def _open_capped(path, seconds=20) -> str:
    """Open `path` with Recognizer in a child limited to 3 GB; its one-line outcome."""
    code = textwrap.dedent(f"""
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (3 * 1024 ** 3, 3 * 1024 ** 3))
        from desktop_dl.core.errors import UserError
        from desktop_dl.engine.recognizer import Recognizer
        try:
            rec = Recognizer.open({str(path)!r})
            print("OPENED", rec.classes, rec.class_names[:3])
        except UserError as exc:
            print("REFUSED", exc)
    """)
    start = time.monotonic()
    # CPU only: a CUDA runtime maps gigabytes of address space on its own, the cap is for the model.
    env = {**os.environ, "DESKTOP_DL_ORT_PROVIDER": "cpu"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=seconds, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stdout + out.stderr
    assert time.monotonic() - start < 10
    return out.stdout.strip()


def _graph_model(nodes, inputs, outputs, initializers=(), opset=17):
    from onnx import helper

    graph = helper.make_graph(nodes, "g", inputs, outputs, list(initializers))
    return helper.make_model(graph, ir_version=8, opset_imports=[helper.make_opsetid("", opset)])


def test_constant_of_shape_bomb_is_refused_before_the_trial_run(tmp_path):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    shape = numpy_helper.from_array(np.array([60000, 60000], np.int64), "shape")
    nodes = [helper.make_node("ConstantOfShape", ["shape"], ["big"],
                              value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0])),
             helper.make_node("ReduceSum", ["big"], ["total"], keepdims=0),
             helper.make_node("Mul", ["X", "total"], ["y"])]
    model = _graph_model(nodes, [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 784])],
                         [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 784])], [shape])
    onnx.save(model, str(tmp_path / "bomb.onnx"))
    outcome = _open_capped(tmp_path / "bomb.onnx")
    assert outcome.startswith("REFUSED") and "(60000, 60000)" in outcome and "13.4 GB" in outcome


def test_a_declared_giant_input_is_refused(tmp_path):
    import onnx
    from onnx import TensorProto, helper

    model = _graph_model([helper.make_node("ReduceMax", ["X"], ["y"], axes=[2, 3], keepdims=0)],
                         [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 1, 30000, 30000])],
                         [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1])], opset=13)
    onnx.save(model, str(tmp_path / "wide.onnx"))
    outcome = _open_capped(tmp_path / "wide.onnx")
    assert outcome.startswith("REFUSED") and "pictures of 30000×30000 pixels" in outcome


def test_a_weight_declared_without_its_data_is_refused(tmp_path):
    import onnx
    from onnx import TensorProto, helper

    weight = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[20000, 20000])   # no data
    model = _graph_model([helper.make_node("MatMul", ["X", "W"], ["y"])],
                         [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 20000])],
                         [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 20000])], [weight])
    onnx.save(model, str(tmp_path / "hollow.onnx"))
    outcome = _open_capped(tmp_path / "hollow.onnx")
    assert outcome.startswith("REFUSED") and "declares 400,000,000 values" in outcome and "holds 0" in outcome


@pytest.mark.parametrize("meta", [
    "[" * 200_000,                                                     # RecursionError in json.loads before
    json.dumps({"class_names": {"not": "a list"}, "preprocessing": "x", "output": {"kind": 3}}),
    json.dumps({"class_names": [["nested"], 1, 2], "preprocessing": {"pixel_scale": float("inf")}}),
], ids=["deep", "wrong-types", "nested-names"])
def test_hostile_metadata_is_ignored_not_fatal(tmp_path, meta):
    import onnx
    from onnx import TensorProto, helper

    model = _graph_model([helper.make_node("Softmax", ["X"], ["y"])],
                         [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 784])],
                         [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 784])])
    model.metadata_props.add(key="desktop_dl", value=meta)
    onnx.save(model, str(tmp_path / "meta.onnx"))
    assert _open_capped(tmp_path / "meta.onnx").startswith("OPENED 784 ['0', '1', '2']")


def test_predict_refuses_each_hostile_model_in_one_line(tmp_path, capsys):
    """Through the CLI: exit 2, one line on stderr, no traceback, for every file above."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    from PIL import Image

    from desktop_dl.cli import main

    shape = numpy_helper.from_array(np.array([60000, 60000], np.int64), "shape")
    bomb = _graph_model([helper.make_node("ConstantOfShape", ["shape"], ["big"]),
                         helper.make_node("ReduceSum", ["big"], ["total"], keepdims=0),
                         helper.make_node("Mul", ["X", "total"], ["y"])],
                        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 784])],
                        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 784])], [shape])
    hollow = _graph_model([helper.make_node("MatMul", ["X", "W"], ["y"])],
                          [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 784])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 20000])],
                          [TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[784, 20000])])
    picture = tmp_path / "digit.png"
    Image.new("L", (28, 28), 0).save(picture)
    for name, model in (("bomb.onnx", bomb), ("hollow.onnx", hollow)):
        onnx.save(model, str(tmp_path / name))
        assert main(["predict", str(tmp_path / name), str(picture)]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err and name in err
