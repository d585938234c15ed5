"""The confusion matrix as a heat map with counts, and the per-class precision/recall/F1 table."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

# Light to dark blue; diagonal cells (right answers) use green so mistakes stand out.
_LOW, _HIGH = QColor("#f4f8fc"), QColor("#1f4e8c")
_GOOD = QColor("#1e7b45")
WIDE_LAYOUT = 720      # px: narrower than this, the class report goes under the matrix


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    t = float(min(1.0, max(0.0, t)))
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


class ConfusionModel(QAbstractTableModel):
    """Rows: true class; columns: predicted class. Colour: share of the row (so rare classes show)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.counts = np.zeros((0, 0), dtype=np.int64)
        self.names: list[str] = []

    def set_matrix(self, counts, names) -> None:
        self.beginResetModel()
        self.counts = np.asarray(counts, dtype=np.int64) if counts is not None else np.zeros((0, 0), np.int64)
        n = len(self.counts)
        self.names = [str(x) for x in (list(names or [])[:n] + [str(i) for i in range(len(names or []), n)])]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.counts)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.counts)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and section < len(self.names):
            return self.names[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("true class") if orientation == Qt.Orientation.Vertical else self.tr("predicted class")
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        count = int(self.counts[r, c])
        row_total = int(self.counts[r].sum())
        share = count / row_total if row_total else 0.0
        if role == Qt.ItemDataRole.DisplayRole:
            return str(count) if count else ""
        if role == Qt.ItemDataRole.BackgroundRole:
            if r == c and count:
                return _mix(_LOW, _GOOD, 0.25 + 0.75 * share)
            return _mix(_LOW, _HIGH, share ** 0.5 if count else 0.0)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("white") if (share > 0.3 or (r == c and count)) else QColor("#1b1b1b")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("true %s, predicted %s: %d of %d (%.1f%%)") % (
                self.names[r], self.names[c], count, row_total, 100 * share)
        return None


class ClassReportModel(QAbstractTableModel):
    """One row per class: precision, recall, F1, support."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[dict] = []

    def set_report(self, per_class: dict | None) -> None:
        self.beginResetModel()
        self.rows = list((per_class or {}).get("classes", []))
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 5

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return (self.tr("Class"), self.tr("Precision"), self.tr("Recall"), self.tr("F1"),
                self.tr("Support"))[section]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        key = ("name", "precision", "recall", "f1", "support")[index.column()]
        value = row[key]
        return f"{value:.3f}" if isinstance(value, float) else str(value)


class ConfusionView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("confusionView")
        self.model = ConfusionModel(self)
        self.report_model = ClassReportModel(self)
        self.caption = QLabel(self.tr("Train a classifier to see its confusion matrix on the test set."))
        self.caption.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("confusionTable")
        self.table.setModel(self.model)
        self.table.setShowGrid(False)
        self.table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        for header in (self.table.horizontalHeader(), self.table.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setMinimumSectionSize(28)
        self.report = QTableView()
        self.report.setObjectName("classReportTable")
        self.report.setModel(self.report_model)
        self.report.verticalHeader().hide()
        self.report.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Class names stay whole ("malignant", not "malign…"); the figures share the rest.
        self.report.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.report.setAlternatingRowColors(True)
        self.splitter = splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.report)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(splitter, 1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Side by side when there is room; on a narrow window the per-class table goes under the
        # matrix, so neither is squeezed into columns of "…".
        wide = event.size().width() >= WIDE_LAYOUT
        self.splitter.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)

    def show_evaluation(self, evaluation: dict | None, class_names) -> None:
        counts = (evaluation or {}).get("confusion_matrix")
        self.model.set_matrix(counts, class_names)
        self.report_model.set_report((evaluation or {}).get("per_class"))
        if counts is None:
            self.caption.setText(self.tr("No confusion matrix: the run was not a classification "
                                         "with a test set."))
            return
        total = int(np.sum(counts))
        right = int(np.trace(np.asarray(counts)))
        self.caption.setText(self.tr("Test set: %d of %d right (%.1f%%). Rows are the true classes, "
                                     "columns the predictions; off-diagonal cells are mistakes.")
                             % (right, total, 100.0 * right / max(total, 1)))
