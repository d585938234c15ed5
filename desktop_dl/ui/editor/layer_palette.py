"""The layer palette: every catalogue layer, grouped and searchable, ready to drag into the stack.

Keyboard: type in the search box, Down moves into the list, Enter inserts the highlighted layer
(after the stack's selection); Enter in the search box inserts the first match.
"""
from __future__ import annotations

import json

from PySide6.QtCore import (QByteArray, QCoreApplication, QEvent, QMimeData, QModelIndex, QSize,
                            QSortFilterProxyModel, Qt, Signal)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QLabel, QLineEdit, QStyledItemDelegate, QTreeView,
                               QVBoxLayout, QWidget)

from desktop_dl.core.catalogue import CATALOGUE, GROUPS
from desktop_dl.core.explanations import tooltip as layer_tooltip
from desktop_dl.ui.editor.layer_icons import group_icon
from desktop_dl.ui.editor.layer_stack_model import LAYER_TYPE_MIME

TypeRole = Qt.ItemDataRole.UserRole + 1


def group_title(group: str) -> str:
    titles = {
        "core": QCoreApplication.translate("LayerPalette", "Core"),
        "convolution": QCoreApplication.translate("LayerPalette", "Convolution"),
        "pooling": QCoreApplication.translate("LayerPalette", "Pooling"),
        "recurrent": QCoreApplication.translate("LayerPalette", "Recurrent"),
        "regularisation": QCoreApplication.translate("LayerPalette", "Regularisation"),
        "augmentation": QCoreApplication.translate("LayerPalette", "Augmentation"),
    }
    return titles.get(group, group.title())


class PaletteModel(QStandardItemModel):
    """Groups as top-level rows, layer types as their children; layers drag as LAYER_TYPE_MIME."""

    def __init__(self, parent=None):
        super().__init__(parent)
        for group in GROUPS:
            types = [t for t in CATALOGUE.values() if t.group == group and t.name != "Input"]
            if not types:
                continue
            group_item = QStandardItem(group_title(group))
            group_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group_item.font()
            font.setBold(True)
            group_item.setFont(font)
            for layer_type in types:
                item = QStandardItem(group_icon(group), layer_type.name)
                item.setData(layer_type.name, TypeRole)
                item.setToolTip(f"<b>{layer_type.name}</b><br>{_html(layer_tooltip(layer_type.name)).replace(chr(10), '<br>')}")
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                              | Qt.ItemFlag.ItemIsDragEnabled)
                group_item.appendRow(item)
            self.appendRow(group_item)

    def mimeTypes(self) -> list[str]:
        return [LAYER_TYPE_MIME]

    def mimeData(self, indexes) -> QMimeData:
        mime = QMimeData()
        for index in indexes:
            type_name = index.data(TypeRole)
            if type_name:
                mime.setData(LAYER_TYPE_MIME, QByteArray(json.dumps({"type": type_name}).encode()))
                mime.setText(type_name)
                break
        return mime

    def supportedDragActions(self):
        return Qt.DropAction.CopyAction


class _SearchFilter(QSortFilterProxyModel):
    """Matches a layer by name or by its help text; a group stays while any child matches."""

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not source_parent.isValid():
            return False        # groups are shown through recursive filtering of their children
        text = self.filterRegularExpression().pattern().lower()
        if not text:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        name = (index.data(TypeRole) or "").lower()
        help_text = CATALOGUE[index.data(TypeRole)].help.lower() if index.data(TypeRole) in CATALOGUE else ""
        return text in name or text in help_text


class _PaletteDelegate(QStyledItemDelegate):
    """A little more air between entries than the style's default."""

    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 2)


class LayerPalette(QWidget):
    layerActivated = Signal(str)     # the user asked to insert this layer type (Enter, double-click)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("layerPalette")
        self.search = QLineEdit(self)
        self.search.setObjectName("paletteSearch")
        self.search.setPlaceholderText(self.tr("Search layers…"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Search layers"))

        self.source_model = PaletteModel(self)
        self.proxy = _SearchFilter(self)
        self.proxy.setSourceModel(self.source_model)
        self.proxy.setRecursiveFilteringEnabled(True)

        self.view = QTreeView(self)
        self.view.setObjectName("paletteView")
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setRootIsDecorated(False)
        self.view.setIndentation(10)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformRowHeights(True)
        self.view.setItemDelegate(_PaletteDelegate(self.view))
        self.view.setAccessibleName(self.tr("Layer palette"))
        self.view.expandAll()

        hint = QLabel(self.tr("Drag a layer into the stack, or press Enter to insert it."), self)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")

        title = QLabel(self.tr("Layers"), self)
        title.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        layout.addWidget(hint)

        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._insert_first_match)
        self.search.installEventFilter(self)
        self.view.installEventFilter(self)
        self.view.doubleClicked.connect(self._activate)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.view.expandAll()
        first = self._first_layer_index()
        if first.isValid() and text:
            self.view.setCurrentIndex(first)

    def _first_layer_index(self) -> QModelIndex:
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            if self.proxy.rowCount(group):
                return self.proxy.index(0, 0, group)
        return QModelIndex()

    def _insert_first_match(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() or not index.data(TypeRole):
            index = self._first_layer_index()
        self._activate(index)

    def _activate(self, index: QModelIndex) -> None:
        type_name = index.data(TypeRole) if index.isValid() else None
        if type_name:
            self.layerActivated.emit(type_name)

    def index_of(self, type_name: str) -> QModelIndex:
        """The view's index for a layer type (for tests and keyboard navigation)."""
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(group)):
                index = self.proxy.index(r, 0, group)
                if index.data(TypeRole) == type_name:
                    return index
        return QModelIndex()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if obj is self.view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._activate(self.view.currentIndex())
                return True
            if obj is self.search and key == Qt.Key.Key_Down:
                self.view.setFocus()
                if not self.view.currentIndex().isValid():
                    self.view.setCurrentIndex(self._first_layer_index())
                return True
        return super().eventFilter(obj, event)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
