"""How the Train tab is put together: the controls on the left, the result tabs on the right.

A mixin of TrainingPanel (ui/train/training_panel.py), split out so each part of the window is
one named method; the panel's behaviour (actions, job signals, run history) stays there. The
Curves page starts empty: TrainingPanel.plots builds pyqtgraph's plots into it on first show or use.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QHeaderView, QLabel, QProgressBar,
                               QPushButton, QScrollArea, QSplitter, QTabWidget, QTableView,
                               QVBoxLayout, QWidget)

from desktop_dl.ui.train.curve_diagnosis_view import CurveDiagnosisView
from desktop_dl.ui.train.training_confusion import ConfusionView
from desktop_dl.ui.train.training_gallery import MisclassifiedGallery
from desktop_dl.ui.train.training_runs import RunHistoryModel
from desktop_dl.ui.train.training_settings import TrainingSettingsForm


class TrainingPanelLayout:
    """The _build_* parts of TrainingPanel.__init__ (called in this order: controls, results,
    layout); they set the widget attributes the panel and the tests use by name."""

    def _build_controls(self) -> None:
        """The settings form, the data line, Start / Pause / Stop, the progress and the message."""
        self.settings_form = TrainingSettingsForm()
        self.settings_form.changed.connect(self.projectStateChanged)
        self.settings_form.device.aboutToShowPopup.connect(self._list_devices)

        self.data_label = QLabel()
        self.data_label.setObjectName("trainingDataLabel")
        self.data_label.setWordWrap(True)

        self.start_button = QPushButton(self.tr("Start training"))
        self.start_button.setObjectName("startTrainingButton")
        self.start_button.setDefault(True)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.setObjectName("pauseTrainingButton")
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("stopTrainingButton")
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)

        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setTextVisible(True)
        self.progress.hide()        # shown from the first run on
        self.progress_label = QLabel(" ")
        self.progress_label.setObjectName("trainingProgressLabel")
        self.progress_label.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("trainingMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.diagnosis_view = CurveDiagnosisView()     # names what the curves show, per epoch

    def _build_results(self) -> None:
        """The result tabs: Curves (its plots come on first show or use), Runs, Confusion, Mistakes."""
        self.runs = RunHistoryModel(self)
        self.runs.comparisonChanged.connect(self._update_overlays)
        # pyqtgraph's plots cost a good part of start-up; the Curves page holds them once built.
        self.curves_page = QWidget()
        self.curves_page.setObjectName("trainingCurvesPage")
        curves_layout = QVBoxLayout(self.curves_page)
        curves_layout.setContentsMargins(0, 0, 0, 0)
        self.confusion = ConfusionView()
        self.gallery = MisclassifiedGallery()
        self.results_tabs = QTabWidget()
        self.results_tabs.setObjectName("trainingResultTabs")
        self.results_tabs.addTab(self.curves_page, self.tr("Curves"))
        self.results_tabs.addTab(self._build_runs_page(), self.tr("Runs"))
        self.results_tabs.addTab(self.confusion, self.tr("Confusion matrix"))
        self.results_tabs.addTab(self.gallery, self.tr("Mistakes"))

    def _build_runs_page(self) -> QWidget:
        """The run history table with its Remove / Use buttons."""
        self.runs_view = QTableView()
        self.runs_view.setObjectName("runHistoryView")
        self.runs_view.setModel(self.runs)
        self.runs_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.runs_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.runs_view.verticalHeader().hide()
        self.runs_view.setAlternatingRowColors(True)
        header = self.runs_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.runs_view.selectionModel().currentRowChanged.connect(lambda cur, _prev: self.show_run(cur.row()))
        self.use_run_button = QPushButton(self.tr("Use this model for drawing"))
        self.use_run_button.setObjectName("useRunButton")
        self.use_run_button.clicked.connect(self._use_selected_run)
        self.delete_run_button = QPushButton(self.tr("Remove from history"))
        self.delete_run_button.clicked.connect(self._delete_selected_run)
        runs_page = QWidget()
        runs_layout = QVBoxLayout(runs_page)
        runs_hint = QLabel(self.tr("Tick runs to draw their epoch curves (dashed) beside the "
                                   "current ones; select a run to see its confusion matrix and "
                                   "mistakes."))
        runs_hint.setWordWrap(True)
        runs_layout.addWidget(runs_hint)
        runs_layout.addWidget(self.runs_view, 1)
        run_buttons = QHBoxLayout()
        run_buttons.addStretch(1)
        run_buttons.addWidget(self.delete_run_button)
        run_buttons.addWidget(self.use_run_button)
        runs_layout.addLayout(run_buttons)
        return runs_page

    def _build_layout(self) -> None:
        """Settings and controls on the left (scrolling), the result tabs on the right."""
        settings_box = QGroupBox(self.tr("Settings"))
        box_layout = QVBoxLayout(settings_box)
        box_layout.addWidget(self.settings_form)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(self.data_label)
        left_layout.addWidget(settings_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button, 2)
        buttons.addWidget(self.pause_button, 1)
        buttons.addWidget(self.stop_button, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.progress)
        left_layout.addWidget(self.progress_label)
        left_layout.addWidget(self.message)
        left_layout.addWidget(self.diagnosis_view)
        left_layout.addStretch(1)
        # Scrolls on small screens, so the settings never force the window's minimum size.
        left_scroll = QScrollArea()
        left_scroll.setWidget(left)
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left_scroll.setMinimumWidth(300)

        splitter = QSplitter()
        splitter.addWidget(left_scroll)
        splitter.addWidget(self.results_tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([left.sizeHint().width() + 24, 880])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

