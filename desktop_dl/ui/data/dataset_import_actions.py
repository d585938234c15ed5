"""How the Data tab imports: the file and folder pickers, drag and drop, the ask-how dialogs for
tables and image folders, and the Keras download dialog.

A mixin of DatasetBrowser (ui/data/dataset_browser.py), split out of it; every import ends in the
browser's load_source (a background Job), add_dataset or show_error.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog


class DatasetImportActions:
    """import_file / import_folder / import_path / download and the drop target; needs the
    browser's `settings`, `load_source`, `add_dataset` and `show_error`."""

    def _start_dir(self) -> str:
        return str(self.settings.value("datasets/lastDir", str(Path.home())))

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a dataset file"), self._start_dir(),
            self.tr("Datasets (*.npz *.csv *.tsv *.csv.gz *.txt *.gz *-ubyte *.tar.gz *.zip);;All files (*)"))
        if path:
            self.import_path(path)

    def import_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Import a folder"), self._start_dir())
        if path:
            self.import_path(path)

    def import_path(self, path: str, ask: bool = True, **options) -> None:
        """Import a file or folder; tables and image folders first ask how (unless ask=False)."""
        from desktop_dl.core.datasets.mnist_files import find_idx_files
        from desktop_dl.core.errors import UserError

        p = Path(path)
        self.settings.setValue("datasets/lastDir", str(p.parent))
        if ask and not options:
            try:
                if (p.is_dir() and not find_idx_files(p)) or (p.is_file() and p.suffix.lower() == ".zip"):
                    from desktop_dl.ui.data.dataset_import_dialogs import ImageFolderDialog
                    dialog = ImageFolderDialog(p, self)
                    if dialog.exec() != ImageFolderDialog.DialogCode.Accepted:
                        return
                    options = dialog.options()
                elif p.is_file() and p.name.lower().endswith((".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz")):
                    from desktop_dl.ui.data.dataset_import_dialogs import TableImportDialog
                    dialog = TableImportDialog(p, self)
                    if dialog.exec() != TableImportDialog.DialogCode.Accepted:
                        return
                    options = dialog.options()
            except (UserError, OSError) as exc:
                self.show_error(str(exc))
                return
        self.load_source({"path": str(p), "options": options})

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_path(paths[0])

    def download(self) -> None:
        from desktop_dl.ui.data.dataset_import_dialogs import KerasDownloadDialog

        dialog = KerasDownloadDialog(self)
        dialog.downloaded.connect(self.add_dataset)
        chosen = []
        dialog.importByHand.connect(chosen.append)
        dialog.exec()
        if chosen:          # after the dialog has closed, so only one dialog is open at a time
            (self.import_folder if chosen[0] == "folder" else self.import_file)()
