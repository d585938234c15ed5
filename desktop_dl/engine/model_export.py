"""One entry point for every export format, shared by `desktop-dl export` and File > Export….

Formats: "onnx" (checked, with parity), "keras" (a vetted copy of the .keras file), "savedmodel"
(a TensorFlow SavedModel folder) and "python" (the generated Keras script, from the spec).
No Qt; Keras/TensorFlow are imported only by the formats that need them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from desktop_dl.core.errors import UserError
from desktop_dl.core.i18n import _

FORMATS = ("onnx", "keras", "savedmodel", "python")
SUFFIXES = {"onnx": ".onnx", "keras": ".keras", "savedmodel": "", "python": ".py"}


class ExportRequestError(UserError):
    """An export that cannot be done as asked (missing spec, wrong file kind, bad path)."""


@dataclass
class ExportOutcome:
    """The result of export_model: the format, the written path (file or SavedModel folder), a
    one-line message for the user, the onnx_export.ExportReport for ONNX (else None) and
    format-specific details."""
    format: str
    path: Path
    message: str                       # one line for the user
    report: object = None              # onnx_export.ExportReport for ONNX
    details: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """A JSON-ready dict: format, path (str), message, the details, and for ONNX the opset,
        max_abs_diff (largest absolute Keras/ONNX Runtime output difference), parity_ok,
        parity_samples and parity_source."""
        data = {"format": self.format, "path": str(self.path), "message": self.message, **self.details}
        if self.report is not None:
            r = self.report
            data.update({"opset": r.opset, "max_abs_diff": r.max_abs_diff, "parity_ok": r.parity_ok,
                         "parity_samples": r.samples, "parity_source": r.parity_source})
        return data


def dataset_context(name_or_path: str | None) -> tuple[dict, np.ndarray | None]:
    """(export metadata, parity samples) from a dataset, or ({}, None) when none is named."""
    if not name_or_path:
        return {}, None
    from desktop_dl.core.datasets import load_dataset

    dataset = load_dataset(name_or_path)
    splits = dataset.splits(validation=0.1, test=0.1, seed=0)
    x = splits.x_val if len(splits.x_val) else splits.x_test
    metadata = {"dataset": dataset.name, "task": dataset.task, "kind": dataset.kind,
                "class_names": list(dataset.class_names), "preprocessing": dataset.preprocessing}
    return metadata, (x[:32] if len(x) else None)


def export_model(source, fmt: str, out, *, model=None, spec=None, metadata: dict | None = None,
                 parity_inputs: np.ndarray | None = None, dataset: str | None = None,
                 opset: int | None = None, progress: Callable[[str], None] | None = None) -> ExportOutcome:
    """Export to `out` in format `fmt`.

    `source`: a .keras file (read safely; its run folder's history.json and spec.json supply the
    metadata and the spec) or a spec .json (for "python"). An in-memory `model`/`spec` may be
    given instead (the app's current ones). `dataset` names the data for the ONNX parity check and
    metadata; without it the run folder's metadata and random parity inputs are used.
    """
    from desktop_dl.engine import keras_io

    say = progress or (lambda _m: None)
    if fmt not in FORMATS:
        raise ExportRequestError(_("Unknown export format {fmt!r}: choose one of {names}.",
                                   fmt=fmt, names=', '.join(FORMATS)))
    out = Path(out)
    source = Path(source) if source is not None else None
    info = keras_io.run_info(source) if source is not None and source.suffix == ".keras" else {}

    if fmt == "python":
        return _export_python(source, out, spec, info, dataset)

    if model is None:
        if source is None or source.suffix != ".keras":
            raise ExportRequestError(_("Export to {fmt} needs a trained model: give a .keras "
                                       "file (got {value}).",
                                       fmt=fmt, value=source.name if source else 'nothing'))
        say(_("Loading the model…"))
        model = keras_io.load_keras(source)

    if fmt == "keras":
        if source is not None and source.resolve() == out.resolve():
            raise ExportRequestError(_("{name} is the file being exported; choose another name.",
                                       name=out.name))
        path = keras_io.save_keras(model, out)
        return ExportOutcome("keras", path, f"Saved {path.name} ({path.stat().st_size / 1024:.0f} KiB).")
    if fmt == "savedmodel":
        say(_("Writing the SavedModel…"))
        path = keras_io.export_savedmodel(model, out)
        return ExportOutcome("savedmodel", path, _("Saved a TensorFlow SavedModel in {path}.",
                                                   path=path))

    from desktop_dl.engine.onnx_export import export_onnx

    # The data file's path and split are for the Python export, not for a shared ONNX file.
    meta = {k: v for k, v in info.items() if k not in ("spec", "source", "split")}
    if dataset:
        say(_("Loading the dataset for the parity check…"))
        data_meta, samples = dataset_context(dataset)
        meta.update(data_meta)
        if parity_inputs is None:
            parity_inputs = samples
    elif parity_inputs is None and info.get("dataset"):
        parity_inputs = _run_dataset_samples(info["dataset"], model, say)
    meta.update(metadata or {})
    report = export_onnx(model, out, metadata=meta, parity_inputs=parity_inputs, opset=opset,
                         progress=progress)
    return ExportOutcome("onnx", report.path, report.summary(), report=report)


def _run_dataset_samples(name: str, model, say) -> np.ndarray | None:
    """Validation samples of the built-in dataset a run was trained on, when they fit the model;
    None (random parity inputs) for imported data or a mismatch: never a reason to fail."""
    from desktop_dl.core.datasets.registry import builtin_names

    if name not in builtin_names():
        return None
    say(_("Loading the dataset for the parity check…"))
    try:
        _info, samples = dataset_context(name)
    except UserError:
        return None
    expected = tuple(model.inputs[0].shape)[1:]
    if samples is None or samples.ndim != len(expected) + 1 or any(
            e is not None and e != g for e, g in zip(expected, samples.shape[1:])):
        return None
    return samples


def _export_python(source: Path | None, out: Path, spec, info: dict, dataset: str | None) -> ExportOutcome:
    from desktop_dl.core.atomic_write import write_text_atomic
    from desktop_dl.core.codegen import generate_script
    from desktop_dl.core.spec import ModelSpec

    if spec is None:
        spec_path = info.get("spec") if source is not None and source.suffix == ".keras" else source
        if spec_path is None:
            raise ExportRequestError(
                _("A Python script is generated from the model's spec, and no spec.json lies "
                  "beside {name}. Give the spec file saved by the app instead.",
                  name=source.name if source else _("the model")))
        spec = ModelSpec.load(spec_path)
    if not out.parent.is_dir():
        raise ExportRequestError(_("Cannot write {out}: the folder {parent} does not exist.",
                                   out=out, parent=out.parent))
    # The run's own data file and split, unless another dataset is named for the script.
    same_data = not dataset or dataset == info.get("dataset")
    source_file = info.get("source") if same_data else (dataset if Path(dataset).is_file() else None)
    script = generate_script(spec, dataset=dataset or info.get("dataset"), task=info.get("task"),
                             data_source=source_file,
                             split=info.get("split") if same_data else None)
    write_text_atomic(out, script)
    return ExportOutcome("python", out, _("Wrote {name}: a Keras script for {name2!r} ({count} "
                                          "lines).",
                                          name=out.name, name2=spec.name, count=len(script.splitlines())))
