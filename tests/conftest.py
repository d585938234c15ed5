"""Shared test set-up: headless Qt, and user folders/settings that never touch the real home."""
import os
import tempfile

# Before Qt or TensorFlow load: headless Qt, quiet TensorFlow, private settings and data folders.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
_home = tempfile.mkdtemp(prefix="desktop_dl-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_home, "config")
os.environ["DESKTOP_DL_DATA"] = os.path.join(_home, "data")
os.environ.setdefault("DESKTOP_DL_LANG", "en")

import pytest  # noqa: E402


@pytest.fixture
def main_window(qtbot):
    """The real main window, shown offscreen, closed after the test."""
    from desktop_dl.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
