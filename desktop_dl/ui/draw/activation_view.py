"""What the network sees: the first layer's filters, every convolution layer's activation maps
and every dense layer's values, for the drawing on the canvas.

The numbers come from engine.activation_model (ONNX Runtime, one call per update); this widget
only turns arrays into pictures. Maps of one layer share one colour scale, so a bright map is a
strongly responding filter relative to its neighbours.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop_dl.ui.widgets.array_image_view import (ACTIVATION_LUT, DIVERGING_LUT, ArrayImageView,
                                            mosaic, mosaic_layout)

DENSE_COLUMNS = 16


def _dense_grid(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(units,) → rows of at most 16 cells, and the mask of the padding cells."""
    units = values.size
    columns = min(units, DENSE_COLUMNS) or 1
    rows = int(np.ceil(units / columns))
    grid = np.zeros(rows * columns, np.float32)
    grid[:units] = values
    gaps = np.arange(rows * columns) >= units
    return grid.reshape(rows, columns), gaps.reshape(rows, columns)


class ActivationView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("activationView")
        self.setAccessibleName(self.tr("What the network sees"))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 6, 6, 6)
        self._layout.setSpacing(4)
        self._model = None
        self._sections: list[tuple[object, QLabel, ArrayImageView]] = []
        self.filters_view: ArrayImageView | None = None
        self._placeholder = QLabel(self.tr("Open or train a model to see inside it."), self)
        self._placeholder.setWordWrap(True)
        self._layout.addWidget(self._placeholder)
        self._layout.addStretch(1)

    # -- model --------------------------------------------------------------------------------------
    def set_model(self, model) -> None:
        """An engine.activation_model.ActivationModel, or None."""
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget()
            if widget is not None:
                widget.hide()           # gone now, not at the next trip through the event loop
                widget.deleteLater()
        self._sections = []
        self.filters_view = None
        self._model = model
        if model is None:
            self._placeholder = QLabel(self.tr("Open or train a model to see inside it."), self)
            self._placeholder.setWordWrap(True)
            self._layout.addWidget(self._placeholder)
            self._layout.addStretch(1)
            return
        if model.filters is not None:
            first = model.layers[0]
            if first.kind == "conv":
                text = self.tr("First layer's filters (%s): %d kernels of %d×%d; blue negative, red positive") % (
                    first.title, model.filters.shape[0], model.filters.shape[1], model.filters.shape[2])
            else:
                text = self.tr("First layer's weights (%s): what each of %d units looks for") % (
                    first.title, model.filters.shape[0])
            self._layout.addWidget(self._title(text))
            self.filters_view = ArrayImageView(self, minimum=48, max_scale=5)
            limit = float(np.abs(model.filters).max()) or 1.0
            self.filters_view.set_array(mosaic(model.filters), DIVERGING_LUT, -limit, limit)
            self.filters_view.setAccessibleName(self.tr("First layer's filters"))
            self._layout.addWidget(self.filters_view)
        for layer in model.layers:
            title = self._title(self._describe(layer))
            if layer.kind == "dense":
                view = ArrayImageView(self, minimum=16, max_scale=18)
            else:
                view = ArrayImageView(self, minimum=48, max_scale=3 if max(layer.shape[1:] or (1,)) > 12 else 6)
            view.setObjectName("activation_" + layer.title.replace(" ", "_"))
            view.setAccessibleName(layer.title)
            self._layout.addWidget(title)
            self._layout.addWidget(view)
            self._sections.append((layer, title, view))
        self._layout.addStretch(1)

    def _title(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _describe(self, layer) -> str:
        act = f", {layer.activation.lower()}" if layer.activation else ""
        if layer.kind == "conv" and len(layer.shape) == 3:
            c, h, w = layer.shape
            return self.tr("%s: %d maps of %d×%d%s") % (layer.title, c, h, w, act)
        units = layer.shape[0] if layer.shape else 0
        return self.tr("%s: %d values%s") % (layer.title, units, act)

    # -- values -------------------------------------------------------------------------------------
    def show_activations(self, activations) -> None:
        """One array per layer, as ActivationModel.run gives them; None blanks the view."""
        if activations is None:
            for _, _, view in self._sections:
                view.set_array(None)
            return
        for (layer, _, view), values in zip(self._sections, activations):
            values = np.asarray(values, np.float32)
            low = float(values.min()) if values.size else 0.0
            high = float(values.max()) if values.size else 1.0
            if layer.kind == "conv":
                _, gaps, _ = mosaic_layout(*values.shape)
                grid = mosaic(values, fill=0.0)
            else:
                grid, gaps = _dense_grid(values.ravel())
            if layer.activation == "Softmax":
                view.set_array(grid, ACTIVATION_LUT, 0.0, 1.0, gaps)
            elif low < -1e-6:
                limit = max(abs(low), abs(high)) or 1.0
                view.set_array(grid, DIVERGING_LUT, -limit, limit, gaps)
            else:
                view.set_array(grid, ACTIVATION_LUT, 0.0, high if high > 1e-6 else 1.0, gaps)

    def sections(self) -> list[tuple[object, ArrayImageView]]:
        """(layer, view) pairs, in the model's order (tests)."""
        return [(layer, view) for layer, _, view in self._sections]
