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

Recovery: every few minutes and after each training run, a modified project is written to
user_data_dir()/recovery/<session>.ddl. The session holds a QLockFile beside it; a clean exit
removes both. On the next start, recovery files whose lock is stale (the process is gone) are
offered back.

Questions to the user go through `Prompts` (real dialogs); tests pass their own answers. On the
offscreen platform nobody can answer, so the dialogs take their safe default (no hanging tests).
"""
from __future__ import annotations

import copy
import hashlib
import io
import json
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QLockFile, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget
from shiboken6 import isValid

from desktop_dl import APP_NAME, ORG_NAME
from desktop_dl.core.errors import UserError
from desktop_dl.core.project import (EMBED_LIMIT_BYTES, PROJECT_SUFFIX, DatasetRef, Project, ProjectError, RunRecord,
                                     check_dataset, content_sha256, load_project, now_iso, save_project)
from desktop_dl.core.spec import ModelSpec
from desktop_dl.paths import user_data_dir
from desktop_dl.ui.app.change_tracker import ChangeTracker, Versions
from desktop_dl.ui.base.jobs import Job

log = logging.getLogger(__name__)

LIFTED_KEYS = ("spec", "dataset", "training", "runs")
RUN_KEYS = ("id", "name", "created", "spec", "settings", "history", "metrics", "kept", "weights",
            "weights_path")
AUTOSAVE_MS = 3 * 60 * 1000
MAX_RECENT = 8
_OWNER_KEY = "_project_parts"     # which lifted keys came from which panel
PERSONAL_DIGITS = "my-digits"     # core/personal_digits.py; embedded in the project file
# Save jobs have no Qt parent (a QThread destroyed while running would abort the process when the
# window goes first); this keeps them alive until they end.
_RUNNING: set = set()


@dataclass
class RecoveryFile:
    path: Path          # the .ddl written by autosave
    project_path: str   # the file the user was working on ("" when untitled)
    saved: str          # when the autosave was written
    lock: Path


class Prompts:
    """The questions the controller asks. Each has a safe answer when nobody can be asked."""

    def __init__(self, parent: QWidget):
        self.parent = parent
        self.interactive = QGuiApplication.platformName() != "offscreen"

    def tr(self, text: str) -> str:
        # Same context lupdate gives self.tr() calls inside this class.
        from PySide6.QtCore import QCoreApplication
        return QCoreApplication.translate("Prompts", text)

    def save_changes(self, name: str, question: str | None = None) -> str:
        """"save", "discard" or "cancel". `question` (with %s for the name) says what is about to
        replace the work; by default, closing it."""
        if not self.interactive:
            return "discard"
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved changes"),
                          (question or self.tr("Save the changes to %s before closing it?")) % name,
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self.parent)
        box.setInformativeText(self.tr("If you don't save, your changes since the last save are lost."))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def open_path(self, folder: str) -> str | None:
        if not self.interactive:
            return None
        path, _ = QFileDialog.getOpenFileName(self.parent, self.tr("Open project"), folder,
                                              self.tr("desktop_dl projects (*.ddl);;All files (*)"))
        return path or None

    def save_path(self, suggestion: str) -> str | None:
        if not self.interactive:
            return None
        path, _ = QFileDialog.getSaveFileName(self.parent, self.tr("Save project as"), suggestion,
                                              self.tr("desktop_dl projects (*.ddl)"))
        return path or None

    def recover(self, files: list[RecoveryFile]) -> bool:
        if not self.interactive:
            return False
        newest = files[0]
        what = Path(newest.project_path).name if newest.project_path else self.tr("an untitled project")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Recover unsaved work?"),
                          self.tr("desktop_dl did not close normally last time. Recover the unsaved "
                                  "work on %s (autosaved %s)?") % (what, newest.saved.replace("T", " ")),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Discard,
                          self.parent)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Recover"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        return box.exec() == QMessageBox.StandardButton.Yes

    def locate_dataset(self, ref: DatasetRef, message: str) -> str | None:
        if not self.interactive:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Dataset not found"), message,
                          QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Ignore, self.parent)
        box.button(QMessageBox.StandardButton.Open).setText(self.tr("Locate…"))
        if box.exec() != QMessageBox.StandardButton.Open:
            return None
        old = Path(ref.path or "")
        if old.suffix:
            path, _ = QFileDialog.getOpenFileName(self.parent, self.tr("Locate %s") % ref.name,
                                                  str(old.parent), "*" + old.suffix)
        else:
            path = QFileDialog.getExistingDirectory(self.parent, self.tr("Locate %s") % ref.name)
        return path or None

    def warn(self, message: str, title: str = "") -> None:
        from desktop_dl.ui.base.error_reporting import show_user_error
        show_user_error(self.parent, message, title or self.tr("Project"))

    def note(self, message: str) -> None:
        """A remark that needs no answer (the panel concerned shows it too): status bar + log."""
        from desktop_dl.app_logging import log_user_error
        log_user_error(message, "project")
        status_bar = getattr(self.parent, "statusBar", None)
        if status_bar is not None:
            status_bar().showMessage(message, 15000)


class ProjectController(QObject):
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

    # -- state -----------------------------------------------------------------------------------
    def gather(self) -> Project:
        """The current state of every panel as a Project."""
        project = Project()
        for name, panel in self.panels.items():
            getter = getattr(panel, "project_state", None)
            if getter is None:
                continue
            state = dict(getter() or {})
            owned = [k for k in LIFTED_KEYS if k in state]
            for key in owned:
                self._lift(project, key, state.pop(key))
            if "spec" in owned and project.spec is not None:
                # give the spec back in the form the panel gave it (a dict or a ModelSpec)
                owned[owned.index("spec")] = "spec" if self._spec_was_dict else "spec:object"
            if owned:
                state[_OWNER_KEY] = owned
            project.panels[name] = state
        if project.spec is None and self.spec_panel is not None:
            project.spec = self.spec_panel.spec()
        return project

    def _gather_or_empty(self) -> Project:
        try:
            return self.gather()
        except Exception:   # a panel that cannot describe itself yet must not stop the window
            log.exception("gathering project state failed")
            return Project()

    def _lift(self, project: Project, key: str, value: Any) -> None:
        if key == "spec":
            self._spec_was_dict = isinstance(value, dict)
            project.spec = value if isinstance(value, ModelSpec) or value is None else ModelSpec.from_dict(value)
        elif key == "dataset":
            project.dataset = self._dataset_ref(value)
        elif key == "training":
            project.training = dict(value or {})
        elif key == "runs":
            project.runs = [self._run_record(i, r) for i, r in enumerate(value or [])]

    def _dataset_ref(self, value: Any) -> DatasetRef | None:
        if value is None:
            return None
        if isinstance(value, DatasetRef):
            ref = value
        else:
            value = dict(value)
            path = value.get("path")
            name = value.get("name") or (Path(path).name if path else "")
            ref = DatasetRef(str(name), path, value.get("sha256"), dict(value.get("options") or {}),
                             value.get("embedded") or None,
                             state_keys=[k for k in value if k != "sha256"])
        # A missing content hash is computed by the save job (a dataset can be a GB), not here.
        if ref.name == PERSONAL_DIGITS and not ref.path and not ref.embedded:
            ref.embedded = self._personal_digits()
        return ref

    def _personal_digits(self) -> dict | None:
        """The user's own digits, embedded so the project carries them to another computer."""
        from desktop_dl.core.personal_digits import load_personal_digit_arrays, personal_digits_path
        path = personal_digits_path()
        try:
            st = path.stat()
        except OSError:
            return None
        if st.st_size > EMBED_LIMIT_BYTES:
            return None
        key = ("embedded", str(path), st.st_size, st.st_mtime_ns)
        if key not in self._hash_cache:
            try:
                digits = load_personal_digit_arrays(path)
            except UserError as exc:
                log.warning("personal digits not embedded: %s", exc)
                return None
            self._hash_cache[key] = {"x": digits.x, "y": digits.y}
        return self._hash_cache[key]

    def _fill_dataset_hash(self, project: Project) -> None:
        """Give the dataset its content hash if the panel had none (on the save job's thread)."""
        ref = project.dataset
        if ref is not None and ref.path and not ref.sha256 and not ref.embedded and Path(ref.path).exists():
            ref.sha256 = self._hash(Path(ref.path))

    def _hash(self, path: Path) -> str:
        """Content hash, remembered while the file's size and time are unchanged (saves are
        frequent; datasets are large and rarely change)."""
        try:
            st = path.stat()
            key = (str(path), st.st_size, st.st_mtime_ns)
        except OSError:
            return ""
        if key not in self._hash_cache:
            try:   # regular files only, capped (core/project.py): never a hang on /dev/zero
                self._hash_cache[key] = content_sha256(path)
            except (UserError, OSError) as exc:
                log.warning("dataset not hashed: %s", exc)
                self._hash_cache[key] = ""
        return self._hash_cache[key] or None

    @staticmethod
    def _run_record(index: int, run: Any) -> RunRecord:
        if isinstance(run, RunRecord):
            return run
        run = dict(run)
        spec = run.get("spec")
        if isinstance(spec, ModelSpec):
            spec = spec.to_dict()
        return RunRecord(id=str(run.get("id", index + 1)), name=str(run.get("name", "")),
                         created=str(run.get("created", "")), spec=spec,
                         settings=dict(run.get("settings") or {}), history=dict(run.get("history") or {}),
                         metrics=dict(run.get("metrics") or {}), kept=bool(run.get("kept", False)),
                         weights=run.get("weights"), weights_path=run.get("weights_path"),
                         extra={k: v for k, v in run.items() if k not in RUN_KEYS})

    def restore(self, project: Project) -> None:
        """Give every panel its part of `project` back."""
        ref = project.dataset
        if ref is not None and ref.name == PERSONAL_DIGITS and not ref.path and not ref.embedded:
            # A project file that names "My digits" without carrying them would make this
            # computer's own digits the dataset, and the next save would embed them in a file
            # that goes back to its sender. Only the user choosing them again does that.
            project.dataset = None
            self.prompts.note(self.tr("This project names \u201cMy digits\u201d as its data but "
                                      "does not carry them, so your own digits were not added to "
                                      "it. Choose the data again on the Data tab."))
        lifted = {"spec": project.spec.to_dict() if project.spec is not None else None,
                  "spec:object": project.spec, "dataset": self._dataset_state(project.dataset),
                  "training": project.training,
                  "runs": [self._run_state(r) for r in project.runs]}
        spec_restored = False
        for name, panel in self.panels.items():
            setter = getattr(panel, "restore_project_state", None)
            if setter is None:
                continue
            state = dict(project.panels.get(name, {}))
            for key in state.pop(_OWNER_KEY, []):
                if key in lifted:
                    state[key.split(":")[0]] = lifted[key]
                    spec_restored |= key.startswith("spec")
            try:
                setter(state)
            except UserError as exc:
                self.prompts.warn(str(exc))
            except Exception as exc:   # a project file is outside input: one bad part must not stop the rest
                log.exception("restoring the %s panel failed", name)
                self.prompts.warn(self.tr("Part of the project could not be restored (%s: %s). The "
                                          "rest of it is open.") % (name, exc))
        if not spec_restored and project.spec is not None and self.spec_panel is not None:
            self.spec_panel.set_spec(project.spec)
        self.projectRestored.emit(project)

    @staticmethod
    def _dataset_state(ref: DatasetRef | None) -> dict | None:
        """The dataset entry as the panel gave it (same keys), with the saved content hash."""
        if ref is None:
            return None
        if ref.embedded and ref.name == PERSONAL_DIGITS and not ref.path:
            return ProjectController._personal_digits_state(ref)
        full = {"name": ref.name, "path": ref.path, "options": ref.options, "embedded": ref.embedded}
        keys = ref.state_keys if ref.state_keys is not None else list(full)
        state = {k: full[k] for k in keys if k in full}
        if ref.sha256:
            state["sha256"] = ref.sha256
        return state

    @staticmethod
    def _personal_digits_state(ref: DatasetRef) -> dict:
        """Embedded personal digits: the user's own collection when it holds the same digits,
        else a copy in the data folder (never overwriting someone's own collection)."""
        import numpy as np

        from desktop_dl.core.atomic_write import write_bytes_atomic
        from desktop_dl.core.personal_digits import load_personal_digit_arrays
        x, y = np.asarray(ref.embedded["x"]), np.asarray(ref.embedded["y"])
        try:
            mine = load_personal_digit_arrays()
            if np.array_equal(mine.x, x) and np.array_equal(mine.y, y):
                return {"name": PERSONAL_DIGITS}
        except UserError:
            pass
        digest = hashlib.sha256(x.tobytes() + y.tobytes()).hexdigest()[:12]
        path = user_data_dir() / "project_data" / f"my-digits-{digest}.npz"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            buf = io.BytesIO()
            np.savez_compressed(buf, x=x, y=y)
            write_bytes_atomic(path, buf.getvalue())
        return {"path": str(path), "options": {}}

    @staticmethod
    def _run_state(run: RunRecord) -> dict:
        state = dict(run.extra)
        state.update({"id": run.id, "name": run.name, "created": run.created, "spec": run.spec,
                      "settings": run.settings, "history": run.history, "metrics": run.metrics,
                      "kept": run.kept, "weights": run.weights, "weights_path": run.weights_path})
        return state

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

    def _check_dataset(self, project: Project) -> bool:
        """Report a moved or changed dataset; True when the user located it somewhere new.

        Only the cheap part (is it there?) runs here; comparing the content hash reads the whole
        dataset, so it runs in a background job (cancelled when another project opens) and notes
        a difference when it finishes. The path comes from the project file and is untrusted:
        the hash reads regular files only, up to a size cap (core/project.py)."""
        ref = project.dataset
        if ref is None:
            return False
        self._cancel_dataset_check()
        relocated = False
        if not ref.embedded and ref.path and not Path(ref.path).exists():
            message = check_dataset(ref).message      # "missing": no file is read
            located = self.prompts.locate_dataset(ref, message)
            if located:
                ref.path = located
                relocated = True
            else:
                self.prompts.note(message)
                return False
        if ref.sha256 and ref.path and not ref.embedded:
            self._start_dataset_check(DatasetRef(ref.name, ref.path, ref.sha256), relocated)
        return relocated

    def _start_dataset_check(self, ref: DatasetRef, relocated: bool) -> None:
        from desktop_dl.ui.base.jobs import Job

        job = Job(lambda _report, cancelled: check_dataset(ref, cancelled), self,
                  name="dataset-check")
        job.result.connect(lambda check: self._dataset_checked(ref, check, relocated))
        job.error.connect(lambda message, _details: log.warning("dataset check: %s", message))
        self._dataset_job = job
        job.start()

    def _dataset_checked(self, ref: DatasetRef, check, relocated: bool) -> None:
        if check.status == "changed":
            if relocated:
                self.prompts.note(self.tr("The file you chose for \u201c%s\u201d is not the same "
                                          "data the project was saved with (its content hash "
                                          "differs). New runs may not be comparable with the "
                                          "saved ones.") % ref.name)
            else:
                self.prompts.note(check.message)
        elif check.status == "unchecked":
            self.prompts.note(check.message)

    def _cancel_dataset_check(self) -> None:
        job = getattr(self, "_dataset_job", None)
        if job is not None and job.is_running():
            job.cancel()

    def wait_for_dataset_check(self, msecs: int = 30000) -> bool:
        """For tests and shutdown: wait until the background dataset check has reported."""
        job = getattr(self, "_dataset_job", None)
        return job is None or job.wait(msecs)

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

    # -- autosave and recovery -------------------------------------------------------------------
    def autosave(self, background: bool = False) -> bool:
        """Write the recovery file if the project is modified and changed since the last autosave.

        The state is gathered here (a snapshot); with `background` the file is built and written
        by a job (the timer and finished runs use it: the window never waits for the zip), else
        before returning. True when a write was made or started."""
        key = self.changes.versions().key()
        if not self.changes.is_modified() or key == self._autosaved_key:
            return False
        if self._autosave_job is not None and self._autosave_job.is_running():
            return False                # the next tick writes what changed meanwhile
        try:
            project = self.gather()
        except (UserError, OSError) as exc:
            log.warning("autosave failed: %s", exc)   # never interrupt the user for a background save
            return False
        meta = {"project_path": str(self.path) if self.path else "", "saved": now_iso(),
                "pid": os.getpid()}
        self._autosaved_key = key
        generation = self._recovery_generation
        if not background:
            return self._write_recovery(project, meta, key, generation)
        job = Job(lambda _report, _cancelled: self._write_recovery(project, meta, key, generation),
                  None, name="autosave")
        self._autosave_job = job
        self._start_job(job)
        return True

    def _write_recovery(self, project: Project, meta: dict, key: tuple, generation: int) -> bool:
        """Write the recovery file (any thread). Skipped when the project was saved, replaced or
        closed after the snapshot was taken (the generation moved on)."""
        with self._recovery_lock:
            if generation != self._recovery_generation:
                return False
            try:
                self._fill_dataset_hash(project)
                save_project(project, self.recovery_path)
                self.recovery_path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
            except (UserError, OSError) as exc:
                log.warning("autosave failed: %s", exc)
                if self._autosaved_key == key:
                    self._autosaved_key = ()        # try again next time
                return False
        return True

    def _run_finished(self, *args) -> None:
        if not isValid(self.window):
            return
        # (the tracker counted the run already) Let the training panel finish its own bookkeeping for the run first.
        QTimer.singleShot(0, lambda: self.autosave(background=True))

    def _remove_recovery_file(self) -> None:
        # Under the lock, and a new generation: an autosave still writing cannot bring it back.
        with self._recovery_lock:
            self._recovery_generation += 1
            for p in (self.recovery_path, self.recovery_path.with_suffix(".json")):
                try:
                    p.unlink()
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    log.warning("could not remove %s: %s", p, exc)

    def orphaned_recovery_files(self) -> list[RecoveryFile]:
        """Recovery files left by sessions that did not end cleanly, newest first."""
        found = []
        for ddl in self.recovery_dir.glob(f"*{PROJECT_SUFFIX}"):
            if ddl == self.recovery_path:
                continue
            lock_path = ddl.with_suffix(".lock")
            lock = QLockFile(str(lock_path))
            lock.setStaleLockTime(0)
            if not lock.tryLock(0):
                continue        # its session is still running
            lock.unlock()
            try:
                meta = json.loads(ddl.with_suffix(".json").read_text(encoding="utf-8"))
                if not isinstance(meta, dict):
                    meta = {}
            except (OSError, ValueError):
                meta = {}
            saved = str(meta.get("saved") or "")
            if not saved:
                saved = now_iso()
            found.append(RecoveryFile(ddl, str(meta.get("project_path") or ""), saved, lock_path))
        found.sort(key=lambda r: r.path.stat().st_mtime if r.path.exists() else 0, reverse=True)
        self._remove_stale_locks()
        return found

    def _remove_stale_locks(self) -> None:
        """Locks of sessions that ended abruptly with nothing autosaved: just tidy them away."""
        for lock_path in self.recovery_dir.glob("*.lock"):
            if lock_path == Path(self._lock.fileName()) or lock_path.with_suffix(PROJECT_SUFFIX).exists():
                continue
            lock = QLockFile(str(lock_path))
            lock.setStaleLockTime(0)
            if lock.tryLock(0):
                lock.unlock()       # unlocking a lock we hold removes its file

    def offer_recovery(self) -> bool:
        """At start-up: offer the newest orphaned recovery file. True when one was restored."""
        files = self.orphaned_recovery_files()
        if not files:
            return False
        if not self.prompts.recover(files):
            if self.prompts.interactive:
                self._discard_recovery_files(files)
            return False
        newest = files[0]
        try:
            project = load_project(newest.path)
        except ProjectError as exc:
            self.prompts.warn(str(exc), self.tr("Cannot recover the project"))
            self._discard_recovery_files(files)
            return False
        self._check_dataset(project)
        self.restore(project)
        self.path = Path(newest.project_path) if newest.project_path else None
        self.changes.mark_unsaved()             # recovered work is not saved anywhere yet
        self._update_title()
        self._discard_recovery_files(files)
        self.autosave()                          # our own session holds it from now on
        return True

    @staticmethod
    def _discard_recovery_files(files: list[RecoveryFile]) -> None:
        for r in files:
            for p in (r.path, r.path.with_suffix(".json"), r.lock):
                try:
                    p.unlink()
                except OSError:
                    pass

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
