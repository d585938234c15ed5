"""Run a long job (training, import, export, download) on a QThread; results come back queued.

Every long job looks the same to the UI (napari's thread_worker, Orange3's ConcurrentMixin):
`progress`, `result`, `error`, `cancelled`, `finished`, and `cancel()`. The job itself is a plain
Python callable `fn(report, cancelled)` with no Qt in it: `report` is a core.progress.TaskState
(`report(fraction, message, data)`; it raises Cancelled once the user cancelled, so a job stops at
its next report), `cancelled()` says whether the user asked to stop. `progress` always carries a
core.progress.Progress; a job that ends by Cancelled emits `cancelled`, not `error`. Signals of the worker (which lives in the thread) reach a
relay that lives in the GUI thread, so every handler runs on the GUI thread, lambdas included.
"""
from __future__ import annotations

import logging
import threading
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


class _Worker(QObject):
    progress = Signal(object)
    result = Signal(object)
    error = Signal(str, str)
    cancelled = Signal()
    done = Signal()

    def __init__(self, fn: Callable, cancel_event: threading.Event):
        super().__init__()
        self._fn = fn
        self._cancel = cancel_event

    @Slot()
    def run(self) -> None:
        from desktop_dl.core.progress import Cancelled, TaskState
        state = TaskState(self.progress.emit, self._cancel)
        try:
            value = self._fn(state, state.is_cancelled)
        except Cancelled:
            self.cancelled.emit()
        except Exception as exc:  # a crash in a job never takes the window down
            from desktop_dl.core.errors import UserError
            details = traceback.format_exc()
            message = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
            if not isinstance(exc, UserError):
                log.error("job failed\n%s", details)
            self.error.emit(message, details)
        else:
            self.result.emit(value)
        finally:
            self.done.emit()
            # End the thread's event loop from here too: Job.wait() on a GUI thread that blocks
            # (closing the window mid-run) would otherwise wait for a quit only the GUI can send.
            QThread.currentThread().quit()


class Job(QObject):
    """Handle for one background job. Connect to its signals before calling start()."""

    progress = Signal(object)     # core.progress.Progress
    result = Signal(object)
    error = Signal(str, str)      # message for the user, technical details
    cancelled = Signal()          # the job stopped at a report() after cancel()
    finished = Signal()           # after result, error or cancelled

    def __init__(self, fn: Callable[[Callable[[Any], None], Callable[[], bool]], Any],
                 parent: QObject | None = None, name: str = "job"):
        super().__init__(parent)
        self.name = name
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName(name)
        self._worker = _Worker(fn, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.result.connect(self._on_result)
        self._worker.error.connect(self._on_error)
        self._worker.cancelled.connect(self.cancelled)
        self._worker.done.connect(self._on_done)
        self._running = False

    def start(self) -> "Job":
        self._running = True
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def is_running(self) -> bool:
        return self._running

    def wait(self, msecs: int = 30000) -> bool:
        return self._thread.wait(msecs)

    @Slot(object)
    def _on_progress(self, value):
        self.progress.emit(value)

    @Slot(object)
    def _on_result(self, value):
        self.result.emit(value)

    @Slot(str, str)
    def _on_error(self, message, details):
        self.error.emit(message, details)

    @Slot()
    def _on_done(self):
        self._thread.quit()
        self._thread.wait()
        self._running = False
        self.finished.emit()
