"""A virtual list of dataset samples for a QListView in icon mode.

Only the rows the view asks for are rendered: a thumbnail is made from `dataset.raw_sample(i)`
when first painted and kept in a small cache, so 60,000 images scroll as fast as 60.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np
from PySide6.QtCore import QAbstractListModel, QModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate

from desktop_dl.core.errors import UserError

SampleIndexRole = Qt.ItemDataRole.UserRole + 1
LabelRole = Qt.ItemDataRole.UserRole + 2


def array_to_qimage(image: np.ndarray) -> QImage:
    """uint8 (H, W), (H, W, 1) or (H, W, 3) -> QImage (copied, so the array may go)."""
    image = np.asarray(image)
    if image.dtype != np.uint8:
        scale = 255.0 if image.size and float(image.max()) <= 1.0 else 1.0
        image = np.clip(image * scale, 0, 255).astype(np.uint8)
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[..., 0]
    image = np.ascontiguousarray(image)
    h, w = image.shape[:2]
    if image.ndim == 2:
        qimage = QImage(image.data, w, h, w, QImage.Format.Format_Grayscale8)
    else:
        qimage = QImage(image.data, w, h, 3 * w, QImage.Format.Format_RGB888)
    return qimage.copy()


class SampleGridModel(QAbstractListModel):
    CACHE_SIZE = 2000

    def __init__(self, parent=None, thumb: int = 56):
        super().__init__(parent)
        self._dataset = None
        self._rows = np.zeros(0, dtype=np.int64)
        self._thumb = thumb
        self._cache: OrderedDict[int, QPixmap] = OrderedDict()
        self._class_filter: int | None = None
        self._mixed = False
        self._refresh_later = QTimer(self)
        self._refresh_later.setSingleShot(True)
        self._refresh_later.setInterval(80)
        self._refresh_later.timeout.connect(self._repaint_all)

    # -- contents -------------------------------------------------------------------------------
    def set_dataset(self, dataset) -> None:
        self.beginResetModel()
        self._dataset = dataset
        self._cache.clear()
        self._class_filter = None
        self._rows = self._make_rows()
        self.endResetModel()

    def dataset(self):
        return self._dataset

    def set_class_filter(self, class_index: int | None) -> None:
        """Show only one class (None: all samples)."""
        if self._dataset is None:
            return
        self.beginResetModel()
        self._class_filter = class_index
        self._rows = self._make_rows()
        self.endResetModel()

    def set_mixed(self, mixed: bool) -> None:
        """Show the samples in a fixed mixed order instead of the file's (often sorted by class)."""
        self._mixed = mixed
        if self._dataset is not None:
            self.beginResetModel()
            self._rows = self._make_rows()
            self.endResetModel()

    def is_mixed(self) -> bool:
        return self._mixed

    def _make_rows(self) -> np.ndarray:
        if self._dataset is None:
            return np.zeros(0, dtype=np.int64)
        if self._class_filter is None:
            rows = np.arange(len(self._dataset), dtype=np.int64)
        else:
            rows = np.asarray(self._dataset.indices_of_class(self._class_filter), dtype=np.int64)
        if self._mixed and len(rows) > 1:
            # A permutation from a fixed seed: the same order every time this dataset is shown.
            rows = rows[np.random.default_rng(0).permutation(len(rows))]
        return rows

    def class_filter(self) -> int | None:
        return self._class_filter

    def _repaint_all(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0), self.index(self.rowCount() - 1),
                                  [Qt.ItemDataRole.DecorationRole])

    def sample_index(self, row: int) -> int:
        return int(self._rows[row])

    def thumbnail_size(self) -> QSize:
        return QSize(self._thumb, self._thumb)

    # -- QAbstractListModel -----------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._dataset is None:
            return None
        sample = int(self._rows[index.row()])
        if role == Qt.ItemDataRole.DecorationRole:
            ready = getattr(self._dataset, "sample_ready", None)
            if ready is not None and not ready(sample):
                self._refresh_later.start()      # still decompressing: paint it in a moment
                return None
            try:
                return self._pixmap(sample)
            except UserError:                     # a damaged file: an empty tile, not a crash
                return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._dataset.label_text(sample)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Sample %d, label %s") % (sample, self._dataset.label_text(sample))
        if role == SampleIndexRole:
            return sample
        if role == LabelRole:
            return self._dataset.label(sample)
        return None

    def _pixmap(self, sample: int) -> QPixmap:
        pixmap = self._cache.get(sample)
        if pixmap is not None:
            self._cache.move_to_end(sample)
            return pixmap
        image = array_to_qimage(self._dataset.raw_sample(sample))
        # Nearest-neighbour keeps the pixels of a 28×28 digit crisp instead of blurred.
        pixmap = QPixmap.fromImage(image.scaled(self._thumb, self._thumb,
                                                Qt.AspectRatioMode.KeepAspectRatio,
                                                Qt.TransformationMode.FastTransformation))
        self._cache[sample] = pixmap
        if len(self._cache) > self.CACHE_SIZE:
            self._cache.popitem(last=False)
        return pixmap


class SampleDelegate(QStyledItemDelegate):
    """Paints a thumbnail with its label under it, asking the model for just those two roles
    (the default delegate asks for a dozen roles per item, which shows when scrolling 60,000)."""

    def __init__(self, parent=None, thumb: int = 56, label_height: int = 18):
        super().__init__(parent)
        self._thumb = thumb
        self._label_height = label_height

    def sizeHint(self, option, index) -> QSize:
        return QSize(self._thumb + 12, self._thumb + self._label_height + 8)

    def paint(self, painter: QPainter, option, index) -> None:
        rect: QRect = option.rect
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect.adjusted(1, 1, -1, -1), palette.color(QPalette.ColorRole.Highlight))
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        top = rect.top() + 4
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            x = rect.left() + (rect.width() - pixmap.width()) // 2
            painter.drawPixmap(x, top + (self._thumb - pixmap.height()) // 2, pixmap)
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        text_rect = QRect(rect.left() + 2, top + self._thumb + 2, rect.width() - 4, self._label_height)
        elided = option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, elided)


def make_sample_grid_view(model: SampleGridModel, parent=None) -> QListView:
    """A QListView laid out as a grid of thumbnails.

    Icon-style grid (left-to-right flow with wrapping) in ListMode rather than IconMode: the same
    picture, but Qt's list layout with uniform item sizes is about twice as fast for 60,000
    items, and Batched layout paints the first page at once while the rest is laid out in the
    background."""
    view = QListView(parent)
    view.setFlow(QListView.Flow.LeftToRight)
    view.setWrapping(True)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setMovement(QListView.Movement.Static)
    view.setUniformItemSizes(True)
    view.setLayoutMode(QListView.LayoutMode.Batched)
    view.setBatchSize(500)
    view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
    view.setSelectionMode(QListView.SelectionMode.SingleSelection)
    delegate = SampleDelegate(view, thumb=model.thumbnail_size().width())
    view.setItemDelegate(delegate)
    view.setSpacing(2)
    view.setModel(model)
    return view
