"""Dialogs that ask how to read a table or an image folder, and the Keras download dialog."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QProgressBar, QPushButton, QRadioButton, QSpinBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from desktop_dl.ui.base.jobs import Job

TASK_KEYS = ("auto", "binary", "multiclass", "regression")


class TableImportDialog(QDialog):
    """How to read a CSV/TSV (delimiter, decimal mark, encoding, header: detected, each
    changeable, with a live preview of the first rows as parsed), then the target column, task,
    missing values and category encoding."""

    PREVIEW_ROWS = 8

    def __init__(self, path: str | Path, parent=None):
        super().__init__(parent)
        self.setObjectName("tableImportDialog")
        self.setWindowTitle(self.tr("Import table — %s") % Path(path).name)
        self.path = Path(path)
        self.columns: list[str] = []
        self.proposals: dict[str, str] = {}
        self.detected = None               # ReaderChoices of the first, automatic reading
        self._header_chosen = False        # False: the reader decides (and the box follows)

        self._build_reading_widgets()
        self._build_target_widgets()
        self._build_layout()

        self._reread(first=True)
        self._fill_reader_choices()
        for combo in (self.delimiter, self.decimal, self.text_encoding):
            combo.currentIndexChanged.connect(lambda _i: self._reread())
        self.header.toggled.connect(self._header_toggled)
        self.target.currentTextChanged.connect(self._show_proposal)
        self._show_proposal(self.target.currentText())

    # -- construction ------------------------------------------------------------------------
    def _build_reading_widgets(self) -> None:
        """How the file is read: delimiter, decimal mark, text encoding, header; the preview."""
        self.delimiter = QComboBox()
        self.delimiter.setObjectName("delimiterChoice")
        self.decimal = QComboBox()
        self.decimal.setObjectName("decimalChoice")
        self.text_encoding = QComboBox()
        self.text_encoding.setObjectName("encodingChoice")
        self.header = QCheckBox(self.tr("The first row holds the column names"))
        self.header.setObjectName("headerChoice")
        self.preview = QTableWidget()
        self.preview.setObjectName("tablePreview")
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.setMinimumHeight(160)
        self.preview_error = QLabel()
        self.preview_error.setObjectName("previewError")
        self.preview_error.setWordWrap(True)
        self.preview_error.setStyleSheet("color: #b00020;")
        self.preview_error.hide()

    def _build_target_widgets(self) -> None:
        """What to learn: target column, task, missing values, category encoding."""
        self.target = QComboBox()
        self.target.setObjectName("targetColumn")
        self.task = QComboBox()
        self.task.setObjectName("taskChoice")
        for key, text in zip(TASK_KEYS, (self.tr("Proposed from the target"),
                                         self.tr("Binary classification"),
                                         self.tr("Multi-class classification"),
                                         self.tr("Regression"))):
            self.task.addItem(text, key)
        self.proposal = QLabel()
        self.proposal.setObjectName("taskProposal")
        self.missing_drop = QRadioButton(self.tr("Drop rows with a missing value"))
        self.missing_fill = QRadioButton(self.tr("Fill with the training mean (numbers) or most common value"))
        self.missing_drop.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.missing_drop)
        group.addButton(self.missing_fill)
        self.encoding = QComboBox()
        self.encoding.addItem(self.tr("One-hot (one input per category)"), "onehot")
        self.encoding.addItem(self.tr("Ordinal (one number per category)"), "ordinal")

    def _build_layout(self) -> None:
        """Reading choices, preview, target choices and OK / Cancel, top to bottom."""
        reading = QFormLayout()
        reading.addRow(self.tr("Delimiter"), self.delimiter)
        reading.addRow(self.tr("Decimal mark"), self.decimal)
        reading.addRow(self.tr("Text encoding"), self.text_encoding)
        reading.addRow("", self.header)
        form = QFormLayout()
        form.addRow(self.tr("Target column"), self.target)
        form.addRow("", self.proposal)
        form.addRow(self.tr("Task"), self.task)
        missing = QVBoxLayout()
        missing.addWidget(self.missing_drop)
        missing.addWidget(self.missing_fill)
        form.addRow(self.tr("Missing values"), missing)
        form.addRow(self.tr("Categories"), self.encoding)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(reading)
        layout.addWidget(QLabel(self.tr("The first rows, as they will be read:")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.preview_error)
        note = QLabel(self.tr("Numeric columns are standardised with the mean and standard deviation "
                              "of the training split; the same numbers are used at inference."))
        note.setWordWrap(True)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 620)

    # -- reading choices ---------------------------------------------------------------------
    def _fill_reader_choices(self) -> None:
        det = self.detected
        names = {",": self.tr("comma"), ";": self.tr("semicolon"), "\t": self.tr("tab"),
                 "|": self.tr("vertical bar"), " ": self.tr("space")}
        marks = {".": self.tr("point (1.5)"), ",": self.tr("comma (1,5)")}
        self.delimiter.addItem(self.tr("Detected: %s") % names.get(det.delimiter, det.delimiter)
                               if det else self.tr("Detected"), None)
        for value in (",", ";", "\t", "|", " "):
            self.delimiter.addItem(names[value], value)
        self.decimal.addItem(self.tr("Detected: %s") % marks[det.decimal] if det else
                             self.tr("Detected"), None)
        for value in (".", ","):
            self.decimal.addItem(marks[value], value)
        self.text_encoding.addItem(self.tr("Detected: %s") % det.encoding if det else
                                   self.tr("Detected"), None)
        for codec, text in (("utf-8", "UTF-8"), ("utf-16", "UTF-16"),
                            ("cp1252", self.tr("Western European (cp1252)")),
                            ("gbk", self.tr("Chinese (GBK)")), ("shift_jis", self.tr("Japanese (Shift-JIS)")),
                            ("latin-1", "Latin-1")):
            self.text_encoding.addItem(text, codec)
        self.header.blockSignals(True)
        self.header.setChecked(bool(det.header) if det else True)
        self.header.blockSignals(False)

    def reader_options(self) -> dict:
        """The reading choices the user changed (detected ones are left to the reader)."""
        options = {}
        for combo, key in ((self.delimiter, "delimiter"), (self.decimal, "decimal"),
                           (self.text_encoding, "text_encoding")):
            if combo.currentData() is not None:
                options[key] = combo.currentData()
        if self._header_chosen:
            options["header"] = "yes" if self.header.isChecked() else "no"
        return options

    def _header_toggled(self, _on: bool) -> None:
        self._header_chosen = True
        self._reread()

    def _reread(self, first: bool = False) -> None:
        from desktop_dl.core.datasets.csv_table import preview_table
        from desktop_dl.core.errors import UserError

        try:
            preview = preview_table(self.path, rows=self.PREVIEW_ROWS, head_only=True,
                                    **({} if first else self.reader_options()))
        except UserError as exc:
            if first:
                raise
            self.preview_error.setText(str(exc))
            self.preview_error.show()
            self.ok_button.setEnabled(False)
            return
        self.preview_error.hide()
        self.ok_button.setEnabled(True)
        if first:
            self.detected = preview.choices
        elif not self._header_chosen:
            self.header.blockSignals(True)
            self.header.setChecked(preview.choices.header)
            self.header.blockSignals(False)
        self.columns, self.proposals = preview.names, preview.tasks
        self._show_preview(preview)
        current = self.target.currentText()
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItems(self.columns)
        self.target.setCurrentIndex(self.columns.index(current) if current in self.columns
                                    else len(self.columns) - 1)
        self.target.blockSignals(False)
        self._show_proposal(self.target.currentText())

    def _show_preview(self, preview) -> None:
        self.preview.clear()
        self.preview.setColumnCount(len(preview.names))
        self.preview.setRowCount(len(preview.rows))
        self.preview.setHorizontalHeaderLabels(preview.names)
        for r, row in enumerate(preview.rows):
            for c, text in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem(text))

    def _show_proposal(self, column: str) -> None:
        names = {"binary": self.tr("binary classification"),
                 "multiclass": self.tr("multi-class classification"),
                 "regression": self.tr("regression")}
        self.proposal.setText(self.tr("Proposed task: %s") % names.get(self.proposals.get(column), "?"))

    def options(self) -> dict:
        options = {"target": self.target.currentText(),
                   "missing": "fill" if self.missing_fill.isChecked() else "drop",
                   "encoding": self.encoding.currentData()}
        if self.task.currentData() != "auto":
            options["task"] = self.task.currentData()
        options.update(self.reader_options())
        return options


class ImageFolderDialog(QDialog):
    """Size and colour for an image folder (one sub-folder per class)."""

    def __init__(self, folder: str | Path, parent=None):
        super().__init__(parent)
        self.setObjectName("imageFolderDialog")
        self.setWindowTitle(self.tr("Import image folder — %s") % Path(folder).name)
        from desktop_dl.core.datasets.image_folder import list_classes
        classes = list_classes(folder)          # a folder or a .zip of one; litter left out
        self.size = QSpinBox()
        self.size.setRange(8, 256)
        self.size.setValue(28)
        self.size.setSuffix(self.tr(" px"))
        self.color = QComboBox()
        self.color.addItem(self.tr("Grayscale (1 channel)"), "grayscale")
        self.color.addItem(self.tr("Colour (3 channels)"), "rgb")
        form = QFormLayout()
        info = QLabel(self.tr("Classes (one per sub-folder): %s") % (", ".join(classes[:12]) +
                                                                     (" …" if len(classes) > 12 else "")))
        info.setWordWrap(True)
        form.addRow(info)
        form.addRow(self.tr("Resize to (square)"), self.size)
        form.addRow(self.tr("Colour"), self.color)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def options(self) -> dict:
        return {"size": self.size.value(), "color": self.color.currentData()}


class KerasDownloadDialog(QDialog):
    """Pick a keras.datasets dataset and download it on a worker, with progress and cancel."""

    downloaded = Signal(object)
    importByHand = Signal(str)          # "file" or "folder": the user copied the file(s) over

    def __init__(self, parent=None):
        from desktop_dl.engine.keras_downloads import available_downloads

        super().__init__(parent)
        self.setObjectName("kerasDownloadDialog")
        self.setWindowTitle(self.tr("Download a Keras dataset"))
        self.resize(560, 380)
        self.list = QListWidget()
        self.list.setObjectName("kerasDatasetList")
        for item in available_downloads():
            text = self.tr("%s — %s MB") % (item["title"], f"{item['megabytes']:g}")
            if item["cached"]:
                text += self.tr(" (already on this computer)")
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, item["key"])
            entry.setToolTip(item["licence"])
            self.list.addItem(entry)
        self.list.setCurrentRow(0)
        self.progress = QProgressBar()
        self.progress.setObjectName("downloadProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status = QLabel(self.tr("Needs an internet connection. Files are checked against "
                                     "Keras's checksums and kept for next time."))
        self.status.setObjectName("downloadStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setObjectName("downloadButton")
        self.cancel_button = QPushButton(self.tr("Cancel download"))
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"))
        self.by_hand_button = QPushButton(self.tr("Import a copied file…"))
        self.by_hand_button.setObjectName("importByHandButton")
        self.by_hand_button.setToolTip(self.tr("Offline? Download the file on another computer, "
                                               "copy it here and open it."))
        self.by_hand_button.clicked.connect(self._import_by_hand)
        self.download_button.clicked.connect(self.start_download)
        self.cancel_button.clicked.connect(self.cancel_download)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.by_hand_button)
        buttons.addStretch(1)
        for b in (self.download_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.job: Job | None = None
        self.origin: str | None = None     # another server (tests use a local one)

    def selected_key(self) -> str:
        return self.list.currentItem().data(Qt.ItemDataRole.UserRole)

    def start_download(self) -> None:
        from desktop_dl.engine.keras_downloads import download_keras_dataset

        key, origin = self.selected_key(), self.origin
        kwargs = {} if origin is None else {"origin": origin, "check_hash": False}
        self.job = Job(lambda report, cancelled: download_keras_dataset(key, report, cancelled, **kwargs),
                       self, name="download")
        self.job.progress.connect(self._on_progress)
        self.job.result.connect(self._on_result)
        self.job.error.connect(self._on_error)
        self.job.cancelled.connect(lambda: self._on_error(self.tr("Download cancelled."), ""))
        self.job.finished.connect(self._on_finished)
        self.download_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.list.setEnabled(False)
        self.progress.setValue(0)
        self.status.setText(self.tr("Connecting…"))
        self.job.start()

    def _import_by_hand(self) -> None:
        from desktop_dl.core.datasets.keras_files import KERAS_FILES

        how = KERAS_FILES[self.selected_key()].how_to_import
        self.reject()
        self.importByHand.emit(how)

    def cancel_download(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _on_progress(self, progress) -> None:
        self.progress.setValue(int(1000 * (progress.fraction or 0.0)))
        self.status.setText(progress.message)

    def _on_result(self, dataset) -> None:
        self.status.setText(self.tr("Ready: %s") % dataset.title)
        self.downloaded.emit(dataset)
        self.accept()

    def _on_error(self, message: str, _details: str) -> None:
        self.progress.setValue(0)
        self.status.setText(message)

    def _on_finished(self) -> None:
        self.download_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.list.setEnabled(True)

    def reject(self) -> None:
        if self.job is not None and self.job.is_running():
            self.job.cancel()
            self.job.wait(5000)
        super().reject()
