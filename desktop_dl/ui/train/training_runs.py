"""Run history: every training run with its spec, settings, curves and final metrics.

`RunRecord` is plain data (it round-trips through the project file's "runs" part);
`RunHistoryModel` is the table the panel shows, with a checkbox per run to overlay its curves.
"""
from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from desktop_dl.core.limits import MAX_MODEL_BYTES

MAX_STORED_BATCH_POINTS = 2000   # batch curves are thinned to this many points when stored


@dataclass
class RunRecord:
    id: str
    name: str
    created: str
    spec: dict
    settings: dict
    history: dict                       # metric -> per-epoch list
    metrics: dict                       # final metrics (train/val of the kept epoch, test_*)
    status: str = "completed"
    message: str = ""
    seconds: float = 0.0
    samples_per_second: float = 0.0
    metric: str = "accuracy"            # the main metric
    dataset: str = ""
    batch_x: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)
    evaluation: dict | None = None      # core.evaluation.Evaluation.to_dict()
    class_names: list = field(default_factory=list)
    wrong_images: Any = None            # uint8 array (n, h, w), from a project file, or None
    wrong_images_path: str | None = None  # the same in the run folder (runs trained here)
    folder: str | None = None
    keras_path: str | None = None
    onnx_path: str | None = None
    weights: bytes | None = None        # .keras bytes, when restored from a project
    kept: bool = True

    @property
    def ok(self) -> bool:
        return self.status in ("completed", "stopped", "early_stopped")

    def keras_bytes(self) -> bytes | None:
        """The run's .keras bytes, read from its folder when asked (not kept in memory)."""
        if self.weights is not None:
            return self.weights
        path = Path(self.keras_path) if self.keras_path else None
        if path is not None and path.is_file() and path.stat().st_size <= MAX_MODEL_BYTES:
            # Read when asked, not kept: runs stay bounded in memory. keras_path is only ever one
            # this session's training wrote, or one inside the app's own run folders (from_state
            # drops any other), so no file from elsewhere is embedded in a project.
            return path.read_bytes()
        return None

    def mistake_images(self):
        """The wrong test samples' thumbnails (uint8 (n, h, w[, 3])) or None: a project's own
        array, else read from the run folder now (runs never keep them in memory)."""
        if self.wrong_images is not None:
            return self.wrong_images
        if self.wrong_images_path and Path(self.wrong_images_path).is_file():
            from desktop_dl.engine.training_process import load_mistakes
            return load_mistakes(self.wrong_images_path)
        return None

    def to_state(self) -> dict:
        """The project file's shape of a run (ARCHITECTURE.md, Project state)."""
        state = {k: getattr(self, k) for k in (
            "id", "name", "created", "spec", "settings", "history", "metrics", "status", "message",
            "seconds", "samples_per_second", "metric", "dataset", "batch_x", "batch_loss",
            "evaluation", "class_names", "wrong_images", "folder", "keras_path", "onnx_path", "kept")}
        # A trained run's weights stay in its folder; the project streams them from there.
        on_disk = self.weights is None and bool(self.keras_path) and Path(self.keras_path).is_file()
        if self.wrong_images is None and self.wrong_images_path:
            # read by the project writer in its save job, not while the state is gathered
            state["wrong_images"] = StoredMistakes(self.wrong_images_path)
        state["weights"] = self.weights if self.kept else None
        state["weights_path"] = self.keras_path if self.kept and on_disk else None
        return state

    @classmethod
    def from_state(cls, state: dict) -> "RunRecord":
        from desktop_dl.engine.run_folder import app_run_path

        names = set(cls.__dataclass_fields__)
        data = {k: v for k, v in state.items() if k in names}
        # Paths in a project file are not trusted: keep them only inside the app's run folders.
        if isinstance(data.get("wrong_images"), StoredMistakes):     # a state handed over directly
            data["wrong_images_path"], data["wrong_images"] = data["wrong_images"].path, None
        for key in ("folder", "keras_path", "onnx_path", "wrong_images_path"):
            if key in data:
                data[key] = app_run_path(data[key])
        if data.get("weights") is not None and not isinstance(data["weights"], (bytes, bytearray)):
            data["weights"] = None
        if not isinstance(data.get("spec"), dict) and hasattr(data.get("spec"), "to_dict"):
            data["spec"] = data["spec"].to_dict()
        for key, default in (("id", "run"), ("name", "Run"), ("created", ""), ("spec", {}),
                             ("settings", {}), ("history", {}), ("metrics", {})):
            data.setdefault(key, default)
        return cls(**data)


