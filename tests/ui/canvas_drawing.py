"""Draw on the canvas like a person: real mouse press, moves and release through QTest."""
import math

from PySide6.QtCore import QPoint, Qt


def to_widget(canvas, u: float, v: float) -> QPoint:
    """(u, v) in 0..1 across the drawing square → widget pixels."""
    square = canvas._square()
    return QPoint(round(square.x() + u * square.width()), round(square.y() + v * square.height()))


def draw_stroke(qtbot, canvas, points, steps: int = 6, button=Qt.MouseButton.LeftButton) -> int:
    """Press at the first point, move through the others (`steps` moves per segment), release.
    Returns the number of mouse moves sent."""
    pts = [to_widget(canvas, u, v) for u, v in points]
    qtbot.mousePress(canvas, button, Qt.KeyboardModifier.NoModifier, pts[0])
    moves = 0
    for a, b in zip(pts, pts[1:]):
        for i in range(1, steps + 1):
            t = i / steps
            qtbot.mouseMove(canvas, QPoint(round(a.x() + (b.x() - a.x()) * t), round(a.y() + (b.y() - a.y()) * t)))
            moves += 1
    qtbot.mouseRelease(canvas, button, Qt.KeyboardModifier.NoModifier, pts[-1])
    return moves


def one(qtbot, canvas):
    return draw_stroke(qtbot, canvas, [(0.52, 0.18), (0.50, 0.50), (0.48, 0.82)])


def zero(qtbot, canvas):
    ellipse = [(0.5 + 0.2 * math.sin(a), 0.5 - 0.3 * math.cos(a))
               for a in (2 * math.pi * i / 32 for i in range(33))]
    return draw_stroke(qtbot, canvas, ellipse, steps=2)


def seven(qtbot, canvas):
    n = draw_stroke(qtbot, canvas, [(0.28, 0.2), (0.72, 0.2)])
    return n + draw_stroke(qtbot, canvas, [(0.72, 0.2), (0.58, 0.5), (0.45, 0.82)])


def draw_digit(qtbot, canvas, drawing, brush: float | None = None) -> int:
    """Replay a core.digit_paths.DigitDrawing stroke by stroke (its points are mouse-dense
    already, so one move per point); `brush` sets the canvas brush first. Returns the moves sent."""
    if brush is not None:
        canvas.set_brush_width(brush)
    return sum(draw_stroke(qtbot, canvas, stroke, steps=1) for stroke in drawing.strokes)
