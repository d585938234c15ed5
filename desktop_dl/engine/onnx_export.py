"""Keras model → ONNX file, checked: `onnx.checker` (full check) and a Keras/ONNX Runtime parity run.

`tf2onnx.convert.from_keras` fails on Keras 3 models, so the model is wrapped in a `tf.function`
called with `training=False` (Dropout, BatchNormalization statistics and the augmentation layers
then behave as at inference) with an explicit input signature whose batch dimension, and the
spec's free dimensions (sequence length), stay dynamic.

Contract for callers: `export_onnx` returns an `ExportReport` only for a good export. When the
checker or the parity run fails it raises `ExportError` (a `UserError`; a parity failure raises
its subclass `ParityError`, whose `.report` holds the numbers) and nothing is written at `path`,
so a previous good file there stays in place. The file is written atomically.

Any backend: tf2onnx needs TensorFlow, so a model trained under JAX or PyTorch is saved as .keras,
reloaded in a TensorFlow-backend child process and converted there (engine/onnx_export_process.py);
the parity check compares ONNX Runtime with the outputs of the model as trained, on its own backend.

Everything a consumer needs travels in the file's `metadata_props`: key `desktop_dl` holds one
JSON object (see `METADATA_KEY` and `_describe_model`), and `class_names` a JSON list for tools
that only look for that.
"""
from __future__ import annotations

import datetime as _dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from desktop_dl import __version__
from desktop_dl.core.atomic_write import write_bytes_atomic
from desktop_dl.core.errors import UserError
from desktop_dl.core.i18n import _
from desktop_dl.core.shape_rules import batch_shape

# tf2onnx 1.17 converts up to opset 18; ONNX Runtime 1.31 runs opsets up to 23, so 18 is the
# newest both sides support (verified by tests/engine/test_onnx_export.py).
DEFAULT_OPSET = 18
MAX_OPSET = 18
MIN_OPSET = 13
METADATA_KEY = "desktop_dl"
METADATA_FORMAT = "desktop_dl.onnx-metadata"
METADATA_VERSION = 1
INPUT_NAME = "input"
DEFAULT_TOLERANCE = 1e-4
PARITY_SAMPLES = 32


class ExportError(UserError):
    """The model could not be exported to a file we are willing to call good."""


class ParityError(ExportError):
    """ONNX Runtime's outputs differ from Keras's by more than the tolerance."""

    def __init__(self, message: str, report: "ExportReport"):
        super().__init__(message)
        self.report = report


@dataclass
class ExportReport:
    path: Path
    opset: int
    max_abs_diff: float
    parity_ok: bool
    tolerance: float
    samples: int                       # how many inputs went through both runtimes
    parity_source: str                 # "validation samples" | "random inputs"
    input_name: str
    input_shape: tuple                 # batch first; None for dynamic dimensions
    output_name: str
    output_kind: str                   # "probabilities" | "sigmoid" | "logits" | "values"
    size_bytes: int = 0
    seconds: float = 0.0
    metadata: dict = field(default_factory=dict)

    def summary(self) -> str:
        """One line for a status bar or a CLI."""
        return (_("{name}: opset {opset}, parity on {samples} {parity_source}: largest "
                  "difference {max_abs_diff:.2g} (tolerance {tolerance:.0e}), {value:.0f} KiB",
                  name=self.path.name, opset=self.opset, samples=self.samples, parity_source=self.parity_source, max_abs_diff=self.max_abs_diff, tolerance=self.tolerance, value=self.size_bytes / 1024))


