"""Property panel for the selected layer, generated from the catalogue's parameter declarations.

Each parameter kind gets an editor that cannot hold an invalid value: spin boxes clamped to the
declared range, combo boxes for choices, a check box for flags, a pair of spin boxes for kernel
and pool sizes, and a validated line edit for shapes. An editor reports a change only when the
user makes one (programmatic updates are silent), so undo/redo never echoes back as a new edit.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QSpinBox, QVBoxLayout, QWidget)

from desktop_dl.core.catalogue import CATALOGUE, LayerType, Param
from desktop_dl.core.explanations import layer_help, param_help
from desktop_dl.core.param_labels import param_label
from desktop_dl.ui.editor.layer_icons import ERROR_BACKGROUND, ERROR_COLOUR

INT_LIMIT = 2**31 - 1
MISSING_VALUE = object()


# -- editors -----------------------------------------------------------------------------------------
class FloatSpinBox(QDoubleSpinBox):
    """A float spin box that shows values compactly (0.001, 1e-07, 0.00392157) and, for ranges
    spanning decades (learning rates, epsilons), steps along 1-2-5 instead of by a fixed amount."""

    def __init__(self, minimum: float, maximum: float, log_steps: bool = False, parent=None):
        super().__init__(parent)
        self.setDecimals(12)                # precision; the text is formatted by textFromValue
        self.setRange(minimum, maximum)
        self._log = log_steps
        self.setSingleStep(0.05 if maximum - minimum <= 1 else 0.1)
        self.setKeyboardTracking(False)     # one edit when the user finishes typing, not per key

    def textFromValue(self, value: float) -> str:
        return f"{value:.6g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.strip())
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        stripped = text.strip()
        if stripped in ("", "-", "+", ".", "-.", "+."):
            return QValidator.State.Intermediate, text, pos
        if stripped.lower().endswith(("e", "e-", "e+")):
            return QValidator.State.Intermediate, text, pos
        try:
            value = float(stripped)
        except ValueError:
            return QValidator.State.Invalid, text, pos
        if not math.isfinite(value):
            return QValidator.State.Invalid, text, pos
        if self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def stepBy(self, steps: int) -> None:
        if not self._log:
            super().stepBy(steps)
            return
        value = self.value()
        for _ in range(abs(steps)):
            value = _next_125(value, up=steps > 0)
        self.setValue(min(max(value, self.minimum()), self.maximum()))


def _next_125(value: float, up: bool) -> float:
    """The next value on the 1, 2, 5, 10, 20, ... ladder above (or below) `value`."""
    if value <= 0:
        return 1e-6 if up else 0.0
    exponent = math.floor(math.log10(value))
    ladder = [m * 10.0 ** e for e in (exponent - 1, exponent, exponent + 1) for m in (1, 2, 5)]
    if up:
        return min((v for v in ladder if v > value * (1 + 1e-9)), default=value)
    return max((v for v in ladder if v < value * (1 - 1e-9)), default=value)


class ParamEditor:
    """One parameter's editor: `widget`, `set_value(v)` (silent), and `on_edit(value)` callback."""

    def __init__(self, param: Param, on_edit: Callable[[str, Any], None], parent: QWidget,
                 layer: str = ""):
        self.param = param
        # What the parameter means, in the interface language (resources/explanations/layers.json).
        self.help = param_help(layer, param.name) or param.help
        self._on_edit = on_edit
        self._silent = False
        self._shown = MISSING_VALUE
        self.widget = self._build(parent)
        self.widget.setToolTip(self.help)
        self.widget.setObjectName(f"param_{param.name}")
        self.widget.setAccessibleName(param_label(param.name))
        self.widget.setAccessibleDescription(self.widget.toolTip())

    def _emit(self, value) -> None:
        if not self._silent:
            self._shown = value
            self._on_edit(self.param.name, value)

    def _build(self, parent: QWidget) -> QWidget:
        p = self.param
        if p.kind == "int":
            box = QSpinBox(parent)
            box.setRange(int(p.minimum if p.minimum is not None else -INT_LIMIT),
                         int(p.maximum if p.maximum is not None else INT_LIMIT))
            box.setKeyboardTracking(False)
            box.setGroupSeparatorShown(True)
            box.valueChanged.connect(self._emit)
            self._set = box.setValue
            return box
        if p.kind == "float":
            lo = p.minimum if p.minimum is not None else -1e9
            hi = p.maximum if p.maximum is not None else 1e9
            box = FloatSpinBox(lo, hi, log_steps=lo > 0 and hi / lo >= 1e3, parent=parent)
            box.valueChanged.connect(self._emit)
            self._set = box.setValue
            return box
        if p.kind == "bool":
            box = QCheckBox(param_label(p.name), parent)
            box.toggled.connect(self._emit)
            self._set = box.setChecked
            return box
        if p.kind == "choice":
            box = _combo(parent)
            for choice in p.choices:
                box.addItem(str(choice), choice)
            box.currentIndexChanged.connect(lambda i: self._emit(box.itemData(i)))
            self._set = lambda v: box.setCurrentIndex(max(0, box.findData(v)))
            return box
        if p.kind == "int_or_pair":
            return self._build_pair(parent)
        if p.kind == "shape":
            return self._build_shape(parent)
        raise ValueError(f"unknown parameter kind {p.kind!r} for {p.name}")

    def _build_pair(self, parent: QWidget) -> QWidget:
        p = self.param
        box = QWidget(parent)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        spins = []
        for name in (QCoreApplication.translate("LayerProperties", "height"), QCoreApplication.translate("LayerProperties", "width")):
            spin = QSpinBox(box)
            spin.setRange(int(p.minimum or 1), int(p.maximum or 1024))
            spin.setKeyboardTracking(False)
            spin.setAccessibleName(f"{param_label(p.name)} {name}")
            spin.setToolTip(self.help)
            spins.append(spin)
        times = QLabel("×", box)
        layout.addWidget(spins[0], 1)
        layout.addWidget(times)
        layout.addWidget(spins[1], 1)
        self.spins = spins

        def emit(_=None):
            h, w = spins[0].value(), spins[1].value()
            self._emit(h if h == w else [h, w])

        def set_value(v):
            h, w = (v, v) if isinstance(v, int) else tuple(v)
            if not (isinstance(h, int) and isinstance(w, int)):
                raise TypeError("pair of whole numbers expected")
            spins[0].setValue(h)
            spins[1].setValue(w)

        for spin in spins:
            spin.valueChanged.connect(emit)
        self._set = set_value
        return box

    def _build_shape(self, parent: QWidget) -> QWidget:
        edit = QLineEdit(parent)
        validator = ShapeValidator(allow_free=(self.param.name == "shape"),
                                   allow_minus_one=(self.param.minimum is not None and self.param.minimum < 0),
                                   maximum=int(self.param.maximum or INT_LIMIT), parent=edit)
        edit.setValidator(validator)
        edit.setPlaceholderText("28, 28, 1")
        self._last_shape_text = ""

        def finished():
            shape = validator.parse(edit.text())
            if shape is None:
                edit.setText(self._last_shape_text)
                return
            self._last_shape_text = format_shape_text(shape)
            edit.setText(self._last_shape_text)
            self._emit(shape)

        def set_value(v):
            self._last_shape_text = format_shape_text(tuple(v))
            edit.setText(self._last_shape_text)

        validator.restore = lambda: self._last_shape_text
        edit.editingFinished.connect(finished)
        self._set = set_value
        return edit

    def set_value(self, value) -> None:
        if value == self._shown and type(value) is type(self._shown):
            return                  # unchanged: no needless repaint after every edit
        self._shown = value
        self._silent = True
        try:
            self._set(value)
        except (TypeError, ValueError, OverflowError):
            # A hand-edited spec may hold a value of the wrong kind ("abc" units): show the
            # default; the stack already marks the layer with the problem.
            try:
                self._set(self.param.default)
            except (TypeError, ValueError, OverflowError):
                pass
        finally:
            self._silent = False


