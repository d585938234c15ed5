"""File > New / Open / Save / Save As / Recent, the unsaved-changes mark, autosave and recovery.

The controller gathers each panel's `project_state()` into a `core.project.Project` and hands the
states back through `restore_project_state(state)` (docs/ARCHITECTURE.md, "Project state"). The
keys "spec", "dataset", "training" and "runs" get their own parts of the file; everything else a
panel returns is kept as it is.

Unsaved changes are counted, never hashed (ui/app/change_tracker.py): the model editor's undo
stack says whether it is clean (undoing back to the saved state clears the mark); every other panel
has a version counter bumped by its own change signals. Deciding the mark costs a few compares,
however many runs the project keeps.

Saving: the panels' states are gathered on the GUI thread (a snapshot, cheap: run weights are paths
into their run folders), then the zip is built and written in a Job (ui/base/jobs.py) while the
window keeps painting; File > Save waits for it with user input held back, so nothing is edited
half-way through a save. Autosave writes the same way without waiting.

Gathering and restoring the panels' states, and the dataset check on opening, are in
ui/app/project_state.py; autosave and recovery in ui/app/project_recovery.py. Questions to the
user go through `Prompts` (ui/app/project_prompts.py: real dialogs; tests pass their own answers).
"""
from __future__ import annotations

import copy
import logging
import os
import threading
import uuid
from pathlib import Path

from PySide6.QtCore import QEventLoop, QLockFile, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget
from shiboken6 import isValid

from desktop_dl import APP_NAME, ORG_NAME
from desktop_dl.core.errors import UserError
from desktop_dl.core.project import PROJECT_SUFFIX, ProjectError, load_project, save_project
from desktop_dl.core.spec import ModelSpec
from desktop_dl.paths import user_data_dir
from desktop_dl.ui.app.change_tracker import ChangeTracker, Versions
# Re-exported: the prompts, the state's keys and the recovery are this module's public face.
from desktop_dl.ui.app.project_prompts import Prompts, RecoveryFile  # noqa: F401
from desktop_dl.ui.app.project_recovery import ProjectRecoveryMixin
from desktop_dl.ui.app.project_state import (  # noqa: F401
    _OWNER_KEY, LIFTED_KEYS, PERSONAL_DIGITS, RUN_KEYS, ProjectStateMixin)
from desktop_dl.ui.base.jobs import Job

log = logging.getLogger(__name__)

AUTOSAVE_MS = 3 * 60 * 1000
MAX_RECENT = 8
# Save jobs have no Qt parent (a QThread destroyed while running would abort the process when the
# window goes first); this keeps them alive until they end.
_RUNNING: set = set()


