"""The Draw tab's model: opening an ONNX model in a job (ui/draw/model_opener.py), saying why a
file was refused ("Details…", "Load anyway"), the model box's text and buttons, reopening last
time's model, and training the default digit model in one click. A mixin of
ui/draw/canvas_panel.CanvasPanel (which owns the widgets, ui/draw/canvas_panel_layout.py)."""
from __future__ import annotations

import functools
import logging
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from shiboken6 import isValid

from desktop_dl.ui.draw.model_opener import OpenedModel

log = logging.getLogger(__name__)


class CanvasModelMixin:
    """CanvasPanel's model and one-click training (the panel is a QWidget; this adds methods)."""

    # -- the model ------------------------------------------------------------------------------------
    def open_model(self, path, *, allow_ir_downgrade: bool = False,
                   then: Callable[[bool], None] | None = None) -> None:
        """Use the ONNX model at `path` once its session is open (in a job: ONNX Runtime never
        holds the GUI thread). A file that cannot be used leaves the previous model in place and
        says why in the panel (with ONNX Runtime's full text behind "Details…", and "Load anyway"
        for a file one IR version newer). `then(ok)` afterwards; a newer request wins."""
        def opened(result: OpenedModel) -> None:
            ok = self._model_opened(result) if isValid(self) else False
            if then is not None:
                then(ok)
        self._opener.open(path, allow_ir_downgrade=allow_ir_downgrade,
                          with_activations=self.activation_toggle.isChecked(), then=opened)

    def set_model_path(self, path, *, allow_ir_downgrade: bool = False) -> bool:
        """`open_model`, returning whether the model is now in use. The wait runs the event loop
        (painting, timers) with user input held back until the session is open."""
        from PySide6.QtCore import QEventLoop

        loop, answer = QEventLoop(), {}

        def done(ok: bool) -> None:
            answer["ok"] = ok
            loop.quit()
        self.open_model(path, allow_ir_downgrade=allow_ir_downgrade, then=done)
        if "ok" not in answer:
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        return answer["ok"]

    def is_opening_model(self) -> bool:
        return self._opener.is_busy()

    def _model_opened(self, result: OpenedModel) -> bool:
        if result.superseded:
            return False
        if result.error is not None:
            exc = result.error
            keep = self.tr(" The canvas keeps using %s.") % self.recognizer.path.name if self.recognizer else ""
            self._show_model_message(str(exc) + keep, details=getattr(exc, "details", ""),
                                     retry=result.path if getattr(exc, "downgrade_ir_to", None) else None)
            return False
        recognizer = result.recognizer
        self.recognizer = recognizer
        if recognizer.notes:
            self.status_label.setText(" ".join(recognizer.notes))
        self.settings.setValue("canvas/model_path", str(result.path))
        self._show_model_message("")
        self.activation_model = None
        self._activation_error = ""
        if self.activation_toggle.isChecked():
            if result.activation_model is not None or result.activation_error:
                self._activation_opened(result)
            else:
                self._open_activation_model()
        self._update_model_box()
        self.modelChanged.emit(str(result.path))
        self.recognize_now()
        return True

    def choose_model_file(self) -> None:
        start = self.settings.value("canvas/model_path", "", type=str)
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a model"), str(Path(start).parent) if start else "",
                                              self.tr("ONNX models (*.onnx);;All files (*)"))
        if path:
            self.open_model(path, then=self._user_model_opened)

    def _user_model_opened(self, ok: bool) -> None:
        if ok:
            self.projectStateChanged.emit()

    def _show_model_message(self, text: str, *, details: str = "", retry: Path | None = None) -> None:
        if text:
            from desktop_dl.app_logging import log_user_error
            log_user_error(text + (f"\n{details}" if details else ""), "drawing")   # full text in the log
        self.model_message.setText(text)
        self.model_message.setVisible(bool(text))
        self._model_error_details = details if text else ""
        self._failed_model_path = retry if text else None
        self.details_button.setVisible(bool(self._model_error_details))
        self.load_anyway_button.setVisible(self._failed_model_path is not None)

    def show_model_error_details(self) -> None:
        """The last model error with ONNX Runtime's full text, in the app's error dialog."""
        from desktop_dl.ui.base.error_reporting import ErrorDialog

        dialog = ErrorDialog(self.tr("The model could not be opened"), self.model_message.text(),
                             self._model_error_details, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self._details_dialog = dialog

    def load_anyway(self) -> None:
        """Open the file that was refused for a newer IR version, with the version lowered in memory."""
        if self._failed_model_path is not None:
            self.open_model(self._failed_model_path, allow_ir_downgrade=True, then=self._user_model_opened)

    def _update_model_box(self) -> None:
        training = self._job is not None
        has_model = self.recognizer is not None
        if training:
            pass      # the training progress writes this line
        elif has_model:
            device = "GPU" if "CUDA" in self.recognizer.provider else "CPU"
            path = self.recognizer.path
            # Every training run writes a model.onnx: its run folder tells them apart.
            name = f"{path.parent.name}/{path.name}" if path.name == "model.onnx" else path.name
            self.model_label.setText(self.tr("Model: %s (%d classes, ONNX Runtime on %s)")
                                     % (name, self.recognizer.classes, device))
            self.model_label.setToolTip(str(self.recognizer.path))
        else:
            self.model_label.setText(self.tr("No model in use."))
        # Without a model the prompt says it all; the one-line status would repeat it.
        self.model_label.setVisible(has_model or training)
        self.train_button.setDefault(not has_model)
        self.train_prompt.setVisible(not has_model and not training)
        self.train_button.setVisible(not training)
        self.train_button.setText(self.tr("Train digit model") if not has_model
                                  else self.tr("Retrain digit model"))
        self.train_button.setToolTip(self.tr("Train a small CNN on the 5,000 bundled MNIST digits "
                                             "and your own corrected digits"))
        self.progress.setVisible(training)
        self.cancel_button.setVisible(training)

    def _restore_previous_model(self) -> None:
        """The model used last time (opened or trained), or a default digit model trained earlier
        (unless a model is already open or being opened: that one was asked for since)."""
        if self.recognizer is not None or self._opener.is_busy():
            return
        from desktop_dl.engine.default_digit_model import default_digit_model_path
        candidates = [c for c in (self.settings.value("canvas/model_path", "", type=str),
                                  str(default_digit_model_path())) if c and Path(c).is_file()]
        self._try_models(candidates)

    def _try_models(self, candidates: list[str]) -> None:
        """Open the first of `candidates` that opens, one after the other, each in a job. A model
        asked for meanwhile (a trained run, an export, the user's file) wins: the search stops."""
        if self.recognizer is not None:
            return
        if not candidates:
            self._show_model_message("")
            return
        self.open_model(candidates[0], then=lambda ok, serial=self._opener.serial + 1:
                        ok or serial != self._opener.serial or self._try_models(candidates[1:]))

    # -- one-click default model ----------------------------------------------------------------------
    def train_default_model(self) -> None:
        if self._job is not None:
            return
        from desktop_dl.engine.default_digit_model import train_default_digit_model
        from desktop_dl.ui.base.jobs import Job

        self._train_started = time.perf_counter()
        self._job = Job(functools.partial(train_default_digit_model, **self.default_training_options),
                        self, name="default-digit-model")
        self._job.progress.connect(self._on_training_progress)
        self._job.result.connect(self._on_training_result)
        self._job.error.connect(self._on_training_error)
        self._job.cancelled.connect(lambda: self._on_training_result(None))
        self._job.finished.connect(self._on_training_finished)
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Starting…"))
        self.model_label.setText(self.tr("Training the digit model: starting"))
        self._show_model_message("")
        self._job.start()
        self._update_model_box()

    def cancel_training(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.progress.setFormat(self.tr("Stopping after this batch…"))

    def _on_training_progress(self, progress) -> None:
        value = progress.data                   # the job's stage dict (core.progress.Progress)
        fraction = float(value.get("fraction", 0.0)) if isinstance(value, dict) else 0.0
        self.progress.setValue(int(1000 * fraction))
        # The bar keeps to a short "37%"; what is happening goes on the line above it.
        self.progress.setFormat(self.tr("%d%%") % round(100 * fraction))
        stage = value.get("stage") if isinstance(value, dict) else None
        if stage == "training":
            text = self.tr("Training the digit model: epoch %d of %d") % (value["epoch"], value["epochs"])
            if value.get("accuracy") is not None:
                text += self.tr(", %.1f%% right so far") % (100 * value["accuracy"])
        elif stage == "loading":
            text = self.tr("Training the digit model: reading the bundled digits")
        elif stage == "starting":
            text = self.tr("Training the digit model: starting TensorFlow")
        elif stage == "exporting":
            text = self.tr("Training the digit model: exporting to ONNX and checking it")
        else:
            return
        self.model_label.setText(text)

    def _on_training_result(self, result) -> None:
        if not result:
            self.show_status(self.tr("Training cancelled; nothing was changed."))
            return
        self.open_model(result["path"], then=lambda ok: self._trained_model_opened(ok, result))

    def _trained_model_opened(self, ok: bool, result: dict) -> None:
        if ok:
            self.projectStateChanged.emit()
            accuracy = result.get("accuracy")
            seconds = time.perf_counter() - self._train_started
            if accuracy is not None:
                text = self.tr("Digit model trained in %d s: %.1f%% right on digits it never saw.") % (
                    round(seconds), 100 * accuracy)
            else:
                text = self.tr("Digit model trained in %d s.") % round(seconds)
            if result.get("personal"):
                text += " " + self.tr("It learned from %n of your own digits too.", "", int(result["personal"]))
            self.show_status(text + " " + self.tr("Draw!"), 30000)

    def _on_training_error(self, message: str, details: str) -> None:
        log.debug("default digit model failed: %s", details)
        self._show_model_message(self.tr("Training the digit model failed: %s") % message)

    def _on_training_finished(self) -> None:
        self._job = None
        self._update_model_box()

    def is_training(self) -> bool:
        return self._job is not None