def export_onnx(model, path, *, metadata: dict | None = None, parity_inputs: np.ndarray | None = None,
                opset: int | None = None, tolerance: float = DEFAULT_TOLERANCE,
                progress: Callable[[str], None] | None = None,
                reference_outputs: np.ndarray | None = None,
                parity_source: str | None = None) -> ExportReport:
    """Convert `model` (a built Keras 3 model, any backend) to ONNX at `path`.

    `metadata`: what the app knows that the model does not: `class_names`, `task`, `kind`
    ("image" | "table" | "sequence"), `dataset` (training dataset name), `preprocessing` (the
    dataset's JSON-able preprocessing: pixel scale, digit normalisation, feature means/stds).
    `parity_inputs`: a batch of validation samples shaped for the model; when None, random inputs
    of the right shape are used (and the report says so).
    Parity holds when max |keras - onnx| <= tolerance * max(1, max |keras|), so large regression
    outputs are judged relatively.
    `reference_outputs` (with `parity_inputs`): the outputs of the model as it was trained on
    another backend; ONNX Runtime is compared with them instead of this process's Keras (used by
    the TensorFlow child process of a JAX/PyTorch export). `parity_source` names the inputs.
    On a backend other than TensorFlow the conversion runs in a TensorFlow child process.
    """
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    path = Path(path)
    opset = DEFAULT_OPSET if opset is None else int(opset)
    if not MIN_OPSET <= opset <= MAX_OPSET:
        raise ExportError(_("ONNX opset {opset} is not supported here: choose one from "
                            "{lowest} to {highest} (the default, {default}, suits "
                            "ONNX Runtime 1.17 and later).", opset=opset, lowest=MIN_OPSET,
                            highest=MAX_OPSET, default=DEFAULT_OPSET))
    if not path.parent.is_dir():
        raise ExportError(_("Cannot write {path}: the folder {parent} does not exist.",
                            path=path, parent=path.parent))
    metadata = dict(metadata or {})
    import keras

    metadata.setdefault("training_backend", keras.backend.backend())

    signature_shape, dtype = _input_signature(model)
    source = parity_source or _("validation samples")
    if parity_inputs is None:
        parity_inputs = synthetic_inputs(model)
        source = _("random inputs")
    parity_inputs = np.asarray(parity_inputs)[:PARITY_SAMPLES].astype(dtype, copy=False)
    _check_parity_shape(parity_inputs, signature_shape)

    if keras.backend.backend() != "tensorflow":
        from desktop_dl.engine.onnx_export_process import export_in_tensorflow_process
        return export_in_tensorflow_process(
            model, path, metadata=metadata, parity_inputs=parity_inputs,
            reference_outputs=_keras_outputs(model, parity_inputs), parity_source=source,
            opset=opset, tolerance=tolerance, progress=say)

    say(_("Converting to ONNX…"))
    proto = _convert(model, signature_shape, dtype, opset)
    keras_out = _keras_outputs(model, parity_inputs) if reference_outputs is None \
        else np.asarray(reference_outputs)[:len(parity_inputs)]
    output_kind = _output_kind(model, keras_out)
    output_name = output_name_for(output_kind, metadata.get("task"))
    name_graph_io(proto, output_name)

    info = _describe_model(model, metadata, signature_shape, dtype, output_name, output_kind, opset)
    _set_metadata(proto, info)

    say(_("Checking the ONNX file…"))
    _check(proto)

    say(_("Comparing Keras and ONNX Runtime outputs…"))
    onnx_out = _onnx_outputs(proto, parity_inputs)
    if onnx_out.shape != keras_out.shape:
        raise ExportError(_("The ONNX model gives outputs of shape {shape} where Keras gives "
                            "{shape2}; the export is not usable.",
                            shape=onnx_out.shape, shape2=keras_out.shape))
    diff = float(np.max(np.abs(onnx_out.astype(np.float64) - keras_out.astype(np.float64)))) \
        if keras_out.size else 0.0
    scale = max(1.0, float(np.max(np.abs(keras_out)))) if keras_out.size else 1.0
    ok = bool(np.isfinite(diff) and diff <= tolerance * scale)
    info["parity"] = {"max_abs_diff": diff, "samples": int(len(parity_inputs)), "source": source,
                      "tolerance": tolerance, "scale": scale, "ok": ok}
    _set_metadata(proto, info)

    data = proto.SerializeToString()
    report = ExportReport(path=path, opset=opset, max_abs_diff=diff, parity_ok=ok, tolerance=tolerance,
                          samples=int(len(parity_inputs)), parity_source=source, input_name=INPUT_NAME,
                          input_shape=signature_shape, output_name=output_name, output_kind=output_kind,
                          size_bytes=len(data), metadata=info)
    if not ok:
        raise ParityError(
            _("The ONNX export of {name!r} does not match Keras: outputs differ by up to "
              "{diff:.3g} (allowed {value:.1g}) on {count} {source}. The file was not written. "
              "Try another opset (--opset) or report the model's layers.",
              name=model.name, diff=diff, value=tolerance * scale, count=len(parity_inputs), source=source), report)
    write_bytes_atomic(path, data)
    report.seconds = time.perf_counter() - started
    say(report.summary())
    return report


