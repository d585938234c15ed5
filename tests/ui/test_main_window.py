import sys

from PySide6.QtWidgets import QWidget

AREAS = ["layerEditor", "datasetBrowser", "trainingPanel", "drawingCanvas", "predictionLabel", "lossPlot"]


def test_window_has_its_four_areas_by_object_name(main_window):
    _ = main_window.training.plots      # the Train tab's curves are built on first show or use
    for name in AREAS:
        assert main_window.findChild(QWidget, name) is not None, name
    titles = [main_window.tabs.tabText(i) for i in range(main_window.tabs.count())]
    assert len(titles) == 5 and titles[0] == "Start"


def test_menus_exist(main_window):
    menus = [a.text().replace("&", "") for a in main_window.menuBar().actions()]
    for expected in ("File", "Edit", "View", "Help"):
        assert expected in menus


def test_window_geometry_is_remembered(qtbot):
    from desktop_dl.ui.app.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    first.resize(first.minimumSizeHint().width() + 40, first.minimumSizeHint().height() + 30)
    first.tabs.setCurrentIndex(2)
    size = first.size()
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    assert second.size() == size
    assert second.tabs.currentIndex() == 2
    second.tabs.setCurrentIndex(0)
    second.close()


def test_opening_the_window_does_not_import_tensorflow():
    import subprocess
    code = ("import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
            "from PySide6.QtWidgets import QApplication\n"
            "app = QApplication([])\n"
            "from desktop_dl.ui.app.main_window import MainWindow\n"
            "w = MainWindow(); w.show(); app.processEvents()\n"
            "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-2:] == ["False", "False"], out.stdout
