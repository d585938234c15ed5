"""A finished run on disk: model.keras, model.onnx, history.json and spec.json in one folder.

Used by the training panel (user_data_dir()/runs/<timestamp>/) and `desktop-dl train --out DIR`.
"""
from __future__ import annotations

import datetime as _dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from desktop_dl.core.atomic_write import write_text_atomic
from desktop_dl.core.i18n import _

log = logging.getLogger(__name__)


@dataclass
class RunFiles:
    """The files of one finished run: the folder and the paths of model.keras, model.onnx,
    history.json and spec.json (None for any not written), the ONNX ExportReport, and
    export_error, the user-worded reason when there is no ONNX file."""
    folder: Path
    keras_path: Path | None = None
    onnx_path: Path | None = None
    history_path: Path | None = None
    spec_path: Path | None = None
    export_report: object = None        # engine.onnx_export.ExportReport
    export_error: str | None = None     # why there is no ONNX file, for the user

    def to_dict(self) -> dict:
        """The paths as a JSON-ready dict {folder, keras, onnx, history, spec}: str, or None for a
        file not written."""
        return {k: (str(v) if v is not None else None) for k, v in (
            ("folder", self.folder), ("keras", self.keras_path), ("onnx", self.onnx_path),
            ("history", self.history_path), ("spec", self.spec_path))}


def app_runs_root() -> Path:
    """Where the app keeps the run folders it creates: user_data_dir()/runs."""
    from desktop_dl.paths import user_data_dir
    return user_data_dir() / "runs"


def app_run_path(value) -> str | None:
    """`value` if it names a file or folder inside the app's own run folders, else None.

    Run records restored from a project file carry paths written by whoever made the file; only
    paths inside the folders this app creates (after resolving links) are kept, so a project
    cannot make the app read, embed or run a file from anywhere else."""
    if not isinstance(value, str) or not value:
        return None
    try:
        root = app_runs_root().resolve()
        path = Path(value).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if path == root or root not in path.parents:
        return None
    return str(path)


def new_run_folder(root: Path | None = None) -> Path:
    """user_data_dir()/runs/<YYYYmmdd-HHMMSS>[-n]/, created."""
    if root is None:
        root = app_runs_root()
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    root.mkdir(parents=True, exist_ok=True)
    for n in range(1000):
        folder = root / (stamp if n == 0 else f"{stamp}-{n}")
        try:
            folder.mkdir()
            return folder
        except FileExistsError:
            continue
    raise OSError(f"cannot create a run folder in {root}")


def history_document(result, settings=None, spec=None, dataset: dict | None = None,
                     class_names=None) -> dict:
    """What history.json holds: per-epoch metrics, the outcome, the final and test metrics."""
    doc = {
        "format": "desktop_dl.training_history",
        "version": 1,
        "status": result.status,
        "message": result.message,
        "epochs_run": result.epochs_run,
        "best_epoch": result.best_epoch,
        "seconds": round(result.seconds, 3),
        "samples_per_second": round(result.samples_per_second, 1),
        "devices": list(result.devices),
        "device": getattr(result, "device", ""),
        "backend": getattr(result, "backend", ""),
        "versions": dict(getattr(result, "versions", {}) or {}),
        "task": result.task,
        "epochs": [{"epoch": i + 1, **{k: v[i] for k, v in result.history.items() if i < len(v)}}
                   for i in range(result.epochs_run)],
        "history": result.history,
        "final": result.final_metrics(),
    }
    if settings is not None:
        doc["settings"] = settings.to_dict()
    if spec is not None:
        doc["spec"] = spec.to_dict()
    if dataset:
        doc["dataset"] = dataset
    if result.evaluation is not None:
        doc["evaluation"] = result.evaluation.to_dict(class_names)
    return _finite(doc)


def save_run(result, folder: Path, *, settings=None, spec=None, splits=None, dataset: dict | None = None,
             export: bool = True, progress=None) -> RunFiles:
    """Write the run's files. An ONNX export failure is recorded, not raised: the .keras file
    and the history are still worth keeping.

    Writes history.json always, spec.json when `spec` is given, model.keras and (with `export`)
    model.onnx when the run has a model; parity uses up to 32 validation samples, else test
    samples. Returns the RunFiles. Errors writing the folder itself (OSError) propagate."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = RunFiles(folder)
    class_names = list(getattr(splits, "class_names", []) or []) if splits is not None else None
    files.history_path = folder / "history.json"
    write_text_atomic(files.history_path, json.dumps(
        history_document(result, settings, spec, dataset, class_names), indent=2) + "\n")
    if spec is not None:
        files.spec_path = folder / "spec.json"
        spec.save(files.spec_path)
    if result.model is None:
        return files
    files.keras_path = folder / "model.keras"
    result.model.save(files.keras_path)
    if export:
        from desktop_dl.core.errors import UserError
        from desktop_dl.engine.onnx_export import export_onnx
        metadata = {"task": result.task, "class_names": class_names or []}
        if dataset:
            metadata.update({k: dataset[k] for k in ("kind", "preprocessing") if k in dataset})
            metadata["dataset"] = dataset.get("name")
        parity = None
        if splits is not None:
            source = splits.x_val if len(splits.y_val) else splits.x_test
            parity = source[:32] if len(source) else None
        try:
            files.export_report = export_onnx(result.model, folder / "model.onnx", metadata=metadata,
                                               parity_inputs=parity, progress=progress)
            files.onnx_path = folder / "model.onnx"
        except UserError as exc:
            files.export_error = str(exc)
        except Exception as exc:  # the converter can fail on unusual layers; keep the run
            log.exception("ONNX export failed")
            files.export_error = _("The ONNX export failed ({error}: {exc}); model.keras was "
                                   "saved.", error=type(exc).__name__, exc=exc)
    return files


def _finite(value):
    """JSON has no NaN/inf: write them as null."""
    import math
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
