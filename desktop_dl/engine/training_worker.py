"""The training worker process (the child side of engine.training_process): it imports Keras on
its backend at once (the warm start), then trains each plan the window sends it, streaming events
back over a pipe. See engine.training_process for the event and command protocol."""
from __future__ import annotations

import logging
import os
import queue
import threading
import time
import traceback
from typing import Any

import numpy as np

from desktop_dl.engine.training_outcome import outcome_of

log = logging.getLogger(__name__)

BATCH_SEND_INTERVAL = 0.05      # seconds between "batches" events
WORKER_NICENESS = 5             # the worker yields the CPU to the window under contention
# Tests inject a crash with DESKTOP_DL_WORKER_FAULT=abort-after-epoch:N (os.abort() in the worker).
FAULT_VARIABLE = "DESKTOP_DL_WORKER_FAULT"


class _PipeListener:
    """Trainer listener that sends events, batching batch metrics to ~20 messages a second."""

    def __init__(self, send, fault: str | None = None, interval: float = BATCH_SEND_INTERVAL):
        self._send = send
        self._interval = interval
        self._pending: list[tuple] = []
        self._last = 0.0
        self._abort_after = None
        if fault and fault.startswith("abort-after-epoch:"):
            self._abort_after = int(fault.split(":", 1)[1])

    def on_train_begin(self, info):
        self._send(("begin", dict(info)))

    def on_batch_end(self, epoch, batch, logs):
        self._pending.append((epoch, batch, float(logs.get("loss", np.nan)),
                              float(logs.get("batch_loss", np.nan)), int(logs.get("samples", 0)),
                              float(logs.get("seconds", 0.0))))
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._flush(now)

    def on_epoch_end(self, epoch, logs):
        self._flush(time.monotonic())
        self._send(("epoch", epoch, {k: float(v) for k, v in logs.items()}))
        if self._abort_after is not None and epoch + 1 >= self._abort_after:
            os.abort()          # the events sent so far are already in the pipe

    def on_train_end(self, result):
        self._flush(time.monotonic())

    def on_status(self, status):
        self._send(("status", status))

    def _flush(self, now: float) -> None:
        if self._pending:
            chunk, self._pending = self._pending, []
            self._send(("batches", chunk))
        self._last = now


def worker_main(commands, events, backend: str | None = None) -> None:
    """The worker process: import Keras on `backend` (None: KERAS_BACKEND or the default), then
    train each plan it is sent until told to quit."""
    if backend:
        # Before anything imports Keras: it reads KERAS_BACKEND (and JAX its XLA flags) once.
        from desktop_dl.engine.backends import child_environment
        os.environ.update(child_environment(backend))
    from desktop_dl.app_logging import setup_logging
    setup_logging()
    _lower_priority()
    send_lock = threading.Lock()

    def send(message) -> None:
        with send_lock:
            events.send(message)

    runs: queue.Queue = queue.Queue()
    current: dict[str, Any] = {"control": None}
    # Read commands from the start, so a plan sent while Keras loads never fills the pipe.
    threading.Thread(target=_read_commands, args=(commands, runs, current), name="commands",
                     daemon=True).start()
    import keras  # noqa: F401  (the warm start: the first run does not pay for it)
    import desktop_dl.engine.run_pipeline  # noqa: F401  (likewise)
    send(("ready", {"pid": os.getpid()}))
    try:
        from desktop_dl.engine.devices import list_devices
        send(("devices", list_devices()))
    except Exception:  # the CPU still trains
        log.exception("device listing failed")
    fault = os.environ.get(FAULT_VARIABLE)
    while True:
        plan = runs.get()
        if plan is None:
            return
        _train_one(plan, send, current, fault)


def _lower_priority() -> None:
    if hasattr(os, "nice"):
        # When the cores are all busy, the window's process gets the CPU first: a redraw is a
        # few milliseconds the learner sees, a batch a few milliseconds nobody does.
        try:
            os.nice(WORKER_NICENESS)
        except OSError:
            pass


def _read_commands(commands, runs: queue.Queue, current: dict) -> None:
    """Thread: queue each plan in `runs` (None on quit); pause/resume/stop the run in progress."""
    while True:
        try:
            message = commands.recv()
        except (EOFError, OSError):      # the window went away: stop and quit
            message = ("quit",)
        kind = message[0]
        control = current["control"]
        if kind == "run":
            runs.put(message[1])
        elif kind == "quit":
            if control is not None:
                control.stop()
            runs.put(None)
            return
        elif control is not None and kind in ("pause", "resume", "stop"):
            getattr(control, kind)()


def _train_one(plan, send, current: dict, fault: str | None) -> None:
    """Run one plan, sending its events, then ("result", ...) or ("error", ...), then ("finished",)."""
    from desktop_dl.engine.run_pipeline import RunControl, execute
    control = RunControl()
    current["control"] = control
    try:
        outcome = execute(plan, _PipeListener(send, fault), control)
        send(("result", outcome_of(outcome, plan)))
    except Exception as exc:
        from desktop_dl.core.errors import UserError
        if isinstance(exc, UserError):
            send(("error", str(exc), ""))
        else:
            log.exception("training run failed")
            send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    finally:
        current["control"] = None
        send(("finished",))
