"""A bar per class with its probability: painted directly (ten bars at up to 120 Hz, no plot
library needed), the best class highlighted, the others in a quiet colour."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPixmap, QStaticText
from PySide6.QtWidgets import QSizePolicy, QWidget


class ProbabilityBars(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("probabilityBars")
        self.setAccessibleName(self.tr("Probability of each digit"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(120)
        # Paints every pixel itself (cached background), so Qt need not repaint the parent.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._probabilities: np.ndarray | None = None
        self._names: list[str] = [str(i) for i in range(10)]
        self._texts: dict[tuple, QStaticText] = {}
        self._background: QPixmap | None = None
        self._background_key = None

    def probabilities(self) -> np.ndarray | None:
        return None if self._probabilities is None else self._probabilities.copy()

    def set_probabilities(self, probabilities, class_names=None) -> None:
        """None (or an empty canvas) shows empty bars."""
        if class_names is not None:
            self._names = [str(n) for n in class_names]
        new = None if probabilities is None else np.asarray(probabilities, np.float32)
        old = self._probabilities
        if (new is not None and old is not None and new.shape == old.shape and class_names is None
                and float(np.abs(new - old).max()) < 0.002):
            return    # under a tenth of a pixel of bar and no label change: nothing to repaint
        self._probabilities = new
        if self._probabilities is not None:
            best = int(np.argmax(self._probabilities))
            self.setAccessibleDescription(self.tr("Most likely %s, %d%%")
                                          % (self._label(best), round(100 * float(self._probabilities[best]))))
        else:
            self.setAccessibleDescription(self.tr("No drawing yet"))
        self.update()

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.8))
        return small

    def percent_labels(self) -> list[tuple[str, QRectF]]:
        """The percentages above the bars and where they go: centred over their bar, kept inside
        the widget, placed from the most probable down and left out where they would touch one
        already placed (the bar's height still shows it). So they never overlap, and the
        winner's "74%" is always there, however narrow the panel."""
        if self._probabilities is None:
            return []
        count, _metrics_h, top, _bottom, slot, _bar_w = self._geometry()
        metrics = QFontMetricsF(self._small_font())
        gap = 3.0
        placed: list[tuple[str, QRectF]] = []
        order = sorted(range(min(count, len(self._probabilities))), key=lambda i: -float(self._probabilities[i]))
        for rank, i in enumerate(order):
            p = float(self._probabilities[i])
            if p < 0.01 and rank > 0:
                break
            text = f"{round(100 * p)}%"
            width, height = metrics.horizontalAdvance(text), metrics.height()
            x = min(max(0.0, i * slot + slot / 2 - width / 2), max(0.0, self.width() - width))
            rect = QRectF(x, top - 2 - height, width, height)
            if all(not rect.adjusted(-gap, 0, gap, 0).intersects(other) for _, other in placed):
                placed.append((text, rect))
        return placed

    def _label(self, i: int) -> str:
        return self._names[i] if i < len(self._names) else str(i)

    def sizeHint(self) -> QSize:
        return QSize(300, 150)

    def _static(self, text: str, font: QFont, width: float) -> QStaticText:
        """Laid-out text, cached: drawing a QStaticText skips the text layout every frame."""
        key = (text, font.key(), int(width))
        static = self._texts.get(key)
        if static is None:
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(font=font)
            self._texts[key] = static
        return static

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._texts.clear()
        self._background = None

    def changeEvent(self, event):
        super().changeEvent(event)
        self._background = None       # palette or font changed

    def _geometry(self):
        count = max(1, len(self._names) if self._probabilities is None else len(self._probabilities))
        metrics_h = self.fontMetrics().height()
        top, bottom = metrics_h + 4, self.height() - metrics_h - 6
        slot = self.width() / count
        return count, metrics_h, top, bottom, slot, max(4, int(slot * 0.62))

    def _paint_background(self) -> QPixmap:
        """The empty tracks and the class names: the same every frame, so painted once."""
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(int(self.width() * ratio), int(self.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self.palette().color(QPalette.ColorRole.Window))
        count, metrics_h, top, bottom, slot, bar_w = self._geometry()
        text = self.palette().color(QPalette.ColorRole.WindowText)
        track = QColor(text)
        track.setAlpha(22)
        painter = QPainter(pixmap)
        painter.setPen(text)
        for i in range(count):
            painter.fillRect(QRect(int(i * slot + (slot - bar_w) / 2), top, bar_w, bottom - top), track)
            label = self._static(self._label(i), self.font(), slot)
            painter.drawStaticText(QPointF(i * slot + slot / 2 - label.size().width() / 2, bottom + 3), label)
        painter.end()
        self._background_key = (count, tuple(self._names))
        return pixmap

    def paintEvent(self, event):
        # This repaints on every recognition (up to 125 times a second): the unchanging part is a
        # cached pixmap; per frame only the bars, the few percentages above 1 % and the winner's
        # bold name are drawn, all whole-pixel rectangles and pre-laid-out text.
        count, metrics_h, top, bottom, slot, bar_w = self._geometry()
        if self._background is None or self._background_key != (count, tuple(self._names)):
            self._background = self._paint_background()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._background)
        if self._probabilities is None:
            painter.end()
            return
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        quiet = QColor(text)
        quiet.setAlpha(110)
        small = self._small_font()
        best = int(np.argmax(self._probabilities))
        painter.setPen(text)
        for i in range(count):
            p = float(np.clip(self._probabilities[i], 0.0, 1.0))
            h = int(round((bottom - top) * p))
            if h:
                x = int(i * slot + (slot - bar_w) / 2)
                painter.fillRect(QRect(x, bottom - h, bar_w, h), accent if i == best else quiet)
        for label_text, rect in self.percent_labels():
            painter.drawStaticText(rect.topLeft(), self._static(label_text, small, slot))
        bold = QFont(self.font())
        bold.setBold(True)
        cell = QRect(int(best * slot), bottom + 2, int(slot), metrics_h + 2)
        painter.fillRect(cell, palette.color(QPalette.ColorRole.Window))
        label = self._static(self._label(best), bold, slot)
        painter.drawStaticText(QPointF(best * slot + slot / 2 - label.size().width() / 2, bottom + 3), label)
        painter.end()
