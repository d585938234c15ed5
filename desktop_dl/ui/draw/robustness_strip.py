""""How sure is it?": a strip under the canvas with the drawing shifted, scaled, turned, slanted
and drawn with a thinner or thicker pen, each with the model's answer and confidence; cells
whose answer differs from the drawing's own are marked, so a learner sees what the network is
invariant to and what not (core/robustness_variants.py makes the images).

Cheap and out of the way of live recognition: it is computed only once the drawing has paused
for PAUSE_MS (every new point restarts the wait), as one batch of ~18 images through the same
ONNX Runtime session, ~2 ms plus ~5 ms to make the images.
"""
from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop_dl.core.robustness_variants import make_variants
from desktop_dl.ui.widgets.array_image_view import GRAY_LUT, ArrayImageView

PAUSE_MS = 350
COLUMNS = 9


class _Cell(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(1)
        box = QVBoxLayout(self)
        box.setContentsMargins(2, 2, 2, 2)
        box.setSpacing(0)
        self.view = ArrayImageView(self, minimum=36)
        self.view.setFixedSize(QSize(40, 40))
        self.caption = QLabel("", self)
        self.answer = QLabel("", self)
        for label in (self.caption, self.answer):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        small = self.caption.font()
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.8))
        self.caption.setFont(small)
        self.answer.setFont(small)
        box.addWidget(self.view, 0, Qt.AlignmentFlag.AlignHCenter)
        box.addWidget(self.caption)
        box.addWidget(self.answer)

    def show_result(self, image, caption: str, label: str, confidence: float, flipped: bool) -> None:
        self.view.set_array(image, GRAY_LUT)
        self.caption.setText(caption)
        self.answer.setText(f"{label} {round(100 * confidence)}%")
        colour = "#b3261e" if flipped else "palette(mid)"
        self.setStyleSheet(f"_Cell {{ border: {2 if flipped else 1}px solid {colour}; }}"
                           f"QLabel {{ color: {'#b3261e' if flipped else 'palette(text)'}; }}")
        self.setProperty("flipped", flipped)


class RobustnessStrip(QWidget):
    """Give it `source()` returning (recognizer, image28, strokes) or None; call `schedule()` on
    every drawing change. `results` holds [(variant key, label, confidence, flipped)]."""

    computed = Signal()

    def __init__(self, source: Callable[[], tuple | None], parent=None):
        super().__init__(parent)
        self.setObjectName("robustnessStrip")
        self._source = source
        self.results: list[tuple[str, str, float, bool]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self.compute_now)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 4, 0, 0)
        root.setSpacing(2)
        self.title = QLabel(self.tr("<b>How sure is it?</b> Your drawing changed a little; a red "
                                    "box is where the answer changes."), self)
        self.title.setWordWrap(True)
        root.addWidget(self.title)
        self.summary = QLabel("", self)
        self.summary.setObjectName("robustnessSummary")
        self.summary.setWordWrap(True)
        root.addWidget(self.summary)
        self._grid = QGridLayout()
        self._grid.setSpacing(3)
        root.addLayout(self._grid)
        self._cells: list[_Cell] = []
        self._clear()

    def schedule(self) -> None:
        """A drawing change: recompute once the drawing has paused."""
        self._timer.start()

    def _clear(self) -> None:
        self.results = []
        for cell in self._cells:
            cell.setVisible(False)
        self.summary.setText(self.tr("Draw a digit and pause: the strip shows how the answer holds "
                                     "up when the drawing is moved, resized, turned or drawn "
                                     "with another pen."))

    def _caption(self, variant) -> str:
        """The variant's caption in the interface language (arrows and numbers need none)."""
        if variant.key == "original":
            return self.tr("as drawn")
        if variant.group == "shear":
            return self.tr("slant ‹") if variant.key.endswith("-30") else self.tr("slant ›")
        if variant.group == "pen":
            return self.tr("pen × %s") % variant.label.rsplit(" ", 1)[-1]
        return variant.label

    def compute_now(self) -> None:
        self._timer.stop()
        source = self._source()
        if source is None:
            self._clear()
            self.computed.emit()
            return
        recognizer, image28, strokes = source
        variants = make_variants(image28, strokes)
        probs = recognizer.predict(np.stack([v.image for v in variants]))
        names = list(recognizer.class_names)
        best = probs.argmax(axis=1)
        while len(self._cells) < len(variants):
            cell = _Cell(self)
            self._grid.addWidget(cell, len(self._cells) // COLUMNS, len(self._cells) % COLUMNS)
            self._cells.append(cell)
        self.results = []
        flips = []
        for i, (variant, cell) in enumerate(zip(variants, self._cells)):
            label, confidence = names[best[i]], float(probs[i, best[i]])
            flipped = i > 0 and best[i] != best[0]
            caption = self._caption(variant)
            cell.show_result(variant.image, caption, label, confidence, flipped)
            cell.setVisible(True)
            self.results.append((variant.key, label, confidence, flipped))
            if flipped:
                flips.append(f"{caption} → {label}")
        for cell in self._cells[len(variants):]:
            cell.setVisible(False)
        if flips:
            self.summary.setText(self.tr("The answer changes for: %s.") % ", ".join(flips))
        else:
            self.summary.setText(self.tr("The answer stays %s for every change shown.") % names[best[0]])
        self.computed.emit()
