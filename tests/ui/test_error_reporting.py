"""Uncaught exceptions are logged and shown with a "Copy details" button; the window survives."""
import logging
import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from desktop_dl.app_logging import log_file, setup_logging
from desktop_dl.core.errors import DatasetError
from desktop_dl.ui.base.error_reporting import ErrorDialog, ErrorReporter, show_user_error


@pytest.fixture
def reporter(qtbot):
    setup_logging()
    rep = ErrorReporter().install()
    yield rep
    rep.uninstall()
    if rep.dialog is not None:
        rep.dialog.close()


def _log_text() -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log_file().read_text(encoding="utf-8")


def test_an_exception_in_a_slot_is_logged_and_shown_and_the_app_goes_on(qtbot, reporter):
    def broken_slot():
        raise ZeroDivisionError("the answer divided by nothing")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=3000)
    dialog = reporter.dialog
    assert "ZeroDivisionError: the answer divided by nothing" in dialog.message_label.text()
    assert "Traceback" in dialog.details and "broken_slot" in dialog.details
    assert "the answer divided by nothing" in _log_text()

    dialog.findChild(QPushButton, "copyDetails").click()
    assert "broken_slot" in QApplication.clipboard().text()
    assert dialog.isVisible()            # copying keeps the dialog open

    # a second error while the first dialog is open is counted in it, not stacked
    QTimer.singleShot(0, lambda: 1 / 0)
    qtbot.waitUntil(lambda: dialog.extra == 1, timeout=3000)
    assert reporter.dialog is dialog and "1 more error(s)" in dialog.more_label.text()
    assert QApplication.instance() is not None


def test_an_exception_in_a_worker_thread_reaches_the_gui(qtbot, reporter):
    def work():
        raise RuntimeError("worker fell over")

    thread = threading.Thread(target=work, name="importer")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None, timeout=3000)
    assert "worker fell over" in reporter.dialog.message_label.text()
    assert "thread importer" in _log_text()


def test_user_errors_show_their_own_message(qtbot, reporter):
    QTimer.singleShot(0, lambda: (_ for _ in ()).throw(DatasetError("wine.csv has no column \u201cquality\u201d.")))
    qtbot.waitUntil(lambda: reporter.dialog is not None, timeout=3000)
    assert reporter.dialog.message_label.text() == "wine.csv has no column \u201cquality\u201d."
    assert "wine.csv has no column" in _log_text()


def test_message_boxes_shown_by_panels_are_logged(qtbot, reporter):
    box = QMessageBox(QMessageBox.Icon.Warning, "Import", "faces.npz holds no array named x.")
    qtbot.addWidget(box)
    box.open()
    qtbot.waitUntil(box.isVisible)
    box.close()
    assert "Import: faces.npz holds no array named x." in _log_text()
    shown = show_user_error(None, "The batch size must be at least 1.", "Training")
    qtbot.waitUntil(shown.isVisible)
    shown.close()
    assert "Training: The batch size must be at least 1." in _log_text()


def test_uninstall_restores_the_hooks(qtbot):
    import sys
    before = sys.excepthook, threading.excepthook
    rep = ErrorReporter().install()
    assert sys.excepthook != before[0]
    rep.uninstall()
    assert (sys.excepthook, threading.excepthook) == before


def test_dialog_details_toggle(qtbot):
    dialog = ErrorDialog("t", "m", "line 1\nline 2")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.details_view.isVisible()
    dialog.toggle_button.click()
    assert dialog.details_view.isVisible() and dialog.details_view.toPlainText() == "line 1\nline 2"


def test_errors_shown_in_panel_banners_are_logged(qtbot):
    from desktop_dl.ui.data.dataset_browser import DatasetBrowser
    setup_logging()
    browser = DatasetBrowser()
    qtbot.addWidget(browser)
    browser.show_error("'faces.csv' has no column named 'label'.")
    assert "datasets: 'faces.csv' has no column named 'label'." in _log_text()


def test_a_hard_crash_leaves_a_traceback_in_the_crash_log(tmp_path):
    import os
    import subprocess
    import sys
    code = ("import ctypes\nfrom desktop_dl.app_logging import enable_fault_log\n"
            "enable_fault_log()\nctypes.string_at(0)\n")
    env = {**os.environ, "DESKTOP_DL_DATA": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=60)
    assert result.returncode != 0
    crash = (tmp_path / "logs" / "crash.log").read_text()
    assert "Segmentation fault" in crash and "string_at" in crash
