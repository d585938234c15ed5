"""The layer stack as a Qt item model over the live ModelSpec and its analysis.

Row 0 is the model input (fixed: it cannot be dragged, removed or dropped before); rows 1..n are
the layers. Columns: layer type, its key settings, output shape, parameter count. The model owns
the spec; undo commands (ui/layer_commands.py) change it through the mutation methods below,
which emit the fine-grained Qt signals and re-analyse the spec once per edit. Drops (a layer type
from the palette, or a row being reordered) are decided in `dropMimeData`, so they are testable
without a real drag and always go through the undo stack.
"""
from __future__ import annotations

import json
import time

from PySide6.QtCore import QAbstractTableModel, QByteArray, QMimeData, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.shapes import analyse
from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec
from desktop_dl.ui.editor.layer_commands import MISSING, InsertLayerCommand, MoveLayerCommand
from desktop_dl.ui.editor.layer_icons import ERROR_BACKGROUND, ERROR_COLOUR, error_icon, group_icon

LAYER_TYPE_MIME = "application/x-desktop-dl-layer-type"   # payload: JSON {"type": "Dense"}
LAYER_ROW_MIME = "application/x-desktop-dl-layer-row"     # payload: JSON {"uid": "..."}

COL_LAYER, COL_SETTINGS, COL_SHAPE, COL_PARAMS = range(4)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_INPUT_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_LAYER_FLAGS = _INPUT_FLAGS | Qt.ItemFlag.ItemIsDragEnabled
_ROOT_FLAGS = _INPUT_FLAGS | Qt.ItemFlag.ItemIsDropEnabled

UidRole = int(Qt.ItemDataRole.UserRole) + 1       # the layer's uid ("" for the input row)
ErrorRole = int(Qt.ItemDataRole.UserRole) + 2     # the layer's error message, or ""


def format_shape(shape) -> str:
    """Keras's way of writing a shape: (None, 28, 28, 1)."""
    if shape is None:
        return "—"
    shape = tuple(shape)
    if len(shape) == 1:
        return f"({_dim(shape[0])},)"
    return "(" + ", ".join(_dim(d) for d in shape) + ")"


def _dim(d) -> str:
    return "None" if d is None else str(d)


def format_count(n) -> str:
    return f"{int(n):,}"


def format_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and all(isinstance(v, int) for v in value):
            return f"{value[0]}×{value[1]}"
        return "(" + ", ".join(format_value(v) for v in value) + ")"
    if value is None:
        return "auto"
    return str(value)


def layer_settings_text(layer: LayerSpec) -> str:
    """The few settings a reader looks for first: the leading non-boolean parameters, then any
    switched-on flags by name (LSTM 64, return_sequences)."""
    layer_type = CATALOGUE.get(layer.type)
    if layer_type is None:
        return ""
    parts, flags = [], []
    for param in layer_type.params:
        value = layer.params.get(param.name, param.default)
        if param.kind == "bool":
            if value and value != param.default:
                flags.append(param.name)
        elif len(parts) < 2:
            if param.kind == "int_or_pair" and isinstance(value, int):
                value = (value, value)
            parts.append(format_value(value))
    return ", ".join(parts + flags)


_BRUSHES: dict[str, QBrush] = {}
_FONTS: list[QFont] = []


def _brush(colour: str) -> QBrush:
    brush = _BRUSHES.get(colour)
    if brush is None:
        brush = _BRUSHES[colour] = QBrush(QColor(colour))
    return brush


def _bold_font() -> QFont:
    if not _FONTS:
        font = QFont()
        font.setBold(True)
        _FONTS.append(font)
    return _FONTS[0]


