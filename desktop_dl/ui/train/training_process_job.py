"""The Train tab's side of the training process: a thin Qt adapter over
engine.training_process.TrainingProcess (which has no Qt).

A QTimer polls the worker's pipe (never blocking) and re-emits its events as the signals the
Train tab used with ui.base.jobs.Job: `progress(Progress)` for begin/batches/epoch/status (the
event tuple in `.data`, the run's fraction done in `.fraction`),
`result(TrainingOutcome)`, `error(message, details)` and `finished()`. A worker that died mid-run
arrives as `crashed(message)` followed by `result(outcome)` holding the curves so far and the best
checkpoint, then `finished()`; the next run starts a fresh worker. TensorFlow loads only in the
worker, never in this process.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_dl.core.progress import Progress
from desktop_dl.engine.training_process import TrainingProcess

RUNNING_POLL_MS = 25        # a 40 Hz look at the pipe while a run streams events
IDLE_POLL_MS = 200          # while the worker warms up or waits


class TrainingProcessJob(QObject):
    progress = Signal(object)
    result = Signal(object)
    error = Signal(str, str)
    crashed = Signal(str)
    finished = Signal()
    devicesListed = Signal(object)      # [engine.devices.DeviceInfo] from the worker

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.process = TrainingProcess()
        self._running = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._poll)

    # -- life -------------------------------------------------------------------------------------
    def warm_up(self, backend: str | None = None) -> None:
        """Start the worker on `backend` now (it imports Keras), so the first run does not wait
        for it; a worker on another backend is replaced."""
        self.process.start(backend)
        if not self._timer.isActive():
            self._timer.start(IDLE_POLL_MS)

    def run(self, plan) -> None:
        self.process.run(plan)
        self._running = True
        self._timer.start(RUNNING_POLL_MS)

    def is_running(self) -> bool:
        return self._running

    @property
    def paused(self) -> bool:
        return self.process.paused

    def pause(self) -> None:
        self.process.pause()

    def resume(self) -> None:
        self.process.resume()

    def stop(self) -> None:
        self.process.stop()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop a run and end the worker (killed after `timeout` seconds): closing the window
        never waits on a long batch."""
        self._timer.stop()
        self.process.close(timeout)
        if self._running:
            self._running = False
            self.finished.emit()

    # -- events -----------------------------------------------------------------------------------
    def _fraction(self, event: tuple) -> float | None:
        if event[0] == "begin":
            self._steps = max(1, event[1]["epochs"] * event[1]["steps_per_epoch"])
            self._per_epoch = event[1]["steps_per_epoch"]
            return 0.0
        if event[0] == "batches" and getattr(self, "_steps", None):
            epoch, batch = event[1][-1][:2]
            return min(1.0, (epoch * self._per_epoch + batch + 1) / self._steps)
        return None

    def _poll(self) -> None:
        for event in self.process.poll():
            kind = event[0]
            if kind in ("begin", "batches", "epoch", "status"):
                self.progress.emit(Progress(self._fraction(event), "", event))
            elif kind == "devices":
                self.devicesListed.emit(event[1])
            elif kind == "result":
                self.result.emit(event[1])
            elif kind == "error":
                self.error.emit(event[1], event[2])
            elif kind == "crashed":
                self.crashed.emit(event[1])
                self.result.emit(event[2])
            elif kind == "finished":
                self._running = False
                self.finished.emit()
        if not self._running:
            if self.process.alive and (not self.process.ready or self.process.devices is None):
                self._timer.setInterval(IDLE_POLL_MS)
            else:
                self._timer.stop()
