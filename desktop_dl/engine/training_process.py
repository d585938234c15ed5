"""Training in its own process: TensorFlow never loads in the window, and a crash in it (abort,
segfault, out-of-memory kill) ends only that process.

    process = TrainingProcess()
    process.start()                  # spawns the worker, which imports Keras at once (warm start)
    process.run(plan)                # a RunPlan from engine.run_pipeline.prepare_run
    for event in process.poll():     # non-blocking; call it from a timer
        ...
    process.pause() / resume() / stop()
    process.close()

Events (tuples, picklable) streamed from the worker over a pipe:
  ("ready", {"pid"})                        Keras imported, waiting for a run
  ("devices", [DeviceInfo, ...])            what the worker can train on
  ("begin", info)                           engine.trainer's on_train_begin info
  ("batches", [(epoch, batch, loss, batch_loss, samples, seconds), ...])   at most ~20 a second
  ("epoch", epoch, logs)
  ("status", "export")                      training done, writing the run folder
  ("result", TrainingOutcome)               the run's outcome (no Keras model in it)
  ("error", message, details)               the run could not start or failed outside fit
  ("crashed", message, TrainingOutcome)     made here when the worker died mid-run: the curves
                                            so far and the best checkpoint are kept
  ("finished",)                             after result, error or crashed
Commands travel the other way on a second pipe: ("run", plan), ("pause",), ("resume",),
("stop",), ("quit",). No Qt here (ui/train/training_process_job.py adapts it to signals).

The Keras backend (TensorFlow, JAX, PyTorch) is fixed per process: the worker sets the backend's
environment (engine/backends.child_environment) before it imports Keras, and `run` starts a fresh
worker when a plan asks for another backend than the running worker's, so a backend chosen in
Preferences takes effect at the next run.
"""
from __future__ import annotations
from desktop_dl.core.i18n import _

import logging
import multiprocessing
import queue
import signal
import threading
import time
from pathlib import Path

import numpy as np

# Re-exported: the outcome and the mistakes files (engine.training_outcome), and the worker side
# (engine.training_worker), are part of this module's public face.
from desktop_dl.engine.training_outcome import (  # noqa: F401
    MISTAKES_FILE, TrainingOutcome, display_images, load_mistakes, outcome_of, save_mistakes)
from desktop_dl.engine.training_worker import (  # noqa: F401
    BATCH_SEND_INTERVAL, FAULT_VARIABLE, WORKER_NICENESS, worker_main)

log = logging.getLogger(__name__)


# -- the client (the window's side) ---------------------------------------------------------------
def _send_commands(outbox: queue.Queue, connection) -> None:
    """Write queued commands into the pipe in order until None (or the worker is gone)."""
    while True:
        message = outbox.get()
        if message is None:
            break
        try:
            connection.send(message)
        except (OSError, ValueError):       # the worker died; poll() reports it
            break
    connection.close()