class StoredMistakes:
    """A run's mistake thumbnails left in the run folder until something turns them into an array
    (`np.asarray`: the project writer, on its save job's thread). A missing file is no mistakes."""

    def __init__(self, path: str):
        self.path = path

    def __array__(self, dtype=None, copy=None):
        from desktop_dl.engine.training_process import load_mistakes
        images = load_mistakes(self.path) if Path(self.path).is_file() else None
        if images is None:
            images = np.zeros((0, 0, 0), np.uint8)
        return images if dtype is None else images.astype(dtype)


def thin(x: list, y: list, limit: int = MAX_STORED_BATCH_POINTS) -> tuple[list, list]:
    if len(x) <= limit:
        return list(x), list(y)
    step = math.ceil(len(x) / limit)
    return list(x[::step]), list(y[::step])


def new_run_id(existing) -> str:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    taken = {r.id for r in existing}
    run_id, n = stamp, 1
    while run_id in taken:
        run_id, n = f"{stamp}-{n}", n + 1
    return run_id


class RunHistoryModel(QAbstractTableModel):
    """One row per run; column 0 is a checkbox that puts the run's curves on the plots."""

    comparisonChanged = Signal()
    COLUMNS = ("compare", "run", "result", "epochs", "val_loss", "val_metric", "test_metric", "time")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._runs: list[RunRecord] = []
        self._checked: set[str] = set()

    # -- data -----------------------------------------------------------------------------------
    def runs(self) -> list[RunRecord]:
        return list(self._runs)

    def run_at(self, row: int) -> RunRecord:
        return self._runs[row]

    def add_run(self, run: RunRecord) -> None:
        self.beginInsertRows(QModelIndex(), len(self._runs), len(self._runs))
        self._runs.append(run)
        self.endInsertRows()

    def set_runs(self, runs: list[RunRecord]) -> None:
        self.beginResetModel()
        self._runs = list(runs)
        self._checked = set()
        self.endResetModel()
        self.comparisonChanged.emit()

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        run = self._runs.pop(row)
        self.endRemoveRows()
        if run.id in self._checked:
            self._checked.discard(run.id)
            self.comparisonChanged.emit()

    def checked_runs(self) -> list[RunRecord]:
        return [r for r in self._runs if r.id in self._checked]

    def set_checked(self, row: int, on: bool) -> None:
        self.setData(self.index(row, 0), Qt.CheckState.Checked if on else Qt.CheckState.Unchecked,
                     Qt.ItemDataRole.CheckStateRole)

    # -- Qt model -------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._runs)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Compare"), self.tr("Run"), self.tr("Result"), self.tr("Epochs"),
                self.tr("Val loss"), self.tr("Val metric"), self.tr("Test metric"),
                self.tr("Time"))[section]

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        run = self._runs[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and column == "compare":
            return Qt.CheckState.Checked if run.id in self._checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return run.message or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("epochs", "val_loss", "val_metric",
                                                                     "test_metric", "time"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        m = run.metrics
        if column == "run":
            return f"{run.name} · {run.spec.get('name', '')}"
        if column == "result":
            return {"completed": self.tr("finished"), "stopped": self.tr("stopped"),
                    "early_stopped": self.tr("stopped early"), "diverged": self.tr("diverged"),
                    "failed": self.tr("failed")}.get(run.status, run.status)
        if column == "epochs":
            return str(len(run.history.get("loss", [])))
        if column == "val_loss":
            return _fmt(m.get("val_loss"))
        if column == "val_metric":
            return _fmt(m.get("val_" + run.metric), run.metric)
        if column == "test_metric":
            return _fmt(m.get("test_" + run.metric), run.metric)
        if column == "time":
            return f"{run.seconds:.1f} s"
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        run = self._runs[index.row()]
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        (self._checked.add if checked else self._checked.discard)(run.id)
        self.dataChanged.emit(index, index, [role])
        self.comparisonChanged.emit()
        return True


def _fmt(value, metric: str = "") -> str:
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "–"
    if metric in ("accuracy", "binary_accuracy"):
        return f"{value:.1%}"
    return f"{value:.4g}"
