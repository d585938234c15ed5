"""What the drawing canvas (canvas.py) shows around the ink: the paper, a faint guide box where
MNIST digits sit, a frame around each recognised digit and the border. Painted only inside the
dirty rectangle, so drawing at 1,000 Hz repaints a few brush widths, not the whole canvas.
"""
from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from desktop_dl.ui.draw.stroke_painting import UNITS


def paint_paper(painter: QPainter, dirty: QRect, square: QRect, display: QImage,
                digit_boxes: list[tuple[int, int, int, int]], window_color: QColor) -> None:
    """Paint `dirty` (widget pixels): window colour outside `square`, inside it the paper, the
    guide, the screen image `display` (premultiplied ARGB, drawn unscaled) and the `digit_boxes`
    (top, left, bottom, right in ink units)."""
    painter.fillRect(dirty, window_color)
    paper = dirty.intersected(square)
    if not paper.isEmpty():
        painter.fillRect(paper, QColor("#fdfdfb"))
        # Faint guide: the 20 × 20 box of 28 × 28 where MNIST digits sit, so learners draw large.
        guide = QRectF(square.x() + square.width() * 4 / 28, square.y() + square.height() * 4 / 28,
                       square.width() * 20 / 28, square.height() * 20 / 28)
        painter.setPen(QPen(QColor(0, 0, 0, 28), 1, Qt.PenStyle.DashLine))
        painter.drawRect(guide)
        # Unscaled blit of premultiplied ARGB, only the dirty part: the cheap path.
        ratio = display.devicePixelRatio()
        source = QRectF((paper.x() - square.x()) * ratio, (paper.y() - square.y()) * ratio,
                        paper.width() * ratio, paper.height() * ratio)
        painter.drawImage(QRectF(paper), display, source)
    if digit_boxes:
        unit = square.width() / UNITS
        painter.setPen(QPen(QColor(25, 118, 210, 200), 2))
        for top, left, bottom, right in digit_boxes:
            painter.drawRect(QRectF(square.x() + left * unit - 3, square.y() + top * unit - 3,
                                    (right - left) * unit + 6, (bottom - top) * unit + 6))
    painter.setPen(QPen(QColor(0, 0, 0, 60), 1))
    painter.drawRect(square.adjusted(0, 0, -1, -1))
