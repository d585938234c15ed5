"""The model summary (like Keras's `model.summary()`) and the list of problems, both live.

Both read the LayerStackModel's latest analysis; neither keeps its own copy of the spec.
"""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontDatabase
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QListWidget, QListWidgetItem,
                               QTableView, QVBoxLayout, QWidget)

from desktop_dl.core.shapes import snake_case
from desktop_dl.ui.editor.layer_icons import ERROR_COLOUR, error_icon
from desktop_dl.ui.editor.layer_stack_model import LayerStackModel, format_count, format_shape

ProblemIndexRole = Qt.ItemDataRole.UserRole + 1   # layer index of a problem; -1 for the input/model
_SNAKE: dict[str, str] = {}
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)


class SummaryModel(QAbstractTableModel):
    """One row per layer: "dense_1 (Dense)", output shape, parameter count."""

    def __init__(self, stack: LayerStackModel, parent=None):
        super().__init__(parent)
        self._stack = stack
        self._names: list[str] = []
        self._shown: list = []          # what each row showed after the last analysis
        self._rows = 0
        self._refresh_names()
        self._rows = len(self._names)
        stack.analysed.connect(self._on_analysed)

    def _refresh_names(self) -> None:
        # Keras's naming (dense, dense_1, ...) as core.shapes.layer_names gives it, with the
        # regex-based snake_case cached per type: this runs after every edit of a long stack.
        counts: dict[str, int] = {}
        names = []
        for layer in self._stack.spec_ref().layers:
            base = _SNAKE.get(layer.type) or _SNAKE.setdefault(layer.type, snake_case(layer.type))
            n = counts.get(base, 0)
            counts[base] = n + 1
            names.append(base if n == 0 else f"{base}_{n}")
        self._names = names

    def _on_analysed(self) -> None:
        self._refresh_names()
        rows = len(self._names)
        if rows != self._rows:
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            self._shown = self._signatures()
            return
        shown, before = self._signatures(), self._shown
        self._shown = shown
        changed = [row for row, sig in enumerate(shown) if row >= len(before) or before[row] != sig]
        if changed:     # one edit repaints the rows it changed, not the whole table
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], 2))

    def _signatures(self) -> list:
        out = []
        for row, name in enumerate(self._names):
            r = self._stack.report(row)
            out.append((name, self._stack.layer(row).type,
                        None if r is None else (r.output_shape, r.params, r.error)))
        return out

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (self.tr("Layer (type)"), self.tr("Output Shape"), self.tr("Param #"))[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole and section == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        cell = self._cell(index)
        return cell.get(role) if cell is not None else None

    def _cell(self, index: QModelIndex) -> dict | None:
        if not index.isValid() or index.row() >= self._rows:
            return None
        row, col = index.row(), index.column()
        report = self._stack.report(row)
        error = getattr(report, "error", None)
        known = report is not None and not error and report.output_shape is not None
        if col == 0:
            text = f"{self._names[row]} ({self._stack.layer(row).type})"
        elif col == 1:
            text = format_shape(report.output_shape) if known else "?"
        else:
            text = format_count(report.params) if known else "?"
        cell = {_DISPLAY: text}
        if col == 2:
            cell[_ALIGN] = _RIGHT
        if error:
            cell[_FOREGROUND] = QBrush(QColor(ERROR_COLOUR))
            cell[_TOOLTIP] = error
        elif col == 0:
            cell[_TOOLTIP] = text       # in full, should the column be narrower than the name
        return cell


NAME_MAX = 240     # px: the summary's name column asks for at most this much


class ModelSummaryView(QWidget):
    """The summary table with the totals under it."""

    def __init__(self, stack: LayerStackModel, parent=None):
        super().__init__(parent)
        self.setObjectName("modelSummary")
        self._stack = stack
        self.model = SummaryModel(stack, self)
        self.table = QTableView(self)
        self.table.setObjectName("summaryTable")
        self.table.setModel(self.model)
        self.table.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        # The name stretches (and may be elided, its tooltip and the stack show it in full); the
        # shape and the count are sized to their widest text after each analysis (measured on
        # the few longest strings: ResizeToContents would measure every row of a long stack).
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(40)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setAccessibleName(self.tr("Model summary"))

        self.totals = QLabel(self)
        self.totals.setObjectName("summaryTotals")
        self.totals.setTextFormat(Qt.TextFormat.RichText)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals.setWordWrap(True)

        title = QLabel(self.tr("Summary"), self)
        title.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        stack.analysed.connect(self._update_totals)
        stack.analysed.connect(self._fit_columns)
        self._update_totals()
        self._fit_columns()

    def _fit_columns(self) -> None:
        header, metrics = self.table.horizontalHeader(), self.table.fontMetrics()
        widths = []
        for column in (0, 1, 2):
            texts = [str(self.model.index(r, column).data() or "") for r in range(self.model.rowCount())]
            longest = sorted(texts, key=len, reverse=True)[:4]
            widest = max((metrics.horizontalAdvance(t) for t in longest), default=0) + 16
            widths.append(max(widest, header.sectionSizeFromContents(column).width()))
            if column:
                header.resizeSection(column, widths[-1])
        # Names get their width up to NAME_MAX (longer ones are elided, the tooltip has them):
        # a long layer name must not stop the window from shrinking.
        widths[0] = min(widths[0], NAME_MAX)
        chrome = 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(sum(widths) + chrome)

    def _update_totals(self) -> None:
        analysis = self._stack.analysis()
        total, trainable, frozen = analysis.total, analysis.trainable, analysis.non_trainable
        incomplete = any(r.error for r in analysis.layers)
        note = (" <span style='color:%s'>%s</span>" % (ERROR_COLOUR, self.tr("(layers with problems not counted)"))
                if incomplete else "")
        self.totals.setText(
            "<b>%s</b> %s (%s)%s&nbsp;&nbsp;·&nbsp;&nbsp;%s %s&nbsp;&nbsp;·&nbsp;&nbsp;%s %s" % (
                self.tr("Total params:"), format_count(total), _size_text(total), note,
                self.tr("Trainable:"), format_count(trainable),
                self.tr("Non-trainable:"), format_count(frozen)))

    def total_text(self) -> str:
        return self.totals.text()


def _size_text(count: int) -> str:
    """Keras prints the float32 size next to the total: 407,050 → 1.55 MB."""
    size = count * 4
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}" if unit != "B" else f"{size} B"
        size /= 1024
    return ""