class ProjectController(ProjectStateMixin, ProjectRecoveryMixin, QObject):
    """Owns the current project file for a window whose panels offer project state."""

    pathChanged = Signal(str)
    modifiedChanged = Signal(bool)
    projectRestored = Signal(object)      # the Project, after every panel has its state back

    def __init__(self, window: QWidget, panels: dict[str, QObject], *,
                 spec_panel: QObject | None = None, prompts: Prompts | None = None,
                 settings: QSettings | None = None, recovery_dir: Path | None = None,
                 autosave_ms: int = AUTOSAVE_MS):
        super().__init__(window)
        self.window = window
        self.panels = panels
        self.spec_panel = spec_panel
        self.prompts = prompts or Prompts(window)
        self.settings = settings or QSettings(ORG_NAME, APP_NAME)
        self.path: Path | None = None
        self._hash_cache: dict[tuple, str] = {}
        self._spec_was_dict = True
        self._initial_states = {name: copy.deepcopy(panel.project_state())
                                for name, panel in panels.items() if hasattr(panel, "project_state")}
        self.changes = ChangeTracker(self)
        for name, panel in panels.items():
            self.changes.watch(name, panel, spec_source=panel is spec_panel)
        if spec_panel is not None and spec_panel not in panels.values():
            self.changes.watch("spec", spec_panel, spec_source=True)
        self.changes.changed.connect(self.refresh_modified)
        self._autosaved_key = self.changes.versions().key()
        self._save_job: Job | None = None

        self.recovery_dir = Path(recovery_dir) if recovery_dir else user_data_dir() / "recovery"
        self.recovery_dir.mkdir(parents=True, exist_ok=True)
        self.session = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.recovery_path = self.recovery_dir / f"{self.session}{PROJECT_SUFFIX}"
        self._lock = QLockFile(str(self.recovery_dir / f"{self.session}.lock"))
        self._lock.setStaleLockTime(0)      # only a dead owner makes it stale, never its age
        self._lock.tryLock(0)

        self._recovery_lock = threading.Lock()
        self._recovery_generation = 0
        self._autosave_job: Job | None = None
        self.autosave_timer = QTimer(self, interval=autosave_ms)
        self.autosave_timer.timeout.connect(lambda: self.autosave(background=True))
        self.autosave_timer.start()

        self._connect_run_finished()
        self._build_actions()
        self._update_title()

    # -- actions ---------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        def action(text, shortcut, slot, name):
            a = QAction(text, self.window)
            a.setObjectName(name)
            if shortcut is not None:
                a.setShortcut(shortcut)
            a.triggered.connect(lambda _=False: slot())
            return a
        self.new_action = action(self.tr("&New project"), QKeySequence.StandardKey.New, self.new_project, "newProject")
        self.open_action = action(self.tr("&Open project…"), QKeySequence.StandardKey.Open, self.open_project, "openProject")
        self.save_action = action(self.tr("&Save project"), QKeySequence.StandardKey.Save, self.save, "saveProject")
        self.save_as_action = action(self.tr("Save project &as…"), QKeySequence.StandardKey.SaveAs, self.save_as,
                                     "saveProjectAs")
        self.recent_menu = QMenu(self.tr("Open &recent"), self.window)
        self.recent_menu.setObjectName("recentProjects")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self._fill_recent_menu()

    def actions(self) -> list:
        """For the File menu, in order: New, Open, Open recent (a menu), Save, Save as."""
        return [self.new_action, self.open_action, self.recent_menu.menuAction(), self.save_action,
                self.save_as_action]

    def recent_files(self) -> list[str]:
        value = self.settings.value("project/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path: Path) -> None:
        text = str(path)
        items = [p for p in self.recent_files() if p != text]
        self.settings.setValue("project/recent", [text] + items[: MAX_RECENT - 1])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for i, path in enumerate(files):
            a = self.recent_menu.addAction(f"&{i + 1} {Path(path).name}")
            a.setToolTip(path)
            a.setStatusTip(path)
            a.triggered.connect(lambda _=False, p=path: self.open_project(p))
        if not files:
            self.recent_menu.addAction(self.tr("No recent projects")).setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear the list"), self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.setValue("project/recent", [])

    # -- modified --------------------------------------------------------------------------------
    def _connect_run_finished(self) -> None:
        for panel in list(self.panels.values()) + [self.spec_panel]:
            finished = getattr(panel, "runFinished", None)
            if finished is not None and hasattr(finished, "connect"):
                finished.connect(self._run_finished)

    def refresh_modified(self) -> bool:
        """Show the mark the counters give (cheap: no project state is gathered)."""
        if not isValid(self.window):
            return False
        self._set_modified(self.changes.is_modified())
        return self.is_modified()

    def is_modified(self) -> bool:
        return self.window.isWindowModified()

    def _set_modified(self, modified: bool) -> None:
        if modified != self.window.isWindowModified():
            self.window.setWindowModified(modified)
            self.modifiedChanged.emit(modified)

    def _update_title(self) -> None:
        name = self.path.name if self.path else self.tr("Untitled")
        self.window.setWindowTitle(self.tr("%s[*] \u2014 desktop_dl") % name)
        self.window.setWindowFilePath(str(self.path) if self.path else "")

    def display_name(self) -> str:
        return self.path.name if self.path else self.tr("Untitled")

    # -- file operations -------------------------------------------------------------------------
    def maybe_save(self, question: str | None = None) -> bool:
        """True when it is fine to drop the current state (saved, discarded or unchanged).
        `question`: what the dialog asks (with %s for the project's name), when not closing."""
        if not self.refresh_modified():
            return True
        answer = (self.prompts.save_changes(self.display_name(), question) if question
                  else self.prompts.save_changes(self.display_name()))
        if answer == "save":
            return self.save()
        return answer == "discard"

    def _busy(self) -> bool:
        """A panel is mid-job (training): replacing its state now would pull it from under it."""
        if any(getattr(panel, "is_running", lambda: False)() for panel in self.panels.values()):
            self.prompts.warn(self.tr("Training is running. Stop it (or let it finish) before "
                                      "starting or opening another project."))
            return True
        return False

    def new_project(self) -> bool:
        if self._busy() or not self.maybe_save():
            return False
        # A new project is the state the panels started the session with.
        for name, panel in self.panels.items():
            if hasattr(panel, "restore_project_state"):
                try:
                    panel.restore_project_state(copy.deepcopy(self._initial_states.get(name, {})))
                except UserError as exc:
                    self.prompts.warn(str(exc))
        if self.spec_panel is not None and not hasattr(self.spec_panel, "restore_project_state"):
            self.spec_panel.set_spec(ModelSpec((28, 28, 1)))
        self._became(None)
        return True

    def open_project(self, path: str | Path | None = None) -> bool:
        if self._busy() or not self.maybe_save():
            return False
        if path is None:
            folder = str(self.path.parent) if self.path else str(Path.home())
            path = self.prompts.open_path(folder)
            if not path:
                return False
        path = Path(path)
        try:
            project = load_project(path)
        except ProjectError as exc:
            self.prompts.warn(str(exc), self.tr("Cannot open the project"))
            if not path.exists():
                self.settings.setValue("project/recent", [p for p in self.recent_files() if p != str(path)])
            return False
        relocated = self._check_dataset(project)
        self.restore(project)
        # What the file holds is the saved state (panels may still be loading their part, as the
        # dataset browser does in the background). A dataset located elsewhere is a change.
        self._became(path)
        if relocated:
            self.changes.mark_unsaved()
        self._add_recent(path)
        if project.migrated_from is not None:
            self._status(self.tr("%s was made by an older desktop_dl; it will be saved in the new "
                                  "format.") % path.name, 8000)
        return True

    def _status(self, text: str, msecs: int = 4000) -> None:
        status_bar = getattr(self.window, "statusBar", None)
        if status_bar is not None:
            status_bar().showMessage(text, msecs)

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self._save_to(self.path)

    def save_as(self) -> bool:
        suggestion = str(self.path) if self.path else str(Path.home() / f"untitled{PROJECT_SUFFIX}")
        path = self.prompts.save_path(suggestion)
        if not path:
            return False
        path = Path(path)
        if path.suffix.lower() != PROJECT_SUFFIX:
            path = path.with_name(path.name + PROJECT_SUFFIX)
        return self._save_to(path)

    def is_saving(self) -> bool:
        return self._save_job is not None

    def _save_to(self, path: Path) -> bool:
        """Save to `path`: the state is gathered here (a snapshot), the zip is built and written
        by a job. Returns once it is written (True) or failed (False, the error shown); the window
        keeps painting and its timers run meanwhile, while user input waits for the end."""
        if self._save_job is not None:
            self._status(self.tr("Still saving…"))
            return False
        try:
            project = self.gather()
        except UserError as exc:
            self.prompts.warn(str(exc), self.tr("Cannot save the project"))
            return False
        versions = self.changes.versions()

        def write(report, _cancelled):
            self._fill_dataset_hash(project)
            save_project(project, path)
            return True

        outcome: dict = {}
        loop = QEventLoop()
        job = Job(write, None, name="save-project")
        job.result.connect(lambda _value: outcome.setdefault("ok", True))
        job.error.connect(lambda message, _details: outcome.setdefault("error", message))
        job.finished.connect(loop.quit)
        self._save_job = job
        self._status(self.tr("Saving %s…") % path.name, 0)
        self._start_job(job)
        try:
            if job.is_running():
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            self._save_job = None
        if not outcome.get("ok"):
            self._status("")
            self.prompts.warn(outcome.get("error") or self.tr("The project was not saved."),
                              self.tr("Cannot save the project"))
            return False
        self._became(path, versions)
        self._add_recent(path)
        self._status(self.tr("Saved %s") % path.name)
        return True

    @staticmethod
    def _start_job(job: Job) -> None:
        _RUNNING.add(job)
        job.finished.connect(lambda j=job: _RUNNING.discard(j))
        job.start()

    def _became(self, path: Path | None, versions: Versions | None = None) -> None:
        """The state (as it was at `versions`, default now) equals what is at `path`, or a fresh,
        unsaved project."""
        self.path = path
        self.changes.mark_saved(versions)
        self._autosaved_key = self.changes.versions().key()
        self._remove_recovery_file()
        self._set_modified(self.changes.is_modified())
        self._update_title()
        self.pathChanged.emit(str(path) if path else "")

    # -- closing ---------------------------------------------------------------------------------
    def confirm_close(self) -> bool:
        """Ask before closing with unsaved changes. True: go ahead and close."""
        if not self.maybe_save():
            return False
        self.shutdown()
        return True

    def shutdown(self) -> None:
        """A clean end: nothing to recover next time."""
        self.autosave_timer.stop()
        job = self._autosave_job
        if job is not None and job.is_running():
            job.wait(10000)         # its thread must not outlive the app; the write is short
        self._cancel_dataset_check()          # stops at its next block of 1 MB
        self.wait_for_dataset_check(5000)
        self._remove_recovery_file()
        if self._lock.isLocked():
            self._lock.unlock()


__all__ = ["ProjectController", "Prompts", "RecoveryFile"]
