"""Layer editor panel: palette | layer stack | properties, with the summary and problems beneath.

Interface used by the main window:
  LayerEditor(parent) with objectName "layerEditor"
  .undo_stack: QUndoStack             every edit is a command on it
  .spec() -> ModelSpec                 a copy of the current spec
  .set_spec(spec)                      replaces the spec (undoable)
  .specChanged: Signal()               after every edit
  .templateApplied: Signal(str)        a template replaced the model (its training defaults apply)
  .file_actions() -> list[QAction]     New from template…, Open spec…, Save spec as…, Export as Python script…
  .adapt_to_dataset(dataset)           input shape / output hint from a chosen dataset
  .project_state() -> {"spec": spec.to_dict()} and .restore_project_state(state)
  .apply_template(name), .open_spec_file(path), .save_spec_file(path), .export_script_file(path)
                                       each returns False after showing the user why it failed

The spec lives in `LayerStackModel`; every change is a QUndoCommand from ui/editor/layer_commands.py
pushed on `undo_stack`, and the model re-analyses the spec (core.shapes.analyse) after each one,
so the stack, the summary, the totals and the problem list are always current. The file commands
and the dataset fit are mixins (layer_editor_files.py, layer_editor_dataset_fit.py).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QFrame, QGroupBox, QHBoxLayout, QLabel, QMenu, QScrollArea, QSplitter,
                               QVBoxLayout, QWidget)

from desktop_dl.core.catalogue import CATALOGUE, GROUPS
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.core.i18n import _ as translate   # `_` is a throwaway name in this module
from desktop_dl.ui.editor.editor_frame_parts import InfoBar, ScrollRefit
from desktop_dl.ui.editor.explanation_panel import ExplanationPanel
from desktop_dl.ui.editor.layer_commands import (InsertLayerCommand, MoveLayerCommand, RemoveLayerCommand,
                                          ReplaceSpecCommand, SetCompileCommand, SetInputCommand,
                                          SetParamCommand, duplicate_command)
from desktop_dl.ui.editor.layer_editor_dataset_fit import DatasetFitMixin
from desktop_dl.ui.editor.layer_editor_files import STARTUP_TEMPLATE, SpecFilesMixin, _startup_spec
from desktop_dl.ui.editor.layer_palette import LayerPalette, group_title
from desktop_dl.ui.editor.layer_properties import CompileSettingsPanel, LayerPropertiesPanel
from desktop_dl.ui.editor.layer_stack_model import LayerStackModel, format_count
from desktop_dl.ui.editor.layer_stack_view import StackView
from desktop_dl.ui.editor.model_summary_view import ModelSummaryView, ProblemList

__all__ = ["InfoBar", "LayerEditor", "StackView", "STARTUP_TEMPLATE"]


class LayerEditor(SpecFilesMixin, DatasetFitMixin, QWidget):
    specChanged = Signal()
    templateApplied = Signal(str)         # a template's name, once it has replaced the model

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
        centre = self._build_centre()
        self.right_scroll = self._build_settings_column()
        self.summary = ModelSummaryView(self.model, self)
        self.problems = ProblemList(self.model, self)
        self.explanation = ExplanationPanel(self)   # "What is this?" for the selected row
        self._build_splitters(centre, self.right_scroll)

    def _build_centre(self) -> QWidget:
        """The model's title and parameter total, the dataset hint and the layer stack."""
        self.view = StackView(self)
        self.view.setObjectName("layerStack")
        self.view.setModel(self.model)
        self.view.setAccessibleName(self.tr("Layer stack"))
        self.view.configure()

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
        return centre

    def _build_settings_column(self) -> QScrollArea:
        """The selected layer's properties above the training settings, in a scroll area."""
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
        scroll = QScrollArea(self)
        scroll.setWidget(right)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setMinimumWidth(230)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll_refit = ScrollRefit(scroll, self)
        right.installEventFilter(self._scroll_refit)
        return scroll

    def _build_splitters(self, centre: QWidget, settings: QScrollArea) -> None:
        """Palette | stack | settings above summary | problems | explanation."""
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.palette_panel)
        top.addWidget(centre)
        top.addWidget(settings)
        top.setStretchFactor(0, 0)
        top.setStretchFactor(1, 1)
        top.setStretchFactor(2, 0)
        top.setChildrenCollapsible(False)      # the stack's columns need their minimum width
        top.setSizes([225, 595, 340])
        bottom = QSplitter(Qt.Orientation.Horizontal, self)
        bottom.addWidget(self.summary)
        bottom.addWidget(self.problems)
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
