"""Strokes as the drawing canvas (canvas.py) keeps them and the pieces of curve that paint them.

A stroke is a list of (x, y, pressure) points in canvas units. Each new point adds one piece: a
quadratic curve from the midpoint of the two points before it to the midpoint of the last two,
bent towards the middle point, so the whole stroke is smooth and still passes through both ends.
Pressure changes the piece's width. Nothing here paints: the canvas paints the pieces on its two
images (screen and ink) with `stroke_pen`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen

UNITS = 280.0             # the drawing square is 280 units wide (10 per MNIST pixel)


@dataclass
class Stroke:
    width: float
    eraser: bool = False
    points: list[tuple[float, float, float]] = field(default_factory=list)   # x, y, pressure

    def to_dict(self) -> dict:
        return {"width": self.width, "eraser": self.eraser, "points": list(self.points)}


def _pressure_width(width: float, pressure: float) -> float:
    """Full pressure (and the mouse, which reports 1) draws the brush width; a light pen touch
    40 %. The square root gives the middle of a pen's range, where people write, most of it."""
    return width * (0.4 + 0.6 * math.sqrt(max(0.0, min(1.0, pressure))))


def _mid(a, b) -> QPointF:
    return QPointF((a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0)


def strokes_from_dicts(strokes: list[dict], default_width: float) -> list[Stroke]:
    """Strokes from `Stroke.to_dict()` dicts (canvas units); a point without pressure gets 1."""
    return [Stroke(float(s.get("width", default_width)), bool(s.get("eraser", False)),
                   [tuple(map(float, p[:3])) if len(p) >= 3 else (float(p[0]), float(p[1]), 1.0)
                    for p in s.get("points", ())]) for s in strokes]


def stroke_pen(width: float) -> QPen:
    """Solid black, round caps and joins: a dot is a disc and corners are never spiky."""
    return QPen(QColor(0, 0, 0, 255), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                Qt.PenJoinStyle.RoundJoin)


def segment_path(stroke: Stroke, index: int, final: bool = False) -> tuple[QPainterPath, float] | None:
    """(path in canvas units, pen width) of the piece of `stroke` that point `index` adds;
    `final`: the tail to the last point (None when the stroke has fewer than two points).

    Point i contributes the curve from mid(i-2, i-1) to mid(i-1, i) bent towards i-1; the first
    segment starts at the first point and the last one ends at the last point, so the curve
    passes through both ends."""
    pts = stroke.points
    if final:
        if len(pts) < 2:
            return None
        a, b = pts[-2], pts[-1]
        path = QPainterPath(_mid(a, b))
        path.lineTo(QPointF(b[0], b[1]))
        width = _pressure_width(stroke.width, b[2])
    elif index == 0:
        a = pts[0]
        path = QPainterPath(QPointF(a[0], a[1]))
        path.lineTo(QPointF(a[0] + 0.01, a[1]))   # a dot: round caps make it a disc
        width = _pressure_width(stroke.width, a[2])
    elif index == 1:
        a, b = pts[0], pts[1]
        path = QPainterPath(QPointF(a[0], a[1]))
        path.lineTo(_mid(a, b))
        width = _pressure_width(stroke.width, (a[2] + b[2]) / 2)
    else:
        a, b, c = pts[index - 2], pts[index - 1], pts[index]
        path = QPainterPath(_mid(a, b))
        path.quadTo(QPointF(b[0], b[1]), _mid(b, c))
        width = _pressure_width(stroke.width, b[2])
    return path, width
