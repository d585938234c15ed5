"""The Draw tab: draw a digit, watch the model recognise it live, and look inside the network.

Interface used by the main window:
  CanvasPanel(parent); contains widgets named "drawingCanvas" and "predictionLabel"
  .open_model(path, then=None)      an ONNX model to recognise drawings with (modelReady); its
                                    ONNX Runtime session opens in a job (ui/draw/model_opener.py)
  .set_model_path(path) -> bool     the same, returning once it is open (the window keeps painting)
  .open_picture(path) -> bool       read the digits in a picture file (photo or scan)
  .project_state() / .restore_project_state(state) / .shutdown()

Live recognition: every new point asks for an update; a single-shot timer coalesces them. The
model runs at once when the last run is long enough ago, else when it is; "long enough" is three
times what the last run cost (so recognition takes at most a quarter of the GUI thread, even on a
busy machine), kept between MIN_INTERVAL_MS and MAX_INTERVAL_MS (a 60 Hz frame).
Digits drawn side by side (core.digit_photo.find_digit_inks on the canvas's ink) are recognised
each, from their own strokes, with a frame around each on the canvas; one digit goes the usual way:
Canvas strokes → core.stroke_raster.rasterize_strokes (MNIST's pen at MNIST's scale, whatever the
brush and the drawing's size) → Recognizer.predict_digit (ONNX Runtime,
tens of microseconds) all run on the GUI thread: cheaper than any hand-off to a thread. The
activation view adds one more ONNX Runtime call with the layer outputs exposed and repaints every
layer's maps (~1.5 ms for a VGG-style digit CNN): it follows the drawing at up to
ACTIVATION_FPS frames a second on its own timer, so the prediction is never kept waiting for it.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QElapsedTimer, QSettings, QTimer, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget
from shiboken6 import isValid

from desktop_dl import APP_NAME, ORG_NAME
from desktop_dl.core.digit_photo import find_digit_inks
from desktop_dl.core.digit_preprocess import FoundDigit
from desktop_dl.core.stroke_raster import is_too_small, rasterize_strokes
from desktop_dl.core.errors import UserError
from desktop_dl.ui.draw.canvas_model import CanvasModelMixin
from desktop_dl.ui.draw.canvas_panel_layout import CanvasPanelLayout
from desktop_dl.ui.draw.model_opener import ModelOpener, OpenedModel, wait_for_model_jobs
from desktop_dl.ui.widgets.array_image_view import GRAY_LUT

log = logging.getLogger(__name__)

# A 125 Hz mouse (8 ms between moves) gets every move recognised at once; a 1,000 Hz pen at most
# 250 recognitions a second. Never slower than one per 60 Hz frame.
MIN_INTERVAL_MS = 4
MAX_INTERVAL_MS = 16
ACTIVATION_FPS = 30


class CanvasPanel(CanvasPanelLayout, CanvasModelMixin, QWidget):
    """The Draw tab. Its widgets are built in ui/draw/canvas_panel_layout.py, its model opened and
    trained in ui/draw/canvas_model.py; recognition, pictures, corrections and state live here."""

    predictionShown = Signal(object)     # the Prediction (None for an empty canvas), once shown
    modelChanged = Signal(str)           # path of the model now in use
    projectStateChanged = Signal()       # the user changed the brush, the view or the model

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("canvasPanel")
        self.settings = QSettings(ORG_NAME, APP_NAME)
        self.recognizer = None            # engine.recognizer.Recognizer, opened lazily
        self.activation_model = None      # engine.activation_model.ActivationModel, when shown
        self.last_image28: np.ndarray | None = None
        self.last_prediction = None
        self.last_predictions: list = []  # one per digit, left to right (several drawn side by side)
        self._failed_model_path: Path | None = None    # offered "Load anyway" (IR one step newer)
        self._model_error_details = ""
        self._activation_error = ""
        self._job = None
        self._opener = ModelOpener(self.tr("%s is not an image model (it takes inputs of shape %s), "
                                           "so it cannot read drawings."), self)
        self.default_training_options: dict = {}   # e.g. {"epochs": 1, "limit": 800} for quick runs
        self._startup_checked = False
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last_run_ms = -10_000
        self._interval_ms = MIN_INTERVAL_MS
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.recognize_now)
        self._activation_image: np.ndarray | None = None
        self._activation_timer = QTimer(self)
        self._activation_timer.setSingleShot(True)
        self._activation_timer.timeout.connect(self._update_activations)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(lambda: self.status_label.setText(""))
        self._build()
        self._show_prediction(None)
        self._update_model_box()

    def _brush_width_changed(self, value: int) -> None:
        self.canvas.set_brush_width(value)
        self.width_value.setText(self.tr("%d px") % value)

    def clear_drawing(self) -> None:
        """Clear, and go back to the pen: an eraser left on would make the next digit invisible."""
        self.canvas.clear()
        if self.eraser_button.isChecked():
            self.pen_button.setChecked(True)
            self.show_status(self.tr("Cleared; back to the pen."))

    def show_status(self, text: str, msecs: int = 12000) -> None:
        """A passing message under the answer: gone after `msecs`, or when the user draws again."""
        self.status_label.setText(text)
        self._status_timer.start(msecs)

    def _drawing_expires_status(self) -> None:
        if self.status_label.text() and not self.canvas.is_empty():
            self._status_timer.stop()
            self.status_label.setText("")

    # -- pictures -------------------------------------------------------------------------------------
    def choose_picture_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a picture of digits"), "",
            self.tr("Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)"))
        if path:
            self.open_picture(path)

    def open_picture(self, path) -> bool:
        """Read the digits in a picture file (a drawing, a scan or a photo of paper): each is
        recognised, left to right; the 28 × 28 images the model sees are shown. Returns whether
        digits were found (a message in the panel says why not)."""
        from desktop_dl.core.digit_preprocess import load_picture_digits

        path = Path(path)
        try:
            found = load_picture_digits(path)
        except UserError as exc:
            self.status_label.setText(str(exc))
            return False
        self.canvas.clear()
        self._timer.stop()        # the cleared canvas must not replace the picture's answer
        self.canvas.set_digit_boxes([])
        self._show_digits(found.digits)
        how = self.tr("a photo: paper and lighting removed") if found.route == "photo" else self.tr("a drawing or scan")
        self.status_label.setText(self.tr("%s, read as %s: %d digit(s).") % (path.name, how, len(found.digits)))
        return True

    def showEvent(self, event):
        super().showEvent(event)
        if not self._startup_checked:
            self._startup_checked = True
            # After the window has painted: opening ONNX Runtime takes a moment.
            QTimer.singleShot(0, self._restore_previous_model)

    def _robustness_source(self):
        """(recognizer, 28×28 image, strokes) for the "How sure is it?" strip, or None."""
        if self.recognizer is None or self.last_image28 is None or self.canvas.is_empty():
            return None
        return self.recognizer, self.last_image28, self.canvas.strokes()

    def shutdown(self) -> None:
        """Stop a running training job (window closing)."""
        if self._job is not None:
            self._job.cancel()
            self._job.wait(60000)
        self.handwriting.shutdown()
        wait_for_model_jobs()

    # -- live recognition -----------------------------------------------------------------------------
    def schedule_recognition(self) -> None:
        if self._timer.isActive():
            return          # an update is already on its way and will see this point too
        idle = self._clock.elapsed() - self._last_run_ms
        self._timer.start(max(0, self._interval_ms - int(idle)))

    def recognize_now(self) -> None:
        self._timer.stop()
        self._last_run_ms = self._clock.elapsed()
        # CPU time of this thread: what the run really cost, not time lost to other programs.
        started = time.thread_time()
        self._recognize()
        cost_ms = (time.thread_time() - started) * 1000.0
        self._interval_ms = int(min(MAX_INTERVAL_MS, max(MIN_INTERVAL_MS, 3.0 * cost_ms)))

    def _recognize(self) -> None:
        if self.canvas.is_empty():
            self.last_image28 = None
            self.last_predictions = []
            self.canvas.set_digit_boxes([])
            self._show_prediction(None)
            return
        strokes = self.canvas.strokes()
        groups = self._digit_groups(strokes)
        if len(groups) > 1:     # several digits side by side: each from its own strokes
            self.canvas.set_digit_boxes([box for box, _ in groups])
            self._show_digits([FoundDigit(rasterize_strokes(group), box) for box, group in groups])
            return
        self.canvas.set_digit_boxes([])
        self.last_predictions = []
        image = rasterize_strokes(strokes)
        self.last_image28 = image
        self.model_input_view.set_array(image, GRAY_LUT)
        prediction = None
        if self.recognizer is not None:
            try:
                prediction = self.recognizer.predict_digit(image)
            except Exception as exc:   # a model that fails on a real drawing: say so, keep drawing
                self._show_model_message(self.tr("The model failed on this drawing: %s") % exc)
        if prediction is not None:
            self.last_predictions = [prediction]
        self._show_prediction(prediction, image)

    def _digit_groups(self, strokes) -> list:
        """[(box, strokes)] left to right when the ink holds several digits side by side, else
        [] or one group. Boxes (top, left, bottom, right) are in canvas units; each drawn stroke
        joins the digit holding most of its points, eraser strokes join every digit."""
        found = find_digit_inks(self.canvas.ink_array(), ink_is_high=True)
        if len(found.digits) < 2:
            return []
        row, col = self.canvas.ink_origin()
        boxes = [(t + row, l + col, b + row, r + col) for t, l, b, r in (d.box for d in found.digits)]
        members: list[list] = [[] for _ in boxes]
        for stroke in strokes:
            if stroke.eraser:
                for group in members:
                    group.append(stroke)
                continue
            votes = [sum(1 for x, y, *_ in stroke.points if l - 2 <= x <= r + 2 and t - 2 <= y <= b + 2)
                     for t, l, b, r in boxes]
            members[int(np.argmax(votes))].append(stroke)
        return [(box, group) for box, group in zip(boxes, members) if any(not s.eraser for s in group)]

    def _show_digits(self, digits) -> None:
        """Recognise and show several `digits` (core.digit_preprocess.FoundDigit, left to right),
        or one from a picture."""
        images = [d.image for d in digits]
        strip = images[0] if len(images) == 1 else np.concatenate(images, axis=1)
        self.last_image28 = images[0] if len(images) == 1 else None
        self.model_input_view.set_array(strip, GRAY_LUT)
        predictions = []
        if self.recognizer is not None:
            try:
                predictions = [self.recognizer.predict_digit(image) for image in images]
            except Exception as exc:   # a model that fails on a real drawing: say so, keep drawing
                self._show_model_message(self.tr("The model failed on this drawing: %s") % exc)
        self.last_predictions = predictions
        if len(images) == 1 or not predictions:
            self._show_prediction(predictions[0] if predictions else None, strip)
            return
        self.last_prediction = predictions[0]
        self.prediction_label.setText("".join(p.label for p in predictions))
        self.bars.set_probabilities(None)
        self.confidence_label.setText(self.tr("%d digits, left to right: %s") % (
            len(predictions), ", ".join(self.tr("%s %d%% sure") % (p.label, round(100 * p.confidence))
                                        for p in predictions)))
        self.wrong_button.setChecked(False)
        self.wrong_button.setEnabled(False)     # a correction is for one digit at a time
        self.predictionShown.emit(predictions[0])

    def _show_prediction(self, prediction, image=None) -> None:
        self.last_prediction = prediction
        if image is None:
            self.model_input_view.set_array(None)
        if prediction is None:
            self.prediction_label.setText("")
            self.bars.set_probabilities(None)
            if image is None:
                self.confidence_label.setText(self.tr("Draw a digit"))
            else:
                self.confidence_label.setText(self.tr("No model yet: train or open one below."))
        else:
            self.prediction_label.setText(prediction.label)
            self.bars.set_probabilities(prediction.probabilities, prediction.class_names)
            text = self.tr("%d%% sure") % round(100 * prediction.confidence)
            if is_too_small(self.canvas.strokes()):
                # Only a drawing a few mouse steps wide: its shape is mostly jitter.
                text += " — " + self.tr("too small to read well: draw bigger")
            self.confidence_label.setText(text)
        self.wrong_button.setEnabled(image is not None)
        if image is None:
            self.wrong_button.setChecked(False)
        if self.activation_toggle.isChecked() and self.activation_model is not None:
            self._activation_image = image
            if image is None:
                self._update_activations()              # cleared: at once, it costs nothing
            elif not self._activation_timer.isActive():
                self._activation_timer.start(1000 // ACTIVATION_FPS)
        self.predictionShown.emit(prediction)

    def _update_activations(self) -> None:
        """Show the layer outputs for the latest drawing (see the module docstring)."""
        self._activation_timer.stop()
        if self.activation_toggle.isChecked() and self.activation_model is not None:
            image = self._activation_image
            self.activation_view.show_activations(
                None if image is None else self.activation_model.run(image))

    # -- inside the network ---------------------------------------------------------------------------
    def set_activations_visible(self, visible: bool) -> None:
        if self.activation_toggle.isChecked() != visible:
            self.activation_toggle.setChecked(visible)      # comes back here through toggled
            return
        self.activation_scroll.setVisible(visible)
        if visible and self.activation_model is None:
            self._open_activation_model()
        if visible:
            self.recognize_now()

    def _open_activation_model(self) -> None:
        """Open the activation model of the model in use, in a job."""
        if self.recognizer is None:
            self.activation_view.set_model(None)
            return
        path = self.recognizer.path

        def opened(result: OpenedModel) -> None:
            if isValid(self) and self.recognizer is not None and self.recognizer.path == path:
                self._activation_opened(result)
        self._opener.open_activations(path, then=opened)

    def _activation_opened(self, result: OpenedModel) -> None:
        if result.superseded:
            return
        self.activation_model = result.activation_model
        if result.activation_model is None:
            self._activation_error = result.activation_error
            self.activation_view.set_model(None)
            self._show_model_message(self.tr("Cannot show inside this model: %s") % result.activation_error)
            return
        self.activation_view.set_model(self.activation_model)
        self.recognize_now()

    # -- "That's wrong" -------------------------------------------------------------------------------
    def save_correction(self, digit: int) -> None:
        """Keep the current drawing with the right label in the personal digits (my-digits)."""
        from desktop_dl.core.personal_digits import append_personal_digit, strokes_to_json

        if self.last_image28 is None or self.canvas.is_empty():
            self.show_status(self.tr("Draw a digit first."))
            return
        strokes = strokes_to_json([s.to_dict() for s in self.canvas.strokes()], size=(280, 280))
        try:
            count = append_personal_digit(self.last_image28, digit, strokes)
        except (UserError, OSError) as exc:
            self.show_status(self.tr("Could not save the drawing: %s") % exc)
            return
        self.wrong_button.setChecked(False)
        self.canvas.clear()
        self.handwriting.refresh_score()
        self.show_status(self.tr(
            "Saved as a %d. You have %n digit(s) of your own; add “My digits” to training on the "
            "Data tab to teach the model your handwriting.", "", int(count)) % digit)

    # -- project state --------------------------------------------------------------------------------
    def project_state(self) -> dict:
        return {"model_path": str(self.recognizer.path) if self.recognizer else None,
                "brush_width": self.canvas.brush_width(),
                "show_activations": self.activation_toggle.isChecked()}

    def restore_project_state(self, state: dict) -> None:
        state = state or {}
        self.canvas.clear()
        self.width_slider.setValue(int(round(float(state.get("brush_width") or self.canvas.brush_width()))))
        path = state.get("model_path")
        if isinstance(path, str) and path and Path(path).is_file():
            if self._trusted_model_path(path):
                self.open_model(path)
            else:
                self._show_model_message(self.tr(
                    "The project names the drawing model %s, which is outside desktop_dl's own "
                    "folders, so it was not opened. Use \u201cOpen model\u2026\u201d if you trust "
                    "it.") % Path(path).name)
        self.set_activations_visible(bool(state.get("show_activations", False)))


    def _trusted_model_path(self, path: str) -> bool:
        """A model path from a project file is followed only inside the app's own folders, or
        when it is the model the user last opened in this app (recorded in its settings)."""
        from desktop_dl.paths import is_app_owned

        if is_app_owned(path):
            return True
        chosen = self.settings.value("canvas/model_path", "", type=str)
        try:
            return bool(chosen) and Path(chosen).resolve() == Path(path).resolve()
        except (OSError, RuntimeError, ValueError):
            return False
