"""Dataset browser: pick, import or download a dataset, look at it, split it, use it for training.

Interface used by the main window:
  DatasetBrowser(parent) with objectName "datasetBrowser"
  .useForTraining: Signal(object)      emits a core Dataset when the user picks it for training;
                                       dataset.split_options holds the chosen validation/test/seed
  .current_dataset() -> Dataset | None
  .project_state() / .restore_project_state(state)
Loading runs on a Job: a slow or bad file never blocks the window, and a failed import leaves the
current dataset in place (the message appears in a banner above it).
"""
from __future__ import annotations

import atexit
import html
import json
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFrame, QGridLayout,
                               QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QScrollArea, QSpinBox, QSplitter, QStackedWidget, QTableView,
                               QToolButton, QVBoxLayout, QWidget)

from desktop_dl import APP_NAME, ORG_NAME
from desktop_dl.core.shape_rules import batch_shape
from desktop_dl.ui.data.dataset_grid_model import SampleGridModel, SampleIndexRole, make_sample_grid_view
from desktop_dl.ui.data.dataset_sample_view import SampleView, format_shape, tensor_facts
from desktop_dl.ui.data.dataset_table_models import ColumnStatsModel, TableRowsModel
from desktop_dl.ui.base.jobs import Job

if TYPE_CHECKING:
    from desktop_dl.ui.data.dataset_histogram import ClassHistogram

SourceRole = Qt.ItemDataRole.UserRole + 10
MAX_RECENT = 8
STARTUP_DATASET = "mnist-5k"
_RUNNING: set[Job] = set()


def wait_for_loads(msecs: int = 10000) -> None:
    """Let running dataset loads finish: a QThread destroyed while running aborts the process,
    so this runs at exit (a window closed right after it opened may still be loading)."""
    for job in list(_RUNNING):
        job.cancel()
        # Without a running event loop the job's own quit (a queued slot) never arrives, so the
        # thread's loop is asked to stop here; it stops once the load function has returned.
        thread = getattr(job, "_thread", None)
        if thread is not None:
            thread.quit()
        job.wait(msecs)


atexit.register(wait_for_loads)


def source_key(source: dict) -> str:
    return json.dumps(source, sort_keys=True)


MAX_CACHED_DATASETS = 2


