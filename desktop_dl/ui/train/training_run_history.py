"""The Train tab's run history: show a run (its confusion matrix, mistakes and curves), overlay,
use or remove runs, and the runs and settings a project file keeps.

A mixin of TrainingPanel (ui/train/training_panel.py), split out of it; the list itself is a
RunHistoryModel (ui/train/training_runs.py) shown in `runs_view`.
"""
from __future__ import annotations

from pathlib import Path

from desktop_dl.engine.trainer import TrainSettings
from desktop_dl.ui.train.training_runs import RunRecord


class TrainingRunHistory:
    """Needs the panel's `runs`, `runs_view`, `confusion`, `gallery`, `plots` / `_plots`,
    `diagnosis_view`, `settings_form`, `use_run_button`, `is_running` and its signals."""

    # -- run history --------------------------------------------------------------------------------------
    def show_run(self, row: int, curves: bool = True) -> None:
        if not 0 <= row < self.runs.rowCount():
            return
        run = self.runs.run_at(row)
        self.confusion.show_evaluation(run.evaluation, run.class_names)
        self.gallery.show_mistakes(run.evaluation, run.mistake_images, run.class_names)
        if curves and not self.is_running():
            self._metric = run.metric
            self.plots.set_curves(run.history, run.batch_x, run.batch_loss, run.metric)
            self.diagnosis_view.show_history(run.history)
        # Drawings need an image model: a table run (input like (30,)) has nothing to draw with.
        shape = ((run.spec or {}).get("input") or {}).get("shape") or ()
        self.use_run_button.setEnabled(bool(run.onnx_path) and len(shape) >= 2)

    def run_with_model(self) -> RunRecord | None:
        """The selected run if it has a model, else the latest run that has one; None if none."""
        selected = self._selected_row()
        rows = ([selected] if selected >= 0 else []) + list(range(self.runs.rowCount() - 1, -1, -1))
        for row in rows:
            run = self.runs.run_at(row)
            if (run.keras_path and Path(run.keras_path).is_file()) or run.keras_bytes():
                return run
        return None

    def run_count(self) -> int:
        """How many runs the run list holds (finished or not)."""
        return self.runs.rowCount()

    def run_at(self, row: int) -> RunRecord:
        """The run in list row `row` (0: the oldest)."""
        return self.runs.run_at(row)

    def overlay_run(self, row: int) -> None:
        """Tick run `row` so its curves are drawn over the current ones (a lesson's comparison)."""
        self.runs.set_checked(row, True)

    def _selected_row(self) -> int:
        index = self.runs_view.currentIndex()
        return index.row() if index.isValid() else -1

    def _use_selected_run(self) -> None:
        row = self._selected_row()
        if row >= 0 and self.runs.run_at(row).onnx_path:
            self.modelReady.emit(self.runs.run_at(row).onnx_path)

    def _delete_selected_run(self) -> None:
        row = self._selected_row()
        if row >= 0:
            self.runs.remove_row(row)
            self.projectStateChanged.emit()

    def _update_overlays(self) -> None:
        if self._plots is not None:     # else the plots take the ticked runs when built
            self._plots.set_overlays(self.runs.checked_runs())

    # -- project -------------------------------------------------------------------------------------------
    def project_state(self) -> dict:
        return {"training": self.settings_form.settings().to_dict(),
                "runs": [run.to_state() for run in self.runs.runs()]}

    def restore_project_state(self, state: dict) -> None:
        if state.get("training"):
            self.settings_form.set_settings(TrainSettings.from_dict(state["training"]))
        runs = [RunRecord.from_state(r) for r in state.get("runs", []) or []]
        self.runs.set_runs(runs)
        if runs:
            self.runs_view.selectRow(len(runs) - 1)
            self.show_run(len(runs) - 1)