class TrainingProcess:
    """The window's handle on the worker process. Not thread-safe: use it from one thread."""

    def __init__(self):
        self.backend: str | None = None    # the running worker's Keras backend
        self._process = None
        self._commands = None
        self._events = None
        self._outbox = None             # commands waiting for the sender thread
        self._plan = None               # the run in progress (None when idle)
        self._epochs: list[dict] = []
        self.ready = False
        self.paused = False
        self.devices = None

    # -- life -------------------------------------------------------------------------------------
    @property
    def alive(self) -> bool:
        """True when the worker process exists and is alive."""
        return self._process is not None and self._process.is_alive()

    @property
    def pid(self) -> int | None:
        """The worker's process id, or None when no worker was started."""
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        """True while a run sent with run() has not finished (no "finished" message received and
        the worker not found dead)."""
        return self._plan is not None

    def start(self, backend: str | None = None) -> None:
        """Spawn the worker (a fresh interpreter) on `backend` ("tensorflow" | "jax" | "torch";
        None: KERAS_BACKEND or the default) unless one is alive on it; a worker on another
        backend is closed first (Keras cannot switch backends inside a process)."""
        from desktop_dl.engine import backends
        wanted = backends.normalise(backend) if backend or self.backend is None else self.backend
        if self.alive and wanted == self.backend:
            return
        if self.alive:
            if self.running:
                raise RuntimeError("a run is in progress on another backend")
            log.info("training backend changed from %s to %s: new training process",
                     self.backend, wanted)
            self.close(timeout=0.5)      # idle: nothing to lose, so no waiting on its import
        self._drop()
        context = multiprocessing.get_context("spawn")
        commands_in, commands_out = context.Pipe(duplex=False)
        events_in, events_out = context.Pipe(duplex=False)
        process = context.Process(target=worker_main, args=(commands_in, events_out, wanted),
                                  name="desktop_dl-training", daemon=True)
        process.start()
        # Close the child's ends here, so a dead worker reads as end-of-file, not silence.
        commands_in.close()
        events_out.close()
        self._process, self._commands, self._events = process, commands_out, events_in
        self.backend = wanted
        self.ready = False
        self.devices = None             # the new worker lists its own backend's devices
        # Commands go out on a thread of their own: a plan is megabytes of arrays, and writing it
        # into the pipe must never hold up the caller (the window's GUI thread).
        self._outbox = queue.Queue()
        threading.Thread(target=_send_commands, args=(self._outbox, commands_out),
                         name="training-commands", daemon=True).start()

    def run(self, plan) -> None:
        """Send `plan` (with plan.folder set: the crash report needs it) to the worker, started
        on the plan's backend (`plan.settings.backend`, written back resolved)."""
        if self.running:
            raise RuntimeError("a run is already in progress")
        if plan.folder is None:
            from desktop_dl.engine.run_folder import new_run_folder
            plan.folder = new_run_folder()
        from desktop_dl.engine import backends
        plan.settings.backend = backends.normalise(plan.settings.backend)
        self.start(plan.settings.backend)
        self._plan, self._epochs, self.paused = plan, [], False
        self._outbox.put(("run", plan))

    def pause(self) -> None:
        """Ask the worker to pause the current run (sent on the command thread; nothing is sent
        when no worker is alive). Sets `paused`."""
        self._command("pause")
        self.paused = True

    def resume(self) -> None:
        """Ask the worker to resume a paused run (nothing is sent when no worker is alive). Clears
        `paused`."""
        self._command("resume")
        self.paused = False

    def stop(self) -> None:
        """Ask the worker to stop the current run after its batch, keeping the weights (nothing is
        sent when no worker is alive). Clears `paused`."""
        self._command("stop")
        self.paused = False

    def close(self, timeout: float = 5.0) -> None:
        """Ask the worker to quit (stopping a run after its batch); kill it if it does not."""
        if self._process is None:
            return
        self._command("quit")
        self._process.join(timeout)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(2.0)
        self._drop()

    def _command(self, kind: str) -> None:
        if self._outbox is not None and self.alive:
            self._outbox.put((kind,))

    def _drop(self) -> None:
        if self._outbox is not None:
            self._outbox.put(None)          # ends the sender thread, which closes its pipe end
        if self._events is not None:
            self._events.close()
        self._process = self._commands = self._events = self._outbox = None

    # -- events -----------------------------------------------------------------------------------
    def poll(self, limit: int = 200) -> list[tuple]:
        """Events that arrived since the last call (never blocks). When the worker died during
        a run, ends with ("crashed", message, outcome) and ("finished",)."""
        out: list[tuple] = []
        dead = False
        while self._events is not None and len(out) < limit:
            try:
                if not self._events.poll():
                    break
                message = self._events.recv()
            except (EOFError, OSError):
                dead = True
                break
            out.append(message)
            self._note(message)
        if not dead and self._process is not None and not self._process.is_alive():
            dead = self._events is None or not self._events.poll()
        if dead:
            self._process.join(2.0)     # reaped, so its exit code says how it ended
            if self._plan is not None:
                out += [("crashed",) + self._crash_report(), ("finished",)]
                self._plan = None
            self._drop()
        return out

    def _note(self, message: tuple) -> None:
        kind = message[0]
        if kind == "ready":
            self.ready = True
        elif kind == "devices":
            self.devices = message[1]
        elif kind == "epoch":
            self._epochs.append(message[2])
        elif kind == "finished":
            self._plan = None

    def _crash_report(self) -> tuple[str, TrainingOutcome]:
        """The message and outcome of a run whose process died: curves and best checkpoint kept."""
        from desktop_dl.engine.run_folder import RunFiles, history_document
        from desktop_dl.engine.trainer import TrainResult
        from desktop_dl.core.atomic_write import write_text_atomic
        import json

        plan = self._plan
        code = self._process.exitcode if self._process is not None else None
        how = _("exit code {code}", code=code)
        if code is not None and code < 0:
            try:
                how = signal.Signals(-code).name
            except ValueError:
                how = f"signal {-code}"
        keys: list[str] = []
        for logs in self._epochs:
            keys += [k for k in logs if k not in keys and k != "seconds"]
        history = {k: [float(l.get(k, np.nan)) for l in self._epochs] for k in keys}
        folder = Path(plan.folder)
        best = folder / "best.keras"
        kept = (_("the best checkpoint so far is kept ({best})", best=best) if best.is_file()
                else _("no epoch had finished, so there is no checkpoint"))
        message = (_("The training process stopped unexpectedly ({how}) after {count} "
                     "epoch(s): the curves so far are kept and {kept}. The next run starts a "
                     "fresh training process; if it happens again, try a smaller batch size or "
                     "the CPU.", how=how, count=len(self._epochs), kept=kept))
        result = TrainResult("failed", message, history, len(self._epochs), None,
                             float(self._epochs[-1].get("seconds", 0.0)) if self._epochs else 0.0,
                             0.0, [], plan.task)
        files = RunFiles(folder, keras_path=best if best.is_file() else None)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            files.history_path = folder / "history.json"
            write_text_atomic(files.history_path, json.dumps(history_document(
                result, plan.settings, plan.spec, plan.dataset_info), indent=2) + "\n")
        except OSError as exc:
            log.warning("could not write the crashed run's history: %s", exc)
        log.error("training process died (%s) during a run in %s", how, folder)
        outcome = TrainingOutcome(result, files, plan.spec, plan.settings, plan.dataset_info["name"],
                                  plan.dataset_info.get("title", plan.dataset_info["name"]), False,
                                  list(plan.class_names), None)
        return message, outcome

    def wait_for(self, kinds: set[str], timeout: float, sink: list | None = None) -> tuple | None:
        """Poll until an event of one of `kinds` arrives (tests, shutdown); collects the rest in
        `sink`. Returns that event, or None after `timeout` seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            events = self.poll()
            if sink is not None:
                sink.extend(events)
            found = [event for event in events if event[0] in kinds]
            if found:
                return found[0]
            if self._events is not None:
                try:
                    self._events.poll(0.05)
                except (EOFError, OSError):
                    pass
            else:
                time.sleep(0.05)
        return None
