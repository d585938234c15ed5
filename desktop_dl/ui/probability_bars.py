"""A bar per class with its probability: painted directly (ten bars at up to 120 Hz, no plot
library needed), the best class highlighted, the others in a quiet colour."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class ProbabilityBars(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("probabilityBars")
        self.setAccessibleName(self.tr("Probability of each digit"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(120)
        self._probabilities: np.ndarray | None = None
        self._names: list[str] = [str(i) for i in range(10)]

    def probabilities(self) -> np.ndarray | None:
        return None if self._probabilities is None else self._probabilities.copy()

    def set_probabilities(self, probabilities, class_names=None) -> None:
        """None (or an empty canvas) shows empty bars."""
        if class_names is not None:
            self._names = [str(n) for n in class_names]
        self._probabilities = None if probabilities is None else np.asarray(probabilities, np.float32)
        if self._probabilities is not None:
            best = int(np.argmax(self._probabilities))
            self.setAccessibleDescription(self.tr("Most likely %s, %d%%")
                                          % (self._label(best), round(100 * float(self._probabilities[best]))))
        else:
            self.setAccessibleDescription(self.tr("No drawing yet"))
        self.update()

    def _label(self, i: int) -> str:
        return self._names[i] if i < len(self._names) else str(i)

    def sizeHint(self) -> QSize:
        return QSize(300, 150)

    def paintEvent(self, event):
        # Whole-pixel rectangles and no anti-aliasing: plain fills are the raster engine's
        # cheapest operation, and this repaints on every recognition.
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        count = len(self._names) if self._probabilities is None else len(self._probabilities)
        count = max(count, 1)
        font = self.font()
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
        bold = QFont(font)
        bold.setBold(True)
        metrics_h = self.fontMetrics().height()
        top, bottom = metrics_h + 4, self.height() - metrics_h - 6
        slot = self.width() / count
        bar_w = max(4, int(slot * 0.62))
        best = None if self._probabilities is None else int(np.argmax(self._probabilities))
        track = QColor(text)
        track.setAlpha(22)
        accent = palette.color(QPalette.ColorRole.Highlight)
        quiet = QColor(text)
        quiet.setAlpha(110)
        for i in range(count):
            x = int(i * slot + (slot - bar_w) / 2)
            painter.fillRect(QRect(x, top, bar_w, bottom - top), track)
            if self._probabilities is not None:
                p = float(np.clip(self._probabilities[i], 0.0, 1.0))
                h = int(round((bottom - top) * p))
                if h:
                    painter.fillRect(QRect(x, bottom - h, bar_w, h), accent if i == best else quiet)
                if p >= 0.005:
                    painter.setPen(text)
                    painter.setFont(small)
                    painter.drawText(QRectF(i * slot, 0, slot, top - 2),
                                     Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                                     f"{round(100 * p)}%")
            painter.setFont(bold if i == best else font)
            painter.setPen(text)
            painter.drawText(QRectF(i * slot, bottom + 3, slot, metrics_h + 2),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, self._label(i))
        painter.end()
