"""File > Export…: save the trained model as ONNX, .keras, a SavedModel or a Python script.

The export runs on a `Job` (TensorFlow loads in the worker thread, never in the GUI thread) and
goes through `engine.model_export.export_model`, the same code as `desktop-dl export`. An ONNX
export is checked (onnx.checker + Keras/ONNX Runtime parity) and its largest difference shown.

`export_action(window)` builds the menu action the main window adds to its File menu; it reads
the selected (else latest) training run and the layer editor's spec when triggered.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QRadioButton, QSpinBox, QVBoxLayout, QWidget)

from desktop_dl import APP_NAME, ORG_NAME
from desktop_dl.ui.base.jobs import Job

# Mirrors engine.model_export (not imported here: the window must not pay for the engine).
FORMATS = ("onnx", "keras", "savedmodel", "python")
SUFFIXES = {"onnx": ".onnx", "keras": ".keras", "savedmodel": "", "python": ".py"}
DEFAULT_OPSET, MIN_OPSET, MAX_OPSET = 18, 13, 18
BUILTIN_PARITY_DATA = ("mnist-5k",)   # datasets quick enough to load for the parity check


class ExportDialog(QDialog):
    exported = Signal(str, str)     # format, path — after a successful export
    useForDrawing = Signal(str)     # an exported ONNX path the user wants on the Draw tab

    def __init__(self, parent=None, *, keras_path=None, spec=None, dataset: str | None = None,
                 model_title: str = ""):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export model"))
        self.settings = QSettings(ORG_NAME, APP_NAME)
        self.keras_path = Path(keras_path) if keras_path else None
        self.spec = spec
        self.dataset = dataset
        self.model_title = model_title
        self.job: Job | None = None
        self.last_outcome = None
        self.last_error = ""
        self.offers_drawing = False     # set by whoever connects useForDrawing

        source_row = self._build_source_row()
        format_box = self._build_format_box()
        form = self._build_destination_form()
        self._build_progress()
        self._build_buttons()

        layout = QVBoxLayout(self)
        layout.addLayout(source_row)
        layout.addWidget(format_box)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self._update_source()
        remembered = self.settings.value("export/format", "onnx")
        self.set_format(remembered if remembered in FORMATS else "onnx")

    def _build_source_row(self) -> QHBoxLayout:
        """The model to export, and a button to choose another .keras file."""
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.choose_button = QPushButton(self.tr("Choose a .keras file…"))
        self.choose_button.clicked.connect(self._choose_source)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_label, 1)
        source_row.addWidget(self.choose_button)
        return source_row

    def _build_format_box(self) -> QGroupBox:
        """One radio button per export format, each with a line saying what it is for."""
        format_box = QGroupBox(self.tr("Format"))
        self.format_buttons = QButtonGroup(self)
        format_layout = QVBoxLayout(format_box)
        descriptions = {
            "onnx": (self.tr("ONNX (.onnx)"),
                     self.tr("For the Draw tab, ONNX Runtime and other apps. Checked against Keras "
                             "after export.")),
            "keras": (self.tr("Keras (.keras)"),
                      self.tr("Load it back into Keras to train further or evaluate.")),
            "savedmodel": (self.tr("TensorFlow SavedModel (folder)"),
                           self.tr("For TensorFlow Serving and the TensorFlow Lite converter.")),
            "python": (self.tr("Python script (.py)"),
                       self.tr("The model as Keras code you can read, change and run.")),
        }
        self.radio: dict[str, QRadioButton] = {}
        for index, fmt in enumerate(FORMATS):
            title, help_text = descriptions[fmt]
            button = QRadioButton(title)
            button.setObjectName(f"format_{fmt}")
            self.format_buttons.addButton(button, index)
            self.radio[fmt] = button
            hint = QLabel(help_text)
            hint.setWordWrap(True)
            hint.setContentsMargins(24, 0, 0, 6)
            hint.setStyleSheet("color: palette(placeholder-text);")
            format_layout.addWidget(button)
            format_layout.addWidget(hint)
        self.format_buttons.idToggled.connect(self._format_changed)
        return format_box

    def _build_destination_form(self) -> QFormLayout:
        """The ONNX opset and the path to save to."""
        self.opset = QSpinBox()
        self.opset.setRange(MIN_OPSET, MAX_OPSET)
        self.opset.setValue(DEFAULT_OPSET)
        self.opset.setToolTip(self.tr("ONNX operator set. The default suits ONNX Runtime 1.17 and later; "
                                      "choose a lower one for older runtimes."))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("exportPath")
        self.path_edit.setMinimumWidth(360)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        self.opset_label = QLabel(self.tr("ONNX opset:"))
        form.addRow(self.opset_label, self.opset)
        form.addRow(self.tr("Save as:"), path_row)
        return form

    def _build_progress(self) -> None:
        """A busy bar and the status line under the form."""
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.status.setMinimumHeight(40)

    def _build_buttons(self) -> None:
        """Export, Close and (after an ONNX export) Use for drawing."""
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.close_button = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.draw_button = self.buttons.addButton(self.tr("Use for drawing"), QDialogButtonBox.ButtonRole.ActionRole)
        self.draw_button.setToolTip(self.tr("Recognise drawings on the Draw tab with this ONNX file."))
        self.draw_button.hide()
        self.draw_button.clicked.connect(self._use_for_drawing)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)

    # -- state ----------------------------------------------------------------------------------
    def current_format(self) -> str:
        return FORMATS[max(0, self.format_buttons.checkedId())]

    def set_format(self, fmt: str) -> None:
        if not self.radio[fmt].isEnabled():
            fmt = next((f for f in FORMATS if self.radio[f].isEnabled()), fmt)
        self.radio[fmt].setChecked(True)
        self._format_changed()

    def _update_source(self) -> None:
        has_model = self.keras_path is not None
        if has_model:
            title = self.model_title or self.keras_path.name
            self.source_label.setText(self.tr("Model: <b>%s</b><br><small>%s</small>")
                                      % (title, str(self.keras_path)))
        else:
            self.source_label.setText(self.tr("No trained model yet: train one on the Train tab, or "
                                              "choose a .keras file. The Python script needs only the "
                                              "model you built."))
        for fmt in ("onnx", "keras", "savedmodel"):
            self.radio[fmt].setEnabled(has_model)
            self.radio[fmt].setToolTip("" if has_model else self.tr("Train the model first."))
        can_script = self.spec is not None or (has_model and (self.keras_path.parent / "spec.json").is_file())
        self.radio["python"].setEnabled(can_script)

    def _format_changed(self, *_args) -> None:
        fmt = self.current_format()
        self.opset.setVisible(fmt == "onnx")
        self.opset_label.setVisible(fmt == "onnx")
        self.path_edit.setText(str(self._suggested_path(fmt)))
        self.export_button.setEnabled(self.radio[fmt].isEnabled() and not self._running())

    def _suggested_path(self, fmt: str) -> Path:
        current = self.path_edit.text().strip()
        if current:
            base = Path(current)
            stem = base.name[: -len(base.suffix)] if base.suffix in SUFFIXES.values() and base.suffix else base.name
            folder = base.parent
        else:
            folder = Path(self.settings.value("export/folder", str(Path.home())))
            stem = (self.spec.name if self.spec is not None else "model") or "model"
            stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem)
        if fmt == "savedmodel":
            stem = stem if stem.endswith("_savedmodel") else stem + "_savedmodel"
        elif stem.endswith("_savedmodel"):
            stem = stem[: -len("_savedmodel")]
        return folder / (stem + SUFFIXES[fmt])

    def _choose_source(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a Keras model"), "",
                                              self.tr("Keras models (*.keras)"))
        if path:
            self.keras_path = Path(path)
            self.model_title = ""
            self._update_source()
            self._format_changed()

    def _browse(self) -> None:
        fmt = self.current_format()
        start = self.path_edit.text()
        if fmt == "savedmodel":
            path, _ = QFileDialog.getSaveFileName(self, self.tr("SavedModel folder to create"), start)
        else:
            filters = {"onnx": self.tr("ONNX models (*.onnx)"), "keras": self.tr("Keras models (*.keras)"),
                       "python": self.tr("Python scripts (*.py)")}
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export as"), start, filters[fmt])
        if path:
            self.path_edit.setText(path)

    # -- running --------------------------------------------------------------------------------
    def _running(self) -> bool:
        return self.job is not None and self.job.is_running()

    def start_export(self) -> None:
        if self._running():
            return
        self.draw_button.hide()
        fmt = self.current_format()
        text = self.path_edit.text().strip()
        if not text:
            self._show(self.tr("Choose where to save the export."), error=True)
            return
        out = Path(text).expanduser()
        if fmt != "python" and self.keras_path is None:
            self._show(self.tr("Train the model first, or choose a .keras file."), error=True)
            return
        source, spec = self.keras_path, self.spec if fmt == "python" else None
        dataset = self.dataset if self.dataset in BUILTIN_PARITY_DATA else None
        opset = self.opset.value() if fmt == "onnx" else None

        def work(report, cancelled):
            from desktop_dl.engine.model_export import export_model
            return export_model(source, fmt, out, spec=spec, dataset=dataset, opset=opset, progress=report)

        self.settings.setValue("export/format", fmt)
        self.settings.setValue("export/folder", str(out.parent))
        self.job = Job(work, self, name="export")
        self.job.progress.connect(lambda progress: self._show(progress.message or str(progress.data)))
        self.job.result.connect(self._on_result)
        self.job.error.connect(self._on_error)
        self.job.finished.connect(self._on_finished)
        self._set_busy(True)
        self._show(self.tr("Exporting… (loading TensorFlow the first time takes a few seconds)"))
        self.job.start()

    def _on_result(self, outcome) -> None:
        self.last_outcome = outcome
        self.last_error = ""
        if outcome.format == "onnx":
            report = outcome.report
            text = self.tr("Saved %s. Checked: ONNX checker passed; Keras and ONNX Runtime agree on "
                           "%d %s to within %s (largest difference).") % (
                report.path.name, report.samples, report.parity_source, f"{report.max_abs_diff:.2g}")
        else:
            text = outcome.message
        self._show(text, ok=True)
        self.draw_button.setVisible(outcome.format == "onnx" and self.offers_drawing)
        self.exported.emit(outcome.format, str(outcome.path))

    def _use_for_drawing(self) -> None:
        if self.last_outcome is not None and self.last_outcome.format == "onnx":
            self.useForDrawing.emit(str(self.last_outcome.path))
            self.accept()

    def _on_error(self, message: str, _details: str) -> None:
        self.last_outcome = None
        self.last_error = message
        self._show(self.tr("Export failed: %s") % message, error=True)

    def _on_finished(self) -> None:
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.export_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)

    def _show(self, text: str, ok: bool = False, error: bool = False) -> None:
        if error and text:
            from desktop_dl.app_logging import log_user_error
            log_user_error(text, "export")      # every error shown to the user is in the log too
        colour = "#b00020" if error else "#1b7f3b" if ok else ""
        self.status.setStyleSheet(f"color: {colour};" if colour else "")
        self.status.setText(text)

    def reject(self) -> None:
        if self._running():      # the worker thread must finish before the dialog goes away
            self._show(self.tr("Please wait: the export is still running."))
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self._running():
            event.ignore()
            return
        super().closeEvent(event)


# -- the main window's menu action ---------------------------------------------------------------
_TEMP_PREFIX = "desktop_dl-export-"


def _model_file(run) -> tuple[Path | None, str | None, str]:
    """(.keras path, dataset name, title) of a run the window offers for export."""
    if run is None:
        return None, None, ""
    if run.keras_path and Path(run.keras_path).is_file():
        return Path(run.keras_path), run.dataset or None, run.name
    data = run.keras_bytes()
    if not data:
        return None, None, ""
    # A run restored from a project file: its weights live in the project.
    folder = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX))
    path = folder / "model.keras"
    path.write_bytes(data)
    return path, run.dataset or None, run.name


def open_export_dialog(window) -> ExportDialog:
    offer = getattr(window, "run_to_export", None)
    keras_path, dataset, title = _model_file(offer() if offer is not None else None)
    editor = getattr(window, "editor", None)
    spec = editor.spec() if editor is not None else None
    dialog = ExportDialog(window, keras_path=keras_path, spec=spec, dataset=dataset, model_title=title)
    if keras_path is not None and keras_path.parent.name.startswith(_TEMP_PREFIX):
        # The copy of a project's weights goes once the dialog is closed (never mid-export).
        dialog.finished.connect(lambda _code: shutil.rmtree(keras_path.parent, ignore_errors=True))
    canvas = getattr(window, "canvas_panel", None)
    if canvas is not None:
        def use(path: str) -> None:
            canvas.open_model(path)
            window.tabs.setCurrentWidget(canvas)
        dialog.useForDrawing.connect(use)
        dialog.offers_drawing = True
    dialog.open()      # window-modal, without blocking the event loop
    return dialog


def export_action(window: QWidget) -> QAction:
    action = QAction(QCoreApplication.translate("ExportDialog", "&Export…"), window)
    action.setObjectName("exportAction")
    action.setShortcut("Ctrl+E")
    action.setStatusTip(QCoreApplication.translate(
        "ExportDialog", "Save the trained model as ONNX, Keras, SavedModel or a Python script"))
    action.triggered.connect(lambda: open_export_dialog(window))
    return action