class ProblemList(QWidget):
    """Every problem of the spec; activating one selects its layer in the stack."""

    problemActivated = Signal(int)    # layer index, or -1 for the input / the whole model

    def __init__(self, stack: LayerStackModel, parent=None):
        super().__init__(parent)
        self.setObjectName("problemList")
        self._stack = stack
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold;")
        self.list = QListWidget(self)
        self.list.setObjectName("problemListView")
        self.list.setWordWrap(True)
        self.list.setAccessibleName(self.tr("Problems"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        self.list.itemClicked.connect(self._activated)
        self.list.itemActivated.connect(self._activated)
        stack.analysed.connect(self.refresh)
        self._shown: list = []
        self._shown_empty = False
        self.refresh()

    def refresh(self) -> None:
        problems = list(self._stack.analysis().problems)
        self.title.setText(self.tr("Problems (%d)") % len(problems) if problems else self.tr("Problems"))
        empty = self._stack.layer_count() == 0
        if problems == self._shown and self.list.count() and empty == self._shown_empty:
            return                     # most edits change numbers, not problems: keep the list
        self._shown_empty = empty
        self._shown = problems
        self.list.clear()
        if not problems:
            empty = self._stack.layer_count() == 0
            item = QListWidgetItem(self.tr("The model has no layers yet.") if empty else
                                   self.tr("No problems: the model can be built and trained."))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setForeground(QBrush(QColor("#616161" if empty else "#2e7d32")))
            self.list.addItem(item)
            return
        for problem in problems:
            if problem.index is None:
                where = self.tr("Input")
            else:
                where = self.tr("Layer %d (%s)") % (problem.index + 1, self._stack.layer(problem.index).type)
            # Core made the message in the interface language (core.i18n).
            item = QListWidgetItem(error_icon(), f"{where}: {problem.message}")
            item.setData(ProblemIndexRole, -1 if problem.index is None else problem.index)
            item.setToolTip(problem.message)
            self.list.addItem(item)

    def messages(self) -> list[str]:
        return [p.message for p in self._shown]

    def _activated(self, item: QListWidgetItem) -> None:
        index = item.data(ProblemIndexRole)
        if index is not None:
            self.problemActivated.emit(int(index))