class DatasetCache(OrderedDict):
    """Source key → Dataset, least recently used first; holds at most `limit` datasets."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def __getitem__(self, key):
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


class DatasetBrowser(QWidget):
    useForTraining = Signal(object)
    datasetChanged = Signal(object)       # after a dataset is shown
    # The user changed the project's data (picked, imported or downloaded a dataset, or changed
    # its split); loads the app starts itself (start-up, opening a project) do not count.
    projectStateChanged = Signal()
    loadFailed = Signal(str)              # the message shown in the banner

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("datasetBrowser")
        self.settings = QSettings(ORG_NAME, APP_NAME)
        self._dataset = None
        self._source: dict | None = None          # {"name": ...} or {"path": ..., "options": ...}
        # source key -> Dataset, so switching back is instant; two at most (a dataset can be GBs)
        self._loaded = DatasetCache(MAX_CACHED_DATASETS)
        self._job: Job | None = None
        self._load_serial = 0
        self._pending_split: dict | None = None
        self._expected_sha: str | None = None
        self._views_stale = False
        self.setAcceptDrops(True)       # drop a file or folder anywhere on the panel to import it

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._build_list_side())
        splitter.addWidget(self._build_detail_side())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 1050])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)
        self._fill_list()
        self._show_dataset(None)
        # Loaded after the window has painted: start-up never waits for data.
        QTimer.singleShot(0, self._load_startup_dataset)

    # -- building -------------------------------------------------------------------------------
    def _build_list_side(self) -> QWidget:
        side = QWidget()
        box = QVBoxLayout(side)
        box.setContentsMargins(0, 0, 6, 0)
        title = QLabel(self.tr("Datasets"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.dataset_list = QListWidget()
        self.dataset_list.setObjectName("datasetList")
        self.dataset_list.itemActivated.connect(self._item_chosen)
        self.dataset_list.itemClicked.connect(self._item_chosen)
        self.import_file_button = QPushButton(self.tr("Import file…"))
        self.import_file_button.setObjectName("importFileButton")
        self.import_file_button.setToolTip(self.tr("mnist.npz, IDX files (…-ubyte.gz), CSV/TSV tables, "
                                                   "imdb.npz, boston_housing.npz, cifar-10-python.tar.gz"))
        self.import_folder_button = QPushButton(self.tr("Import folder…"))
        self.import_folder_button.setObjectName("importFolderButton")
        self.import_folder_button.setToolTip(self.tr("A folder with one sub-folder of images per class, "
                                                     "or a folder of MNIST IDX files"))
        self.download_button = QPushButton(self.tr("Download Keras dataset…"))
        self.download_button.setObjectName("downloadDatasetButton")
        self.import_file_button.clicked.connect(self.import_file)
        self.import_folder_button.clicked.connect(self.import_folder)
        self.download_button.clicked.connect(self.download)
        box.addWidget(title)
        box.addWidget(self.dataset_list, 1)
        for button in (self.import_file_button, self.import_folder_button, self.download_button):
            box.addWidget(button)
        return side

    def _build_detail_side(self) -> QWidget:
        side = QWidget()
        box = QVBoxLayout(side)
        box.setContentsMargins(6, 0, 0, 0)

        self.title_label = QLabel()
        self.title_label.setObjectName("datasetTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.description_label = QLabel()
        self.description_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("datasetStatus")
        # What the reader found, decided and changed: shown before training, not only in a log.
        self.notes_label = QLabel()
        self.notes_label.setObjectName("datasetNotes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.RichText)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label.setStyleSheet("QLabel#datasetNotes { background: rgba(255, 196, 0, 0.10); "
                                       "border: 1px solid rgba(160, 120, 0, 0.45); "
                                       "border-radius: 4px; padding: 6px; }")
        self.notes_label.hide()

        self.banner = QFrame()
        self.banner.setObjectName("datasetBanner")
        banner_box = QHBoxLayout(self.banner)
        banner_box.setContentsMargins(8, 4, 4, 4)
        self.banner_label = QLabel()
        self.banner_label.setObjectName("datasetError")
        self.banner_label.setWordWrap(True)
        self.banner_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.clicked.connect(self.banner.hide)
        banner_box.addWidget(self.banner_label, 1)
        banner_box.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.banner.hide()

        facts = QGridLayout()
        facts.setHorizontalSpacing(18)
        self.fact_values: dict[str, QLabel] = {}
        names = [("samples", self.tr("Samples")), ("input", self.tr("Input shape")),
                 ("task", self.tr("Task")), ("classes", self.tr("Classes")),
                 ("splits", self.tr("Train / validation / test"))]
        for col, (key, text) in enumerate(names):
            caption = QLabel(text)
            caption.setStyleSheet("color: gray;")
            value = QLabel("–")
            value.setObjectName(f"fact_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            facts.addWidget(caption, 0, col)
            facts.addWidget(value, 1, col)
            self.fact_values[key] = value
        facts.setColumnStretch(len(names), 1)

        controls = QHBoxLayout()
        self.validation_spin = self._fraction_spin("validationFraction")
        self.test_spin = self._fraction_spin("testFraction")
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("splitSeed")
        self.seed_spin.setRange(0, 999_999)
        self.seed_spin.setToolTip(self.tr("The same seed gives the same split every time."))
        controls.addWidget(QLabel(self.tr("Validation")))
        controls.addWidget(self.validation_spin)
        controls.addSpacing(8)
        controls.addWidget(QLabel(self.tr("Test")))
        controls.addWidget(self.test_spin)
        controls.addSpacing(8)
        controls.addWidget(QLabel(self.tr("Seed")))
        controls.addWidget(self.seed_spin)
        controls.addStretch(1)
        self.use_button = QPushButton(self.tr("Use for training"))
        self.use_button.setObjectName("useForTrainingButton")
        self.use_button.setDefault(True)
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self.use_for_training)
        controls.addWidget(self.use_button)
        for spin in (self.validation_spin, self.test_spin, self.seed_spin):
            spin.valueChanged.connect(self._split_changed)

        self.preprocessing_label = QLabel()
        self.preprocessing_label.setObjectName("preprocessingLabel")
        self.preprocessing_label.setWordWrap(True)
        self.preprocessing_label.setStyleSheet("color: #555;")

        # Middle: the samples (grid for images, rows for tables); right: histogram + details.
        self.grid_model = SampleGridModel(self)
        self.grid = make_sample_grid_view(self.grid_model)
        self.grid.setObjectName("sampleGrid")
        self.grid.selectionModel().currentChanged.connect(self._grid_current_changed)
        self.class_filter = QComboBox()
        self.class_filter.setObjectName("classFilter")
        self.class_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.class_filter.currentIndexChanged.connect(self._filter_changed)
        image_page = QWidget()
        image_box = QVBoxLayout(image_page)
        image_box.setContentsMargins(0, 0, 0, 0)
        filter_row = QHBoxLayout()
        filter_row.addWidget(QLabel(self.tr("Show")))
        filter_row.addWidget(self.class_filter)
        self.mixed_check = QCheckBox(self.tr("Mixed order"))
        self.mixed_check.setObjectName("mixedOrder")
        self.mixed_check.setToolTip(self.tr("Files are often sorted by class; mixing shows every "
                                            "class on the first page. Training always shuffles."))
        self.mixed_check.setChecked(True)
        self.grid_model.set_mixed(True)
        self.mixed_check.toggled.connect(self._mixed_toggled)
        filter_row.addWidget(self.mixed_check)
        filter_row.addStretch(1)
        self.grid_count = QLabel()
        filter_row.addWidget(self.grid_count)
        image_box.addLayout(filter_row)
        image_box.addWidget(self.grid, 1)

        self.rows_model = TableRowsModel(self)
        self.rows_view = QTableView()
        self.rows_view.setObjectName("tableRows")
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.rows_view.verticalHeader().setDefaultSectionSize(22)
        self.rows_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.rows_view.horizontalHeader().setDefaultSectionSize(110)

        self.sequence_label = QLabel()
        self.sequence_label.setWordWrap(True)
        self.sequence_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.sequence_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.sequence_label.setFont(font)

        self.samples_stack = QStackedWidget()
        self.samples_stack.addWidget(image_page)          # 0 images
        self.samples_stack.addWidget(self.rows_view)      # 1 tables
        self.samples_stack.addWidget(self.sequence_label)  # 2 sequences

        # The pyqtgraph plot is made when the panel is first shown: it costs ~0.15 s (plus the
        # import of pyqtgraph) and the window usually opens on another tab.
        self._histogram: ClassHistogram | None = None
        self.histogram_holder = QWidget()
        self.histogram_holder.setMinimumHeight(90)
        QVBoxLayout(self.histogram_holder).setContentsMargins(0, 0, 0, 0)
        self.sample_view = SampleView()
        self.stats_model = ColumnStatsModel(self)
        self.stats_view = QTableView()
        self.stats_view.setObjectName("columnStats")
        self.stats_view.setModel(self.stats_model)
        self.stats_view.verticalHeader().hide()
        self.stats_view.verticalHeader().setDefaultSectionSize(22)
        self.stats_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # In a scroll area so that a small window can still show everything.
        sample_scroll = QScrollArea()
        sample_scroll.setWidgetResizable(True)
        sample_scroll.setFrameShape(QFrame.Shape.NoFrame)
        sample_scroll.setWidget(self.sample_view)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(sample_scroll)        # 0 images
        self.row_facts = QLabel()
        self.row_facts.setObjectName("rowTensorFacts")
        self.row_facts.setWordWrap(True)
        self.row_facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        table_detail = QWidget()
        table_box = QVBoxLayout(table_detail)
        table_box.setContentsMargins(0, 0, 0, 0)
        table_box.addWidget(self.row_facts)
        table_box.addWidget(self.stats_view, 1)
        self.rows_view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.detail_stack.addWidget(table_detail)         # 1 tables
        self.detail_stack.addWidget(QWidget())            # 2 sequences

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.histogram_holder)
        right.addWidget(self.detail_stack)
        right.setSizes([200, 420])
        middle = QSplitter(Qt.Orientation.Horizontal)
        middle.addWidget(self.samples_stack)
        middle.addWidget(right)
        middle.setStretchFactor(0, 3)
        middle.setStretchFactor(1, 2)
        middle.setSizes([560, 440])

        box.addWidget(self.title_label)
        box.addWidget(self.description_label)
        box.addWidget(self.notes_label)
        box.addWidget(self.banner)
        box.addLayout(facts)
        box.addLayout(controls)
        box.addWidget(self.preprocessing_label)
        box.addWidget(self.status_label)
        box.addWidget(middle, 1)
        return side

    def _fraction_spin(self, name: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(name)
        spin.setRange(0.0, 0.5)
        spin.setSingleStep(0.05)
        spin.setDecimals(2)
        spin.setValue(0.1)
        spin.setToolTip(self.tr("Fraction of the samples (0.1 = 10%)"))
        return spin

    # -- the list of datasets -------------------------------------------------------------------
    def _fill_list(self) -> None:
        from desktop_dl.core.datasets.registry import list_builtin

        self.dataset_list.clear()
        self._add_header(self.tr("Built in"))
        for info in list_builtin():
            item = QListWidgetItem(info.title)       # core gives them in the interface language
            item.setToolTip(info.description)
            item.setData(SourceRole, {"name": info.name})
            self.dataset_list.addItem(item)
        recent = self.recent_sources()
        if recent:
            self._add_header(self.tr("Imported and recent"))
            for source in recent:
                item = QListWidgetItem(source.get("title") or Path(source["path"]).name)
                item.setToolTip(source["path"])
                item.setData(SourceRole, {k: v for k, v in source.items() if k != "title"})
                self.dataset_list.addItem(item)
        self._select_source_in_list()

    def _add_header(self, text: str) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = item.font()
        font.setBold(True)
        item.setFont(font)
        self.dataset_list.addItem(item)

    def _select_source_in_list(self) -> None:
        if self._source is None:
            return
        key = source_key(self._source)
        for row in range(self.dataset_list.count()):
            data = self.dataset_list.item(row).data(SourceRole)
            if data and source_key(data) == key:
                self.dataset_list.setCurrentRow(row, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                return

    def _item_chosen(self, item: QListWidgetItem) -> None:
        source = item.data(SourceRole)
        if source and (self._source is None or source_key(source) != source_key(self._source)):
            self.load_source(source)

    def recent_sources(self) -> list[dict]:
        try:
            value = json.loads(self.settings.value("datasets/recent", "[]") or "[]")
        except (TypeError, ValueError):
            return []
        return [s for s in value if isinstance(s, dict) and "path" in s][:MAX_RECENT]

    def _remember(self, source: dict, title: str) -> None:
        entry = {**source, "title": title}
        recent = [s for s in self.recent_sources()
                  if source_key({k: v for k, v in s.items() if k != "title"}) != source_key(source)]
        recent.insert(0, entry)
        self.settings.setValue("datasets/recent", json.dumps(recent[:MAX_RECENT]))

    # -- loading ----------------------------------------------------------------------------------
    def _load_startup_dataset(self) -> None:
        if self._dataset is None and self._job is None:
            self.load_source({"name": STARTUP_DATASET}, by_user=False)

    def load(self, name_or_path: str, **options) -> None:
        """Load a built-in name or a file/folder on a worker; the result replaces the current
        dataset only when it loads without error."""
        from desktop_dl.core.datasets.registry import builtin_names

        if name_or_path in builtin_names():
            self.load_source({"name": name_or_path, **({"options": options} if options else {})})
        else:
            self.load_source({"path": str(name_or_path), "options": options})

    def load_source(self, source: dict, *, by_user: bool = True) -> None:
        """Load and show `source`; `by_user=False` for loads the app starts itself (they do not
        mark the project modified)."""
        key = source_key(source)
        if key in self._loaded:
            self._accept(source, self._loaded[key], by_user)
            return
        from desktop_dl.core.datasets.registry import load_dataset

        self._load_serial += 1
        target = source.get("name") or source["path"]
        options = dict(source.get("options") or {})
        if self._job is not None and self._job.is_running():
            self._job.cancel()
        # No Qt parent: the job outlives this panel if the window closes mid-load (a QThread
        # destroyed while running would abort the process); _RUNNING keeps it alive until done.
        def load(report, cancelled):
            dataset = load_dataset(target, progress=report, cancelled=cancelled, **options)
            # The content hash (compared with a project's, saved in it) reads the whole file:
            # here in the job, so the GUI thread later finds it computed.
            dataset.sha256()
            return dataset

        job = Job(load, None, name="load-dataset")
        job.serial, job.source, job.by_user = self._load_serial, source, by_user
        job.result.connect(self._job_result)
        job.progress.connect(self._job_progress)
        job.error.connect(self._job_error)
        job.finished.connect(self._job_finished)
        _RUNNING.add(job)
        job.finished.connect(lambda j=job: _RUNNING.discard(j))
        self._job = job
        self.status_label.setText(self.tr("Loading %s…") % (Path(target).name if "path" in source else target))
        job.start()

    def _job_finished(self) -> None:
        if self._job is self.sender():
            self._job = None

    def _job_progress(self, progress) -> None:
        job = self.sender()
        fraction = progress.fraction            # a core.progress.Progress
        if job is not None and job.serial == self._load_serial and fraction is not None:
            name = job.source.get("name") or Path(job.source["path"]).name
            self.status_label.setText(self.tr("Loading %s… %d%%") % (name, int(100 * fraction)))

    def _job_result(self, dataset) -> None:
        job = self.sender()
        if job is None or job.serial != self._load_serial:
            return                     # a newer load was asked for meanwhile
        source = job.source
        self._loaded[source_key(source)] = dataset
        if "path" in source:
            self._remember(source, dataset.title)
            self._fill_list()
        self._accept(source, dataset, job.by_user)

    def _job_error(self, message: str, _details: str) -> None:
        job = self.sender()
        if job is None or job.serial != self._load_serial:
            return
        self.status_label.setText("")
        self.show_error(message)
        self._select_source_in_list()      # the list goes back to what is still shown
        self.loadFailed.emit(message)

    def show_error(self, message: str) -> None:
        from desktop_dl.app_logging import log_user_error
        log_user_error(message, "datasets")     # every error shown to the user is in the log too
        self.banner.setStyleSheet("#datasetBanner { background: #fdecea; border: 1px solid #e0a0a0; "
                                  "border-radius: 4px; } QLabel { color: #611a15; }")
        self.banner_label.setText(message)
        self.banner.show()

    def _accept(self, source: dict, dataset, by_user: bool = True) -> None:
        self._source = source
        self.banner.hide()
        self.status_label.setText("")
        if self._pending_split:
            dataset.split_options.update(self._pending_split)
            self._pending_split = None
        self._show_dataset(dataset)
        self._select_source_in_list()
        if self._expected_sha and dataset.sha256() and dataset.sha256() != self._expected_sha:
            self.show_error(self.tr("'%s' has changed since this project was saved: results may "
                                    "differ from before.") % Path(dataset.source).name)
            self.banner.setStyleSheet("#datasetBanner { background: #fff4d6; border: 1px solid "
                                      "#e0c070; border-radius: 4px; }")
        self._expected_sha = None
        self.datasetChanged.emit(dataset)
        if by_user:
            self.projectStateChanged.emit()

    # -- showing ----------------------------------------------------------------------------------
    def current_dataset(self):
        return self._dataset

    @property
    def histogram(self) -> ClassHistogram:
        if self._histogram is None:
            # pyqtgraph is imported here, not at start-up (it takes ~1 s to import cold).
            from desktop_dl.ui.data.dataset_histogram import ClassHistogram
            self._histogram = ClassHistogram(self.histogram_holder)
            self.histogram_holder.layout().addWidget(self._histogram)
        return self._histogram

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._follow_personal_digits()
        if self._views_stale:
            self._refresh_views()

    def _follow_personal_digits(self) -> None:
        """The Draw tab saves corrections as "My digits": list it once it exists, and load it
        afresh when it has grown (loaded datasets are cached)."""
        from desktop_dl.core.datasets.registry import builtin_names, personal_digits_path

        path = personal_digits_path()
        stamp = path.stat().st_mtime_ns if path.is_file() else None
        if stamp != getattr(self, "_personal_stamp", stamp):
            self._loaded.pop(source_key({"name": "my-digits"}), None)
        self._personal_stamp = stamp
        listed = {(self.dataset_list.item(r).data(SourceRole) or {}).get("name")
                  for r in range(self.dataset_list.count())}
        if ("my-digits" in builtin_names()) != ("my-digits" in listed):
            self._fill_list()

    def _show_dataset(self, dataset) -> None:
        """Make `dataset` current; the views follow now if visible, else when first shown."""
        self._dataset = dataset
        self.use_button.setEnabled(dataset is not None)
        self._views_stale = True
        if self.isVisible():
            self._refresh_views()

    def _refresh_views(self) -> None:
        self._views_stale = False
        dataset = self._dataset
        if dataset is None:
            self.title_label.setText(self.tr("No dataset"))
            self.description_label.setText(self.tr("Choose a dataset on the left, or import one."))
            self._show_notes(None)
            self.preprocessing_label.setText("")
            self.grid_model.set_dataset(None)
            self.rows_model.set_dataset(None)
            self.stats_model.set_dataset(None)
            if self._histogram is not None:
                self._histogram.show_dataset(None)
            return
        self.title_label.setText(dataset.title)       # core gives it in the interface language
        self.description_label.setText(dataset.description)
        self._show_notes(dataset)
        self.fact_values["samples"].setText(f"{len(dataset):,}")
        self.fact_values["input"].setText(format_shape(dataset.input_shape))
        self.fact_values["task"].setText(self._task_text(dataset.task))
        self.fact_values["classes"].setText(
            str(len(dataset.class_names)) if dataset.is_classification() else "–")
        for spin, key in ((self.validation_spin, "validation"), (self.test_spin, "test"),
                          (self.seed_spin, "seed")):
            spin.blockSignals(True)
            spin.setValue(dataset.split_options[key])
            spin.blockSignals(False)
        self.test_spin.setEnabled(dataset.fixed_test_count() == 0)
        self.test_spin.setToolTip(self.tr("This file brings its own test split (%d samples).")
                                  % dataset.fixed_test_count() if dataset.fixed_test_count()
                                  else self.tr("Fraction of the samples (0.1 = 10%)"))
        self._update_split_sizes()
        self.preprocessing_label.setText(self._preprocessing_text(dataset))
        self.histogram.show_dataset(dataset)

        page = {"image": 0, "table": 1, "sequence": 2}[dataset.kind]
        self.samples_stack.setCurrentIndex(page)
        self.detail_stack.setCurrentIndex(page)
        if dataset.kind == "image":
            # Mixed order only where the file is sorted by class (mnist-5k): other files are
            # mixed already, and their file order lets a streamed file show its first page at once.
            labels = dataset.labels
            sorted_by_class = len(labels) > 1 and bool(np.all(labels[1:] >= labels[:-1]))
            self.mixed_check.blockSignals(True)
            self.mixed_check.setChecked(sorted_by_class)
            self.mixed_check.blockSignals(False)
            self.grid_model.set_mixed(sorted_by_class)
            self.grid_model.set_dataset(dataset)
            self._fill_class_filter(dataset)
            self._update_grid_count()
            self.sample_view.show_sample(None, None)
            if len(dataset):
                self.grid.setCurrentIndex(self.grid_model.index(0))
        else:
            self.grid_model.set_dataset(None)
        self.rows_model.set_dataset(dataset)
        self.stats_model.set_dataset(dataset)
        if dataset.kind == "table":
            self.rows_view.setCurrentIndex(self.rows_model.index(0, 0))
        if dataset.kind == "sequence":
            self.sequence_label.setText(self._sequence_text(dataset))

    def _show_notes(self, dataset) -> None:
        """The reader's warnings (what it left out or changed) and notes (what it found and
        decided), as a list in a framed box above the facts."""
        warnings = list(dataset.warnings) if dataset is not None else []
        notes = list(getattr(dataset, "notes", []) or []) if dataset is not None else []
        if not warnings and not notes:
            self.notes_label.hide()
            self.notes_label.setText("")
            return
        items = [f"<li style='color:#8a5a00'>⚠ {html.escape(w)}</li>" for w in warnings]
        items += [f"<li>{html.escape(n)}</li>" for n in notes]
        self.notes_label.setText("<b>" + html.escape(self.tr("How the data was read")) + "</b>"
                                 "<ul style='margin-left:-20px'>" + "".join(items) + "</ul>")
        self.notes_label.show()

    def _task_text(self, task: str) -> str:
        return {"binary": self.tr("binary classification"),
                "multiclass": self.tr("multi-class classification"),
                "multilabel": self.tr("multi-label classification"),
                "regression": self.tr("regression")}.get(task, task)

    def _preprocessing_text(self, dataset) -> str:
        facts = tensor_facts(dataset)
        batch = batch_shape(facts["shape"])
        prep = dataset.preprocessing
        if dataset.kind == "image":
            text = self.tr("Preprocessing: pixels ÷ 255 → float32 in 0…1; model input %s, a batch "
                           "is %s.") % (format_shape(facts["shape"]), batch)
            if prep.get("digit_normalisation") == "mnist":
                text += " " + self.tr("Drawn digits are normalised like MNIST before recognition "
                                      "(cropped to the ink, fitted in 20×20, centred by mass).")
            return text
        if dataset.kind == "table":
            encoding = {"onehot": self.tr("one-hot"), "ordinal": self.tr("ordinal")}[dataset.encoding]
            if all(f["type"] == "numeric" for f in prep["features"]):
                encoding = self.tr("none (all columns are numbers)")
            missing = {"drop": self.tr("rows with missing values dropped"),
                       "fill": self.tr("missing values filled with the training mean or mode")}[dataset.missing]
            return self.tr("Preprocessing: numeric columns standardised with the mean and standard "
                           "deviation of the training split; categories %s; %s. Model input %s, "
                           "a batch is %s.") % (encoding, missing, format_shape(facts["shape"]), batch)
        return self.tr("Preprocessing: word ids (the %d most common words), padded or cut to %d "
                       "per review; model input %s int32, a batch is %s.") % (
            prep.get("vocabulary_size", 0), facts["shape"][0], format_shape(facts["shape"]), batch)

    def _sequence_text(self, dataset) -> str:
        lines = []
        for i in range(min(8, len(dataset))):
            ids = [int(v) for v in dataset.raw_sample(i) if v != 0][:24]
            lines.append(f"#{i} [{dataset.label_text(i)}]  " + " ".join(map(str, ids)) + " …")
        return "\n".join(lines)

    def _fill_class_filter(self, dataset) -> None:
        self.class_filter.blockSignals(True)
        self.class_filter.clear()
        self.class_filter.addItem(self.tr("All classes (%s)") % f"{len(dataset):,}", None)
        counts = dataset.class_counts()
        for i, name in enumerate(dataset.class_names):
            self.class_filter.addItem(self.tr("Class %s (%s)") % (name, f"{int(counts[i]):,}"), i)
        self.class_filter.blockSignals(False)

    def _filter_changed(self, _row: int) -> None:
        self.grid_model.set_class_filter(self.class_filter.currentData())
        self._update_grid_count()
        if self.grid_model.rowCount():
            self.grid.setCurrentIndex(self.grid_model.index(0))

    def _mixed_toggled(self, mixed: bool) -> None:
        self.grid_model.set_mixed(mixed)
        if self.grid_model.rowCount():
            self.grid.setCurrentIndex(self.grid_model.index(0))

    def _update_grid_count(self) -> None:
        self.grid_count.setText(self.tr("%s samples") % f"{self.grid_model.rowCount():,}")

    def _row_changed(self, current, _previous) -> None:
        dataset = self._dataset
        if dataset is None or dataset.kind != "table" or not current.isValid():
            self.row_facts.setText(self.tr("Click a row to see it as the model receives it."))
            return
        from desktop_dl.core.datasets.table_preprocessing import apply_recipe

        i = current.row()
        vector = apply_recipe(dataset.preprocessing, [c.values[i:i + 1] for c in dataset.features])[0]
        values = ", ".join(f"{v:.3g}" for v in vector[:12]) + (", …" if len(vector) > 12 else "")
        self.row_facts.setText(
            self.tr("<b>Row %d</b> — target: <b>%s</b><br>As model input: a rank-1 tensor (ndim 1), "
                    "shape <code>(%d,)</code>, dtype float32: <code>[%s]</code><br>A batch: "
                    "<code>(batch, %d)</code>") % (i, dataset.label_text(i), len(vector), values,
                                                   len(vector)))

    def _grid_current_changed(self, current, _previous) -> None:
        if current.isValid() and self._dataset is not None:
            self.sample_view.show_sample(self._dataset, current.data(SampleIndexRole))

    # -- splits and training --------------------------------------------------------------------------
    def split_options(self) -> dict:
        return {"validation": round(self.validation_spin.value(), 4),
                "test": round(self.test_spin.value(), 4), "seed": self.seed_spin.value()}

    def _split_changed(self, *_args) -> None:
        if self._dataset is not None:
            self._dataset.split_options.update(self.split_options())
            self._update_split_sizes()
            self.projectStateChanged.emit()     # spins are set with signals blocked: the user's

    def _update_split_sizes(self) -> None:
        from desktop_dl.core.errors import UserError

        dataset = self._dataset
        try:
            sizes = dataset.split_sizes(**dataset.split_options)
        except UserError as exc:
            self.fact_values["splits"].setText(str(exc))
            self.use_button.setEnabled(False)
            return
        self.use_button.setEnabled(True)
        self.fact_values["splits"].setText(
            f"{sizes['train']:,} / {sizes['validation']:,} / {sizes['test']:,}")

    def use_for_training(self) -> None:
        if self._dataset is None:
            return
        self._dataset.split_options.update(self.split_options())
        self.useForTraining.emit(self._dataset)

    # -- import buttons -------------------------------------------------------------------------------
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

    def add_dataset(self, dataset) -> None:
        """Show a dataset made elsewhere (a download); its file is remembered like an import."""
        source = {"path": dataset.source, "options": dict(dataset.options)} if dataset.source \
            else {"name": dataset.name}
        self._loaded[source_key(source)] = dataset
        if dataset.source:
            self._remember(source, dataset.title)
            self._fill_list()
        self._accept(source, dataset)

    # -- project files --------------------------------------------------------------------------------
    def project_state(self) -> dict:
        split = dict(self._dataset.split_options) if self._dataset is not None else self.split_options()
        state: dict[str, Any] = {"split": split}
        if self._source is not None:
            entry = dict(self._source)
            if "path" in entry and self._dataset is not None and self._dataset.sha256():
                entry["sha256"] = self._dataset.sha256()
            state["dataset"] = entry
        return state

    def restore_project_state(self, state: dict) -> None:
        split = state.get("split") or {}
        self._pending_split = {k: split[k] for k in ("validation", "test", "seed") if k in split}
        entry = dict(state.get("dataset") or {})
        self._expected_sha = entry.pop("sha256", None)
        if "name" in entry or "path" in entry:
            if "path" in entry:
                entry.setdefault("options", {})
            self._loaded.pop(source_key(entry), None)      # read again: the file may have changed
            self.load_source(entry, by_user=False)
        elif self._dataset is not None and self._pending_split:
            self._dataset.split_options.update(self._pending_split)
            self._pending_split = None
            self._show_dataset(self._dataset)
