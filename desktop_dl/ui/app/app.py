"""Application start-up: QApplication, settings names, the main window. No TensorFlow here."""
from __future__ import annotations

import os
import sys
import time

_T0 = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop_dl import APP_NAME, ORG_NAME, __version__
    from desktop_dl.paths import resource

    app = QApplication.instance() or QApplication(sys.argv if argv is None else argv)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("desktop-dl")
    app.setWindowIcon(QIcon(str(resource("icons", "desktop_dl.svg"))))
    # Log to user_data_dir()/logs and catch what nothing else caught: logged, shown, survived.
    from desktop_dl.app_logging import enable_fault_log, setup_logging
    from desktop_dl.ui.base.error_reporting import ErrorReporter
    setup_logging()
    enable_fault_log()
    reporter = ErrorReporter(app).install()  # noqa: F841 (parented to the app, lives as long)
    # Translators go in before any widget exists: widgets set their texts when built.
    from desktop_dl.ui.base.i18n import setup_language
    setup_language(app)
    # Keras reads its backend once, at first import: choose it before anything imports Keras.
    from desktop_dl.ui.app.preferences import apply_backend_preference
    apply_backend_preference()
    from desktop_dl.ui.app.main_window import MainWindow

    window = MainWindow()
    window.show()
    if os.environ.get("DESKTOP_DL_QUIT_AFTER_SHOW") == "1":
        # For smoke tests of installed bundles: prove the window opens, then leave.
        from PySide6.QtCore import QTimer

        def report_and_quit():
            print(f"window shown {time.perf_counter() - _T0:.2f} s after start", flush=True)
            app.quit()
        QTimer.singleShot(0, report_and_quit)
    else:
        # Once the window is up, start the training process (it imports TensorFlow there), so
        # the first run does not wait for it and the window never pays for it.
        from PySide6.QtCore import QTimer
        QTimer.singleShot(1000, window.training.warm_up)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
