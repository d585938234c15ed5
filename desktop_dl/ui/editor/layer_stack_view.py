"""The layer editor's stack view: a tree view over LayerStackModel that starts its own drags,
shows what to do when the stack is empty, and keeps Output shape and Params fully visible."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QDrag, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QStyledItemDelegate, QTreeView

from desktop_dl.ui.editor.layer_stack_model import COL_LAYER, COL_PARAMS, COL_SETTINGS, COL_SHAPE


class StackView(QTreeView):
    """The layer stack. Drags start here ourselves: Qt's default would delete the dragged row
    after a move, but the model has already moved it through an undo command."""

    def configure(self) -> None:
        """Single-row selection, drag and drop of rows, no in-place editing, fitted columns.
        Call once after setModel()."""
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Roomier rows through a delegate, not a style sheet: QStyleSheetStyle would make every
        # repaint of a long stack several times slower.
        self.setItemDelegate(_RoomyDelegate(self))
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_LAYER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SETTINGS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_SHAPE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_PARAMS, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(self.SETTINGS_MIN)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fit_columns()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() <= 1:    # only the input: say what to do
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            top = self.visualRect(model.index(0, 0)).bottom() + 24
            rect = self.viewport().rect().adjusted(20, top, -20, 0)
            painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                             | Qt.TextFlag.TextWordWrap,
                             self.tr("Drag layers here from the palette, or select a layer type "
                                     "and press Enter."))
            painter.end()

    LAYER_MIN, SETTINGS_MIN = 90, 44     # px; the layer name and settings may be elided, down to these

    def fit_columns(self) -> None:
        """Output shape and Params are the editor's live answer: they always show in full (sized
        to their widest text, measured on the few longest strings, so a long stack stays cheap).
        The layer column gets what is left down to LAYER_MIN, Settings the rest (elided, with
        its tooltip); the view's minimum width keeps that possible, so no scrollbar hides them."""
        model, header = self.model(), self.header()
        if model is None:
            return
        pad = 2 * (self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1) + 12
        metrics = self.fontMetrics()

        def content_width(column: int, bold: bool = False) -> int:
            texts = [str(model.index(r, column).data() or "") for r in range(model.rowCount())]
            longest = sorted(texts, key=len, reverse=True)[:4]
            fm = metrics
            if bold:
                font = self.font()
                font.setBold(True)
                fm = QFontMetrics(font)
            widest = max((fm.horizontalAdvance(t) for t in longest), default=0)
            return max(widest + pad, header.sectionSizeFromContents(column).width())

        shape_w, params_w = content_width(COL_SHAPE), content_width(COL_PARAMS)
        layer_w = content_width(COL_LAYER, bold=True) + self.iconSize().width() + 4
        header.resizeSection(COL_SHAPE, shape_w)
        header.resizeSection(COL_PARAMS, params_w)
        room = self.viewport().width() - shape_w - params_w - self.SETTINGS_MIN
        header.resizeSection(COL_LAYER, max(self.LAYER_MIN, min(layer_w, room)))
        chrome = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(self.LAYER_MIN + self.SETTINGS_MIN + shape_w + params_w + chrome)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def startDrag(self, supported_actions) -> None:
        indexes = [i for i in self.selectedIndexes() if i.row() > 0]
        if not indexes:
            return
        drag = QDrag(self)
        drag.setMimeData(self.model().mimeData(indexes))
        drag.exec(Qt.DropAction.MoveAction)


class _RoomyDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        return QSize(size.width() + 4, size.height() + 8)
