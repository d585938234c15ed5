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
activation view adds one more ONNX Runtime call with the layer outputs exposed.
"""
from __future__ import annotations

import functools
import logging
import time
from pathlib import Path
from typing import Callable

import numpy as np
from PySide6.QtCore import QElapsedTimer, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from shiboken6 import isValid
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QFileDialog, QFrame, QGridLayout,
                               QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea,
                               QSizePolicy, QSlider, QToolButton, QVBoxLayout, QWidget)

from desktop_dl import APP_NAME, ORG_NAME
from desktop_dl.core.digit_photo import find_digit_inks
from desktop_dl.core.digit_preprocess import FoundDigit
from desktop_dl.core.stroke_raster import is_too_small, rasterize_strokes
from desktop_dl.core.errors import UserError
from desktop_dl.ui.draw.activation_view import ActivationView
from desktop_dl.ui.widgets.flow_layout import FlowLayout
from desktop_dl.ui.widgets.array_image_view import GRAY_LUT, ArrayImageView
from desktop_dl.ui.draw.canvas import MAX_WIDTH, MIN_WIDTH, DrawingCanvas
from desktop_dl.ui.draw.handwriting_panel import HandwritingPanel
from desktop_dl.ui.draw.model_opener import ModelOpener, OpenedModel, wait_for_model_jobs
from desktop_dl.ui.draw.robustness_strip import RobustnessStrip
from desktop_dl.ui.draw.probability_bars import ProbabilityBars

log = logging.getLogger(__name__)

# A 125 Hz mouse (8 ms between moves) gets every move recognised at once; a 1,000 Hz pen at most
# 250 recognitions a second. Never slower than one per 60 Hz frame.
MIN_INTERVAL_MS = 4
MAX_INTERVAL_MS = 16


class CanvasPanel(QWidget):
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
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(lambda: self.status_label.setText(""))
        self._build()
        self._show_prediction(None)
        self._update_model_box()

    # -- layout ---------------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QHBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 10)
        root.setSpacing(10)

        # Left: tools and the canvas.
        left = QVBoxLayout()
        tools = FlowLayout(spacing=4)     # one row when there is room, two in a narrow window
        self.pen_button = self._tool(self.tr("Pen"), self.tr("Draw (left button)"), True)
        self.eraser_button = self._tool(self.tr("Eraser"), self.tr("Erase (or drag with the right button)"), True)
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.pen_button)
        group.addButton(self.eraser_button)
        self.pen_button.setChecked(True)
        self.eraser_button.toggled.connect(lambda on: self.canvas.set_eraser(on))
        width_label = QLabel(self.tr("Brush"), self)
        self.width_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.width_slider.setObjectName("brushWidth")
        self.width_slider.setAccessibleName(self.tr("Brush width"))
        self.width_slider.setRange(int(MIN_WIDTH), int(MAX_WIDTH))
        self.width_slider.setMaximumWidth(140)
        self.width_slider.setMinimumWidth(70)     # a usable handle travel, even in a narrow window
        width_label.setBuddy(self.width_slider)
        self.width_slider.setToolTip(self.tr("Brush width in pixels of the 280 × 280 drawing (the "
                                             "model sees it ten times smaller)"))
        self.width_value = QLabel(self)
        self.width_value.setObjectName("brushWidthValue")
        widest = self.tr("%d px") % int(MAX_WIDTH)
        self.width_value.setMinimumWidth(self.width_value.fontMetrics().horizontalAdvance(widest) + 4)
        self.undo_button = self._tool(self.tr("Undo"), self.tr("Remove the last stroke (Ctrl+Z on the canvas)"))
        self.clear_button = self._tool(self.tr("Clear"), self.tr("Start again (Delete on the canvas)"))
        self.undo_button.setObjectName("canvasUndo")
        self.clear_button.setObjectName("canvasClear")
        self.picture_button = self._tool(self.tr("Open picture…"),
                                         self.tr("Read the digits in a photo or a scan (PNG, JPEG, …)"))
        self.picture_button.setObjectName("openPicture")
        # Three groups that wrap as wholes: the tool, the brush, the actions on the drawing.
        for group in ((self.pen_button, self.eraser_button), (width_label, self.width_slider, self.width_value),
                      (self.undo_button, self.clear_button, self.picture_button)):
            tools.addWidget(_row_of(self, group))
        left.addLayout(tools)

        self.canvas = DrawingCanvas(self)
        self.width_slider.setValue(int(round(self.canvas.brush_width())))
        self.width_slider.valueChanged.connect(self._brush_width_changed)
        self._brush_width_changed(self.width_slider.value())
        self.width_slider.valueChanged.connect(lambda _v: self.projectStateChanged.emit())
        left.addWidget(self.canvas, 1)
        hint = QLabel(self.tr("Draw one digit, large and in the middle of the dashed box."), self)
        hint.setObjectName("canvasHint")
        hint.setWordWrap(True)
        hint.setEnabled(False)     # muted text
        left.addWidget(hint)
        self.robustness = RobustnessStrip(self._robustness_source, self)
        left.addWidget(self.robustness)
        root.addLayout(left, 3)

        # Middle: the answer, how sure, what the model saw, corrections, the model.
        side = QVBoxLayout()
        side.setSpacing(6)
        self.prediction_label = QLabel("", self)
        self.prediction_label.setObjectName("predictionLabel")
        self.prediction_label.setAccessibleName(self.tr("Recognised digit"))
        self.prediction_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big = QFont(self.font())
        big.setPointSizeF(max(big.pointSizeF(), 9.0) * 6)
        big.setBold(True)
        self.prediction_label.setFont(big)
        self.prediction_label.setMinimumHeight(96)
        side.addWidget(self.prediction_label)
        self.confidence_label = QLabel("", self)
        self.confidence_label.setObjectName("confidenceLabel")
        self.confidence_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confidence_label.setWordWrap(True)
        side.addWidget(self.confidence_label)
        self.bars = ProbabilityBars(self)
        side.addWidget(self.bars)

        sees = QHBoxLayout()
        self.model_input_view = ArrayImageView(self, minimum=84)
        self.model_input_view.setObjectName("modelInputView")
        self.model_input_view.setAccessibleName(self.tr("The 28 × 28 image the model sees"))
        self.model_input_view.setFixedSize(QSize(112, 112))
        sees_text = QLabel(self.tr("What the model sees: your drawing cropped, scaled to 20 pixels "
                                   "and centred in 28 × 28, like the MNIST digits it learned from."), self)
        sees_text.setWordWrap(True)
        sees.addWidget(self.model_input_view)
        sees.addWidget(sees_text, 1)
        side.addLayout(sees)

        # "That's wrong": pick the right digit; the drawing joins the personal dataset.
        self.wrong_button = QPushButton(self.tr("That's wrong…"), self)
        self.wrong_button.setObjectName("wrongButton")
        self.wrong_button.setToolTip(self.tr("Tell the model the right digit; the drawing is kept in "
                                             "“My digits” for training."))
        self.wrong_button.setCheckable(True)
        side.addWidget(self.wrong_button)
        self.correction_box = QFrame(self)
        self.correction_box.setObjectName("correctionButtons")
        grid = QGridLayout(self.correction_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(3)
        prompt = QLabel(self.tr("The right answer is:"), self.correction_box)
        grid.addWidget(prompt, 0, 0, 1, 5)
        self.correction_buttons: list[QPushButton] = []
        for digit in range(10):
            button = QPushButton(str(digit), self.correction_box)
            button.setObjectName(f"correct{digit}")
            button.setAccessibleName(self.tr("The right answer is %d") % digit)
            button.setMinimumWidth(28)
            button.clicked.connect(lambda _=False, d=digit: self.save_correction(d))
            grid.addWidget(button, 1 + digit // 5, digit % 5)
            self.correction_buttons.append(button)
        self.correction_box.setVisible(False)
        self.wrong_button.toggled.connect(self.correction_box.setVisible)
        side.addWidget(self.correction_box)
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("canvasStatus")
        self.status_label.setWordWrap(True)
        side.addWidget(self.status_label)
        side.addStretch(1)

        # The model in use, or an offer to train one.
        model_frame = QFrame(self)
        model_frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(model_frame)
        self.model_label = QLabel("", model_frame)
        self.model_label.setObjectName("modelLabel")
        self.model_label.setWordWrap(True)
        box.addWidget(self.model_label)
        self.model_message = QLabel("", model_frame)
        self.model_message.setObjectName("modelMessage")
        self.model_message.setWordWrap(True)
        self.model_message.setStyleSheet("color: #b3261e;")
        self.model_message.setVisible(False)
        box.addWidget(self.model_message)
        error_row = QHBoxLayout()
        self.details_button = QPushButton(self.tr("Details…"), model_frame)
        self.details_button.setObjectName("modelErrorDetails")
        self.details_button.setToolTip(self.tr("ONNX Runtime's full message"))
        self.load_anyway_button = QPushButton(self.tr("Load anyway"), model_frame)
        self.load_anyway_button.setObjectName("loadAnyway")
        self.load_anyway_button.setToolTip(self.tr("Lower the file's IR version in memory and load it; "
                                                   "the file itself is not changed"))
        error_row.addWidget(self.details_button)
        error_row.addWidget(self.load_anyway_button)
        error_row.addStretch(1)
        box.addLayout(error_row)
        self.details_button.setVisible(False)
        self.load_anyway_button.setVisible(False)
        self.train_prompt = QLabel(self.tr(
            "<b>No digit model yet.</b> Train one on the 5,000 bundled MNIST digits with one click "
            "(well under a minute), or open an .onnx model file."), model_frame)
        self.train_prompt.setObjectName("trainPrompt")
        self.train_prompt.setWordWrap(True)
        box.addWidget(self.train_prompt)
        buttons = QHBoxLayout()
        self.train_button = QPushButton(self.tr("Train the digit model"), model_frame)
        self.train_button.setObjectName("trainDigitModel")
        self.open_button = QPushButton(self.tr("Open model…"), model_frame)
        self.open_button.setObjectName("openModel")
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.open_button)
        box.addLayout(buttons)
        progress_row = QHBoxLayout()
        self.progress = QProgressBar(model_frame)
        self.progress.setObjectName("digitTrainingProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), model_frame)
        self.cancel_button.setObjectName("cancelDigitTraining")
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        box.addLayout(progress_row)
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        side.addWidget(model_frame)
        self.handwriting = HandwritingPanel(self)
        side.addWidget(self.handwriting)
        self.activation_toggle = QCheckBox(self.tr("Show what the network sees"), self)
        self.activation_toggle.setObjectName("showActivations")
        side.addWidget(self.activation_toggle)

        # The side column scrolls instead of forcing a tall window on small screens.
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_scroll = QScrollArea(self)
        side_scroll.setObjectName("canvasSide")
        side_scroll.setWidget(side_widget)
        side_scroll.setWidgetResizable(True)
        side_scroll.setFrameShape(QFrame.Shape.NoFrame)
        side_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        side_scroll.setFixedWidth(284)
        root.addWidget(side_scroll)

        # Right: inside the network (hidden until asked for).
        self.activation_view = ActivationView()
        self.activation_scroll = QScrollArea(self)
        self.activation_scroll.setObjectName("activationScroll")
        self.activation_scroll.setWidget(self.activation_view)
        self.activation_scroll.setWidgetResizable(True)
        self.activation_scroll.setMinimumWidth(280)
        self.activation_scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.activation_scroll.setVisible(False)
        root.addWidget(self.activation_scroll, 2)

        self.canvas.drawingChanged.connect(self.schedule_recognition)
        self.canvas.drawingChanged.connect(self.robustness.schedule)
        self.modelChanged.connect(lambda _path: self.robustness.schedule())
        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button.clicked.connect(self.clear_drawing)
        self.canvas.drawingChanged.connect(self._drawing_expires_status)
        self.train_button.clicked.connect(self.train_default_model)
        self.cancel_button.clicked.connect(self.cancel_training)
        self.open_button.clicked.connect(self.choose_model_file)
        self.picture_button.clicked.connect(self.choose_picture_file)
        self.details_button.clicked.connect(self.show_model_error_details)
        self.load_anyway_button.clicked.connect(self.load_anyway)
        self.activation_toggle.toggled.connect(self.set_activations_visible)
        self.activation_toggle.toggled.connect(lambda _on: self.projectStateChanged.emit())

    def _tool(self, text: str, tip: str, checkable: bool = False) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(checkable)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        if checkable:
            # The active tool is unmistakable: filled in the highlight colour, not a faint bevel.
            button.setStyleSheet("QToolButton { padding: 3px 8px; } QToolButton:checked { "
                                 "background: palette(highlight); color: palette(highlighted-text); "
                                 "border: 1px solid palette(dark); border-radius: 3px; font-weight: bold; }")
        return button

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

    def showEvent(self, event):
        super().showEvent(event)
        if not self._startup_checked:
            self._startup_checked = True
            # After the window has painted: opening ONNX Runtime takes a moment.
            QTimer.singleShot(0, self._restore_previous_model)

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

    def _robustness_source(self):
        """(recognizer, 28×28 image, strokes) for the "How sure is it?" strip, or None."""
        if self.recognizer is None or self.last_image28 is None or self.canvas.is_empty():
            return None
        return self.recognizer, self.last_image28, self.canvas.strokes()

    def is_training(self) -> bool:
        return self._job is not None

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
            self.activation_view.show_activations(None if image is None else self.activation_model.run(image))
        self.predictionShown.emit(prediction)

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


def _row_of(parent: QWidget, widgets) -> QWidget:
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 8, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return row
