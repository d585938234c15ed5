"""Training panel (owned by the training work; this first version only fixes the interface).

Interface used by the main window:
  TrainingPanel(parent) with objectName "trainingPanel"; contains a pyqtgraph plot "lossPlot"
  .set_spec_source(callable() -> ModelSpec)
  .set_dataset(dataset)
  .modelReady: Signal(str)             path of the ONNX export of a finished run
  .shutdown()                          stops a running job before the window closes
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class TrainingPanel(QWidget):
    modelReady = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trainingPanel")
        self._spec_source = None
        self._dataset = None
        layout = QVBoxLayout(self)
        import pyqtgraph as pg
        self.loss_plot = pg.PlotWidget()
        self.loss_plot.setObjectName("lossPlot")
        layout.addWidget(self.loss_plot)

    def set_spec_source(self, source) -> None:
        self._spec_source = source

    def set_dataset(self, dataset) -> None:
        self._dataset = dataset

    def shutdown(self) -> None:
        pass
