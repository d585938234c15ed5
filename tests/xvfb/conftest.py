"""The real-window suite: Qt's xcb platform on a real X server (Xvfb in CI), input from
xdotool. tests/conftest.py leaves this folder out unless QT_QPA_PLATFORM is xcb; .ci/run runs
it in its own step:
    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb python -m pytest tests/xvfb
"""
import os
import shutil

import pytest


def pytest_configure(config):
    if os.environ.get("QT_QPA_PLATFORM") != "xcb" or not os.environ.get("DISPLAY"):
        raise pytest.UsageError("tests/xvfb need a real X server: run them as "
                                "xvfb-run -a -s '-screen 0 1920x1080x24' env QT_QPA_PLATFORM=xcb "
                                "python -m pytest tests/xvfb")
    if shutil.which("xdotool") is None:
        raise pytest.UsageError("tests/xvfb need xdotool (apt-get install xdotool)")


@pytest.fixture
def real_window(qtbot):
    """The main window on the X server at 1280×800, in front, with keyboard focus."""
    from PySide6.QtWidgets import QApplication

    from desktop_dl.ui.app.main_window import MainWindow

    assert QApplication.platformName() == "xcb"
    window = MainWindow()
    # Questions (Save changes? Recover?) take their safe answer: nobody answers them here.
    window.project.prompts.interactive = False
    qtbot.addWidget(window)
    window.move(0, 0)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    yield window
    window.close()
