"""The layer editor's file commands: new from template, open / save a model spec (also by
dropping a .json file on the editor), export a Python script, and the model the editor starts
with. A mixin of LayerEditor; each *_file method returns False after showing the user why it failed.

Translation context: lupdate files these tr() strings under "SpecFilesMixin"; PySide's tr()
looks a text up under each class of the object's type in turn, so LayerEditor finds them."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.errors import UserError
from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec

STARTUP_TEMPLATE = "mnist-cnn"


class SpecFilesMixin:
    """File commands of LayerEditor; expects `model`, `undo_stack`, `set_spec`, `confirm_replace`,
    `_dataset` and `_last_dir` on the editor."""

    # A spec file dragged from the file manager opens like "Open spec…".
    def dragEnterEvent(self, event) -> None:
        if _dropped_spec_path(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if _dropped_spec_path(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = _dropped_spec_path(event.mimeData())
        if path:
            event.acceptProposedAction()
            self.open_spec_file(path)

    def new_from_template(self) -> None:
        from desktop_dl.ui.editor.template_dialog import TemplateDialog

        dialog = TemplateDialog(self, current=self.model.spec_ref().name)
        if dialog.exec() and dialog.selected_spec() is not None and self.confirm_replace():
            self.apply_template(dialog.selected_name())

    def apply_template(self, name: str) -> bool:
        from desktop_dl.core.templates import load_template

        try:
            spec = load_template(name)
        except UserError as exc:
            self._error(self.tr("Cannot use the template"), str(exc))
            return False
        self.set_spec(spec, self.tr("New from template %s") % name)
        self.templateApplied.emit(name)
        return True

    def open_spec_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open model spec"), self._start_dir(),
                                              self.tr("Model specs (*.json);;All files (*)"))
        if path:
            self.open_spec_file(path)

    def open_spec_file(self, path: str) -> bool:
        try:
            spec = ModelSpec.load(path)
        except UserError as exc:
            self._error(self.tr("Cannot open the model spec"), str(exc))
            return False
        self._remember_dir(path)
        self.set_spec(spec, self.tr("Open %s") % _file_name(path))
        return True

    def save_spec_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save model spec"),
                                              _join(self._start_dir(), self.model.spec_ref().name + ".json"),
                                              self.tr("Model specs (*.json)"))
        if path:
            self.save_spec_file(path if path.lower().endswith(".json") else path + ".json")

    def save_spec_file(self, path: str) -> bool:
        try:
            self.model.spec_ref().save(path)
        except OSError as exc:
            self._error(self.tr("Cannot save the model spec"),
                        self.tr("Cannot write %s: %s.") % (path, exc.strerror or exc))
            return False
        self._remember_dir(path)
        # (the undo stack's clean state is the project's: writing the spec alone saves no project)
        return True

    def export_script_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export as Python script"),
                                              _join(self._start_dir(), self.model.spec_ref().name.replace("-", "_") + ".py"),
                                              self.tr("Python scripts (*.py)"))
        if path:
            self.export_script_file(path if path.lower().endswith(".py") else path + ".py")

    def export_script_file(self, path: str) -> bool:
        from desktop_dl.core.atomic_write import write_text_atomic
        from desktop_dl.core.codegen import generate_script

        dataset = getattr(self._dataset, "name", None)
        try:
            text = generate_script(self.model.spec_ref(), dataset=dataset,
                                   task=getattr(self._dataset, "task", None))
            write_text_atomic(_path(path), text)
        except UserError as exc:
            self._error(self.tr("Cannot export the script"), str(exc))
            return False
        except OSError as exc:
            self._error(self.tr("Cannot export the script"),
                        self.tr("Cannot write %s: %s.") % (path, exc.strerror or exc))
            return False
        self._remember_dir(path)
        return True

    def _error(self, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("editorErrorBox")
        box.open()    # window-modal, not a nested event loop: tests and the GUI thread keep running
        self.last_error = message

    def _start_dir(self) -> str:
        return self._last_dir or QSettings().value("editor/last_dir", "", type=str)

    def _remember_dir(self, path: str) -> None:
        self._last_dir = os.path.dirname(os.path.abspath(path))
        QSettings().setValue("editor/last_dir", self._last_dir)


def _startup_spec() -> ModelSpec:
    """The MNIST CNN template; if the template files are missing or damaged, the same network
    as the MNIST dense tutorial, built here, so the editor always opens on a working model."""
    from desktop_dl.core.templates import load_template

    try:
        return load_template(STARTUP_TEMPLATE)
    except UserError:
        dense = CATALOGUE["Dense"].defaults()
        return ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                       LayerSpec("Dense", {**dense, "units": 512, "activation": "relu"}),
                                       LayerSpec("Dense", {**dense, "units": 10, "activation": "softmax"})],
                         CompileSpec("rmsprop", 1e-3), name="mnist-dense",
                         description="Dense 512 relu → Dense 10 softmax on flattened 28×28 digits.")


def _dropped_spec_path(mime) -> str | None:
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".json"):
            return url.toLocalFile()
    return None


def _file_name(path: str) -> str:
    return os.path.basename(path)


def _join(folder: str, name: str) -> str:
    return os.path.join(folder, name) if folder else name


def _path(path: str) -> Path:
    return Path(path)
