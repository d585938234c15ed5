"""Layer editor panel (owned by the layer-editor work; this first version only fixes the interface).

Interface used by the main window:
  LayerEditor(parent) with objectName "layerEditor"
  .undo_stack: QUndoStack             every edit is a command on it
  .spec() -> ModelSpec                 a copy of the current spec
  .set_spec(spec)                      replaces the spec (undoable)
  .specChanged: Signal()               after every edit
  .file_actions() -> list[QAction]     New from template…, Open spec…, Save spec as…
  .adapt_to_dataset(dataset)           input shape / output hint from a chosen dataset
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_dl.core.spec import ModelSpec


class LayerEditor(QWidget):
    specChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("layerEditor")
        self.undo_stack = QUndoStack(self)
        self._spec = ModelSpec((28, 28, 1))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Layer editor")))

    def spec(self) -> ModelSpec:
        return self._spec.copy()

    def set_spec(self, spec: ModelSpec) -> None:
        self._spec = spec.copy()
        self.specChanged.emit()

    def file_actions(self):
        return []

    def adapt_to_dataset(self, dataset) -> None:
        pass
