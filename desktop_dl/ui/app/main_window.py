"""The main window: four work areas as tabs, menus, status bar, remembered geometry.

It only wires the panels together; each panel lives in its own module and owns its behaviour.
TensorFlow is never imported here: the window paints long before a model is built.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTabWidget

from desktop_dl import APP_NAME, ORG_NAME, __version__
from desktop_dl.core.templates import template_training
from desktop_dl.ui.draw.canvas_panel import CanvasPanel
from desktop_dl.ui.data.dataset_browser import DatasetBrowser
from desktop_dl.ui.app.export_dialog import export_action
from desktop_dl.ui.editor.layer_editor import LayerEditor
from desktop_dl.ui.app.project_controller import ProjectController
from desktop_dl.ui.app.start_page import StartPage
from desktop_dl.ui.train.training_panel import TrainingPanel


class MainWindow(QMainWindow):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("desktop_dl"))
        self.settings = QSettings(ORG_NAME, APP_NAME)

        self.editor = LayerEditor(self)
        self.browser = DatasetBrowser(self)
        self.training = TrainingPanel(self)
        self.canvas_panel = CanvasPanel(self)
        self.start_page = StartPage(self)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.start_page, self.tr("Start"))
        self.tabs.addTab(self.editor, self.tr("Model"))
        self.tabs.addTab(self.browser, self.tr("Data"))
        self.tabs.addTab(self.training, self.tr("Train"))
        self.tabs.addTab(self.canvas_panel, self.tr("Draw"))
        self.setCentralWidget(self.tabs)

        self._wire_panels()
        # File > New/Open/Save…, the title's unsaved mark, autosave and crash recovery.
        self.project = ProjectController(
            self, {"editor": self.editor, "datasets": self.browser, "training": self.training,
                   "canvas": self.canvas_panel}, spec_panel=self.editor)
        self._build_menus()
        self._wire_start_page()
        self.statusBar().showMessage(self.tr("Ready"), 3000)
        self._restore_geometry()
        # After the window is up: offer work left behind by a session that crashed.
        QTimer.singleShot(0, self.project.offer_recovery)
        self.project.projectRestored.connect(self._project_restored)

    # -- panels talk to each other only through here --------------------------------------------
    def _wire_panels(self) -> None:
        # A template replaces the model: ask about unsaved work first (Save / Discard / Cancel).
        self.editor.confirm_replace = lambda: self.project.maybe_save(
            self.tr("Save the changes to %s before the template replaces the model?"))
        self.training.set_spec_source(self.editor.spec)
        self.browser.useForTraining.connect(self._use_dataset)
        self.training.modelReady.connect(self._model_ready)
        # The Train tab shows the optimizer (Model tab) and the split (Data tab) with a link home.
        self.editor.specChanged.connect(self.training.spec_changed)
        # A template trains as it was made to (digits-drawing: 10 epochs, cosine decay).
        self.editor.templateApplied.connect(
            lambda name: self.apply_training_settings(template_training(name)))
        # A run refused before training marks the layer it is about in the editor.
        self.training.runRefused.connect(
            lambda message, where, layer: self.editor.show_refusal(message, layer))
        self.training.settings_form.showTab.connect(
            lambda where: self.tabs.setCurrentWidget(self.editor if where == "model" else self.browser))

    def _use_dataset(self, dataset) -> None:
        self.training.set_dataset(dataset)
        self.editor.adapt_to_dataset(dataset)
        self.statusBar().showMessage(self.tr("Training data: %s") % dataset.title, 5000)
        self.tabs.setCurrentWidget(self.training)

    def _project_restored(self, project) -> None:
        # The browser reloads the project's dataset in the background; training uses it once there.
        if project.dataset is not None:
            self.browser.datasetChanged.connect(self.training.set_dataset,
                                                Qt.ConnectionType.SingleShotConnection)

    def _model_ready(self, onnx_path: str) -> None:
        self.canvas_panel.open_model(onnx_path)     # its ONNX Runtime session opens in a job

    # -- the Start tab ---------------------------------------------------------------------------
    def _wire_start_page(self) -> None:
        page = self.start_page
        page.drawRequested.connect(self.start_drawing)
        page.lessonsRequested.connect(self._show_lessons_under)
        page.buildRequested.connect(self.start_building)
        page.openRequested.connect(lambda: self.project.open_project())
        page.recentRequested.connect(self.project.open_project)
        self.project.pathChanged.connect(lambda _path: page.set_recent(self.project.recent_files()))
        self.tabs.currentChanged.connect(
            lambda _i: self.tabs.currentWidget() is page and page.set_recent(self.project.recent_files()))
        page.set_recent(self.project.recent_files())
        # A lesson chosen from the Start tab shows its model (its text is in the dock beside it).
        self.lessons_menu.controller.lessonOpened.connect(
            lambda _name: self.tabs.currentWidget() is page and self.tabs.setCurrentWidget(self.editor))
        # (The bundled digits the Data tab loads after the window paints are no change of the
        # user's: the browser does not count loads it starts itself, so the title stays unmarked.)

    def show_start_page(self) -> None:
        self.tabs.setCurrentWidget(self.start_page)

    def start_drawing(self) -> None:
        """Door one: the Draw tab, with the one-click digit model training if there is none."""
        self.tabs.setCurrentWidget(self.canvas_panel)
        if self.canvas_panel.recognizer is None and not self.canvas_panel.is_training():
            self.canvas_panel.train_default_model()
            self.statusBar().showMessage(self.tr("Training the digit model; draw a digit in the box "
                                                 "when it is ready."), 10000)

    def start_building(self) -> None:
        """Door three: the Model tab, the palette's search field ready."""
        self.tabs.setCurrentWidget(self.editor)
        self.editor.focus_palette_search()
        self.statusBar().showMessage(self.tr("Drag layers from the palette on the left into the "
                                             "stack, or double-click them."), 10000)

    def _show_lessons_under(self, button) -> None:
        self.lessons_menu.popup(button.mapToGlobal(QPoint(0, button.height())))

    # -- menus ----------------------------------------------------------------------------------
    # -- what the app's dialogs and menus ask of the panels (no reaching into their widgets) --
    def run_to_export(self):
        """The training run File › Export… offers: the selected one, else the latest with a model."""
        return self.training.run_with_model()

    def apply_training_settings(self, overrides: dict) -> None:
        """Set run settings by name (the Lessons menu's epochs, batch size, early stopping; a
        template's epochs, batch size and learning-rate schedule)."""
        self.training.apply_settings(overrides)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        self.edit_menu = bar.addMenu(self.tr("&Edit"))
        self.view_menu = bar.addMenu(self.tr("&View"))
        from desktop_dl.ui.app.lessons_menu import LessonsMenu
        self.lessons_menu = LessonsMenu(self)
        bar.addMenu(self.lessons_menu)
        self.help_menu = bar.addMenu(self.tr("&Help"))

        self.file_menu.addActions(self.project.actions())
        self.file_menu.addSeparator()
        self.file_menu.addActions(self.editor.file_actions())
        self.file_menu.addAction(export_action(self))
        self.file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.file_menu.addAction(quit_action)

        undo = self.editor.undo_stack.createUndoAction(self, self.tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.editor.undo_stack.createRedoAction(self, self.tr("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.edit_menu.addAction(undo)
        self.edit_menu.addAction(redo)
        self.edit_menu.addSeparator()
        preferences = QAction(self.tr("&Preferences…"), self)
        preferences.setObjectName("preferencesAction")
        preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        preferences.triggered.connect(self.show_preferences)
        self.edit_menu.addAction(preferences)

        panels = [self.editor, self.browser, self.training, self.canvas_panel]
        for number, panel in enumerate(panels, start=1):
            action = QAction(self.tabs.tabText(self.tabs.indexOf(panel)), self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, w=panel: self.tabs.setCurrentWidget(w))
            self.view_menu.addAction(action)

        def help_action(text, slot, name, shortcut=None):
            action = QAction(text, self)
            action.setObjectName(name)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(lambda _=False: slot())
            self.help_menu.addAction(action)
            return action
        help_action(self.tr("&Start page"), self.show_start_page, "startPageAction")
        help_action(self.tr("&Getting Started"), self.show_getting_started, "gettingStartedAction",
                    QKeySequence.StandardKey.HelpContents)
        help_action(self.tr("&Keyboard shortcuts"), self.show_shortcuts, "shortcutsAction")
        help_action(self.tr("Open the &log folder"), self.open_log_folder, "logFolderAction")
        self.help_menu.addSeparator()
        help_action(self.tr("&About desktop_dl"), self.show_about, "aboutAction")

    def show_getting_started(self) -> None:
        from desktop_dl.ui.app.help_dialogs import GettingStartedDialog
        GettingStartedDialog(self).exec()

    def show_shortcuts(self) -> None:
        from desktop_dl.ui.app.help_dialogs import ShortcutsDialog
        ShortcutsDialog([self.file_menu, self.edit_menu, self.view_menu, self.help_menu], self).exec()

    def open_log_folder(self) -> None:
        from desktop_dl.ui.app.help_dialogs import open_log_folder
        folder = open_log_folder(self)
        self.statusBar().showMessage(self.tr("The log folder: %s") % folder, 10000)

    def show_preferences(self) -> None:
        from desktop_dl.ui.app.preferences import PreferencesDialog
        PreferencesDialog(self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self, self.tr("About desktop_dl"),
            self.tr("<b>desktop_dl</b> %s<p>Build, train and use neural networks without writing "
                    "code. Models are built and trained with Keras, exported to ONNX and run with "
                    "ONNX Runtime.</p><p>Bundled digits: a 5,000-image subset of MNIST (Yann LeCun, "
                    "Corinna Cortes, Christopher J. C. Burges), CC BY-SA 3.0.</p>") % __version__)

    # -- geometry -------------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        # The tab by name (tabs may be added); a first start opens on the Start tab.
        name = self.settings.value("window/tab_name", "", type=str)
        for index in range(self.tabs.count()):
            if name and self.tabs.widget(index).objectName() == name:
                self.tabs.setCurrentIndex(index)

    def closeEvent(self, event) -> None:
        if not self.project.confirm_close():     # unsaved changes: Save / Discard / Cancel
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/tab_name", self.tabs.currentWidget().objectName())
        self.training.shutdown()
        self.canvas_panel.shutdown()
        super().closeEvent(event)
