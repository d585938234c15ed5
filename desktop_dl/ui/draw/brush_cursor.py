"""The canvas cursor: a circle as wide as the brush will paint, so the tool and its size show
where the user looks. The pen is a dark ring with a centre dot, the eraser a white disc with a
dashed dark edge (visible on ink and on paper alike)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPen, QPixmap

MIN_CURSOR_PX = 9       # a smaller ring cannot be seen, let alone aimed


def brush_cursor(diameter: float, eraser: bool, device_pixel_ratio: float = 1.0) -> QCursor:
    """A cursor `diameter` logical pixels wide (at least MIN_CURSOR_PX), hot spot in the centre."""
    d = max(float(MIN_CURSOR_PX), float(diameter))
    side = int(d) + 4
    ratio = max(1.0, float(device_pixel_ratio))
    pixmap = QPixmap(int(side * ratio), int(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    circle = QRectF((side - d) / 2, (side - d) / 2, d, d)
    centre = QPointF(side / 2, side / 2)
    if eraser:
        painter.setBrush(QColor(255, 255, 255, 200))
        painter.setPen(QPen(QColor(30, 30, 30), 1.2, Qt.PenStyle.DashLine))
        painter.drawEllipse(circle)
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(255, 255, 255, 220), 3.0))      # a halo: visible on ink
        painter.drawEllipse(circle)
        painter.setPen(QPen(QColor(20, 20, 20), 1.2))
        painter.drawEllipse(circle)
        painter.setBrush(QColor(20, 20, 20))
        painter.drawEllipse(centre, 1.2, 1.2)
    painter.end()
    return QCursor(pixmap, side // 2, side // 2)


__all__ = ["brush_cursor", "MIN_CURSOR_PX"]
