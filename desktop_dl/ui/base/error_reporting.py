"""Errors reach the user, the log, and never take the window down.

`ErrorReporter.install()` replaces sys.excepthook (exceptions in slots and event handlers on the GUI
thread) and threading.excepthook (worker threads). Each exception is logged with its traceback,
then shown in an `ErrorDialog` with the message and a "Copy details" button. Dialogs are
non-blocking and never stack up: while one is open, further errors are counted in it.

Every warning or critical QMessageBox the app shows is logged as well (an application event
filter sees them appear), so errors that panels report themselves reach the log without each
panel having to remember. `show_user_error()` is the one-call way for panels to do both.
"""
from __future__ import annotations

import logging
import sys
import threading
import traceback

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QMessageBox, QPlainTextEdit, QPushButton, QStyle, QVBoxLayout,
                               QWidget)

from desktop_dl.app_logging import log_file, log_user_error
from desktop_dl.core.errors import UserError

log = logging.getLogger(__name__)


class ErrorDialog(QDialog):
    """Message, a "Copy details" button that keeps the dialog open, and the details themselves."""

    def __init__(self, title: str, message: str, details: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle(title)
        self.details = details
        self.extra = 0

        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message_label = QLabel(message, self)
        self.message_label.setObjectName("errorMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setMinimumWidth(420)
        self.more_label = QLabel(self)
        self.more_label.setVisible(False)

        self.details_view = QPlainTextEdit(details, self)
        self.details_view.setObjectName("errorDetails")
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setVisible(False)
        self.details_view.setMinimumHeight(180)
        self.details_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.copy_button = QPushButton(self.tr("Copy details"), self)
        self.copy_button.setObjectName("copyDetails")
        self.toggle_button = QPushButton(self.tr("Show details"), self)
        self.toggle_button.setCheckable(True)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        self.toggle_button.toggled.connect(self._toggle_details)
        buttons.accepted.connect(self.accept)

        top = QHBoxLayout()
        top.addWidget(icon)
        text = QVBoxLayout()
        text.addWidget(self.message_label)
        text.addWidget(self.more_label)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)

    @Slot()
    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(self.tr("Copied"))

    def _toggle_details(self, shown: bool) -> None:
        self.details_view.setVisible(shown)
        self.toggle_button.setText(self.tr("Hide details") if shown else self.tr("Show details"))
        self.adjustSize()

    def add_another(self, details: str) -> None:
        self.extra += 1
        self.details += "\n\n" + details
        self.details_view.setPlainText(self.details)
        self.more_label.setText(self.tr("%n more error(s) happened since; the details hold them all.",
                                        "", self.extra))
        self.more_label.setVisible(True)


class ErrorReporter(QObject):
    """Catches what nothing else caught. Install once, on the GUI thread, after QApplication."""

    _reported = Signal(str, str, str)    # title, message, details; queued from any thread

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.dialog: ErrorDialog | None = None
        self.count = 0
        self._previous_hooks = None
        self._box_logger = _MessageBoxLogger(self)
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> "ErrorReporter":
        if self._previous_hooks is None:
            self._previous_hooks = (sys.excepthook, threading.excepthook)
            sys.excepthook = self._sys_hook
            threading.excepthook = self._thread_hook
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self._box_logger)
            global _installed
            _installed = self
        return self

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            # Only undo our own hooks: someone may have wrapped them since.
            if sys.excepthook == self._sys_hook:
                sys.excepthook = self._previous_hooks[0]
            if threading.excepthook == self._thread_hook:
                threading.excepthook = self._previous_hooks[1]
            self._previous_hooks = None
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self._box_logger)
            global _installed
            if _installed is self:
                _installed = None

    # -- hooks -----------------------------------------------------------------------------------
    def _sys_hook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt) and self._previous_hooks:
            self._previous_hooks[0](exc_type, exc, tb)
            return
        self.report(exc_type, exc, tb)

    def _thread_hook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "?"
        self.report(args.exc_type, args.exc_value, args.exc_traceback, where=name)

    def report(self, exc_type, exc, tb, where: str = "") -> None:
        """Log the exception and show it (from any thread). Never raises."""
        try:
            details = "".join(traceback.format_exception(exc_type, exc, tb))
            self.count += 1
            if isinstance(exc, UserError):
                log_user_error(str(exc), where or "uncaught")
                title, message = self.tr("desktop_dl"), str(exc)
            else:
                log.error("unexpected error%s\n%s", f" in thread {where}" if where else "", details)
                title = self.tr("Something went wrong")
                message = (self.tr("desktop_dl hit an unexpected error: %s\n\nYour work is still open; "
                              "saving the project now is a good idea. The details are also in the "
                              "log file %s.") % (_summary(exc_type, exc), log_file()))
            self._reported.emit(title, message, details)
        except Exception:   # a failing reporter must not take the app down either
            sys.__stderr__ and sys.__stderr__.write("error reporter failed\n")

    @Slot(str, str, str)
    def _show(self, title: str, message: str, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_another(details)
            return
        parent = QApplication.activeWindow()
        self.dialog = ErrorDialog(title, message, details, parent)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(self._forget_dialog)
        self.dialog.open()    # window-modal, non-blocking: the event loop keeps running

    def _forget_dialog(self) -> None:
        self.dialog = None


class _MessageBoxLogger(QObject):
    """Logs the text of every warning/critical message box when it appears."""

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and isinstance(obj, QMessageBox):
            if obj.icon() in (QMessageBox.Icon.Warning, QMessageBox.Icon.Critical):
                text = obj.text()
                if obj.informativeText():
                    text += " " + obj.informativeText()
                log_user_error(text, obj.windowTitle() or "message")
        return False


def _summary(exc_type, exc) -> str:
    text = str(exc)
    name = getattr(exc_type, "__name__", "Error")
    return f"{name}: {text}" if text else name


def show_user_error(parent: QWidget | None, message: str, title: str | None = None) -> QMessageBox:
    """Show a problem the user can fix, non-blocking, and log it. Returns the message box."""
    box = QMessageBox(QMessageBox.Icon.Warning,
                      title or QCoreApplication.translate("ErrorReporting", "desktop_dl"), message,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("userErrorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()      # the event filter logs it when it shows; log here too if none is installed
    if not _logger_installed():
        log_user_error(message, title or "")
    return box


def _logger_installed() -> bool:
    return _installed is not None


_installed: ErrorReporter | None = None
