"""Editors for one layer parameter each, generated from the catalogue's Param declarations.

Each parameter kind gets an editor that cannot hold an invalid value: spin boxes clamped to the
declared range, combo boxes for choices, a check box for flags, a pair of spin boxes for kernel
and pool sizes, and a validated line edit for shapes. An editor reports a change only when the
user makes one (programmatic updates are silent), so undo/redo never echoes back as a new edit.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox,
                               QVBoxLayout, QWidget)

from desktop_dl.core.catalogue import Param
from desktop_dl.core.explanations import param_help
from desktop_dl.core.param_labels import param_label

INT_LIMIT = 2**31 - 1
MISSING_VALUE = object()


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
        self._unset_value = None          # what None stands for (param.unset_from's value)
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
            box = compact_combo(parent)
            for choice in p.choices:
                box.addItem(str(choice), choice)
            box.currentIndexChanged.connect(lambda i: self._emit(box.itemData(i)))
            self._set = lambda v: box.setCurrentIndex(max(0, box.findData(v)))
            return box
        if p.kind == "int_or_pair":
            return self._build_pair(parent)
        if p.kind == "factor":
            return self._build_factor(parent)
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

    def _build_factor(self, parent: QWidget) -> QWidget:
        """Keras's augmentation factor as a range "lower to upper": f is shown as −f to f and a
        symmetric range is written back as the number; a parameter that may be unset (None)
        gets an "own range" check box that enables the range."""
        p = self.param
        high = float(p.maximum if p.maximum is not None else 1.0)
        box = QWidget(parent)
        column = QVBoxLayout(box)              # the check box above the range: the panel is narrow
        column.setContentsMargins(0, 0, 0, 0)
        own = None
        if p.unset:
            own = QCheckBox(QCoreApplication.translate("LayerProperties", "own range"), box)
            own.setToolTip(self.help)
            column.addWidget(own)
        layout = QHBoxLayout()
        column.addLayout(layout)
        spins = []
        for end in (QCoreApplication.translate("LayerProperties", "from"),
                    QCoreApplication.translate("LayerProperties", "to")):
            spin = FloatSpinBox(-high, high, parent=box)
            spin.setSingleStep(0.05)
            spin.setAccessibleName(f"{param_label(p.name)} {end}")
            spin.setToolTip(self.help)
            spins.append(spin)
        layout.addWidget(spins[0], 1)
        layout.addWidget(QLabel(QCoreApplication.translate("LayerProperties", "to"), box))
        layout.addWidget(spins[1], 1)
        self.spins = spins          # the layer editor focuses the first one (Enter on a layer)

        def emit(_=None):
            if own is not None and not own.isChecked():
                self._emit(None)
                return
            low, up = spins[0].value(), spins[1].value()
            self._emit(up if math.isclose(low, -up, abs_tol=1e-9) else [low, up])

        def set_value(v):
            enabled = v is not None
            if own is not None:
                own.setChecked(enabled)
            if v is None:
                if own is None:
                    raise TypeError("a range is needed")
                # Show what None means (the height's range), so ticking "own range" alone
                # changes nothing.
                v = self._unset_value if self._unset_value is not None else 0.0
            low, up = (0.0 - float(v), float(v)) if not isinstance(v, (list, tuple)) else map(float, v)
            spins[0].setValue(low)
            spins[1].setValue(up)
            for spin in spins:
                spin.setEnabled(enabled)

        def edited(is_low):
            def handler(_value):
                low, up = spins[0].value(), spins[1].value()
                if low > up:            # the other end follows (its own handler then emits)
                    (spins[1] if is_low else spins[0]).setValue(low if is_low else up)
                    return
                emit()
            return handler

        spins[0].valueChanged.connect(edited(True))
        spins[1].valueChanged.connect(edited(False))
        if own is not None:
            def toggled(checked):
                for spin in spins:
                    spin.setEnabled(checked)
                emit()
            own.toggled.connect(toggled)
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

    def set_unset_value(self, value) -> None:
        """What None stands for (the value of `param.unset_from`); shown while unset (silent)."""
        if value == self._unset_value and type(value) is type(self._unset_value):
            return
        self._unset_value = value
        if self._shown is None:
            self._shown = MISSING_VALUE
            self.set_value(None)

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


def compact_combo(parent: QWidget) -> QComboBox:
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
