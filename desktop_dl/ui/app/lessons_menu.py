"""The Lessons menu: one click sets up a tutorial exercise (model, data, settings) and shows its
text in a dock; "Train" runs the lesson, one run after another when it compares several, and
ticks them in the run history so their curves are drawn together.

Uses only the panels' public interface: LayerEditor.set_spec / adapt_to_dataset,
TrainingPanel.set_dataset / start / trainingFinished / run_count / run_at / overlay_run, and the
window's apply_training_settings.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QMenu, QPushButton, QTextBrowser,
                               QVBoxLayout, QWidget)

from desktop_dl.core import lessons as core_lessons
from desktop_dl.core.errors import UserError
from desktop_dl.ui.base import i18n

log = logging.getLogger(__name__)

# Settings a lesson always decides, so that one lesson's choices never leak into the next.
_LESSON_DEFAULTS = {"early_stopping": 0, "schedule": "none", "momentum": 0.0, "nesterov": False,
                    "optimizer": None, "learning_rate": None}


class LessonController(QObject):
    """Sets lessons up in the window and runs their runs in turn."""

    lessonOpened = Signal(str)          # lesson name
    runStarted = Signal(int)            # 0-based run index
    lessonFinished = Signal(bool)       # True when every run finished

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.lesson: core_lessons.Lesson | None = None
        self._dataset = None
        self._next_run = 0
        self._runs_before = 0
        self._active = False
        window.training.trainingFinished.connect(self._on_training_finished)

    @property
    def running(self) -> bool:
        return self._active

    def open_lesson(self, lesson: core_lessons.Lesson) -> None:
        """Set up the lesson's first run; nothing trains until `train()`."""
        if self.window.training.is_running():
            self.window.statusBar().showMessage(
                self.tr("Training is running: stop it before opening a lesson."), 5000)
            return
        # The lesson replaces the model: unsaved work is saved, discarded or kept (Cancel) first.
        project = getattr(self.window, "project", None)
        if project is not None and not project.maybe_save(
                self.tr("Save the changes to %s before the lesson replaces the model?")):
            return
        self.lesson, self._dataset, self._active = lesson, None, False
        # One undoable step for the model ("Undo lesson set-up" gives the previous model back).
        stack = self.window.editor.undo_stack
        stack.beginMacro(self.tr("Set up the lesson %s") % lesson.title_in(i18n.current_language()))
        try:
            self._set_up(0)
        except UserError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)
            self.lesson = None
            return
        finally:
            stack.endMacro()
        self.lessonOpened.emit(lesson.name)

    def _set_up(self, run: int) -> None:
        setup = core_lessons.lesson_setup(self.lesson, run, i18n.current_language(), self._dataset)
        self._dataset = setup.dataset
        self.window.apply_training_settings({**_LESSON_DEFAULTS, **setup.settings})
        self.window.training.set_dataset(setup.dataset)
        self.window.editor.adapt_to_dataset(setup.dataset)
        self.window.editor.set_spec(setup.spec)

    def train(self) -> None:
        """Run every run of the open lesson, in order."""
        if self.lesson is None or self.window.training.is_running():
            return
        self._active = True
        self._start_run(0)

    def stop(self) -> None:
        self._active = False
        self.window.training.stop()

    def _start_run(self, run: int) -> None:
        if run > 0:
            self._set_up(run)
        self._next_run = run + 1
        self._runs_before = self.window.training.run_count()
        self.window.tabs.setCurrentWidget(self.window.training)
        self.window.training.start()
        if not self.window.training.is_running():       # it said why in its message area
            self._finish(False)
            return
        self.runStarted.emit(run)

    def _on_training_finished(self) -> None:
        if not self._active or self.lesson is None:
            return
        training = self.window.training
        if training.run_count() <= self._runs_before:   # the run failed: the panel shows why
            self._finish(False)
            return
        row = training.run_count() - 1
        if len(self.lesson.runs) > 1:
            training.overlay_run(row)                    # overlay the lesson's runs
        if training.run_at(row).status == "stopped":
            self._finish(False)
        elif self._next_run < len(self.lesson.runs):
            # Let the panel finish handling this run before the next one starts.
            QTimer.singleShot(0, lambda: self._start_run(self._next_run))
        else:
            self._finish(True)

    def _finish(self, ok: bool) -> None:
        self._active = False
        self.lessonFinished.emit(ok)


