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
JSON object (see `METADATA_KEY` and `describe_model`), and `class_names` a JSON list for tools
that only look for that.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from desktop_dl import __version__
from desktop_dl.core.atomic_write import write_bytes_atomic
from desktop_dl.core.errors import UserError
from desktop_dl.core.i18n import _
from desktop_dl.core.shape_rules import batch_shape
from desktop_dl.engine.onnx_metadata import (INPUT_NAME, METADATA_FORMAT, METADATA_KEY,  # noqa: F401
                                             METADATA_VERSION, all_layers, describe_model,
                                             name_graph_io, output_kind_of, output_name_for,
                                             read_metadata, set_metadata)

# tf2onnx 1.17 converts up to opset 18; ONNX Runtime 1.31 runs opsets up to 23, so 18 is the
# newest both sides support (verified by tests/engine/test_onnx_export.py).
DEFAULT_OPSET = 18
MAX_OPSET = 18
MIN_OPSET = 13
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
    """What an ONNX export produced and how it was checked: opset, the parity run (largest absolute
    difference between Keras and ONNX Runtime outputs on `samples` inputs, against `tolerance`),
    the input/output names, input shape (batch first, None for dynamic dimensions), output kind,
    file size in bytes, export time in seconds and the metadata written."""
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
    opset = _checked_opset(opset, path)
    metadata = dict(metadata or {})
    import keras

    metadata.setdefault("training_backend", keras.backend.backend())
    signature_shape, dtype = _input_signature(model)
    parity_inputs, source = _parity_batch(model, parity_inputs, parity_source, signature_shape, dtype)

    if keras.backend.backend() != "tensorflow":     # tf2onnx needs TensorFlow: a child process
        return _export_in_tensorflow(model, path, metadata, parity_inputs, source, opset,
                                     tolerance, say)

    say(_("Converting to ONNX…"))
    proto = _convert(model, signature_shape, dtype, opset)
    keras_out = _keras_outputs(model, parity_inputs) if reference_outputs is None \
        else np.asarray(reference_outputs)[:len(parity_inputs)]
    output_name, output_kind, info = _name_and_describe(proto, model, keras_out, metadata,
                                                       signature_shape, dtype, opset)

    say(_("Checking the ONNX file…"))
    _check(proto)

    say(_("Comparing Keras and ONNX Runtime outputs…"))
    diff, scale, ok = _parity(proto, parity_inputs, keras_out, tolerance)
    _record_parity(proto, info, diff, len(parity_inputs), source, tolerance, scale, ok)

    data = proto.SerializeToString()
    report = ExportReport(path=path, opset=opset, max_abs_diff=diff, parity_ok=ok, tolerance=tolerance,
                          samples=int(len(parity_inputs)), parity_source=source, input_name=INPUT_NAME,
                          input_shape=signature_shape, output_name=output_name, output_kind=output_kind,
                          size_bytes=len(data), metadata=info)
    if not ok:
        raise _parity_error(model.name, report, tolerance * scale)
    write_bytes_atomic(path, data)
    report.seconds = time.perf_counter() - started
    say(report.summary())
    return report


def _export_in_tensorflow(model, path: Path, metadata: dict, parity_inputs: np.ndarray, source: str,
                          opset: int, tolerance: float, say) -> ExportReport:
    """The export of a JAX or PyTorch model: converted in a TensorFlow child process and
    compared there with this backend's outputs (engine/onnx_export_process.py)."""
    from desktop_dl.engine.onnx_export_process import export_in_tensorflow_process
    return export_in_tensorflow_process(
        model, path, metadata=metadata, parity_inputs=parity_inputs,
        reference_outputs=_keras_outputs(model, parity_inputs), parity_source=source,
        opset=opset, tolerance=tolerance, progress=say)


def _record_parity(proto, info: dict, diff: float, samples: int, source: str, tolerance: float,
                   scale: float, ok: bool) -> None:
    """The parity result joins the metadata in `info` and in the file."""
    info["parity"] = {"max_abs_diff": diff, "samples": int(samples), "source": source,
                      "tolerance": tolerance, "scale": scale, "ok": ok}
    set_metadata(proto, info)


