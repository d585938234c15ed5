"""One progress type for every long job (training, imports, downloads, export, saving), and
cancel by raising from `report()`, as Orange3's TaskState does.

    def load(state: TaskState):
        for i, row in enumerate(rows):
            if i % 1000 == 0:
                state.report(i / len(rows), "reading rows")   # raises Cancelled once cancelled
        ...

A job never polls a flag of its own: the next `report()` after the user cancelled raises
`Cancelled`, which unwinds the job (closing its files on the way) and which the job runner treats
as "cancelled", not as an error. Plain Python: no Qt (ui/base/jobs.py adapts it to signals).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable

from desktop_dl.core.errors import UserError


class Cancelled(UserError):
    """Raised from TaskState.report() after the user cancelled the job."""

    def __init__(self, message: str = "Cancelled."):
        super().__init__(message)


@dataclass(frozen=True)
class Progress:
    """What a job says while it runs. `fraction` in 0..1 (None: unknown), `message` for the
    user, `data` anything the job's own view wants (a batch of training metrics, a stage dict)."""
    fraction: float | None = None
    message: str = ""
    data: Any = None

    @classmethod
    def of(cls, value: Any) -> "Progress":
        """Any value a job reports, as a Progress: a Progress as it is, a number as its fraction,
        a text as its message, a dict's "fraction" and "message" (or "stage") lifted out."""
        if isinstance(value, Progress):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return cls(float(value))
        if isinstance(value, str):
            return cls(None, value)
        if isinstance(value, dict):
            fraction = value.get("fraction")
            return cls(None if fraction is None else float(fraction),
                       str(value.get("message") or value.get("stage") or ""), value)
        return cls(None, "", value)


class TaskState:
    """A job's side of progress and cancellation. `sink(Progress)` receives each report (from
    the job's thread); `cancel()` may be called from any thread."""

    def __init__(self, sink: Callable[[Progress], None] | None = None,
                 cancel_event: threading.Event | None = None,
                 start: float = 0.0, end: float = 1.0):
        self._sink = sink
        self._cancel = cancel_event or threading.Event()
        self._start, self._end = start, end

    def cancel(self) -> None:
        """Ask the job to stop, from any thread: its next report() or check() raises Cancelled."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        """True once cancel() has been called."""
        return self._cancel.is_set()

    def is_cancelled(self) -> bool:
        """True once cancel() has been called (the callable form of `cancelled`)."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled if the job was cancelled (for loops with nothing to report)."""
        if self._cancel.is_set():
            raise Cancelled()

    def report(self, value: Any = None, message: str | None = None, data: Any = None) -> None:
        """Report progress: `report(0.3)`, `report(0.3, "reading")`, `report(Progress(...))` or
        any value Progress.of() reads. Raises Cancelled once the job was cancelled."""
        self.check()
        progress = Progress.of(value)
        if message is not None or data is not None:
            progress = Progress(progress.fraction, message if message is not None else progress.message,
                                data if data is not None else progress.data)
        if progress.fraction is not None and (self._start, self._end) != (0.0, 1.0):
            progress = Progress(self._start + (self._end - self._start) * progress.fraction,
                                progress.message, progress.data)
        if self._sink is not None:
            self._sink(progress)

    __call__ = report       # a TaskState can be passed where a `report(value)` callback is expected

    def part(self, start: float, end: float) -> "TaskState":
        """The same job's state for a sub-step filling [start, end] of this one's range."""
        span = self._end - self._start
        return TaskState(self._sink, self._cancel, self._start + span * start,
                         self._start + span * end)
