"""The Train tab: settings, Start / Pause / Resume / Stop, live curves, run history, confusion
matrix and the misclassified samples.

Interface used by the main window:
  TrainingPanel(parent) with objectName "trainingPanel"; contains a pyqtgraph plot "lossPlot" (built on first show or use)
  .set_spec_source(callable() -> ModelSpec)
  .set_dataset(dataset)
  .modelReady: Signal(str)             path of the ONNX export of a finished run
  .runFinished: Signal()               after every run (the project autosaves on it)
  .projectStateChanged: Signal()
  .project_state() / .restore_project_state(state)
  .warm_up()                           starts the training process in the background
  .shutdown()                          stops a run and ends the training process

A run goes through engine.run_pipeline: prepare_run (checks + the dataset's own split, no
TensorFlow) in a ui.base.jobs.Job thread, then execute in the training process
(engine.training_process, through ui/train/training_process_job.py), whose events arrive as
signals on the GUI thread. TensorFlow never loads in the window's process; a crash of the
training process is a message, and the curves and best checkpoint so far are kept.

Its parts: the widgets are built in training_panel_layout.py, the run history and project state
are in training_run_history.py (mixins of TrainingPanel), the prepare-run job and the progress
line in training_run_steps.py. pyqtgraph's curves (training_plots.py) are built on the tab's
first show or first use (`plots`), not when the window opens.
"""
from __future__ import annotations

import copy
import datetime as _dt
import logging
import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from desktop_dl.engine.trainer import TrainSettings
from desktop_dl.ui.base.jobs import Job
from desktop_dl.ui.train.run_preload import preload_run_modules
from desktop_dl.ui.train.training_panel_layout import TrainingPanelLayout
from desktop_dl.ui.train.training_process_job import TrainingProcessJob
from desktop_dl.ui.train.training_run_history import TrainingRunHistory
from desktop_dl.ui.train.training_run_steps import MAIN_METRIC, duration_text, prepare_job, progress_text
from desktop_dl.ui.train.training_runs import RunRecord, new_run_id, thin

if TYPE_CHECKING:
    from desktop_dl.ui.train.training_plots import TrainingPlots

log = logging.getLogger(__name__)


