"""Drawing panel (owned by the canvas work; this first version only fixes the interface).

Interface used by the main window:
  CanvasPanel(parent); contains widgets named "drawingCanvas" and "predictionLabel"
  .set_model_path(path)                an ONNX model to recognise drawings with
"""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class CanvasPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        canvas = QWidget(self)
        canvas.setObjectName("drawingCanvas")
        label = QLabel("", self)
        label.setObjectName("predictionLabel")
        layout.addWidget(canvas)
        layout.addWidget(label)

    def set_model_path(self, path: str) -> None:
        pass
