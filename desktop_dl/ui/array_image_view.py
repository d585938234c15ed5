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


def to_qimage(values: np.ndarray, lut: np.ndarray, low: float = 0.0, high: float = 1.0) -> QImage:
    """2-D float array → ARGB32 QImage through `lut`, `low`..`high` mapped to its ends.
    NaN cells (gaps in a mosaic) are drawn transparent."""
    values = np.asarray(values, np.float32)
    gaps = np.isnan(values)
    span = high - low if high > low else 1.0
    idx = np.clip((np.nan_to_num(values, nan=low) - low) * (255.0 / span), 0, 255).astype(np.uint8)
    pixels = np.ascontiguousarray(lut[idx])
    if gaps.any():
        pixels[gaps] = 0
    h, w = pixels.shape
    image = QImage(pixels.data, w, h, 4 * w, QImage.Format.Format_ARGB32)
    return image.copy()    # own the pixels: the numpy buffer goes away


def mosaic(maps: np.ndarray, columns: int | None = None, gap: int = 1) -> np.ndarray:
    """(n, h, w) → one 2-D array of tiles separated by NaN gaps, about square overall."""
    n, h, w = maps.shape
    columns = columns or max(1, int(np.ceil(np.sqrt(n * h / max(w, 1)))))
    rows = int(np.ceil(n / columns))
    out = np.full((rows * (h + gap) - gap, columns * (w + gap) - gap), np.nan, np.float32)
    for i in range(n):
        r, c = divmod(i, columns)
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = maps[i]
    return out


class ArrayImageView(QWidget):
    """Paints one QImage scaled to fit with whole-looking pixels (no smoothing)."""

    def __init__(self, parent=None, minimum: int = 56, max_scale: float | None = None):
        super().__init__(parent)
        self._image: QImage | None = None
        self._values: np.ndarray | None = None
        self._minimum = minimum
        self._max_scale = max_scale     # at most this many screen pixels per array cell
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumSize(minimum, minimum)

    def values(self) -> np.ndarray | None:
        """The array last shown (tests and accessibility)."""
        return self._values

    def set_array(self, values: np.ndarray | None, lut: np.ndarray = GRAY_LUT,
                  low: float = 0.0, high: float = 1.0) -> None:
        if values is None:
            self._image, self._values = None, None
        else:
            self._values = np.asarray(values, np.float32)
            self._image = to_qimage(self._values, lut, low, high)
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
        if self._image is None:
            color = QColor(self.palette().color(QPalette.ColorRole.WindowText))
            color.setAlpha(25)
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
        painter.drawImage(target, self._image)
        painter.end()
