"""The questions the project controller (ui/app/project_controller.py) asks the user, as real
dialogs; tests pass their own answers. On the offscreen platform nobody can answer, so each takes
its safe default (no hanging tests)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_dl.core.project import DatasetRef


@dataclass
class RecoveryFile:
    path: Path          # the .ddl written by autosave
    project_path: str   # the file the user was working on ("" when untitled)
    saved: str          # when the autosave was written
    lock: Path


class Prompts:
    """The questions the controller asks. Each has a safe answer when nobody can be asked."""

    def __init__(self, parent: QWidget):
        self.parent = parent
        self.interactive = QGuiApplication.platformName() != "offscreen"

    def tr(self, text: str) -> str:
        # Same context lupdate gives self.tr() calls inside this class.
        from PySide6.QtCore import QCoreApplication
        return QCoreApplication.translate("Prompts", text)

    def save_changes(self, name: str, question: str | None = None) -> str:
        """"save", "discard" or "cancel". `question` (with %s for the name) says what is about to
        replace the work; by default, closing it."""
        if not self.interactive:
            return "discard"
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                          (question or self.tr("Save the changes to %s before closing it?")) % name,
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.parent)
        box.setInformativeText(self.tr("If you don't save, your changes since the last save are lost."))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def open_path(self, folder: str) -> str | None:
        if not self.interactive:
            return None
        path, _ = QFileDialog.getOpenFileName(self.parent, self.tr("Open project"), folder,
                                              self.tr("desktop_dl projects (*.ddl);;All files (*)"))
        return path or None

    def save_path(self, suggestion: str) -> str | None:
        if not self.interactive:
            return None
        path, _ = QFileDialog.getSaveFileName(self.parent, self.tr("Save project as"), suggestion,
                                              self.tr("desktop_dl projects (*.ddl)"))
        return path or None

    def recover(self, files: list[RecoveryFile]) -> bool:
        if not self.interactive:
            return False
        newest = files[0]
        what = Path(newest.project_path).name if newest.project_path else self.tr("an untitled project")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Recover unsaved work?"),
                          self.tr("desktop_dl did not close normally last time. Recover the unsaved "
                                  "work on %s (autosaved %s)?") % (what, newest.saved.replace("T", " ")),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard,
                          self.parent)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Recover"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return box.exec() == QMessageBox.StandardButton.Yes

    def locate_dataset(self, ref: DatasetRef, message: str) -> str | None:
        if not self.interactive:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Dataset not found"), message,
                          QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Ignore, self.parent)
        box.button(QMessageBox.StandardButton.Open).setText(self.tr("Locate…"))
        if box.exec() != QMessageBox.StandardButton.Open:
            return None
        old = Path(ref.path or "")
        if old.suffix:
            path, _ = QFileDialog.getOpenFileName(self.parent, self.tr("Locate %s") % ref.name,
                                                  str(old.parent), "*" + old.suffix)
        else:
            path = QFileDialog.getExistingDirectory(self.parent, self.tr("Locate %s") % ref.name)
        return path or None

    def warn(self, message: str, title: str = "") -> None:
        from desktop_dl.ui.base.error_reporting import show_user_error
        show_user_error(self.parent, message, title or self.tr("Project"))

    def note(self, message: str) -> None:
        """A remark that needs no answer (the panel concerned shows it too): status bar + log."""
        from desktop_dl.app_logging import log_user_error
        log_user_error(message, "project")
        status_bar = getattr(self.parent, "statusBar", None)
        if status_bar is not None:
            status_bar().showMessage(message, 15000)
