"""Layer editor panel: palette | layer stack | properties, with the summary and problems beneath.

Interface used by the main window:
  LayerEditor(parent) with objectName "layerEditor"
  .undo_stack: QUndoStack             every edit is a command on it
  .spec() -> ModelSpec                 a copy of the current spec
  .set_spec(spec)                      replaces the spec (undoable)
  .specChanged: Signal()               after every edit
  .file_actions() -> list[QAction]     New from template…, Open spec…, Save spec as…, Export as Python script…
  .adapt_to_dataset(dataset)           input shape / output hint from a chosen dataset
  .project_state() -> {"spec": spec.to_dict()} and .restore_project_state(state)
  .apply_template(name), .open_spec_file(path), .save_spec_file(path), .export_script_file(path)
                                       each returns False after showing the user why it failed

The spec lives in `LayerStackModel`; every change is a QUndoCommand from ui/layer_commands.py
pushed on `undo_stack`, and the model re-analyses the spec (core.shapes.analyse) after each one,
so the stack, the summary, the totals and the problem list are always current.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QDrag, QFontMetrics, QKeySequence, QPainter, QPalette, QUndoStack
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFileDialog, QFrame, QGroupBox, QHBoxLayout,
                               QHeaderView, QLabel, QMenu, QMessageBox, QPushButton, QScrollArea,
                               QSplitter, QStyle, QStyledItemDelegate, QToolButton, QTreeView, QVBoxLayout,
                               QWidget)

from desktop_dl.core.catalogue import CATALOGUE, GROUPS
from desktop_dl.core.errors import UserError
from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec
from desktop_dl.core.i18n import _ as translate   # `_` is a throwaway name in this module
from desktop_dl.ui.editor.layer_commands import (InsertLayerCommand, MoveLayerCommand, RemoveLayerCommand,
                                          ReplaceSpecCommand, SetCompileCommand, SetInputCommand,
                                          SetParamCommand, duplicate_command)
from desktop_dl.ui.editor.layer_palette import LayerPalette, group_title
from desktop_dl.ui.editor.explanation_panel import ExplanationPanel
from desktop_dl.ui.editor.layer_properties import CompileSettingsPanel, LayerPropertiesPanel
from desktop_dl.ui.editor.layer_stack_model import (COL_LAYER, COL_PARAMS, COL_SETTINGS, COL_SHAPE,
                                             LayerStackModel, format_count)
from desktop_dl.ui.editor.model_summary_view import ModelSummaryView, ProblemList

STARTUP_TEMPLATE = "mnist-cnn"


class StackView(QTreeView):
    """The layer stack. Drags start here ourselves: Qt's default would delete the dragged row
    after a move, but the model has already moved it through an undo command."""

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


class _ScrollRefit(QObject):
    """Re-measures a resizable scroll area's widget whenever that widget's layout changes.

    The properties' height depends on wrapped text; QScrollArea re-fits its widget only on a
    LayoutRequest of its own (the widget's goes to the viewport), so it would squeeze the
    editors instead of showing a scroll bar."""

    def __init__(self, scroll: QScrollArea, parent=None):
        super().__init__(parent)
        self._scroll = scroll

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            QApplication.postEvent(self._scroll, QEvent(QEvent.Type.LayoutRequest))
        return False


class _RoomyDelegate(QStyledItemDelegate):
    def sizeHint(self, option, index):
        size = super().sizeHint(option, index)
        return QSize(size.width() + 4, size.height() + 8)


class InfoBar(QFrame):
    """A dismissable hint above the stack, with one action button."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("editorInfoBar")
        self.setStyleSheet("#editorInfoBar { background: #e3f2fd; border: 1px solid #90caf9; "
                           "border-radius: 4px; } QLabel { color: #0d47a1; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(self)
        self.button.setObjectName("fixOutputButton")
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Hide this hint"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self.hide()


class LayerEditor(QWidget):
    specChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("layerEditor")
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        self._dataset = None
        self._hint_dismissed = False
        self._last_dir = ""
        # Asked before a template replaces the model; the window asks Save / Discard / Cancel.
        self.confirm_replace: Callable[[], bool] = lambda: True

        self.model = LayerStackModel(_startup_spec(), self.undo_stack, self)
        self._build_widgets()
        self._build_actions()
        self._connect()
        self._refresh_after_analysis()
        self._select_row(0)

    # -- construction ---------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.palette_panel = LayerPalette(self)
        self.palette_panel.setMinimumWidth(150)

        self.view = StackView(self)
        self.view.setObjectName("layerStack")
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Layer stack"))
        self.view.setRootIsDecorated(False)
        self.view.setItemsExpandable(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.viewport().setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragDropOverwriteMode(False)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Roomier rows through a delegate, not a style sheet: QStyleSheetStyle would make every
        # repaint of a long stack several times slower.
        self.view.setItemDelegate(_RoomyDelegate(self.view))
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_LAYER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_SETTINGS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_SHAPE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_PARAMS, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(StackView.SETTINGS_MIN)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.fit_columns()

        self.title = QLabel(self)
        self.title.setObjectName("modelTitle")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.title.setWordWrap(True)      # a long model name wraps instead of widening the editor
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet("color: palette(dark);")
        self.total_badge = QLabel(self)
        self.total_badge.setObjectName("totalBadge")
        self.total_badge.setStyleSheet("font-weight: bold;")
        self.info_bar = InfoBar(self)

        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.total_badge)
        centre_layout.addLayout(heading)
        centre_layout.addWidget(self.subtitle)
        centre_layout.addWidget(self.info_bar)
        centre_layout.addWidget(self.view, 1)

        self.properties = LayerPropertiesPanel(self)
        self.compile_panel = CompileSettingsPanel(self)
        layer_box = QGroupBox(self.tr("Selected layer"), self)
        QVBoxLayout(layer_box).addWidget(self.properties)
        compile_box = QGroupBox(self.tr("Training settings"), self)
        QVBoxLayout(compile_box).addWidget(self.compile_panel)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 4, 0)
        right_layout.addWidget(layer_box)
        right_layout.addWidget(compile_box)
        right_layout.addStretch(1)
        self.right_scroll = scroll = QScrollArea(self)
        scroll.setWidget(right)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(230)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll_refit = _ScrollRefit(scroll, self)
        right.installEventFilter(self._scroll_refit)

        self.summary = ModelSummaryView(self.model, self)
        self.problems = ProblemList(self.model, self)

        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.palette_panel)
        top.addWidget(centre)
        top.addWidget(scroll)
        top.setStretchFactor(0, 0)
        top.setStretchFactor(1, 1)
        top.setStretchFactor(2, 0)
        top.setChildrenCollapsible(False)      # the stack's columns need their minimum width
        top.setSizes([225, 595, 340])
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(self.summary)
        bottom.addWidget(self.problems)
        self.explanation = ExplanationPanel(self)   # "What is this?" for the selected row
        bottom.addWidget(self.explanation)
        bottom.setSizes([560, 260, 440])
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 220])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter)

    def _build_actions(self) -> None:
        def stack_action(text, shortcut, slot, name):
            action = QAction(text, self)
            action.setObjectName(name)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
            return action

        self.delete_action = stack_action(self.tr("Delete layer"), QKeySequence.StandardKey.Delete,
                                          self.delete_selected, "deleteLayerAction")
        self.duplicate_action = stack_action(self.tr("Duplicate layer"), "Ctrl+D",
                                             self.duplicate_selected, "duplicateLayerAction")
        self.move_up_action = stack_action(self.tr("Move up"), "Alt+Up", lambda: self.move_selected(-1),
                                           "moveUpAction")
        self.move_down_action = stack_action(self.tr("Move down"), "Alt+Down", lambda: self.move_selected(1),
                                             "moveDownAction")
        # Ctrl+D also works from the palette and the properties (the editor's other children).
        self.addAction(self.duplicate_action)


        # Ctrl+F jumps to the palette's search: type a layer name, Enter inserts it.
        self.find_action = QAction(self.tr("Find layer type"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action.triggered.connect(self.focus_palette_search)
        self.addAction(self.find_action)

        # No shortcuts: Ctrl+N/O/S belong to the project (ui/project_controller.py).
        self.new_action = QAction(self.tr("New from template…"), self)
        self.new_action.triggered.connect(self.new_from_template)
        self.open_action = QAction(self.tr("Open spec…"), self)
        self.open_action.triggered.connect(self.open_spec_dialog)
        self.save_action = QAction(self.tr("Save spec as…"), self)
        self.save_action.triggered.connect(self.save_spec_dialog)
        self.export_action = QAction(self.tr("Export as Python script…"), self)
        self.export_action.triggered.connect(self.export_script_dialog)

    def _connect(self) -> None:
        self.model.analysed.connect(self._refresh_after_analysis)
        self.model.layerTouched.connect(self._select_uid)
        self.model.specReplaced.connect(lambda: self._select_row(0))
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.view.customContextMenuRequested.connect(self._context_menu)
        # Enter (or a double-click) on a layer moves the focus to its first setting.
        self.view.activated.connect(lambda _index: self.focus_properties())
        self.palette_panel.layerActivated.connect(self.insert_layer_type)
        self.properties.paramEdited.connect(self._param_edited)
        self.compile_panel.compileEdited.connect(
            lambda field, new: self.undo_stack.push(SetCompileCommand(self.model, new, field)))
        self.problems.problemActivated.connect(lambda index: self._select_row(index + 1))
        self.info_bar.button.clicked.connect(self.fix_output_layer)
        self.info_bar.close_button.clicked.connect(self._dismiss_hint)
        self.undo_stack.indexChanged.connect(lambda _: self._update_action_state())

    # -- public interface -----------------------------------------------------------------------------
    def spec(self) -> ModelSpec:
        return self.model.spec()

    def set_spec(self, spec: ModelSpec, text: str | None = None) -> None:
        self.undo_stack.push(ReplaceSpecCommand(self.model, spec, text))

    def file_actions(self) -> list[QAction]:
        return [self.new_action, self.open_action, self.save_action, self.export_action]

    def project_state(self) -> dict:
        return {"spec": self.model.spec_ref().to_dict()}

    def restore_project_state(self, state: dict) -> None:
        """Load a project's spec (a spec dict or a ModelSpec; none: the start-up model). A project
        starts a fresh undo history. Raises SpecError for a malformed spec."""
        raw = (state or {}).get("spec")
        if raw is None:
            spec = _startup_spec()
        elif isinstance(raw, ModelSpec):
            spec = raw.copy()
        else:
            spec = ModelSpec.from_dict(raw, source="the project's model")
        self.model.replace_spec(spec)
        self.undo_stack.clear()

    def adapt_to_dataset(self, dataset) -> None:
        """Take the dataset's input shape (one undoable step) and check the output layer."""
        self._dataset = dataset
        self._hint_dismissed = False
        shape = tuple(dataset.input_shape)
        if shape != tuple(self.model.spec_ref().input_shape):
            self.undo_stack.push(SetInputCommand(
                self.model, shape, text=self.tr("Use the input shape of %s") % dataset.title))
        self._update_output_hint()

    # -- edits ----------------------------------------------------------------------------------------
    def selected_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def selected_layer_index(self) -> int:
        """Index in spec.layers of the selected layer; -1 when the input (or nothing) is selected."""
        return self.model.layer_of_row(self.selected_row()) if self.selected_row() > 0 else -1

    def insert_layer_type(self, type_name: str) -> None:
        """Insert a fresh layer after the selection (at the top when the input is selected)."""
        layer_type = CATALOGUE[type_name]
        position = self.selected_layer_index() + 1 if self.selected_row() >= 0 else self.model.layer_count()
        self.undo_stack.push(InsertLayerCommand(self.model, position,
                                                LayerSpec(type_name, layer_type.defaults())))

    def delete_selected(self) -> None:
        index = self.selected_layer_index()
        if index < 0:
            return
        self.undo_stack.push(RemoveLayerCommand(self.model, index))
        self._select_row(min(self.model.row_of_layer(index), self.model.rowCount() - 1))

    def duplicate_selected(self) -> None:
        index = self.selected_layer_index()
        if index >= 0:
            self.undo_stack.push(duplicate_command(self.model, index))

    def move_selected(self, delta: int) -> None:
        index = self.selected_layer_index()
        target = index + delta
        if index < 0 or not 0 <= target < self.model.layer_count():
            return
        self.undo_stack.push(MoveLayerCommand(self.model, index, target))

    def focus_palette_search(self) -> None:
        self.palette_panel.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.palette_panel.search.selectAll()

    # A spec file dragged from the file manager opens like "Open spec…".
    def dragEnterEvent(self, event) -> None:
        if _dropped_spec_path(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if _dropped_spec_path(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = _dropped_spec_path(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.open_spec_file(path)

    def focus_properties(self) -> None:
        editors = list(self.properties.editors.values())
        if editors:
            widget = editors[0].widget
            target = editors[0].spins[0] if hasattr(editors[0], "spins") else widget
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def _param_edited(self, uid: str, name: str, value) -> None:
        if uid == "":           # the Input row: shape or dtype
            spec = self.model.spec_ref()
            shape = tuple(value) if name == "shape" else tuple(spec.input_shape)
            dtype = str(value) if name == "dtype" else spec.input_dtype
            if (shape, dtype) != (tuple(spec.input_shape), spec.input_dtype):
                self.undo_stack.push(SetInputCommand(self.model, shape, dtype))
            return
        current = self.model.layer_by_uid(uid).params.get(name, CATALOGUE[self.model.layer_by_uid(uid).type].param(name).default)
        if current != value:
            self.undo_stack.push(SetParamCommand(self.model, uid, name, value))

    def fix_output_layer(self) -> None:
        """Make the last layer fit the dataset's task (one undoable step)."""
        if self._dataset is None:
            return
        spec = self.model.spec()
        units, activation = self._expected_output()
        analysis = self.model.analysis()
        if analysis.output_shape is None and analysis.layers and analysis.layers[0].error:
            # Its first layer cannot take this data (a CNN on a table): no output layer fixes that.
            if self._use_dataset_template():
                if not self.output_fits_dataset():
                    self.fix_output_layer()     # a template made for another table of this kind
                return
        last = spec.layers[-1] if spec.layers else None
        if last is not None and last.type == "Dense" and last.params.get("activation") in ("softmax", "sigmoid", "linear"):
            last.params["units"] = units
            last.params["activation"] = activation
            # Dense on an image works pixel by pixel and keeps height × width: flatten before
            # the first Dense that gets an image (a table net on digits becomes the MNIST dense net).
            shapes = [(None, *spec.input_shape)] + [r.output_shape for r in analysis.layers]
            for i, layer in enumerate(spec.layers):
                if layer.type == "Dense" and shapes[i] is not None and len(shapes[i]) == 4:
                    spec.layers.insert(i, LayerSpec("Flatten", {}))
                    break
        else:
            out = analysis.output_shape
            if out is not None and len(out) > 2:
                spec.layers.append(LayerSpec("Flatten", {}))
            spec.layers.append(LayerSpec("Dense", {**CATALOGUE["Dense"].defaults(),
                                                   "units": units, "activation": activation}))
        spec.compile.loss = "auto"
        self.set_spec(spec, self.tr("Fix output layer"))
        self._select_row(self.model.rowCount() - 1)

    def _use_dataset_template(self) -> bool:
        """Start from the template made for the dataset (one undoable step); False if none."""
        from desktop_dl.core.templates import list_templates, load_template

        names = [t.name for t in list_templates() if t.dataset == getattr(self._dataset, "name", None)]
        if not names and getattr(self._dataset, "kind", None) == "table":
            names = ["tabular-regression" if self._dataset.task == "regression" else "tabular-binary"]
        if not names:
            return False
        spec = load_template(names[0])
        spec.input_shape = tuple(self._dataset.input_shape)
        self.set_spec(spec, self.tr("New from template %s") % names[0])
        return True

    # -- files ----------------------------------------------------------------------------------------
    def new_from_template(self) -> None:
        from desktop_dl.ui.editor.template_dialog import TemplateDialog

        dialog = TemplateDialog(self, current=self.model.spec_ref().name)
        if dialog.exec() and dialog.selected_spec() is not None and self.confirm_replace():
            self.apply_template(dialog.selected_name())

    def apply_template(self, name: str) -> bool:
        from desktop_dl.core.templates import load_template

        try:
            spec = load_template(name)
        except UserError as exc:
            self._error(self.tr("Cannot use the template"), str(exc))
            return False
        self.set_spec(spec, self.tr("New from template %s") % name)
        return True

    def open_spec_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open model spec"), self._start_dir(),
                                              self.tr("Model specs (*.json);;All files (*)"))
        if path:
            self.open_spec_file(path)

    def open_spec_file(self, path: str) -> bool:
        try:
            spec = ModelSpec.load(path)
        except UserError as exc:
            self._error(self.tr("Cannot open the model spec"), str(exc))
            return False
        self._remember_dir(path)
        self.set_spec(spec, self.tr("Open %s") % _file_name(path))
        return True

    def save_spec_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save model spec"),
                                              _join(self._start_dir(), self.model.spec_ref().name + ".json"),
                                              self.tr("Model specs (*.json)"))
        if path:
            self.save_spec_file(path if path.lower().endswith(".json") else path + ".json")

    def save_spec_file(self, path: str) -> bool:
        try:
            self.model.spec_ref().save(path)
        except OSError as exc:
            self._error(self.tr("Cannot save the model spec"),
                        self.tr("Cannot write %s: %s.") % (path, exc.strerror or exc))
            return False
        self._remember_dir(path)
        # (the undo stack's clean state is the project's: writing the spec alone saves no project)
        return True

    def export_script_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export as Python script"),
                                              _join(self._start_dir(), self.model.spec_ref().name.replace("-", "_") + ".py"),
                                              self.tr("Python scripts (*.py)"))
        if path:
            self.export_script_file(path if path.lower().endswith(".py") else path + ".py")

    def export_script_file(self, path: str) -> bool:
        from desktop_dl.core.atomic_write import write_text_atomic
        from desktop_dl.core.codegen import generate_script

        dataset = getattr(self._dataset, "name", None)
        try:
            text = generate_script(self.model.spec_ref(), dataset=dataset,
                                   task=getattr(self._dataset, "task", None))
            write_text_atomic(_path(path), text)
        except UserError as exc:
            self._error(self.tr("Cannot export the script"), str(exc))
            return False
        except OSError as exc:
            self._error(self.tr("Cannot export the script"),
                        self.tr("Cannot write %s: %s.") % (path, exc.strerror or exc))
            return False
        self._remember_dir(path)
        return True

    def _error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("editorErrorBox")
        box.open()    # window-modal, not a nested event loop: tests and the GUI thread keep running
        self.last_error = message

    def _start_dir(self) -> str:
        return self._last_dir or QSettings().value("editor/last_dir", "", type=str)

    def _remember_dir(self, path: str) -> None:
        import os
        self._last_dir = os.path.dirname(os.path.abspath(path))
        QSettings().setValue("editor/last_dir", self._last_dir)

    # -- views ----------------------------------------------------------------------------------------
    def _refresh_after_analysis(self) -> None:
        spec = self.model.spec_ref()
        analysis = self.model.analysis()
        # "model" is ModelSpec's default name, not one the user gave: shown in the UI language.
        self.title.setText(self.tr("Model") if spec.name in ("", "model") else spec.name)
        self.subtitle.setText(translate(spec.description))   # a bundled template's: in the catalogs
        self.subtitle.setVisible(bool(spec.description))
        problems = len(analysis.problems)
        self.total_badge.setText(
            self.tr("%s parameters") % format_count(analysis.total) if not problems else
            self.tr("%s parameters · %n problem(s)", "", problems) % format_count(analysis.total))
        style = "font-weight: bold;" + (" color: #c62828;" if problems else "")
        if self.total_badge.styleSheet() != style:    # re-polishing on every edit costs a full repaint
            self.total_badge.setStyleSheet(style)
        self.view.fit_columns()
        self._show_selected()
        self.compile_panel.show_compile(spec.compile, self._loss_rule_text())
        self._update_output_hint()
        self._update_action_state()
        self.specChanged.emit()

    def _loss_rule_text(self) -> str:
        from desktop_dl.core.loss_choice import resolve_loss

        spec = self.model.spec_ref()
        task = getattr(self._dataset, "task", None)
        out = self.model.analysis().output_shape
        units = out[-1] if out is not None and len(out) > 1 else None
        try:
            choice = resolve_loss(spec, task, output_units=units)   # units given: no second analysis
        except UserError as exc:
            return str(exc)
        if spec.compile.loss in ("", "auto"):
            lead = self.tr("auto → %s (metrics: %s).") % (choice.loss, ", ".join(choice.metrics))
        else:
            lead = self.tr("Loss %s (metrics: %s).") % (choice.loss, ", ".join(choice.metrics))
        # Zero-width spaces let long loss names wrap in the narrow panel.
        return f"{lead} {choice.rule}".replace("_", "_\u200b")

    def _show_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            self.explanation.clear()
        else:   # row 0 is the input
            self.explanation.show_layer(self.model.spec_ref(), None if row == 0 else self.model.layer_of_row(row),
                                        self.model.analysis())
        if row < 0:
            self.properties.show_nothing()
        elif row == 0:
            from desktop_dl.core.catalogue import input_params

            spec = self.model.spec_ref()
            problems = self.model.analysis().problems_for(None)
            self.properties.show_layer("", CATALOGUE["Input"], input_params(spec),
                                       problems[0] if problems else "")
        else:
            index = self.model.layer_of_row(row)
            layer = self.model.layer(index)
            layer_type = CATALOGUE.get(layer.type)
            report = self.model.report(index)
            if layer_type is None:
                self.properties.show_nothing()
                self.properties.error.setText(report.error if report else "")
                self.properties.error.setVisible(bool(report and report.error))
                return
            self.properties.show_layer(layer.uid, layer_type, layer.params, (report.error or "") if report else "")
        self._update_action_state()

    def show_refusal(self, message: str, layer: int | None) -> None:
        """A run refused before training (engine.run_pipeline) because of layer `layer`: select
        that layer and show the reason on it, until another layer is chosen."""
        if layer is None or not 0 <= layer < self.model.layer_count():
            return
        self._select_row(self.model.row_of_layer(layer))
        self.properties.error.setText(message)
        self.properties.error.setVisible(True)

    def _select_row(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)

    def _select_uid(self, uid: str) -> None:
        try:
            self._select_row(self.model.row_of_layer(self.model.layer_index_of(uid)))
        except KeyError:
            pass

    def _update_action_state(self) -> None:
        index = self.selected_layer_index()
        has_layer = index >= 0
        self.delete_action.setEnabled(has_layer)
        self.duplicate_action.setEnabled(has_layer)
        self.move_up_action.setEnabled(index > 0)
        self.move_down_action.setEnabled(has_layer and index < self.model.layer_count() - 1)

    def _context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if index.isValid():
            self._select_row(index.row())
        menu = QMenu(self)
        insert = menu.addMenu(self.tr("Insert layer after"))
        for group in GROUPS:
            sub = insert.addMenu(group_title(group))
            for layer_type in CATALOGUE.values():
                if layer_type.group == group and layer_type.name != "Input":
                    action = sub.addAction(layer_type.name)
                    action.setToolTip(layer_type.help)
                    action.triggered.connect(lambda _=False, n=layer_type.name: self.insert_layer_type(n))
        menu.addSeparator()
        for action in (self.duplicate_action, self.move_up_action, self.move_down_action, self.delete_action):
            menu.addAction(action)
        menu.popup(self.view.viewport().mapToGlobal(pos))
        self.context_menu = menu

    # -- dataset fit ----------------------------------------------------------------------------------
    def _expected_output(self) -> tuple[int, str]:
        task = self._dataset.task
        classes = len(getattr(self._dataset, "class_names", None) or [])
        if task == "binary":
            return 1, "sigmoid"
        if task == "multiclass":
            return max(classes, 2), "softmax"
        if task == "multilabel":
            return max(classes, 1), "sigmoid"
        return 1, "linear"

    def output_fits_dataset(self) -> bool:
        from desktop_dl.core.losses import choice_for_task, output_activation

        spec = self.model.spec_ref()
        analysis = self.model.analysis()
        units, activation = self._expected_output()
        out = analysis.output_shape
        if not spec.layers or out is None or len(out) != 2:
            return False
        if out[-1] != units or output_activation(spec.layers) != activation:
            return False
        return spec.compile.loss in ("", "auto", choice_for_task(self._dataset.task).loss)

    def output_rule_text(self) -> str:
        units, _ = self._expected_output()
        title = getattr(self._dataset, "title", "") or getattr(self._dataset, "name", "")
        task = self._dataset.task
        if task == "binary":
            return self.tr("%s is binary classification: end with Dense(1, sigmoid) and binary "
                           "cross-entropy.") % title
        if task == "multiclass":
            return self.tr("%s has %d classes: end with Dense(%d, softmax) and sparse categorical "
                           "cross-entropy.") % (title, units, units)
        if task == "multilabel":
            return self.tr("%s is multi-label with %d labels: end with Dense(%d, sigmoid) and binary "
                           "cross-entropy.") % (title, units, units)
        return self.tr("%s is regression (predicting numbers): end with Dense(1) with a linear "
                       "activation and mean squared error.") % title

    def _update_output_hint(self) -> None:
        if self._dataset is None or self._hint_dismissed or self.output_fits_dataset():
            self.info_bar.hide()
            return
        self.info_bar.label.setText(self.output_rule_text())
        self.info_bar.button.setText(self.tr("Fix output layer"))
        self.info_bar.show()

    def _dismiss_hint(self) -> None:
        self._hint_dismissed = True
        self.info_bar.hide()


def _startup_spec() -> ModelSpec:
    """The MNIST CNN template; if the template files are missing or damaged, the same network
    as the MNIST dense tutorial, built here, so the editor always opens on a working model."""
    from desktop_dl.core.templates import load_template

    try:
        return load_template(STARTUP_TEMPLATE)
    except UserError:
        dense = CATALOGUE["Dense"].defaults()
        return ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                       LayerSpec("Dense", {**dense, "units": 512, "activation": "relu"}),
                                       LayerSpec("Dense", {**dense, "units": 10, "activation": "softmax"})],
                         CompileSpec("rmsprop", 1e-3), name="mnist-dense",
                         description="Dense 512 relu → Dense 10 softmax on flattened 28×28 digits.")


def _dropped_spec_path(mime) -> str | None:
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".json"):
            return url.toLocalFile()
    return None


def _file_name(path: str) -> str:
    import os
    return os.path.basename(path)


def _join(folder: str, name: str) -> str:
    import os
    return os.path.join(folder, name) if folder else name


def _path(path: str):
    from pathlib import Path
    return Path(path)



