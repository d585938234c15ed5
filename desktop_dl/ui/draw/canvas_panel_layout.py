"""The Draw tab's widgets (CanvasPanel's construction, in named parts): the tools and the canvas on
the left; the answer, what the model sees and the corrections in the middle column; the model box;
inside the network on the right. A mixin of ui/draw/canvas_panel.CanvasPanel, which owns the
behaviour; the widgets' object names are the panel's interface to tests and the main window."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QScrollArea, QSizePolicy, QSlider,
                               QToolButton, QVBoxLayout, QWidget)

from desktop_dl.ui.draw.activation_view import ActivationView
from desktop_dl.ui.draw.canvas import MAX_WIDTH, MIN_WIDTH, DrawingCanvas
from desktop_dl.ui.draw.handwriting_panel import HandwritingPanel
from desktop_dl.ui.draw.probability_bars import ProbabilityBars
from desktop_dl.ui.draw.robustness_strip import RobustnessStrip
from desktop_dl.ui.widgets.array_image_view import ArrayImageView
from desktop_dl.ui.widgets.flow_layout import FlowLayout


class CanvasPanelLayout:
    """Builds CanvasPanel's widgets (the panel is a QWidget; this class only adds methods)."""

    def _build(self) -> None:
        root = QHBoxLayout(self)
        root.setContentsMargins(10, 10, 10, 10)
        root.setSpacing(10)
        root.addLayout(self._build_drawing_column(), 3)
        side = QVBoxLayout()
        side.setSpacing(6)
        self._build_answer(side)
        self._build_corrections(side)
        side.addWidget(self._build_model_box())
        self.handwriting = HandwritingPanel(self)
        side.addWidget(self.handwriting)
        self.activation_toggle = QCheckBox(self.tr("Show what the network sees"), self)
        self.activation_toggle.setObjectName("showActivations")
        side.addWidget(self.activation_toggle)
        root.addWidget(self._side_scroll(side))
        root.addWidget(self._build_activations(), 2)
        self._connect_widgets()

    def _build_drawing_column(self) -> QVBoxLayout:
        """Left: the tools, the canvas, a hint and the "How sure is it?" strip."""
        left = QVBoxLayout()
        left.addLayout(self._build_tools())
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
        return left

    def _build_tools(self) -> FlowLayout:
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
        return tools

    def _build_answer(self, side: QVBoxLayout) -> None:
        """Middle: the answer, how sure, what the model saw."""
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

    def _build_corrections(self, side: QVBoxLayout) -> None:
        """The "That's wrong" button and the ten digit buttons, then the passing status line."""
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

    def _build_model_box(self) -> QFrame:
        """The model in use (or why a file was refused), or an offer to train one."""
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
        self._build_training_controls(model_frame, box)
        return model_frame

    def _build_training_controls(self, model_frame: QFrame, box: QVBoxLayout) -> None:
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

    def _side_scroll(self, side: QVBoxLayout) -> QScrollArea:
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
        return side_scroll

    def _build_activations(self) -> QScrollArea:
        # Right: inside the network (hidden until asked for).
        self.activation_view = ActivationView()
        self.activation_scroll = QScrollArea(self)
        self.activation_scroll.setObjectName("activationScroll")
        self.activation_scroll.setWidget(self.activation_view)
        self.activation_scroll.setWidgetResizable(True)
        self.activation_scroll.setMinimumWidth(280)
        self.activation_scroll.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.activation_scroll.setVisible(False)
        return self.activation_scroll

    def _connect_widgets(self) -> None:
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


def _row_of(parent: QWidget, widgets) -> QWidget:
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 8, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return row
