"""Item models for table datasets: the rows as read, and per-column statistics."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QFont


class TableRowsModel(QAbstractTableModel):
    """The table's rows as the file wrote them; rows are fetched only when the view shows them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._dataset = None
        self._columns: list[str] = []

    def set_dataset(self, dataset) -> None:
        self.beginResetModel()
        self._dataset = dataset if getattr(dataset, "kind", None) == "table" else None
        self._columns = self._dataset.column_names if self._dataset is not None else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() or self._dataset is None else len(self._dataset)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._dataset is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._dataset.raw_sample(index.row())[index.column()]
        if role == Qt.ItemDataRole.FontRole and index.column() == len(self._columns) - 1:
            font = QFont()
            font.setBold(True)     # the target column
            return font
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            name = self._columns[section]
            return self.tr("%s (target)") % name if section == len(self._columns) - 1 else name
        return str(section)


class ColumnStatsModel(QAbstractTableModel):
    """One row per column: type, missing values, min, max, mean, standard deviation."""

    HEADERS = ("column", "type", "missing", "min", "max", "mean", "std")

    def __init__(self, parent=None):
        super().__init__(parent)
        self._stats: list[dict] = []

    def set_dataset(self, dataset) -> None:
        self.beginResetModel()
        self._stats = dataset.column_statistics() if getattr(dataset, "kind", None) == "table" else []
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self._stats)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        s = self._stats[index.row()]
        key = self.HEADERS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "column":
                return self.tr("%s (target)") % s["name"] if s["target"] else s["name"]
            if key == "type":
                if s["type"] == "numeric":
                    return self.tr("numeric")
                return self.tr("categorical (%d values)") % s["categories"]
            if key == "missing":
                return str(s["missing"])
            value = s.get(key)
            return "" if value is None else f"{value:.4g}"
        if role == Qt.ItemDataRole.TextAlignmentRole and key not in ("column", "type"):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return [self.tr("column"), self.tr("type"), self.tr("missing"), self.tr("min"),
                    self.tr("max"), self.tr("mean"), self.tr("std")][section]
        return None
