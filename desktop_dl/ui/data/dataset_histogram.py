"""Class histogram of a dataset (bars per class), or a value histogram for a regression target."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg


class ClassHistogram(pg.PlotWidget):
    """Bars that show how many samples each class has; `heights()` gives what is drawn."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("classHistogram")
        self.setBackground(None)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.showGrid(y=True, alpha=0.25)
        self.setMinimumHeight(90)
        self._bars: pg.BarGraphItem | None = None
        self._heights = np.zeros(0)
        self._labels: list[str] = []

    def heights(self) -> np.ndarray:
        return self._heights.copy()

    def labels(self) -> list[str]:
        return list(self._labels)

    def show_dataset(self, dataset) -> None:
        self.clear()
        self._bars = None
        bottom = self.getAxis("bottom")
        if dataset is None:
            self._heights, self._labels = np.zeros(0), []
            return
        if dataset.is_classification():
            counts = dataset.class_counts().astype(float)
            names = list(dataset.class_names)
            x = np.arange(len(counts))
            self._bars = pg.BarGraphItem(x=x, height=counts, width=0.7, brush=pg.mkBrush(70, 130, 200))
            step = max(1, len(names) // 20)   # keep tick labels readable for many classes
            bottom.setTicks([[(i, names[i]) for i in range(0, len(names), step)]])
            self.setLabel("bottom", self.tr("class"))
            self._labels = names
        else:
            values = np.asarray(dataset.labels, dtype=float)
            counts, edges = np.histogram(values, bins=min(30, max(5, len(values) // 10)))
            counts = counts.astype(float)
            x = (edges[:-1] + edges[1:]) / 2
            self._bars = pg.BarGraphItem(x=x, height=counts, width=(edges[1] - edges[0]) * 0.9,
                                         brush=pg.mkBrush(90, 160, 110))
            bottom.setTicks(None)
            self.setLabel("bottom", self.tr("target value"))
            self._labels = [f"{v:.3g}" for v in x]
        self._heights = counts
        self.addItem(self._bars)
        self.setLabel("left", self.tr("samples"))
        self.enableAutoRange()
