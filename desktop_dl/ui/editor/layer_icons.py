"""Small painted icons for layer groups, so the palette and the stack share one colour code."""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPixmap

GROUP_COLOURS = {
    "input": "#607d8b",
    "core": "#1e88e5",
    "convolution": "#43a047",
    "pooling": "#00897b",
    "recurrent": "#8e24aa",
    "regularisation": "#fb8c00",
    "augmentation": "#d81b60",
}

ERROR_COLOUR = "#c62828"
ERROR_BACKGROUND = "#fdecea"


def _painted_icon(paint) -> QIcon:
    """An icon drawn at 16 and 32 px by `paint(painter, size)` on a transparent square."""
    icon = QIcon()
    for size in (16, 32):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        paint(painter, size)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


@lru_cache(maxsize=None)
def group_icon(group: str) -> QIcon:
    """A rounded square in the group's colour."""
    colour = QColor(GROUP_COLOURS.get(group, "#9e9e9e"))

    def paint(painter: QPainter, size: int) -> None:
        path = QPainterPath()
        inset = size * 0.12
        path.addRoundedRect(QRectF(inset, inset, size - 2 * inset, size - 2 * inset), size * 0.22, size * 0.22)
        painter.fillPath(path, colour)

    return _painted_icon(paint)


@lru_cache(maxsize=None)
def error_icon() -> QIcon:
    """A red disc with a white exclamation mark (the platform's own icon differs per style)."""

    def paint(painter: QPainter, size: int) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(ERROR_COLOUR))
        painter.drawEllipse(QRectF(size * 0.06, size * 0.06, size * 0.88, size * 0.88))
        painter.setBrush(QColor("white"))
        w = size * 0.14
        painter.drawRoundedRect(QRectF((size - w) / 2, size * 0.22, w, size * 0.38), w / 2, w / 2)
        painter.drawEllipse(QRectF((size - w) / 2, size * 0.66, w, w))

    return _painted_icon(paint)