def _combo(parent: QWidget) -> QComboBox:
    # Long choices (sparse_categorical_crossentropy) must not widen the whole panel.
    box = QComboBox(parent)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(8)
    return box


def format_shape_text(shape: tuple) -> str:
    return ", ".join("None" if d is None else str(d) for d in shape)


class ShapeValidator(QValidator):
    """Accepts "28, 28, 1" (parentheses optional); None or an empty size for a free dimension
    where allowed; one -1 where allowed (Reshape). Anything else cannot be typed or is put back."""

    def __init__(self, allow_free: bool, allow_minus_one: bool, maximum: int, parent=None):
        super().__init__(parent)
        self.allow_free = allow_free
        self.allow_minus_one = allow_minus_one
        self.maximum = maximum
        self.restore: Callable[[], str] = lambda: ""

    def parse(self, text: str) -> tuple | None:
        body = text.strip().strip("()[]").strip()
        if not body:
            return None
        parts = [s.strip() for s in body.split(",")]
        if parts and parts[-1] == "" and len(parts) > 1:
            parts = parts[:-1]          # "(784,)" is Python's way of writing a 1-tuple
        shape = []
        for part in parts:
            if part in ("", "None", "none") and self.allow_free:
                shape.append(None)
                continue
            try:
                value = int(part)
            except ValueError:
                return None
            if value == -1 and self.allow_minus_one:
                shape.append(-1)
            elif 1 <= value <= self.maximum:
                shape.append(value)
            else:
                return None
        if shape.count(-1) > 1 or all(d is None for d in shape):
            return None
        return tuple(shape)

    def validate(self, text: str, pos: int):
        allowed = set("0123456789, ()[]-") | (set("Nnoe") if self.allow_free else set())
        if any(ch not in allowed for ch in text):
            return QValidator.State.Invalid, text, pos
        if self.parse(text) is not None:
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Intermediate, text, pos

    def fixup(self, text: str) -> str:
        return self.restore()


# -- the layer panel -----------------------------------------------------------------------------
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
        self.optimizer = _combo(self)
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
        self.loss = _combo(self)
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