def read_metadata(path) -> dict:
    """The `desktop_dl` metadata of an ONNX file ({} when it has none). Uses onnx, not TensorFlow."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    for prop in model.metadata_props:
        if prop.key == METADATA_KEY:
            return json.loads(prop.value)
    return {}


def synthetic_inputs(model, n: int = 8, seed: int = 0) -> np.ndarray:
    """Random inputs shaped for `model` (free dimensions get length 12), for parity without data.

    Integer inputs (token ids) stay below the first Embedding layer's vocabulary size.
    """
    shape, dtype = _input_signature(model)
    concrete = (n,) + tuple(12 if d is None else d for d in shape[1:])
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        vocab = min((layer.input_dim for layer in _all_layers(model) if hasattr(layer, "input_dim")),
                    default=2)
        return rng.integers(0, vocab, size=concrete).astype(dtype)
    return rng.random(concrete, dtype=np.float32).astype(dtype)


# -- conversion ---------------------------------------------------------------------------------
def _input_signature(model) -> tuple[tuple, np.dtype]:
    inputs = getattr(model, "inputs", None)
    if not inputs:
        raise ExportError(_("Model {name!r} has not been built: give it an input shape first.",
                            name=model.name))
    if len(inputs) != 1:
        raise ExportError(_("Model {name!r} has {count} inputs; export supports one input.",
                            name=model.name, count=len(inputs)))
    tensor = inputs[0]
    shape = (None,) + tuple(None if d is None else int(d) for d in tuple(tensor.shape)[1:])
    dtype = np.dtype(str(getattr(tensor.dtype, "name", tensor.dtype)))
    return shape, dtype


def _convert(model, shape: tuple, dtype: np.dtype, opset: int):
    import keras

    if keras.backend.backend() != "tensorflow":
        raise ExportError(_("ONNX export needs the TensorFlow backend of Keras; this session "
                            "uses {backend!r}. Unset KERAS_BACKEND and export again.",
                            backend=keras.backend.backend()))
    import tensorflow as tf
    import tf2onnx

    function = tf.function(lambda x: model(x, training=False))
    signature = [tf.TensorSpec(shape, tf.as_dtype(dtype), name=INPUT_NAME)]
    try:
        proto, _storage = tf2onnx.convert.from_function(function, input_signature=signature, opset=opset)
    except Exception as exc:  # tf2onnx raises many kinds; the learner needs the layer types
        kinds = sorted({type(layer).__name__ for layer in _all_layers(model)})
        raise ExportError(_("tf2onnx could not convert {name!r} (layers: {names}): {error}: "
                            "{exc}",
                            name=model.name, names=', '.join(kinds), error=type(exc).__name__, exc=exc)) from exc
    proto.producer_name = "desktop_dl"
    proto.producer_version = __version__
    return proto


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


def _check(proto) -> None:
    import onnx

    try:
        onnx.checker.check_model(proto, full_check=True)
    except onnx.checker.ValidationError as exc:
        raise ExportError(_("The converted model fails the ONNX checker: {exc}", exc=exc)) from exc


def _keras_outputs(model, x: np.ndarray) -> np.ndarray:
    # A direct call (not predict) keeps tiny batches fast and avoids a progress bar.
    import keras

    out = model(x, training=False)
    if isinstance(out, (list, tuple)):
        out = out[0]
    return np.asarray(keras.ops.convert_to_numpy(out))


def _onnx_outputs(proto, x: np.ndarray) -> np.ndarray:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(proto.SerializeToString(), sess_options=options,
                                       providers=["CPUExecutionProvider"])
        return np.asarray(session.run(None, {session.get_inputs()[0].name: x})[0])
    except Exception as exc:
        raise ExportError(_("ONNX Runtime could not run the exported model: {exc}", exc=exc)) from exc


def _check_parity_shape(x: np.ndarray, shape: tuple) -> None:
    if x.ndim != len(shape) or any(want is not None and got != want
                                   for got, want in zip(x.shape[1:], shape[1:])):
        wanted = batch_shape(shape[1:])
        raise ExportError(_("The parity samples have shape {shape} but the model takes "
                            "{wanted}.", shape=x.shape, wanted=wanted))
    if len(x) == 0:
        raise ExportError(_("No samples for the parity check: give at least one validation "
                            "sample."))


# -- metadata -----------------------------------------------------------------------------------
def _all_layers(model):
    for layer in getattr(model, "layers", []):
        yield layer
        if hasattr(layer, "layers"):
            yield from _all_layers(layer)


def _output_kind(model, keras_out: np.ndarray) -> str:
    """What the output numbers are, so a consumer knows whether to apply softmax."""
    layers = list(_all_layers(model))
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


def _describe_model(model, metadata: dict, shape: tuple, dtype: np.dtype, output_name: str,
                    output_kind: str, opset: int) -> dict:
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


def _set_metadata(proto, info: dict) -> None:
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
