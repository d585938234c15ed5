"""Dataset browser: pick, import or download a dataset, look at it, split it, use it for training.

Interface used by the main window:
  DatasetBrowser(parent) with objectName "datasetBrowser"
  .useForTraining: Signal(object)      emits a core Dataset when the user picks it for training;
                                       dataset.split_options holds the chosen validation/test/seed
  .current_dataset() -> Dataset | None
  .project_state() / .restore_project_state(state)
Loading runs on a Job: a slow or bad file never blocks the window, and a failed import leaves the
current dataset in place (the message appears in a banner above it).

Its parts: the widgets are built in dataset_browser_layout.py, what they show of a dataset is
filled in by dataset_detail_views.py, and the import buttons, drops and downloads are in
dataset_import_actions.py (mixins of DatasetBrowser); loading, the list and the project state
stay here.
"""
from __future__ import annotations

import atexit
import json
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QListWidgetItem, QSplitter, QVBoxLayout, QWidget

from desktop_dl import APP_NAME, ORG_NAME
from desktop_dl.ui.base.jobs import Job
from desktop_dl.ui.data.dataset_browser_layout import DatasetBrowserLayout
from desktop_dl.ui.data.dataset_detail_views import DatasetDetailViews
from desktop_dl.ui.data.dataset_import_actions import DatasetImportActions
from desktop_dl.ui.data.dataset_grid_model import SampleIndexRole

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


class DatasetBrowser(DatasetBrowserLayout, DatasetDetailViews, DatasetImportActions, QWidget):
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

    # -- datasets made elsewhere ---------------------------------------------------------------------
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
