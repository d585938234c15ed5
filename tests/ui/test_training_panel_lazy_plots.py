"""The Train tab builds its pyqtgraph curves on first show or use, not at start-up (issue 18)."""
from PySide6.QtWidgets import QWidget

from desktop_dl.ui.train.training_panel import TrainingPanel


def test_curves_are_built_when_the_tab_first_shows(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    assert panel.findChild(QWidget, "lossPlot") is None
    panel.show()
    qtbot.waitExposed(panel)
    plot = panel.findChild(QWidget, "lossPlot")
    assert plot is not None and plot is panel.loss_plot
    assert panel.results_tabs.widget(0).isAncestorOf(plot)


def test_first_use_builds_the_curves_once_with_the_ticked_runs(qtbot):
    panel = TrainingPanel()
    qtbot.addWidget(panel)
    plots = panel.plots
    assert panel.plots is plots and panel.findChild(QWidget, "lossPlot") is plots.loss_plot
    assert plots.overlay_count() == 0
