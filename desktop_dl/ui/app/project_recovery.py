"""Autosave and recovery (a mixin of ui/app/project_controller.ProjectController).

Every few minutes and after each training run, a modified project is written to
user_data_dir()/recovery/<session>.ddl, in a job (the window never waits for the zip). The session
holds a QLockFile beside it; a clean exit removes both. On the next start, recovery files whose
lock is stale (the process is gone) are offered back.
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from PySide6.QtCore import QLockFile, QTimer
from shiboken6 import isValid

from desktop_dl.core.errors import UserError
from desktop_dl.core.project import (PROJECT_SUFFIX, Project, ProjectError, load_project, now_iso,
                                     save_project)
from desktop_dl.ui.app.project_prompts import RecoveryFile
from desktop_dl.ui.base.jobs import Job

log = logging.getLogger(__name__)


class ProjectRecoveryMixin:
    """ProjectController's autosave and recovery (it is a QObject; this class only adds methods)."""

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