def _name_and_describe(proto, model, keras_out: np.ndarray, metadata: dict, signature_shape: tuple,
                       dtype: np.dtype, opset: int) -> tuple[str, str, dict]:
    """Name the graph's input and output and write the metadata into `proto`; returns (output
    name, output kind, the metadata dict)."""
    output_kind = output_kind_of(model, keras_out)
    output_name = output_name_for(output_kind, metadata.get("task"))
    name_graph_io(proto, output_name)
    info = describe_model(model, metadata, signature_shape, dtype, output_name, output_kind, opset)
    set_metadata(proto, info)
    return output_name, output_kind, info


def _parity_error(model_name: str, report: ExportReport, allowed: float) -> ParityError:
    return ParityError(
        _("The ONNX export of {name!r} does not match Keras: outputs differ by up to "
          "{diff:.3g} (allowed {value:.1g}) on {count} {source}. The file was not written. "
          "Try another opset (--opset) or report the model's layers.",
          name=model_name, diff=report.max_abs_diff, value=allowed, count=report.samples,
          source=report.parity_source), report)


def _checked_opset(opset: int | None, path: Path) -> int:
    """The opset to convert with (DEFAULT_OPSET for None); ExportError for one out of range or
    for a `path` whose folder does not exist."""
    opset = DEFAULT_OPSET if opset is None else int(opset)
    if not MIN_OPSET <= opset <= MAX_OPSET:
        raise ExportError(_("ONNX opset {opset} is not supported here: choose one from "
                            "{lowest} to {highest} (the default, {default}, suits "
                            "ONNX Runtime 1.17 and later).", opset=opset, lowest=MIN_OPSET,
                            highest=MAX_OPSET, default=DEFAULT_OPSET))
    if not path.parent.is_dir():
        raise ExportError(_("Cannot write {path}: the folder {parent} does not exist.",
                            path=path, parent=path.parent))
    return opset


def _parity_batch(model, parity_inputs: np.ndarray | None, parity_source: str | None,
                  signature_shape: tuple, dtype: np.dtype) -> tuple[np.ndarray, str]:
    """(up to PARITY_SAMPLES inputs in the model's dtype, what they are): the caller's samples,
    or random inputs when it gave none; ExportError when they do not fit the model."""
    source = parity_source or _("validation samples")
    if parity_inputs is None:
        parity_inputs = synthetic_inputs(model)
        source = _("random inputs")
    parity_inputs = np.asarray(parity_inputs)[:PARITY_SAMPLES].astype(dtype, copy=False)
    _check_parity_shape(parity_inputs, signature_shape)
    return parity_inputs, source


def _parity(proto, parity_inputs: np.ndarray, keras_out: np.ndarray,
            tolerance: float) -> tuple[float, float, bool]:
    """(largest |keras - onnx|, the scale the tolerance is relative to, whether it holds)."""
    onnx_out = _onnx_outputs(proto, parity_inputs)
    if onnx_out.shape != keras_out.shape:
        raise ExportError(_("The ONNX model gives outputs of shape {shape} where Keras gives "
                            "{shape2}; the export is not usable.",
                            shape=onnx_out.shape, shape2=keras_out.shape))
    diff = float(np.max(np.abs(onnx_out.astype(np.float64) - keras_out.astype(np.float64)))) \
        if keras_out.size else 0.0
    scale = max(1.0, float(np.max(np.abs(keras_out)))) if keras_out.size else 1.0
    return diff, scale, bool(np.isfinite(diff) and diff <= tolerance * scale)

def synthetic_inputs(model, n: int = 8, seed: int = 0) -> np.ndarray:
    """Random inputs shaped for `model` (free dimensions get length 12), for parity without data.

    Integer inputs (token ids) stay below the first Embedding layer's vocabulary size.
    """
    shape, dtype = _input_signature(model)
    concrete = (n,) + tuple(12 if d is None else d for d in shape[1:])
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        vocab = min((layer.input_dim for layer in all_layers(model) if hasattr(layer, "input_dim")),
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
        kinds = sorted({type(layer).__name__ for layer in all_layers(model)})
        raise ExportError(_("tf2onnx could not convert {name!r} (layers: {names}): {error}: "
                            "{exc}",
                            name=model.name, names=', '.join(kinds), error=type(exc).__name__, exc=exc)) from exc
    proto.producer_name = "desktop_dl"
    proto.producer_version = __version__
    return proto


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
