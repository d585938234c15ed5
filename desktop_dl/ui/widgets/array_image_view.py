"""Show a small numpy array as crisp, enlarged pixels (nearest neighbour, aspect kept).

Used for the 28×28 image the model sees and for the activation mosaics. Colour maps are lookup
tables applied in numpy, so an update is one array → QImage copy, cheap enough for every stroke.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


def _lut(anchors: list[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    pos = np.array([a[0] for a in anchors])
    cols = np.array([a[1] for a in anchors], np.float64)
    x = np.linspace(0.0, 1.0, 256)
    rgb = np.stack([np.interp(x, pos, cols[:, k]) for k in range(3)], axis=1)
    argb = (0xFF << 24) | (rgb[:, 0].astype(np.uint32) << 16) | (rgb[:, 1].astype(np.uint32) << 8) \
        | rgb[:, 2].astype(np.uint32)
    return argb.astype(np.uint32)


# Dark → bright, readable for activations (0 = silent, 1 = the layer's strongest response).
ACTIVATION_LUT = _lut([(0.0, (12, 12, 28)), (0.25, (68, 32, 112)), (0.5, (178, 52, 98)),
                       (0.75, (245, 128, 40)), (1.0, (252, 246, 170))])
# Signed weights: blue negative, white zero, red positive.
DIVERGING_LUT = _lut([(0.0, (33, 84, 165)), (0.5, (247, 247, 247)), (1.0, (190, 40, 45))])
# What MNIST looks like: white ink on black.
GRAY_LUT = _lut([(0.0, (0, 0, 0)), (1.0, (255, 255, 255))])


def to_qimage(values: np.ndarray, lut: np.ndarray, low: float = 0.0, high: float = 1.0,
              gaps: np.ndarray | None = None) -> QImage:
    """2-D float array → ARGB32 QImage through `lut`, `low`..`high` mapped to its ends.
    Cells where `gaps` is True (between the tiles of a mosaic), or NaN, are transparent."""
    values = np.asarray(values, np.float32)
    if gaps is None:
        gaps = np.isnan(values)
        if gaps.any():
            values = np.where(gaps, low, values)
        else:
            gaps = None
    span = high - low if high > low else 1.0
    scaled = (values - low) * (255.0 / span)
    np.clip(scaled, 0, 255, out=scaled)
    pixels = lut[scaled.astype(np.uint8)]
    if gaps is not None:
        pixels[gaps] = 0
    h, w = pixels.shape
    image = QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_ARGB32)
    return image.copy()    # own the pixels: the numpy buffer goes away


_LAYOUTS: dict[tuple, tuple[np.ndarray, np.ndarray, tuple[int, int]]] = {}


def mosaic_layout(n: int, h: int, w: int, columns: int | None = None, gap: int = 1):
    """Where each cell of (n, h, w) maps go in a tiled image: (flat indices, gap mask, shape).
    Cached: a layer's layout never changes, and the view retiles on every stroke."""
    key = (n, h, w, columns, gap)
    if key not in _LAYOUTS:
        cols = columns or max(1, int(np.ceil(np.sqrt(n * h / max(w, 1)))))
        rows = int(np.ceil(n / cols))
        shape = (rows * (h + gap) - gap, cols * (w + gap) - gap)
        k, y, x = np.meshgrid(np.arange(n), np.arange(h), np.arange(w), indexing="ij")
        r, c = np.divmod(k, cols)
        flat = ((r * (h + gap) + y) * shape[1] + c * (w + gap) + x).ravel()
        gaps = np.ones(shape, bool)
        gaps.flat[flat] = False
        _LAYOUTS[key] = (flat, gaps, shape)
    return _LAYOUTS[key]


def mosaic(maps: np.ndarray, columns: int | None = None, gap: int = 1, fill: float = np.nan) -> np.ndarray:
    """(n, h, w) → one 2-D array of tiles separated by `fill` (NaN: gaps), about square overall."""
    maps = np.asarray(maps, np.float32)
    flat, _, shape = mosaic_layout(*maps.shape, columns=columns, gap=gap)
    out = np.full(shape, fill, np.float32)
    out.flat[flat] = maps.ravel()
    return out


class ArrayImageView(QWidget):
    """Paints one QImage scaled to fit with whole-looking pixels (no smoothing)."""

    def __init__(self, parent=None, minimum: int = 56, max_scale: float | None = None):
        super().__init__(parent)
        self._image: QImage | None = None
        self._values: np.ndarray | None = None
        self._gaps: np.ndarray | None = None
        self._minimum = minimum
        self._max_scale = max_scale     # at most this many screen pixels per array cell
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(minimum, minimum)
        # Paints every pixel itself, so Qt need not repaint the parent behind it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def values(self) -> np.ndarray | None:
        """The array last shown, NaN in the gaps (tests and accessibility)."""
        if self._values is None or self._gaps is None:
            return self._values
        return np.where(self._gaps, np.nan, self._values)

    def set_array(self, values: np.ndarray | None, lut: np.ndarray = GRAY_LUT,
                  low: float = 0.0, high: float = 1.0, gaps: np.ndarray | None = None) -> None:
        """Show `values` (2-D); `gaps` marks cells drawn transparent (NaN cells are gaps too)."""
        if values is None:
            self._image, self._values, self._gaps = None, None, None
        else:
            self._values = np.asarray(values, np.float32)
            self._gaps = gaps
            self._image = to_qimage(self._values, lut, low, high, gaps)
            if self._max_scale:
                self.setMaximumHeight(max(self._minimum // 2, int(self._image.height() * self._max_scale)))
                self.updateGeometry()
        self.update()

    def image(self) -> QImage | None:
        return self._image

    def sizeHint(self) -> QSize:
        if self._image is not None and self._max_scale:
            return QSize(int(self._image.width() * self._max_scale), int(self._image.height() * self._max_scale))
        return QSize(self._minimum * 2, self._minimum * 2)

    def hasHeightForWidth(self) -> bool:
        return self._image is not None

    def heightForWidth(self, width: int) -> int:
        if self._image is None or self._image.width() == 0:
            return width
        return max(self._minimum // 2, int(width * self._image.height() / self._image.width()))

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        background = self.palette().color(QPalette.ColorRole.Window)
        if self._image is None:
            color = QColor(self.palette().color(QPalette.ColorRole.WindowText))
            color.setAlpha(25)
            painter.fillRect(self.rect(), background)
            painter.fillRect(self.rect(), color)
            painter.end()
            return
        iw, ih = self._image.width(), self._image.height()
        scale = min(self.width() / iw, self.height() / ih)
        if self._max_scale:
            scale = min(scale, self._max_scale)
        if scale >= 1.0:
            scale = float(int(scale))   # whole pixels: every cell the same size
        w, h = iw * scale, ih * scale
        target = QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        if target.toRect() != self.rect() or self._image.hasAlphaChannel():
            painter.fillRect(self.rect(), background)     # margins, and the gaps between tiles
        painter.drawImage(target, self._image)
        painter.end()
