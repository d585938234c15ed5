"""One sample, large: the picture, its pixel values, and what the model will receive (the tensor)."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (QHeaderView, QLabel, QSizePolicy, QTableView, QVBoxLayout,
                               QHBoxLayout, QWidget)

from desktop_dl.core.errors import UserError
from desktop_dl.core.shape_rules import batch_shape
from desktop_dl.ui.data.dataset_grid_model import array_to_qimage


class PixelTableModel(QAbstractTableModel):
    """Pixel values of one image (channel mean for colour), shaded like the image."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._values = np.zeros((0, 0), dtype=np.uint8)
        self._rgb: np.ndarray | None = None

    def set_image(self, image: np.ndarray | None) -> None:
        self.beginResetModel()
        if image is None:
            self._values, self._rgb = np.zeros((0, 0), np.uint8), None
        else:
            image = np.asarray(image)
            if image.ndim == 3 and image.shape[2] == 1:
                image = image[..., 0]
            self._rgb = image if image.ndim == 3 else None
            self._values = image if image.ndim == 2 else image.mean(axis=2).round().astype(np.uint8)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self._values.shape[0]

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self._values.shape[1] if self._values.ndim == 2 else 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        v = int(self._values[r, c])
        if role == Qt.ItemDataRole.DisplayRole:
            return str(v)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._rgb is not None:
                return QColor(*[int(ch) for ch in self._rgb[r, c]])
            return QColor(v, v, v)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(0, 0, 0) if v > 110 else QColor(235, 235, 235)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            if self._rgb is not None:
                return self.tr("row %d, column %d: R %d, G %d, B %d") % (r, c, *self._rgb[r, c])
            return self.tr("row %d, column %d: %d (model input %.3f)") % (r, c, v, v / 255)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section)
        return None


def tensor_facts(dataset) -> dict:
    """What the model receives for one sample and for a batch (for the learning notes)."""
    shape = tuple(dataset.input_shape)
    dtype = "int32" if dataset.kind == "sequence" else "float32"
    return {"ndim": len(shape), "shape": shape, "dtype": dtype,
            "batch_shape": ("batch", *shape)}


def format_shape(shape) -> str:
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(str(s) for s in shape) + ")"


class SampleView(QWidget):
    """The selected sample: picture, label, tensor facts and pixel values."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sampleView")
        self.picture = QLabel()
        self.picture.setObjectName("samplePicture")
        self.picture.setFixedSize(168, 168)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: #202020; border-radius: 4px;")
        self.caption = QLabel()
        self.caption.setObjectName("sampleCaption")
        self.caption.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setObjectName("tensorFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.RichText)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pixels = QTableView()
        self.pixels.setObjectName("pixelTable")
        self.pixel_model = PixelTableModel(self)
        self.pixels.setModel(self.pixel_model)
        font = self.pixels.font()
        font.setPointSizeF(max(5.0, font.pointSizeF() * 0.55))
        self.pixels.setFont(font)
        self.pixels.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.pixels.setWordWrap(False)
        for header in (self.pixels.horizontalHeader(), self.pixels.verticalHeader()):
            header.setFont(font)
            header.setMinimumSectionSize(10)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setDefaultSectionSize(19)
        self.pixels.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.pixels.setMinimumHeight(28 * 18 // 2)

        top = QHBoxLayout()
        top.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.addWidget(self.caption)
        text.addWidget(self.facts)
        text.addStretch(1)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        self.pixels_title = QLabel(self.tr("Pixel values (0 = black, 255 = white)"))
        layout.addWidget(self.pixels_title)
        layout.addWidget(self.pixels, 1)
        self._pending = None
        self.show_sample(None, None)

    def _retry(self) -> None:
        if self._pending is not None:
            self.show_sample(*self._pending)

    def show_sample(self, dataset, index: int | None) -> None:
        if dataset is None or index is None:
            self._pending = None
            self.picture.clear()
            self.caption.setText(self.tr("Click a sample to see it up close."))
            self.facts.setText("")
            self.pixel_model.set_image(None)
            return
        ready = getattr(dataset, "sample_ready", None)
        if ready is not None and not ready(index):
            # Still being decompressed: try again shortly rather than block the window.
            self.caption.setText(self.tr("Loading sample %d…") % index)
            self._pending = (dataset, index)
            QTimer.singleShot(100, self._retry)
            return
        self._pending = None
        try:
            raw = np.asarray(dataset.raw_sample(index))
        except UserError as exc:
            self.caption.setText(str(exc))
            return
        image = array_to_qimage(raw)
        self.picture.setPixmap(QPixmap.fromImage(image).scaled(
            160, 160, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation))
        self.caption.setText(self.tr("<b>Sample %d</b> — label: <b>%s</b>") %
                             (index, dataset.label_text(index)))
        self.pixel_model.set_image(raw)
        self.facts.setText(self._facts_html(dataset, raw))

    def _facts_html(self, dataset, raw: np.ndarray) -> str:
        facts = tensor_facts(dataset)
        rows = [
            (self.tr("stored as"), "%s %s" % (raw.dtype, format_shape(raw.shape))),
            (self.tr("model input"), self.tr("a rank-%d tensor (ndim %d)") % (facts["ndim"], facts["ndim"])),
            (self.tr("shape"), format_shape(facts["shape"])),
            (self.tr("dtype"), self.tr("%s, values 0…1 (pixel ÷ 255)") % facts["dtype"]),
            (self.tr("batch shape"), batch_shape(facts["shape"])),
        ]
        body = "".join(f"<tr><td style='color:gray; padding-right:8px'>{k}</td><td><code>{v}</code></td></tr>"
                       for k, v in rows)
        return f"<table>{body}</table>"
