"""How the Data tab is put together: the list of datasets on the left, the chosen one on the right.

A mixin of DatasetBrowser (ui/data/dataset_browser.py), split out so each part of the panel is
one named method; loading, showing and importing stay in the browser. The class histogram's
holder starts empty: DatasetBrowser.histogram() makes the pyqtgraph plot on first show.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFrame, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QListWidget, QPushButton, QScrollArea, QSpinBox,
                               QSplitter, QStackedWidget, QTableView, QToolButton, QVBoxLayout, QWidget)

from desktop_dl.ui.data.dataset_grid_model import SampleGridModel, make_sample_grid_view
from desktop_dl.ui.data.dataset_sample_view import SampleView
from desktop_dl.ui.data.dataset_table_models import ColumnStatsModel, TableRowsModel

if TYPE_CHECKING:
    from desktop_dl.ui.data.dataset_histogram import ClassHistogram


class DatasetBrowserLayout:
    """The _build_* parts of DatasetBrowser.__init__; they set the widget attributes the browser
    and the tests use by name."""

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
        """The chosen dataset: its title, notes and facts, the split, its samples and details."""
        side = QWidget()
        box = QVBoxLayout(side)
        box.setContentsMargins(6, 0, 0, 0)
        self._build_header()
        facts = self._build_facts()
        controls = self._build_split_controls()
        middle = self._build_middle()
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

    def _build_header(self) -> None:
        """Title, description, status, the reader's notes and the error banner."""
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

    def _build_facts(self) -> QGridLayout:
        """Samples, input shape, task, classes and split sizes, one column each."""
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
        return facts

    def _build_split_controls(self) -> QHBoxLayout:
        """Validation and test fractions, the seed and Use for training (and the preprocessing line)."""
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
        return controls

    def _build_middle(self) -> QSplitter:
        """Middle: the samples (grid for images, rows for tables); right: histogram + details."""
        self._build_samples_stack()
        self._build_detail_stack()
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
        return middle

    def _build_samples_stack(self) -> None:
        """The samples: a grid for images (with a class filter), rows for tables, text for sequences."""
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

    def _build_detail_stack(self) -> None:
        """The histogram's holder and the details of one sample (image) or row (table)."""
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

    def _fraction_spin(self, name: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(name)
        spin.setRange(0.0, 0.5)
        spin.setSingleStep(0.05)
        spin.setDecimals(2)
        spin.setValue(0.1)
        spin.setToolTip(self.tr("Fraction of the samples (0.1 = 10%)"))
        return spin
