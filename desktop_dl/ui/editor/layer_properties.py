"""Property panels of the layer editor: the selected layer's settings (one editor per catalogue
parameter, from ui/editor/param_editors.py) and the model's training settings."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop_dl.core.catalogue import CATALOGUE, LayerType
from desktop_dl.core.explanations import layer_help
from desktop_dl.core.param_labels import param_label
from desktop_dl.ui.editor.layer_icons import ERROR_BACKGROUND, ERROR_COLOUR
# Re-exported: the editors lived here before they moved to param_editors.py.
from desktop_dl.ui.editor.param_editors import (INT_LIMIT, MISSING_VALUE, FloatSpinBox, ParamEditor,
                                                ShapeValidator, compact_combo, format_shape_text)

__all__ = ["CompileSettingsPanel", "FloatSpinBox", "INT_LIMIT", "LayerPropertiesPanel", "MISSING_VALUE",
           "ParamEditor", "ShapeValidator", "format_shape_text", "input_layer_type"]


class LayerPropertiesPanel(QWidget):
    """Shows and edits the parameters of one layer (or of the input)."""

    paramEdited = Signal(str, str, object)   # uid ("" for the input), parameter name, new value

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("layerProperties")
        self._uid: str | None = None
        self._type: LayerType | None = None
        self.editors: dict[str, ParamEditor] = {}

        self.title = QLabel(self)
        self.title.setObjectName("propertiesTitle")
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.help = QLabel(self)
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: #555;")
        self.error = QLabel(self)
        self.error.setObjectName("propertiesError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR}; background: {ERROR_BACKGROUND}; "
                                 "border-radius: 4px; padding: 6px;")
        self.error.hide()
        self.form_host = QWidget(self)
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 4, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.empty = QLabel(self.tr("This layer has no settings."), self)
        self.empty.setStyleSheet("color: palette(mid);")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.help)
        layout.addWidget(self.error)
        layout.addWidget(self.form_host)
        layout.addWidget(self.empty)
        self.show_nothing()

    def current_uid(self) -> str | None:
        return self._uid

    def show_nothing(self) -> None:
        self._clear()
        self._uid, self._type = None, None
        self.title.setText(self.tr("No layer selected"))
        self.help.setText(self.tr("Select a layer in the stack to change its settings."))
        self.error.hide()
        self.empty.hide()

    def show_layer(self, uid: str, layer_type: LayerType, params: dict, error: str = "") -> None:
        """Show `params` of a layer; rebuilds the editors only when the layer itself changes."""
        if uid != self._uid or layer_type is not self._type:
            self._clear()
            self._uid, self._type = uid, layer_type
            self.title.setText(self.tr("Input") if layer_type.name == "Input" else layer_type.name)
            self.help.setText(layer_help(layer_type.name))
            for param in layer_type.params:
                editor = ParamEditor(param, self._edited, self.form_host, layer_type.name)
                self.editors[param.name] = editor
                label = "" if param.kind == "bool" else param_label(param.name)
                self.form.addRow(label, editor.widget)
                if label:
                    self.form.labelForField(editor.widget).setToolTip(editor.widget.toolTip())
                # Shown now, not on Qt's queued show, so Enter in the stack can focus it at once.
                editor.widget.show()
            self.empty.setVisible(not layer_type.params)
        full = layer_type.complete(params) if hasattr(layer_type, "complete") else {**layer_type.defaults(), **params}
        for name, editor in self.editors.items():
            if editor.param.unset_from:
                editor.set_unset_value(full.get(editor.param.unset_from))
            editor.set_value(full.get(name, editor.param.default))
        self.error.setText(error)
        self.error.setVisible(bool(error))

    def _clear(self) -> None:
        self.editors.clear()
        while self.form.rowCount():
            # deleteLater: an editor may be inside its own signal when the layer changes.
            row = self.form.takeRow(0)
            for item in (row.labelItem, row.fieldItem):
                widget = item.widget() if item is not None else None
                if widget is not None:
                    widget.hide()
                    widget.setParent(None)     # out of findChild's reach at once
                    widget.deleteLater()

    def _edited(self, name: str, value) -> None:
        if self._uid is not None:
            self.paramEdited.emit(self._uid, name, value)


def input_layer_type() -> LayerType:
    return CATALOGUE["Input"]


# -- compile settings ----------------------------------------------------------------------------
class CompileSettingsPanel(QWidget):
    """Optimizer, learning rate and loss ("auto" follows the output rules shown beneath)."""

    compileEdited = Signal(str, object)   # field name, the new CompileSpec

    def __init__(self, parent=None):
        super().__init__(parent)
        from desktop_dl.core.losses import LOSSES
        from desktop_dl.engine.keras_build import OPTIMIZERS  # imports no Keras at module level

        self.setObjectName("compileSettings")
        self._compile = None
        self._silent = False
        self.optimizer = compact_combo(self)
        self.optimizer.setObjectName("optimizerCombo")
        for name in OPTIMIZERS:
            self.optimizer.addItem(name, name)
        self.optimizer.setToolTip(self.tr("How the weights are updated from the gradients. Adam is "
                                          "a safe default; RMSprop and SGD appear in the classic "
                                          "tutorials."))
        self.learning_rate = FloatSpinBox(1e-6, 1.0, log_steps=True, parent=self)
        self.learning_rate.setObjectName("learningRateSpin")
        self.learning_rate.setToolTip(self.tr("Size of each update step. Typical: 0.001 for Adam "
                                              "and RMSprop, 0.01 for SGD. Too large: the loss jumps "
                                              "around; too small: training crawls."))
        self.loss = compact_combo(self)
        self.loss.setObjectName("lossCombo")
        self.loss.addItem(self.tr("auto (from the output layer)"), "auto")
        for name in LOSSES:
            self.loss.addItem(name, name)
        self.loss.setToolTip(self.tr("What training minimises. \"auto\" picks the loss that fits "
                                     "the output layer and the dataset's task."))
        self.rule = QLabel(self)
        self.rule.setObjectName("lossRule")
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("color: #555; padding-top: 2px;")

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Optimizer"), self.optimizer)
        form.addRow(self.tr("Learning rate"), self.learning_rate)
        form.addRow(self.tr("Loss"), self.loss)
        form.addRow(self.rule)

        self.optimizer.currentIndexChanged.connect(lambda _: self._edited("optimizer"))
        self.learning_rate.valueChanged.connect(lambda _: self._edited("learning_rate"))
        self.loss.currentIndexChanged.connect(lambda _: self._edited("loss"))

    def show_compile(self, compile_spec, rule_text: str) -> None:
        if self._compile is not None and (compile_spec.to_dict(), rule_text) == (
                self._compile.to_dict(), self.rule.text()):
            self._compile = compile_spec
            return                  # unchanged: no needless repaint after every edit
        self._compile = compile_spec
        self._silent = True
        try:
            index = self.optimizer.findData(compile_spec.optimizer.lower())
            if index < 0:   # a spec from elsewhere may name another optimizer: show it as it is
                self.optimizer.addItem(compile_spec.optimizer, compile_spec.optimizer)
                index = self.optimizer.count() - 1
            self.optimizer.setCurrentIndex(index)
            self.learning_rate.setValue(compile_spec.learning_rate)
            index = self.loss.findData(compile_spec.loss)
            if index < 0:
                self.loss.addItem(compile_spec.loss, compile_spec.loss)
                index = self.loss.count() - 1
            self.loss.setCurrentIndex(index)
        finally:
            self._silent = False
        self.rule.setText(rule_text)

    def _edited(self, field: str) -> None:
        if self._silent or self._compile is None:
            return
        from desktop_dl.core.spec import CompileSpec

        new = CompileSpec(**self._compile.to_dict())
        if field == "optimizer":
            new.optimizer = self.optimizer.currentData()
        elif field == "learning_rate":
            new.learning_rate = float(self.learning_rate.value())
        elif field == "loss":
            new.loss = self.loss.currentData()
        self.compileEdited.emit(field, new)
