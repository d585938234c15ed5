"""Small real models the tests write themselves (no training, no downloads)."""
from pathlib import Path

import numpy as np


def tiny_digit_onnx(path: Path) -> Path:
    """A real 1×28×28×1 → 10 classifier (flatten + matmul + softmax), written with onnx.helper."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = numpy_helper.from_array(np.random.default_rng(0).normal(size=(784, 10)).astype("f4"), "w")
    shape = numpy_helper.from_array(np.array([-1, 784], np.int64), "shape")
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "shape"], ["flat"]),
         helper.make_node("MatMul", ["flat", "w"], ["logits"]),
         helper.make_node("Softmax", ["logits"], ["p"], axis=-1)],
        "digits", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 28, 28, 1])],
        [helper.make_tensor_value_info("p", TensorProto.FLOAT, ["N", 10])], [w, shape])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.save(model, path)
    return path
