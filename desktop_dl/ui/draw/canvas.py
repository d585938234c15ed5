"""The drawing surface: mouse, pen tablet and touch strokes painted into an 8-bit ink image.

Every input event's point is stored (strokes are point lists, so undo and resizing re-render
them) and only the new piece of the stroke is painted, so a 1,000 Hz pen never makes the canvas
lag. Strokes are smoothed with quadratic curves through the midpoints of successive points and
drawn anti-aliased with round caps and joins; a tablet pen's pressure changes the width.

Coordinates are kept in canvas units: the drawing area is a square UNITS wide whatever the
widget's size, so a drawing (and the brush width) survive a resize and are saved resolution-free
with the personal digits. Two images are painted: the screen image at the widget's resolution
(premultiplied ARGB, the raster engine's fast path) and the ink the model reads, an 8-bit
280 × 280 image whatever the window size, so a prediction never depends on the window and
preprocessing handles at most 78,400 pixels (a digit's 20 px box is ~200 units: the 10× area
reduction gives MNIST-quality anti-aliasing).
"""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPalette, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from desktop_dl.ui.draw.canvas_paper import paint_paper
from desktop_dl.ui.draw.stroke_painting import UNITS, Stroke, segment_path, stroke_pen, strokes_from_dicts

DEFAULT_WIDTH = 20.0      # like MNIST's pens: ~2 px of the 28, ~1/10 of the digit's height
MIN_WIDTH, MAX_WIDTH = 4.0, 48.0