class LayerStackModel(QAbstractTableModel):
    analysed = Signal()              # after every re-analysis (shapes, counts, errors are fresh)
    layerTouched = Signal(str)       # uid of the layer an edit just produced or changed
    specReplaced = Signal()          # the whole spec was swapped (views reset their selection)

    def __init__(self, spec: ModelSpec, undo_stack=None, parent: QObject | None = None):
        super().__init__(parent)
        self.undo_stack = undo_stack
        self._spec = spec.copy()
        self._analysis = None
        self._cache: dict[int, list[dict]] = {}
        self._shown_rows: list = []     # what each row showed after the last analysis
        self.last_analysis_ms = 0.0
        self._reanalyse(emit_rows=False)

    # -- reading ----------------------------------------------------------------------------------
    def spec_ref(self) -> ModelSpec:
        """The live spec (do not mutate it: go through a command)."""
        return self._spec

    def spec(self) -> ModelSpec:
        return self._spec.copy()

    def analysis(self):
        return self._analysis

    def layer_count(self) -> int:
        return len(self._spec.layers)

    def layer(self, index: int) -> LayerSpec:
        return self._spec.layers[index]

    def layer_by_uid(self, uid: str) -> LayerSpec:
        return self._spec.layers[self.layer_index_of(uid)]

    def layer_index_of(self, uid: str) -> int:
        for i, layer in enumerate(self._spec.layers):
            if layer.uid == uid:
                return i
        raise KeyError(uid)

    def report(self, index: int):
        """The analysis of layer `index` (a core LayerReport), or None if it has none."""
        reports = self._analysis.layers if self._analysis is not None else ()
        return reports[index] if 0 <= index < len(reports) else None

    @staticmethod
    def row_of_layer(index: int) -> int:
        return index + 1

    @staticmethod
    def layer_of_row(row: int) -> int:
        return row - 1

    # -- mutations (called by undo commands only) ---------------------------------------------------
    def insert_layer(self, index: int, layer: LayerSpec) -> None:
        index = max(0, min(index, len(self._spec.layers)))
        row = self.row_of_layer(index)
        self.beginInsertRows(QModelIndex(), row, row)
        self._spec.layers.insert(index, layer)
        self._cache.clear()
        self.endInsertRows()
        self._reanalyse()
        self.layerTouched.emit(layer.uid)

    def remove_layer(self, index: int) -> LayerSpec:
        row = self.row_of_layer(index)
        self.beginRemoveRows(QModelIndex(), row, row)
        layer = self._spec.layers.pop(index)
        self._cache.clear()
        self.endRemoveRows()
        self._reanalyse()
        return layer

    def move_layer(self, source: int, target: int) -> None:
        """Move so that the layer ends at position `target` (positions counted after the move)."""
        if source == target:
            return
        src_row = self.row_of_layer(source)
        # Qt's destination row is counted before the move: one past the target when moving down.
        dest_row = self.row_of_layer(target + 1 if target > source else target)
        self.beginMoveRows(QModelIndex(), src_row, src_row, QModelIndex(), dest_row)
        layer = self._spec.layers.pop(source)
        self._spec.layers.insert(target, layer)
        self._cache.clear()
        self.endMoveRows()
        self._reanalyse()
        self.layerTouched.emit(layer.uid)

    def set_param(self, uid: str, name: str, value) -> None:
        layer = self.layer_by_uid(uid)
        if value is MISSING:     # undo of a parameter the layer did not set before
            layer.params.pop(name, None)
        else:
            layer.params[name] = value
        self._reanalyse()
        self.layerTouched.emit(uid)

    def set_input(self, shape: tuple, dtype: str) -> None:
        self._spec.input_shape = tuple(shape)
        self._spec.input_dtype = dtype
        self._reanalyse()

    def set_compile(self, compile_spec: CompileSpec) -> None:
        self._spec.compile = compile_spec
        self._reanalyse()

    def replace_spec(self, spec: ModelSpec) -> None:
        self.beginResetModel()
        self._spec = spec
        self._cache.clear()
        self.endResetModel()
        self._reanalyse()
        self.specReplaced.emit()

    def _reanalyse(self, emit_rows: bool = True) -> None:
        start = time.perf_counter()
        self._analysis = analyse(self._spec)
        self.last_analysis_ms = (time.perf_counter() - start) * 1000
        self._cache.clear()
        shown, before = self._row_signatures(), self._shown_rows
        self._shown_rows = shown
        changed = [row for row, sig in enumerate(shown) if row >= len(before) or before[row] != sig]
        if emit_rows and changed:
            # Only the rows whose text changed: an edit repaints one row, not the whole stack.
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], COL_PARAMS))
        self.analysed.emit()

    def _row_signatures(self) -> list:
        """What decides each row's cells (compared, never hashed: params may hold lists)."""
        analysis = self._analysis
        rows = [(tuple(self._spec.input_shape), self._spec.input_dtype,
                 tuple(analysis.problems_for(None)) if analysis is not None else ())]
        for i, layer in enumerate(self._spec.layers):
            r = self.report(i)
            rows.append((layer.uid, layer.type, dict(layer.params),
                         None if r is None else (r.uid, r.output_shape, r.params, r.error,
                                                 r.trainable, r.non_trainable)))
        return rows

    # -- Qt model ---------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._spec.layers) + 1

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 4

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return (self.tr("Layer"), self.tr("Settings"), self.tr("Output shape"), self.tr("Params"))[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section == COL_PARAMS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # Views ask for every role of every visible cell on each repaint: answer from a per-row
        # cache built once per analysis, so a repaint costs dictionary look-ups only.
        cell = self._cell(index)
        return cell.get(role) if cell is not None else None

    def _cell(self, index: QModelIndex) -> dict | None:
        if not index.isValid():
            return None
        row = index.row()
        cells = self._cache.get(row)
        if cells is None:
            if row >= len(self._spec.layers) + 1:
                return None
            cells = self._cache[row] = self._input_cells() if row == 0 else self._layer_cells(row)
        return cells[index.column()]

    def _layer_cells(self, row: int) -> list[dict]:
        layer_index = self.layer_of_row(row)
        layer = self._spec.layers[layer_index]
        report = self.report(layer_index)
        if report is not None and report.uid != layer.uid:
            report = None                      # analysis not yet redone for this edit
        error = (report.error if report is not None else "") or ""
        layer_type = CATALOGUE.get(layer.type)
        common = {UidRole: layer.uid, ErrorRole: error}
        if error:
            common[_TOOLTIP] = error
            common[_FOREGROUND] = _brush(ERROR_COLOUR)
            common[_BACKGROUND] = _brush(ERROR_BACKGROUND)
        elif layer_type is not None:
            common[_TOOLTIP] = layer_type.help
        known = report is not None and not error and report.output_shape is not None
        first = {**common, _DISPLAY: layer.type, _FONT: _bold_font(),
                 _DECORATION: error_icon() if error else group_icon(layer_type.group if layer_type else "")}
        params = {**common, _DISPLAY: format_count(report.params) if known else "—", _ALIGN: _RIGHT}
        if known and report.non_trainable and not error:
            params[_TOOLTIP] = self.tr("%s trainable, %s non-trainable") % (
                format_count(report.trainable), format_count(report.non_trainable))
        return [first,
                {**common, _DISPLAY: layer_settings_text(layer)},
                {**common, _DISPLAY: format_shape(report.output_shape) if known else "—"},
                params]

    def _input_cells(self) -> list[dict]:
        shape = tuple(self._spec.input_shape)
        problems = self._analysis.problems_for(None) if self._analysis is not None else []
        tooltip = problems[0] if problems else self.tr(
            "The shape of one sample the model receives (the batch dimension is added in front). "
            "Select this row to change it.")
        common = {UidRole: "", ErrorRole: problems[0] if problems else "", _TOOLTIP: tooltip,
                  _FOREGROUND: _brush(ERROR_COLOUR if problems else "#455a64")}
        if problems:
            common[_BACKGROUND] = _brush(ERROR_BACKGROUND)
        dims = "×".join(self.tr("any") if d is None else str(d) for d in shape)
        settings = dims if self._spec.input_dtype == "float32" else f"{dims}, {self._spec.input_dtype}"
        return [{**common, _DISPLAY: self.tr("Input"), _FONT: _bold_font(),
                 _DECORATION: error_icon() if problems else group_icon("input")},
                {**common, _DISPLAY: settings},
                {**common, _DISPLAY: format_shape((None,) + shape)},
                {**common, _DISPLAY: "0", _ALIGN: _RIGHT}]

    # -- drag and drop ----------------------------------------------------------------------------
    def flags(self, index: QModelIndex):
        if not index.isValid():
            return _ROOT_FLAGS            # drops go between rows, never onto a layer
        return _INPUT_FLAGS if index.row() == 0 else _LAYER_FLAGS

    def supportedDropActions(self):
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [LAYER_TYPE_MIME, LAYER_ROW_MIME]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid() and i.row() > 0})
        mime = QMimeData()
        if rows:
            uid = self._spec.layers[self.layer_of_row(rows[0])].uid
            mime.setData(LAYER_ROW_MIME, QByteArray(json.dumps({"uid": uid}).encode()))
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data.hasFormat(LAYER_TYPE_MIME) or data.hasFormat(LAYER_ROW_MIME)

    def drop_layer_index(self, row: int, parent: QModelIndex) -> int:
        """Where a drop at (row, parent) puts the layer, as a position in the layer list."""
        if row < 0:
            row = parent.row() + 1 if parent.isValid() else self.rowCount()
        return max(0, min(self.layer_of_row(row), len(self._spec.layers)))

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        position = self.drop_layer_index(row, parent)
        if data.hasFormat(LAYER_TYPE_MIME):
            type_name = _decode(data, LAYER_TYPE_MIME).get("type")
            layer_type = CATALOGUE.get(type_name)
            if layer_type is None or type_name == "Input":
                return False
            self._push(InsertLayerCommand(self, position, LayerSpec(type_name, layer_type.defaults())))
            return True
        if data.hasFormat(LAYER_ROW_MIME):
            try:
                source = self.layer_index_of(_decode(data, LAYER_ROW_MIME).get("uid"))
            except KeyError:
                return False
            # Dropping below itself: the row leaves its old place first, so the target shifts up.
            target = position - 1 if position > source else position
            if target != source:
                self._push(MoveLayerCommand(self, source, target))
            return True
        return False

    def _push(self, command) -> None:
        if self.undo_stack is not None:
            self.undo_stack.push(command)
        else:
            command.redo()


def _decode(data: QMimeData, fmt: str) -> dict:
    try:
        value = json.loads(bytes(data.data(fmt)).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return value if isinstance(value, dict) else {}
