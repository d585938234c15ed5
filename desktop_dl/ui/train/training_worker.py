"""The training job: dataset → splits → Trainer → run folder, run on a QThread through ui/jobs.py.

Nothing here touches a widget. The listener runs in the worker thread and sends progress through
the Job's queued `progress` signal, batching batch metrics so the GUI thread receives at most
~20 messages a second however fast batches arrive.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

BATCH_SEND_INTERVAL = 0.05      # seconds between progress messages carrying batch metrics


class RunControl:
    """Stop/pause/resume from the GUI thread, before or after the Trainer exists."""

    def __init__(self):
        self._lock = threading.Lock()
        self._trainer = None
        self.stopped = False
        self.paused = False

    def attach(self, trainer) -> None:
        with self._lock:
            self._trainer = trainer
            if self.stopped:
                trainer.stop()
            elif self.paused:
                trainer.pause()

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            if self._trainer is not None:
                self._trainer.stop()

    def pause(self) -> None:
        with self._lock:
            self.paused = True
            if self._trainer is not None:
                self._trainer.pause()

    def resume(self) -> None:
        with self._lock:
            self.paused = False
            if self._trainer is not None:
                self._trainer.resume()


class BufferedListener:
    """Trainer listener that turns events into progress messages (tuples) for `report`."""

    def __init__(self, report: Callable[[Any], None], interval: float = BATCH_SEND_INTERVAL):
        self._report = report
        self._interval = interval
        self._pending: list[tuple] = []
        self._last = 0.0

    def on_train_begin(self, info):
        self._report(("begin", dict(info)))

    def on_batch_end(self, epoch, batch, logs):
        self._pending.append((epoch, batch, float(logs.get("loss", np.nan)),
                              float(logs.get("batch_loss", np.nan)), int(logs.get("samples", 0)),
                              float(logs.get("seconds", 0.0))))
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._flush(now)

    def on_epoch_end(self, epoch, logs):
        self._flush(time.monotonic())
        self._report(("epoch", epoch, {k: float(v) for k, v in logs.items()}))

    def on_train_end(self, result):
        self._flush(time.monotonic())

    def _flush(self, now: float) -> None:
        if self._pending:
            chunk, self._pending = self._pending, []
            self._report(("batches", chunk))
        self._last = now


@dataclass
class TrainingOutcome:
    """What a finished job hands to the GUI thread (the Keras model itself stays on disk)."""
    result: Any                         # TrainResult with .model dropped
    files: Any                          # engine.run_folder.RunFiles
    spec: Any
    settings: Any
    dataset_name: str
    dataset_title: str
    used_default_dataset: bool
    class_names: list = field(default_factory=list)
    wrong_images: np.ndarray | None = None   # uint8 (n, h, w) for image datasets


def training_job(spec, dataset, settings, control: RunControl, runs_root=None):
    """A `fn(report, cancelled)` for ui.jobs.Job that trains and saves one run."""

    def run(report, cancelled) -> TrainingOutcome:
        from desktop_dl.core.datasets import load_dataset
        from desktop_dl.core.errors import UserError
        from desktop_dl.engine.devices import list_devices
        from desktop_dl.engine.run_folder import new_run_folder, save_run
        from desktop_dl.engine.trainer import Trainer

        report(("devices", list_devices()))
        used_default = dataset is None
        data = load_dataset("mnist-5k") if used_default else dataset
        if tuple(spec.input_shape) != tuple(data.input_shape):
            from PySide6.QtCore import QCoreApplication
            raise UserError(QCoreApplication.translate(
                "TrainingJob", "The model takes inputs of shape %s, but %s gives %s. Set the "
                "model's input to %s in the Model tab (choosing the dataset for training in the "
                "Data tab does it for you).") % (tuple(spec.input_shape), data.title,
                                                 tuple(data.input_shape), tuple(data.input_shape)))
        splits = data.splits(validation=settings.validation_split, test=0.1,
                             seed=0 if settings.seed is None else int(settings.seed))
        folder = new_run_folder(runs_root)
        settings.checkpoint_path = str(folder / "best.keras")
        trainer = Trainer(spec, splits, settings, BufferedListener(report), task=data.task)
        control.attach(trainer)
        if cancelled():
            trainer.stop()
        result = trainer.run()
        if result.ok:
            report(("status", "export"))
        # Where the data came from and how it was split: the exported Python script reads it again.
        info = {"name": data.name, "kind": data.kind, "preprocessing": data.preprocessing,
                "sizes": splits.sizes(), "source": data.source,
                "split": {"validation": settings.validation_split, "test": 0.1,
                          "seed": 0 if settings.seed is None else int(settings.seed)}}
        files = save_run(result, folder, settings=settings, spec=spec, splits=splits, dataset=info,
                         export=result.ok)
        wrong = None
        ev = result.evaluation
        if ev is not None and len(ev.wrong_indices) and data.kind == "image":
            wrong = _display_images(splits.x_test[ev.wrong_indices])
        result.model = None     # free it here; the GUI keeps the files
        return TrainingOutcome(result, files, spec, settings, data.name, data.title, used_default,
                               list(splits.class_names), wrong)

    return run


def _display_images(x: np.ndarray) -> np.ndarray:
    """Model inputs (n, h, w[, c]) in any range → uint8 (n, h, w[, 3]) for thumbnails."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    lo = x.min(axis=tuple(range(1, x.ndim)), keepdims=True)
    hi = x.max(axis=tuple(range(1, x.ndim)), keepdims=True)
    scaled = (x - lo) / np.maximum(hi - lo, 1e-12)
    return (scaled * 255).round().astype(np.uint8)
