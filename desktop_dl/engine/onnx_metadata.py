"""What an exported ONNX file says about itself: readable input/output names (`name_graph_io`)
and the `desktop_dl` metadata (class names, task, preprocessing, parity) in its
`metadata_props` (engine/onnx_export.py writes them; `read_metadata` reads them back).
Needs onnx only where a function says so; never TensorFlow.
"""
from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl import __version__

METADATA_KEY = "desktop_dl"
METADATA_FORMAT = "desktop_dl.onnx-metadata"
METADATA_VERSION = 1
INPUT_NAME = "input"


def read_metadata(path) -> dict:
    """The `desktop_dl` metadata of an ONNX file ({} when it has none). Uses onnx, not TensorFlow."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    for prop in model.metadata_props:
        if prop.key == METADATA_KEY:
            return json.loads(prop.value)
    return {}


def output_name_for(output_kind: str, task: str | None) -> str:
    """The graph output's name, by what its numbers are: "probabilities" (softmax or sigmoid),
    "logits" (scores before a softmax/sigmoid), or "value" (a regression's numbers)."""
    if output_kind in ("probabilities", "sigmoid"):
        return "probabilities"
    if output_kind == "logits" or (task and task != "regression"):
        return "logits"
    return "value"


def name_graph_io(proto, output_name: str) -> None:
    """Readable names where other tools show them (Netron, ONNX Runtime, inference servers):
    the input `input`, the output `output_name`, the batch dimension `batch` and free inner
    dimensions `sequence` (tf2onnx leaves `Identity:0`, `unk__173`...). Renames in place, in every
    node, value_info and output that uses the old names; the computation is unchanged."""
    graph = proto.graph
    initializers = {t.name for t in graph.initializer}
    inputs = [i for i in graph.input if i.name not in initializers]
    tensor_names: dict[str, str] = {}
    if len(inputs) == 1 and inputs[0].name != INPUT_NAME:
        tensor_names[inputs[0].name] = INPUT_NAME
    if len(graph.output) == 1 and graph.output[0].name != output_name:
        tensor_names[graph.output[0].name] = output_name
    for node in graph.node:
        node.input[:] = [tensor_names.get(n, n) for n in node.input]
        node.output[:] = [tensor_names.get(n, n) for n in node.output]
    for value in list(graph.input) + list(graph.output) + list(graph.value_info):
        value.name = tensor_names.get(value.name, value.name)

    # Dimension names: the input's free dimensions first (0 is the batch), then the same
    # symbols wherever they appear; any other free batch dimension of an output is the batch too.
    dim_names: dict[str, str] = {}
    for value in inputs:
        for index, dim in enumerate(value.type.tensor_type.shape.dim):
            if not dim.HasField("dim_value"):
                new = "batch" if index == 0 else "sequence"
                if dim.dim_param:
                    dim_names.setdefault(dim.dim_param, new)
                dim.dim_param = new
    outputs = {value.name for value in graph.output}
    for value in list(graph.output) + list(graph.value_info):
        for index, dim in enumerate(value.type.tensor_type.shape.dim):
            if dim.HasField("dim_value"):
                continue
            if dim.dim_param in dim_names:
                dim.dim_param = dim_names[dim.dim_param]
            elif index == 0 and value.name in outputs:
                dim.dim_param = "batch"


# -- metadata -----------------------------------------------------------------------------------
def all_layers(model):
    """Yield every layer of a Keras model depth-first, including layers nested inside sub-models
    (anything with .layers); the model itself is not yielded."""
    for layer in getattr(model, "layers", []):
        yield layer
        if hasattr(layer, "layers"):
            yield from all_layers(layer)


def output_kind_of(model, keras_out: np.ndarray) -> str:
    """What the output numbers are, so a consumer knows whether to apply softmax."""
    layers = list(all_layers(model))
    activation = None
    for layer in reversed(layers):
        act = getattr(layer, "activation", None)
        if act is not None:
            activation = getattr(act, "__name__", str(act))
            break
        if type(layer).__name__ in ("Softmax", "Activation"):
            activation = "softmax" if type(layer).__name__ == "Softmax" else layer.get_config().get("activation")
            break
    if activation == "softmax":
        return "probabilities"
    if activation == "sigmoid":
        return "sigmoid"
    if keras_out.ndim == 2 and keras_out.shape[1] > 1:
        return "logits"
    return "values"


def describe_model(model, metadata: dict, shape: tuple, dtype: np.dtype, output_name: str,
                    output_kind: str, opset: int) -> dict:
    """The desktop_dl metadata dict stored in an exported ONNX file (format
    "desktop_dl.onnx-metadata"): app and version, export time (UTC, ISO 8601), model name, task,
    kind (from metadata, else guessed from the input rank: 4 image, 3 sequence, else table),
    class names, dataset, input name/shape/dtype and layout (NHWC for images), output name and
    kind, preprocessing and opset; other keys of `metadata` are added as they are. Values are
    made JSON-ready (arrays to lists)."""
    kind = metadata.get("kind") or ("image" if len(shape) == 4 else "sequence" if len(shape) == 3 else "table")
    info: dict[str, Any] = {
        "format": METADATA_FORMAT,
        "version": METADATA_VERSION,
        "app": "desktop_dl",
        "app_version": __version__,
        "exported_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "model_name": model.name,
        "task": metadata.get("task"),
        "kind": kind,
        "class_names": [str(c) for c in metadata.get("class_names") or []],
        "dataset": metadata.get("dataset"),
        "input": {"name": INPUT_NAME, "shape": list(shape), "dtype": dtype.name,
                  "layout": "NHWC" if kind == "image" and len(shape) == 4 else None},
        "output": {"name": output_name, "kind": output_kind},
        "preprocessing": metadata.get("preprocessing") or {},
        "opset": opset,
    }
    for key, value in metadata.items():  # anything else the caller knows travels along
        info.setdefault(key, value)
    return _jsonable(info)


def set_metadata(proto, info: dict) -> None:
    """Write `info` into the ONNX ModelProto's metadata_props in place: key "desktop_dl" holds it
    as JSON, "class_names" the class names as a JSON list; other existing properties are kept.
    Raises KeyError when info has no "class_names"."""
    values = {METADATA_KEY: json.dumps(info, sort_keys=True), "class_names": json.dumps(info["class_names"])}
    kept = [p for p in proto.metadata_props if p.key not in values]
    del proto.metadata_props[:]
    for prop in kept:
        proto.metadata_props.add(key=prop.key, value=prop.value)
    for key, value in values.items():
        proto.metadata_props.add(key=key, value=value)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return value