class LessonDock(QDockWidget):
    """The open lesson's text, its runs, and Train / Stop."""

    def __init__(self, controller: LessonController, parent=None):
        super().__init__(self.tr("Lesson"), parent)
        self.setObjectName("lessonDock")
        self.controller = controller
        body = QWidget(self)
        self.title = QLabel(body)
        self.title.setObjectName("lessonTitle")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.text = QTextBrowser(body)
        self.text.setObjectName("lessonText")
        self.runs = QLabel(body)
        self.runs.setObjectName("lessonRuns")
        self.runs.setWordWrap(True)
        self.status = QLabel(body)
        self.status.setObjectName("lessonStatus")
        self.status.setWordWrap(True)
        self.train_button = QPushButton(self.tr("Train this lesson"), body)
        self.train_button.setObjectName("lessonTrainButton")
        self.stop_button = QPushButton(self.tr("Stop"), body)
        self.train_button.clicked.connect(controller.train)
        self.stop_button.clicked.connect(controller.stop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.train_button, 2)
        buttons.addWidget(self.stop_button, 1)
        layout = QVBoxLayout(body)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.runs)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.setWidget(body)
        # Narrow enough that the Model tab keeps its columns beside it in a 1024-pixel window.
        self.setMinimumWidth(250)
        controller.lessonOpened.connect(self._show_lesson)
        controller.runStarted.connect(self._run_started)
        controller.lessonFinished.connect(self._finished)
        self._update_buttons()

    def _show_lesson(self, _name: str) -> None:
        lesson, lang = self.controller.lesson, i18n.current_language()
        self.title.setText(lesson.title_in(lang))
        self.text.setPlainText(lesson.text_in(lang))
        if len(lesson.runs) > 1:
            items = [f"{i + 1}. {lesson.run_label(i, lang)}" for i in range(len(lesson.runs))]
            self.runs.setText(self.tr("Runs, drawn together on the curves:") + "\n" + "\n".join(items))
        else:
            self.runs.setText("")
        self.runs.setVisible(len(lesson.runs) > 1)
        self.status.setText(self.tr("The model, the data and the settings are ready. Press Train "
                                    "this lesson (or Start training in the Train tab)."))
        self.show()
        self.raise_()
        self._update_buttons()

    def _run_started(self, run: int) -> None:
        lesson = self.controller.lesson
        label = lesson.run_label(run, i18n.current_language())
        text = self.tr("Training run %d of %d…") % (run + 1, len(lesson.runs))
        self.status.setText(text + (" " + label if label else ""))
        self._update_buttons()

    def _finished(self, ok: bool) -> None:
        self.status.setText(self.tr("Done. Read the curves, and the diagnosis of them beside the settings.")
                            if ok else self.tr("The lesson stopped before all its runs finished."))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.controller.lesson is not None
        self.train_button.setEnabled(has and not self.controller.running)
        self.stop_button.setEnabled(self.controller.running)


class LessonsMenu(QMenu):
    """Menu bar entry: one action per lesson, titled in the interface language."""

    def __init__(self, window):
        super().__init__(window)
        self.setTitle(self.tr("&Lessons"))
        self.setObjectName("lessonsMenu")
        self.controller = LessonController(window)
        self.dock = LessonDock(self.controller, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.setToolTipsVisible(True)
        lang = i18n.current_language()
        try:
            lessons = core_lessons.list_lessons()
        except UserError as exc:
            log.warning("%s", exc)
            lessons = ()
        for lesson in lessons:
            action = self.addAction(lesson.title_in(lang))
            action.setObjectName("lesson-" + lesson.name)
            action.setToolTip(lesson.text_in(lang).split(". ")[0].split("。")[0])
            action.triggered.connect(lambda _=False, l=lesson: self.controller.open_lesson(l))