class DrawingCanvas(QWidget):
    """Paint with the mouse, a pen or a finger; read the ink back as numpy with `ink_array()`."""

    drawingChanged = Signal()     # after every new point, undo, clear or resize
    strokeFinished = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("drawingCanvas")
        self.setAccessibleName(self.tr("Drawing canvas"))
        self.setAccessibleDescription(self.tr("Draw one digit here with the mouse, a pen or a finger."))
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(180, 180)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)     # Ctrl+Z and Delete after drawing
        # A 1,000 Hz mouse must deliver every move: Qt merges high-frequency events by default
        # on some platforms, which would drop points from the stroke.
        QApplication.setAttribute(Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents, False)
        QApplication.setAttribute(Qt.ApplicationAttribute.AA_CompressTabletEvents, False)

        self._strokes: list[Stroke] = []
        self._cleared: list[Stroke] = []    # what Clear removed, so Undo can bring it back
        self._current: Stroke | None = None
        self._brush = DEFAULT_WIDTH
        self._eraser = False
        self._display = QImage()            # what the screen shows, widget resolution
        self._scale = 1.0                   # display pixels per canvas unit
        self._ink = QImage(int(UNITS), int(UNITS), QImage.Format.Format_Alpha8)   # what the model reads
        self._ink.fill(0)
        self._ink_box: list[float] | None = None   # [x0, y0, x1, y1] units that may hold ink
        self._painted = 0                   # points of the current stroke already painted
        self._square_cache = None
        self._digit_boxes: list[tuple[int, int, int, int]] = []   # when several digits are drawn
        self.points_received = 0            # input events turned into points (for benchmarks)
        self._resize_image()

    # -- public API ---------------------------------------------------------------------------------
    def brush_width(self) -> float:
        return self._brush

    def set_brush_width(self, width: float) -> None:
        self._brush = float(max(MIN_WIDTH, min(MAX_WIDTH, width)))
        self._update_cursor()

    def is_eraser(self) -> bool:
        return self._eraser

    def set_eraser(self, on: bool) -> None:
        self._eraser = bool(on)
        self._update_cursor()

    def brush_width_px(self) -> float:
        """The brush's width on screen now, in logical pixels (it scales with the canvas)."""
        return self._brush * self._square().width() / UNITS

    def _update_cursor(self) -> None:
        # The cursor is the brush: its size and whether it paints or erases, where one looks.
        from desktop_dl.ui.draw.brush_cursor import brush_cursor
        self.setCursor(brush_cursor(self.brush_width_px(), self._eraser, self.devicePixelRatioF()))

    def strokes(self) -> list[Stroke]:
        return list(self._strokes)

    def point_count(self) -> int:
        return sum(len(s.points) for s in self._strokes)

    def is_empty(self) -> bool:
        """No ink left (nothing drawn, or everything erased)."""
        self._flush()
        return self._ink_box is None or not self.ink_array().any()

    def can_undo(self) -> bool:
        return bool(self._strokes or self._cleared)

    def clear(self) -> None:
        if not self._strokes:
            return
        self._cleared = self._strokes
        self._strokes = []
        self._current = None
        self._rerender()

    def undo(self) -> None:
        """Remove the last stroke; right after Clear, bring the cleared drawing back."""
        self._current = None
        if self._strokes:
            self._strokes.pop()
        elif self._cleared:
            self._strokes, self._cleared = self._cleared, []
        else:
            return
        self._rerender()

    def load_strokes(self, strokes: list[dict]) -> None:
        """Replace the drawing with strokes as `to_dict()` gives them (canvas units)."""
        self._strokes = strokes_from_dicts(strokes, DEFAULT_WIDTH)
        self._cleared = []
        self._current = None
        self._rerender()

    def ink_array(self, crop: bool = True) -> np.ndarray:
        """The ink as float32 in 0..1, ink high (what `mnist_normalize` takes).

        With `crop`, only the region that may hold ink is copied: cheaper, and the same result
        after preprocessing, which crops to the ink anyway."""
        self._flush()
        h, w = self._ink.height(), self._ink.width()
        raw = np.frombuffer(self._ink.constBits(), np.uint8).reshape(h, self._ink.bytesPerLine())
        raw = raw[:, :w]
        if crop:
            if self._ink_box is None:
                return np.zeros((1, 1), np.float32)
            x0, y0, x1, y1 = (int(math.floor(v)) for v in self._ink_box)
            raw = raw[max(0, y0 - 1):max(0, y1 + 2), max(0, x0 - 1):max(0, x1 + 2)]
        return raw.astype(np.float32) * (1.0 / 255.0)

    def ink_origin(self) -> tuple[int, int]:
        """(row, column) in ink units of the top-left of what `ink_array()` returns."""
        if self._ink_box is None:
            return 0, 0
        x0, y0 = (int(math.floor(v)) for v in self._ink_box[:2])
        return max(0, y0 - 1), max(0, x0 - 1)

    def set_digit_boxes(self, boxes: list[tuple[int, int, int, int]]) -> None:
        """Draw a frame around each digit: boxes (top, left, bottom, right) in ink units; [] for none."""
        boxes = [tuple(int(v) for v in box) for box in boxes]
        if boxes != self._digit_boxes:
            self._digit_boxes = boxes
            self.update()

    def digit_boxes(self) -> list[tuple[int, int, int, int]]:
        return list(self._digit_boxes)

    def image_size(self) -> QSize:
        """Size of the ink image the model reads (UNITS square, whatever the widget size)."""
        return self._ink.size()

    def display_size(self) -> QSize:
        """Size of the screen image, in device pixels."""
        return self._display.size()

    # -- input ----------------------------------------------------------------------------------------
    def keyPressEvent(self, event):
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Escape):
            self.clear()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), 1.0, self._eraser)
            event.accept()
        elif event.button() == Qt.MouseButton.RightButton:
            self._begin(event.position(), 1.0, True)     # right button erases
            event.accept()

    def mouseMoveEvent(self, event):
        if self._current is not None:
            self._extend(event.position(), 1.0)
            event.accept()

    def mouseReleaseEvent(self, event):
        if self._current is not None:
            self._extend(event.position(), 1.0)
            self._end()
            event.accept()

    def tabletEvent(self, event: QTabletEvent):
        kind = event.type()
        eraser = self._eraser or event.pointerType() == QPointingDevice.PointerType.Eraser
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), event.pressure(), eraser)
        elif kind == QEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position(), event.pressure())
        elif kind == QEvent.Type.TabletRelease and self._current is not None:
            self._end()
        event.accept()     # no synthesised mouse events: the pen's points are already stored

    def event(self, event):
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd,
                    QEvent.Type.TouchCancel):
            points = event.points()
            if points:
                # One finger draws (more are ignored); finger "pressure" is contact area on most
                # screens, not force, so touch strokes keep the brush width.
                point = points[0]
                if kind == QEvent.Type.TouchBegin:
                    self._begin(point.position(), 1.0, self._eraser)
                elif kind == QEvent.Type.TouchUpdate and self._current is not None:
                    self._extend(point.position(), 1.0)
            if kind in (QEvent.Type.TouchEnd, QEvent.Type.TouchCancel) and self._current is not None:
                self._end()
            event.accept()
            return True
        return super().event(event)

    # -- strokes ----------------------------------------------------------------------------------------
    def _to_units(self, pos: QPointF) -> tuple[float, float]:
        square = self._square_rect
        side = max(1, square.width())
        return ((pos.x() - square.x()) * UNITS / side, (pos.y() - square.y()) * UNITS / side)

    # An input event only stores its point and marks the screen area it will change; the new
    # segments are painted together when Qt next paints (or the model reads the ink), with one
    # pair of painters, however many events arrived in between.
    def _begin(self, pos: QPointF, pressure: float, eraser: bool) -> None:
        if self._current is not None:
            self._end()
        self._cleared = []
        x, y = self._to_units(pos)
        self._current = Stroke(self._brush, eraser, [(x, y, pressure)])
        self._strokes.append(self._current)
        self._painted = 0
        self.points_received += 1
        self._mark_dirty(x, y, x, y, self._brush)
        self.drawingChanged.emit()

    def _extend(self, pos: QPointF, pressure: float) -> None:
        x, y = self._to_units(pos)
        stroke = self._current
        points = stroke.points
        points.append((x, y, pressure))
        self.points_received += 1
        # The curve this point adds lies within the hull of the last three points.
        a = points[-3] if len(points) > 2 else points[-2]
        b = points[-2]
        self._mark_dirty(min(a[0], b[0], x), min(a[1], b[1], y), max(a[0], b[0], x), max(a[1], b[1], y),
                         stroke.width)
        self.drawingChanged.emit()

    def _end(self) -> None:
        stroke = self._current
        self._flush()
        self._current = None
        if stroke is not None and len(stroke.points) > 1:
            self._paint_segment(stroke, len(stroke.points), final=True)
        self.drawingChanged.emit()
        self.strokeFinished.emit()

    def _mark_dirty(self, x0: float, y0: float, x1: float, y1: float, width: float) -> None:
        square = self._square_rect
        k = square.width() / UNITS
        pad = width * k / 2 + 3
        self.update(int(square.x() + x0 * k - pad), int(square.y() + y0 * k - pad),
                    int((x1 - x0) * k + 2 * pad) + 1, int((y1 - y0) * k + 2 * pad) + 1)

    def _flush(self) -> None:
        """Paint the current stroke's segments that are not painted yet."""
        stroke = self._current
        if stroke is None or self._painted >= len(stroke.points):
            return
        painters = self._painters(stroke.eraser)
        for i in range(self._painted, len(stroke.points)):
            self._paint_segment(stroke, i, painters=painters)
        for painter in painters:
            painter.end()
        self._painted = len(stroke.points)

    # -- painting ---------------------------------------------------------------------------------------
    def _square(self) -> QRect:
        side = max(1, min(self.width(), self.height()) - 2)
        return QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)

    @property
    def _square_rect(self) -> QRect:
        """The drawing square, computed once per size (input events use it at up to 1,000 Hz)."""
        size = (self.width(), self.height())
        if self._square_cache is None or self._square_cache[0] != size:
            self._square_cache = (size, self._square())
        return self._square_cache[1]

    def _resize_image(self) -> None:
        ratio = self.devicePixelRatioF()
        side = max(1, int(round(self._square().width() * ratio)))
        if self._display.width() == side:
            return
        self._display = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
        self._display.setDevicePixelRatio(ratio)
        self._scale = side / UNITS
        self._rerender(emit=False)

    def _painters(self, eraser: bool) -> tuple[QPainter, QPainter]:
        """(screen, ink) painters in canvas units."""
        out = []
        for image, scale in ((self._display, self._scale), (self._ink, 1.0)):
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.resetTransform()
            painter.scale(scale, scale)
            if eraser:
                painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_DestinationOut)
            out.append(painter)
        return out[0], out[1]

    def _paint_segment(self, stroke: Stroke, index: int, final: bool = False,
                       painters: tuple[QPainter, QPainter] | None = None) -> None:
        """Paint the piece of `stroke` that point `index` adds (`final`: the tail to the last point;
        the geometry is stroke_painting.segment_path's)."""
        piece = segment_path(stroke, index, final)
        if piece is None:
            return
        path, width = piece
        own = painters is None
        if own:
            painters = self._painters(stroke.eraser)
        pen = stroke_pen(width)
        for painter in painters:
            painter.setPen(pen)
            painter.drawPath(path)
            if own:
                painter.end()
        box = path.controlPointRect().adjusted(-width, -width, width, width)
        if not stroke.eraser:
            self._grow_ink_box(box)
        if own:
            self._update_units(box)

    def _grow_ink_box(self, box: QRectF) -> None:
        x0, y0, x1, y1 = box.left(), box.top(), box.right(), box.bottom()
        if self._ink_box is None:
            self._ink_box = [x0, y0, x1, y1]
        else:
            b = self._ink_box
            b[0], b[1], b[2], b[3] = min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)

    def _update_units(self, box: QRectF) -> None:
        square = self._square()
        k = square.width() / UNITS
        self.update(QRectF(square.x() + box.x() * k, square.y() + box.y() * k,
                           box.width() * k, box.height() * k).toAlignedRect().adjusted(-2, -2, 2, 2))

    def _rerender(self, emit: bool = True) -> None:
        self._display.fill(0)
        self._ink.fill(0)
        self._ink_box = None
        for stroke in self._strokes:
            painters = self._painters(stroke.eraser)
            count = len(stroke.points)
            for i in range(count):
                self._paint_segment(stroke, i, painters=painters)
            if stroke is not self._current and count > 1:
                self._paint_segment(stroke, count, final=True, painters=painters)
            for painter in painters:
                painter.end()
        if self._current is not None:
            self._painted = len(self._current.points)
        self.update()
        if emit:
            self.drawingChanged.emit()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._resize_image()
        self._update_cursor()

    def paintEvent(self, event):
        # Only the dirty rectangle (a few brush widths around the newest segments while drawing).
        self._flush()
        painter = QPainter(self)
        paint_paper(painter, event.rect(), self._square(), self._display, self._digit_boxes,
                    self.palette().color(QPalette.ColorRole.Window))
        painter.end()

    def sizeHint(self) -> QSize:
        return QSize(360, 360)