class TrainingPanel(TrainingPanelLayout, TrainingRunHistory, QWidget):
    modelReady = Signal(str)
    runFinished = Signal()
    projectStateChanged = Signal()
    # For tests and benchmarks: a run started / the GUI received its result (or error).
    trainingStarted = Signal()
    runRefused = Signal(str, str, object)   # message, where ("output", "split", ...), layer index or None
    trainingFinished = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self._spec_source = None
        self._dataset = None
        self._job: Job | None = None
        # What Start imports in this process is imported now, on a thread (ui/train/run_preload.py).
        preload_run_modules()
        # Training runs in a worker process; this adapter streams its events as signals.
        self._process = TrainingProcessJob(self)
        self._process.progress.connect(self._on_progress)
        self._process.result.connect(self._on_result)
        self._process.error.connect(self._on_error)
        self._process.crashed.connect(self._on_crashed)
        self._process.finished.connect(self._on_finished)
        self._process.devicesListed.connect(self.settings_form_devices)
        self._used_default_dataset = False
        self._stop_requested = False
        self._info: dict = {}
        self._metric = "accuracy"
        self._run_spec = None
        self._run_settings = None
        self.last_error: str | None = None
        self._progress_shown = 0.0

        self._plots: TrainingPlots | None = None     # built on first show or use (start-up)

        self._build_controls()
        self._build_results()
        self._build_layout()
        self._update_data_label()
        self._set_state("idle")

    # -- the curves, built on first show or use -----------------------------------------------------------
    @property
    def plots(self) -> TrainingPlots:
        """The live curves (ui/train/training_plots.py); built on first access, so a window that
        opens on another tab does not pay for pyqtgraph's plots before it paints."""
        if self._plots is None:
            from desktop_dl.ui.train.training_plots import TrainingPlots
            self._plots = TrainingPlots()
            self.curves_page.layout().addWidget(self._plots)
            self._plots.set_overlays(self.runs.checked_runs())
        return self._plots

    @property
    def loss_plot(self):
        """The loss PlotWidget (objectName "lossPlot"); builds the curves if not built yet."""
        return self.plots.loss_plot

    # -- interface for the main window --------------------------------------------------------------
    def set_spec_source(self, source) -> None:
        self._spec_source = source

    def set_dataset(self, dataset) -> None:
        self._dataset = dataset
        self._update_data_label()
        self.settings_form.set_split(dataset)

    def refresh_read_only_settings(self) -> None:
        """Show the model's optimizer and the dataset's split as they are now (they live on the
        Model and Data tabs; this tab shows what the next run will use)."""
        spec = self._spec_source() if self._spec_source is not None else None
        self.settings_form.set_compile(spec)
        self.settings_form.set_split(self._dataset)
        self.settings_form.refresh_backend()

    def spec_changed(self) -> None:
        """The model was edited: show its optimizer now if this tab is visible (else on show)."""
        if self.isVisible() and self._spec_source is not None:
            self.settings_form.set_compile(self._spec_source())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        _ = self.plots              # the curves are built when the tab first shows
        self.refresh_read_only_settings()

    def is_running(self) -> bool:
        return (self._job is not None and self._job.is_running()) or self._process.is_running()

    def warm_up(self) -> None:
        """Start the training process in the background (the window calls it once shown), on
        the backend the next run will use."""
        self._process.warm_up(self.settings_form.refresh_backend())

    def shutdown(self) -> None:
        """Stop a running job and the training process, so nothing outlives the window."""
        if self._plots is not None:
            self._plots.timer.stop()
        if self._job is not None and self._job.is_running():
            self._job.cancel()
            self._job.wait(10000)
        self._process.shutdown()

    # -- actions --------------------------------------------------------------------------------------
    def start(self) -> None:
        if self.is_running():
            return
        spec = self._spec_source() if self._spec_source is not None else None
        if spec is None:
            self._show_message(self.tr("There is no model to train: build one in the Model tab."), "error")
            return
        if not spec.layers:
            self._show_message(self.tr("The model has no layers yet: add layers in the Model tab, "
                                       "or start from a template."), "error")
            return
        settings = self.settings_form.settings()
        if not self._fits_in_memory(spec, settings):
            return
        self._run_spec = spec.copy()
        self._run_settings = copy.deepcopy(settings)
        self.refresh_read_only_settings()
        self._info = {}
        self.last_error = None
        self.plots.reset(1, None)
        self.plots.set_overlays(self.runs.checked_runs())
        self.progress.show()
        self.progress.setRange(0, 0)        # busy until the first batch
        self.progress_label.setText(self.tr("Preparing the data and building the model…"))
        self._used_default_dataset = self._dataset is None
        if self._dataset is None:
            self._show_message(self.tr("No dataset was chosen in the Data tab, so this run uses the "
                                       "bundled MNIST digits (5,000 images)."), "info")
        else:
            self._show_message("", "info")
        # Checks and the split run on a thread here (no TensorFlow); training in the process.
        self._job = Job(prepare_job(self._run_spec, self._dataset, copy.deepcopy(settings)),
                        self, name="prepare-run")
        self._job.result.connect(self._on_prepared)
        self._job.error.connect(self._on_refused)
        self._set_state("running")
        self.results_tabs.setCurrentWidget(self.curves_page)
        self._job.start()
        self.trainingStarted.emit()

    def _on_prepared(self, plan) -> None:
        from desktop_dl.core.run_checks import RunCheckError
        if isinstance(plan, RunCheckError):
            self._on_refused(str(plan), "")
            self.runRefused.emit(str(plan), plan.where, plan.layer)
            return
        if self._stop_requested:
            self._stop_requested = False
            self._on_finished()
            return
        self._process.run(plan)

    def settings_form_devices(self, devices) -> None:
        self.settings_form.set_devices(devices)

    def _fits_in_memory(self, spec, settings) -> bool:
        """Say so before starting when the run would not fit in memory (core/training_memory.py)."""
        from desktop_dl.core.training_memory import TrainingMemoryError, check_training_memory
        samples = len(self._dataset) if self._dataset is not None else 5000   # mnist-5k by default
        shape = tuple(self._dataset.input_shape) if self._dataset is not None else None
        try:
            check_training_memory(spec, samples, settings.batch_size, optimizer=settings.optimizer,
                                  sample_shape=shape)
        except TrainingMemoryError as exc:
            self._show_message(str(exc), "error")
            return False
        return True

    def toggle_pause(self) -> None:
        if not self._process.is_running():
            return
        if self._process.paused:
            self._process.resume()
            self._set_state("running")
        else:
            self._process.pause()
            self._set_state("paused")

    def pause(self) -> None:
        if self._process.is_running() and not self._process.paused:
            self.toggle_pause()

    def resume(self) -> None:
        if self._process.is_running() and self._process.paused:
            self.toggle_pause()

    def stop(self) -> None:
        if self._process.is_running():
            self._process.stop()
            self._set_state("stopping")
        elif self.is_running():             # still preparing: do not start the run
            self._stop_requested = True
            self._set_state("stopping")

    # -- job signals (GUI thread) -----------------------------------------------------------------------
    def _on_progress(self, progress) -> None:
        message = progress.data                 # the training process's event tuple
        kind = message[0]
        if kind == "batches":
            self.plots.add_batches(message[1])
            self._update_progress(message[1][-1])
        elif kind == "epoch":
            _, epoch, logs = message
            if epoch == 0 and self._metric not in logs:
                others = [k for k in logs if not k.startswith("val_") and k not in ("loss", "learning_rate", "seconds")]
                if others:
                    self._metric = others[0]
                    self.plots.set_metric(self._metric)
            self.plots.add_epoch(epoch, logs)
            self.diagnosis_view.add_epoch(epoch, logs)
        elif kind == "begin":
            self._info = message[1]
            self._metric = MAIN_METRIC.get(self._info.get("task"), "accuracy")
            self.diagnosis_view.reset(self._info.get("task"),
                                      len(getattr(self._dataset, "class_names", None) or []) or None)
            self.plots.reset(self._info["steps_per_epoch"], self._metric, self._info["epochs"])
            self.progress.setRange(0, self._info["epochs"] * self._info["steps_per_epoch"])
            self.progress.setValue(0)
            self.progress_label.setText(self.tr("Training on %d samples…") % self._info["samples"])
        elif kind == "devices":
            self.settings_form.set_devices(message[1])
        elif kind == "status" and message[1] == "export":
            self.progress_label.setText(self.tr("Saving the model and exporting it to ONNX…"))

    def _update_progress(self, last) -> None:
        # Text and bar at ~5 Hz: relaying out a wrapped label 20 times a second costs CPU.
        now = time.monotonic()
        if now - self._progress_shown < 0.2:
            return
        self._progress_shown = now
        value, text = progress_text(self._info, last)
        self.progress.setValue(value)
        self.progress_label.setText(text)

    def _on_result(self, outcome) -> None:
        result, files = outcome.result, outcome.files
        batch_x, batch_loss = thin(*self.plots.batch_curve())
        ev = result.evaluation.to_dict(outcome.class_names) if result.evaluation is not None else None
        run = RunRecord(
            id=new_run_id(self.runs.runs()), name=self.tr("Run %d") % (self.runs.rowCount() + 1),
            created=_dt.datetime.now().isoformat(timespec="seconds"),
            spec=outcome.spec.to_dict(), settings=outcome.settings.to_dict(),
            history=result.history, metrics=result.final_metrics(), status=result.status,
            message=result.message, seconds=result.seconds,
            samples_per_second=result.samples_per_second, metric=self._metric,
            dataset=outcome.dataset_name, batch_x=batch_x, batch_loss=batch_loss, evaluation=ev,
            class_names=outcome.class_names, wrong_images_path=outcome.wrong_images_path,
            folder=str(files.folder),
            keras_path=str(files.keras_path) if files.keras_path else None,
            onnx_path=str(files.onnx_path) if files.onnx_path else None, kept=result.ok)
        self.runs.add_run(run)
        self.runs_view.selectRow(self.runs.rowCount() - 1)
        self.show_run(self.runs.rowCount() - 1, curves=False)
        parts = [result.message]
        if self._used_default_dataset:
            parts.append(self.tr("Trained on the bundled MNIST digits because no dataset was chosen."))
        test = result.final_metrics().get("test_" + self._metric)
        if test is not None and math.isfinite(test):
            parts.append(self.tr("Test %s: %s.") % (self._metric, f"{test:.4g}" if self._metric != "accuracy" else f"{test:.1%}"))
        # Only an image model can read drawings; a table's ONNX file is for export, not the canvas.
        for_drawing = bool(files.onnx_path) and getattr(self._dataset, "kind", "image") == "image"
        if files.export_error:
            parts.append(files.export_error)
        elif for_drawing:
            parts.append(self.tr("The Draw tab now uses this model."))
        self._show_message(" ".join(parts), "ok" if result.ok else "error")
        self.progress_label.setText(self.tr("%d epochs in %s · %s samples/s") % (
            result.epochs_run, duration_text(result.seconds), f"{result.samples_per_second:,.0f}"))
        if result.status == "completed":    # the last batches fall between the ~5 Hz updates
            self.progress.setValue(self.progress.maximum())
        if for_drawing:
            self.modelReady.emit(str(files.onnx_path))
        self.runFinished.emit()
        self.projectStateChanged.emit()

    def _on_refused(self, message: str, details: str) -> None:
        """prepare_run said no (the model does not fit the data, a split is empty, ...): its
        message is the whole story; nothing started."""
        self.last_error = message
        self._show_message(self.tr("The run was not started: %s") % message, "error")
        self.progress_label.setText(" ")
        self._stop_requested = False
        self._on_finished()

    def _on_crashed(self, message: str) -> None:
        log.error("training process crashed: %s", message)

    def _on_error(self, message: str, details: str) -> None:
        self.last_error = message
        self._show_message(self.tr("Training failed: %s") % message, "error")
        self.progress_label.setText(" ")

    def _on_finished(self) -> None:
        self._set_state("idle")
        self.progress.setRange(0, max(1, self.progress.maximum()))
        if self._plots is not None:
            self._plots.redraw()
        self.trainingFinished.emit()

    # -- settings -------------------------------------------------------------------------------------------
    def apply_settings(self, overrides: dict) -> None:
        """Change run settings by name (a lesson's epochs, batch size, early stopping...)."""
        current = self.settings_form.settings().to_dict()
        self.settings_form.set_settings(TrainSettings.from_dict({**current, **overrides}))

    # -- devices ---------------------------------------------------------------------------------------------
    def _list_devices(self) -> None:
        if self.is_running():       # the run's process keeps its backend until the run ends
            return
        backend = self.settings_form.refresh_backend()
        listed = getattr(self.settings_form, "devices_listed", False)
        if listed and backend == self._process.process.backend:
            return
        self._process.warm_up(backend)      # a new backend: its own devices

    # -- look -------------------------------------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        running = state in ("running", "paused", "stopping")
        self.start_button.setEnabled(not running)
        self.settings_form.setEnabled(not running)
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.stop_button.setEnabled(state in ("running", "paused"))
        self.pause_button.setText(self.tr("Resume") if state == "paused" else self.tr("Pause"))
        if state == "paused":
            self.progress_label.setText(self.tr("Paused. Resume to go on, or stop to keep the "
                                                "weights reached so far."))
        elif state == "stopping":
            self.progress_label.setText(self.tr("Stopping after the current batch…"))

    def _show_message(self, text: str, kind: str) -> None:
        if kind == "error" and text:
            from desktop_dl.app_logging import log_user_error
            log_user_error(text, "training")    # every error shown to the user is in the log too
        colours = {"ok": ("#e8f5e9", "#1b5e20"), "error": ("#fdecea", "#8a1c1c"),
                   "info": ("#e8f0fb", "#1a3d6d")}
        background, foreground = colours.get(kind, colours["info"])
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setStyleSheet(f"QLabel {{ background: {background}; color: {foreground}; "
                                   f"border-radius: 4px; padding: 6px; }}")

    def _update_data_label(self) -> None:
        if self._dataset is None:
            self.data_label.setText(self.tr("<b>Data:</b> none chosen; training uses the bundled "
                                            "MNIST digits (5,000). Pick another in the Data tab."))
        else:
            self.data_label.setText(self.tr("<b>Data:</b> %s") % self._dataset.title)
