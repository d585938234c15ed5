"""Dataset browser panel (owned by the dataset work; this first version only fixes the interface).

Interface used by the main window:
  DatasetBrowser(parent) with objectName "datasetBrowser"
  .useForTraining: Signal(object)      emits a core Dataset when the user picks it for training
  .current_dataset() -> Dataset | None
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class DatasetBrowser(QWidget):
    useForTraining = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("datasetBrowser")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Datasets")))

    def current_dataset(self):
        return None
