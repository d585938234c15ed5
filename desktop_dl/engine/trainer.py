"""Train a model on a background thread, reporting through a plain Python listener (no Qt).

`Trainer(spec_or_model, splits, settings, listener).run()` blocks, so call it in a worker thread;
`stop()`, `pause()` and `resume()` may be called from any thread. Keras' own `fit` does the work;
one callback forwards batch and epoch logs to the listener, waits while paused, stops after the
current batch, and stops a run whose loss became NaN with a hint about the learning rate.

The listener is any object with (all optional):
  on_train_begin(info: dict)                     epochs, steps_per_epoch, samples, devices, ...
  on_batch_end(epoch, batch, logs: dict)         running means + "batch_loss", "samples", "seconds"
  on_epoch_end(epoch, logs: dict)                train and validation metrics, "learning_rate"
  on_train_end(result: TrainResult)
"""
from __future__ import annotations

import dataclasses
import logging
import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from desktop_dl.core.errors import UserError
from desktop_dl.core.i18n import _, ngettext
# divergence_message is public here too (its home moved to engine/training_callbacks.py).
from desktop_dl.engine.training_callbacks import (TYPICAL_LEARNING_RATE, divergence_message,  # noqa: F401
                                                  make_best_keeper, make_progress_callback)
from desktop_dl.engine.training_setup import (build_from_spec, compile_for_task, make_run_optimizer,
                                              seed_everything)

log = logging.getLogger(__name__)

OPTIMIZERS = ("sgd", "rmsprop", "adam", "adamw", "adagrad")


class TrainingError(UserError):
    """A run that cannot start or cannot go on, said in the user's terms."""


@dataclass
class TrainSettings:
    """How one run trains. The split is the dataset's (`dataset.split_options`) and the optimizer
    and learning rate the spec's; `optimizer`/`learning_rate` here are overrides (CLI flags) that
    engine.run_pipeline writes into the run's spec. Unknown keys (old project files) are ignored."""
    optimizer: str | None = None        # None: the spec's compile settings
    learning_rate: float | None = None  # None: the spec's (or the optimizer's usual) rate
    momentum: float = 0.0               # SGD only
    nesterov: bool = False              # SGD only
    schedule: str = "none"              # none | step | cosine | plateau
    batch_size: int = 64
    epochs: int = 5
    early_stopping: int = 0             # patience in epochs; 0 = off
    seed: int | None = 0
    device: str = "auto"                # auto | cpu | gpu:0 | gpu:0,gpu:1
    mixed_precision: bool = False       # GPUs only
    checkpoint_path: str | None = None  # where the best epoch's model is saved (.keras)
    # tensorflow | jax | torch, or None/"auto" for the default (backends.normalise). A plain
    # string: Keras fixes its backend at import, so the worker process is started with it
    # (backends.child_environment) and the Trainer refuses a process running another one.
    backend: str | None = None
    initial_weights: str | None = None  # a .keras file to start from (fine-tuning; not yet)

    def to_dict(self) -> dict:
        """Every field as a plain dict (dataclasses.asdict), JSON-ready; from_dict reads it back."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "TrainSettings":
        """TrainSettings from a dict such as to_dict() wrote; unknown keys are ignored and missing
        ones take their defaults (None or {} gives the defaults)."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (data or {}).items() if k in names})


@dataclass
class TrainResult:
    """How one run ended: status (completed | stopped | early_stopped | diverged | failed), a
    one-sentence message for the user, per-epoch metric lists as Keras names them, epochs run,
    the 0-based best epoch, training time in seconds (pauses excluded), throughput in samples
    per second, the devices, task, trained keras.Model (None when the run failed), test-set
    Evaluation (or None), and the device, backend and versions it ran with."""
    status: str                         # completed | stopped | early_stopped | diverged | failed
    message: str                        # one sentence for the user
    history: dict[str, list[float]]     # per-epoch metrics, as Keras names them
    epochs_run: int = 0
    best_epoch: int | None = None       # 0-based epoch whose weights the model holds at the end
    seconds: float = 0.0                # training time, pauses excluded
    samples_per_second: float = 0.0
    devices: list[str] = field(default_factory=list)
    task: str = "multiclass"
    model: Any = None                   # the trained keras.Model (None when the run failed)
    evaluation: Any = None              # core.evaluation.Evaluation on the test set, or None
    device: str = ""                    # where it ran, for people: "GPU:0 NVIDIA H200 (139 GB)"
    backend: str = ""                   # the Keras backend: tensorflow | jax | torch
    versions: dict = field(default_factory=dict)   # {"keras": ..., backend: ...}

    @property
    def ok(self) -> bool:
        """True when the run produced a usable model: status completed, stopped or early_stopped
        (not diverged or failed)."""
        return self.status in ("completed", "stopped", "early_stopped")

    def final_metrics(self) -> dict:
        """Last-epoch train/validation metrics plus the test metrics (prefixed "test_")."""
        out = {k: v[-1] for k, v in self.history.items() if v}
        if self.best_epoch is not None:
            out.update({k: v[self.best_epoch] for k, v in self.history.items()
                        if len(v) > self.best_epoch})
        if self.evaluation is not None:
            out.update({f"test_{k}": float(v) for k, v in self.evaluation.metrics.items()})
        return {k: float(v) for k, v in out.items()}


def infer_task(y) -> str:
    """The task `y` implies: (N,) integer/bool labels are "binary" when only 0/1 occur, else
    "multiclass"; (N, K) 0/1 rows are "multiclass" (one-hot, each row sums to 1) or
    "multilabel"; other floats (and non-0/1 (N, K) arrays) are "regression"."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        if np.all((y == 0) | (y == 1)):
            return "multilabel" if np.any(y.sum(axis=1) != 1) else "multiclass"
        return "regression"
    if np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.bool_):
        return "binary" if np.unique(y).size <= 2 and y.max(initial=0) <= 1 else "multiclass"
    return "regression"


class Trainer:
    """Trains a core.spec.ModelSpec (built with Keras) or a keras.Model on `splits`
    (core.datasets.Splits: x float32, y int32 class indices or float32 targets) with Keras'
    model.fit, reporting to `listener` (see the module docstring). `task` defaults to
    splits.task, else infer_task(y_train). run() blocks; stop(), pause() and resume() may be
    called from any thread."""
    def __init__(self, model_or_spec, splits, settings: TrainSettings | None = None, listener=None,
                 task: str | None = None):
        self.source = model_or_spec
        self.splits = splits
        self.settings = settings or TrainSettings()
        self.listener = listener
        self.task = task or getattr(splits, "task", None) or infer_task(splits.y_train)
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._paused_seconds = 0.0
        self._t0 = 0.0
        self._samples_seen = 0
        self._diverged: str | None = None
        self._epoch_logs: list[dict] = []
        self._n_train = len(splits.y_train)
        self._batch_size = int(self.settings.batch_size)
        self._learning_rate = 0.001
        self._optimizer_name = "adam"
        self._backend = ""
        self._device = ""

    # -- control, from any thread ---------------------------------------------------------------
    def stop(self) -> None:
        """Finish the current batch, then end the run keeping the weights."""
        self._stop.set()
        self._running.set()         # wake a paused run so it can stop

    def pause(self) -> None:
        """Pause the run: training waits when the current batch ends (paused time is not counted in
        seconds or throughput). Callable from any thread."""
        self._running.clear()

    def resume(self) -> None:
        """Continue a paused run. Callable from any thread."""
        self._running.set()

    @property
    def paused(self) -> bool:
        """True while the run is paused."""
        return not self._running.is_set()

    # -- internals used by the callback ---------------------------------------------------------
    def _notify(self, name: str, *args) -> None:
        method = getattr(self.listener, name, None)
        if method is not None:
            method(*args)

    def _elapsed(self) -> float:
        return time.perf_counter() - self._t0 - self._paused_seconds

    def _wait_if_paused(self) -> None:
        if self._running.is_set():
            return
        started = time.perf_counter()
        self._running.wait()
        self._paused_seconds += time.perf_counter() - started

    # -- the run --------------------------------------------------------------------------------
    def run(self) -> TrainResult:
        """Train, evaluate on the test split (when it has samples and the run did not diverge) and
        return the TrainResult; also passed to the listener's on_train_end. Seeds every random
        generator first when settings.seed is set. A failure devices.explain_failure recognises
        (e.g. GPU out of memory) becomes a "failed" result with its explanation; a NaN/inf loss
        ends the run as "diverged" with a learning-rate hint. Raises TrainingError for unusable
        settings, no training samples or a backend other than this process's Keras, DeviceError
        for a device that cannot be used; other exceptions propagate."""
        from desktop_dl.engine import devices

        s = self.settings
        self._check_settings()
        where = self._where(devices)
        device_ids = where["device_ids"]
        self._backend, self._device = where["backend"], where["device"]
        if s.seed is not None:
            seed_everything(int(s.seed), gpu=any(d.startswith("gpu") for d in device_ids))
        try:
            with devices.placement(device_ids), devices.precision_policy(s.mixed_precision, device_ids) as mixed:
                model = self._prepare_model(mixed)
                status, message, best_epoch = self._fit(model)
        except Exception as exc:
            explained = devices.explain_failure(exc, device_ids, s.batch_size)
            if explained is None:
                raise
            log.warning("training failed on %s: %s", device_ids, exc)
            result = TrainResult("failed", explained, self._history(), len(self._epoch_logs),
                                 None, self._elapsed(), 0.0, device_ids, self.task, device=where["device"],
                                 backend=where["backend"], versions=where["versions"])
            self._notify("on_train_end", result)
            return result
        history = self._history()
        seconds = self._elapsed()
        evaluation = None
        if status != "diverged" and len(self.splits.y_test):
            from desktop_dl.engine.evaluation import evaluate
            try:
                evaluation = evaluate(model, self.splits.x_test, self.splits.y_test, self.task,
                                      batch_size=max(s.batch_size, 256))
            except Exception as exc:
                # The trained model is still good; say why there is no test evaluation.
                explained = devices.explain_failure(exc, device_ids, max(s.batch_size, 256))
                if explained is None:
                    raise
                message = _("{message} The test-set evaluation failed: {explained}",
                            message=message, explained=explained)
        result = TrainResult(status, message, history, len(self._epoch_logs), best_epoch, seconds,
                             self._samples_seen / seconds if seconds > 0 else 0.0, device_ids,
                             self.task, model, evaluation, device=where["device"],
                             backend=where["backend"], versions=where["versions"])
        self._notify("on_train_end", result)
        return result

    def _where(self, devices) -> dict:
        """The backend, versions and devices of this run; TrainingError when the settings ask for
        a backend other than the one Keras runs in this process."""
        import keras

        from desktop_dl.engine import backends
        running = keras.backend.backend()
        wanted = self.settings.backend
        if wanted and backends.normalise(wanted) != running:
            raise TrainingError(
                _("This run asks for the {TITLES} backend but this process trains with {get}: "
                  "Keras fixes its backend when it starts, so start the training process with "
                  "KERAS_BACKEND={normalise}.",
                  TITLES=backends.TITLES[backends.normalise(wanted)], get=backends.TITLES.get(running, running), normalise=backends.normalise(wanted)))
        available = devices.list_devices()
        device_ids = devices.resolve(self.settings.device, available)
        return {"device_ids": device_ids, "device": devices.describe(device_ids, available),
                "backend": running, "versions": backends.versions(running)}

    def _check_settings(self) -> None:
        check_settings(self.settings)
        if self._n_train == 0:
            raise TrainingError(_("There are no training samples: choose a dataset with data "
                                  "in it."))

    def _prepare_model(self, mixed: bool):
        import keras

        from desktop_dl.engine.schedules import make_schedule
        s = self.settings
        spec = None if isinstance(self.source, keras.Model) else self.source
        model = self.source if spec is None else build_from_spec(spec)
        if mixed:
            # Keep the outputs (and so the loss) in float32 under mixed precision.
            outputs = keras.layers.Activation("linear", dtype="float32", name="float32_output")(model.output)
            model = keras.Model(model.inputs, outputs, name=model.name)
        compiled = getattr(model, "compiled", False) and getattr(model, "optimizer", None) is not None
        if compiled and s.optimizer is None and s.learning_rate is None and spec is None:
            opt = model.optimizer
            self._optimizer_name = type(opt).__name__.lower()
            self._learning_rate = float(keras.ops.convert_to_numpy(opt.learning_rate))
            return model
        name = (s.optimizer or (spec.compile.optimizer if spec is not None else "adam")).lower()
        lr = s.learning_rate or (spec.compile.learning_rate if spec is not None else None) \
            or TYPICAL_LEARNING_RATE.get(name, 0.001)
        self._optimizer_name, self._learning_rate = name, float(lr)
        steps = math.ceil(self._n_train / self._batch_size)
        rate = make_schedule(s.schedule, lr, steps, s.epochs)
        optimizer = make_run_optimizer(name, rate, s.momentum, s.nesterov)
        y = np.asarray(self.splits.y_train)
        compile_for_task(model, spec, self.task, optimizer, one_hot=y.ndim == 2 and y.shape[1] > 1)
        return model

    def _monitor(self) -> str:
        return "val_loss" if len(self.splits.y_val) else "loss"

    def _fit(self, model):
        import keras

        from desktop_dl.engine.schedules import schedule_callbacks
        s = self.settings
        sp = self.splits
        monitor = self._monitor()
        progress = make_progress_callback(self)
        best = make_best_keeper(monitor, s.checkpoint_path)
        callbacks = [progress, best] + schedule_callbacks(s.schedule, monitor)
        early = None
        if s.early_stopping and s.early_stopping > 0:
            early = keras.callbacks.EarlyStopping(monitor=monitor, patience=int(s.early_stopping),
                                                  restore_best_weights=True, verbose=0)
            callbacks.append(early)
        steps = math.ceil(self._n_train / self._batch_size)
        self._notify("on_train_begin", {
            "epochs": int(s.epochs), "steps_per_epoch": steps, "samples": self._n_train,
            "batch_size": self._batch_size, "validation_samples": len(sp.y_val),
            "monitor": monitor, "optimizer": self._optimizer_name,
            "learning_rate": self._learning_rate, "task": self.task,
            "backend": self._backend, "device": self._device,
            "parameters": int(model.count_params()) if model.built else None,
            "metrics": self._metric_names(model)})
        self._t0 = time.perf_counter()
        self._fit_data(model, callbacks)
        return self._outcome(best.best_epoch, early, monitor)

    def _fit_data(self, model, callbacks: list) -> None:
        """model.fit over the training split: from memory, or batches read from disk."""
        s = self.settings
        sp = self.splits
        from desktop_dl.core.datasets.lazy_splits import is_lazy
        if is_lazy(sp.x_train):
            # Data larger than memory: batches read from disk (engine/streaming.py).
            from desktop_dl.engine.streaming import batches
            train = batches(sp.x_train, sp.y_train, self._batch_size, shuffle=True, seed=s.seed)
            validation = batches(sp.x_val, sp.y_val, self._batch_size) if len(sp.y_val) else None
            model.fit(train, epochs=int(s.epochs), validation_data=validation, callbacks=callbacks,
                      verbose=0)
        else:
            validation = (sp.x_val, sp.y_val) if len(sp.y_val) else None
            model.fit(sp.x_train, sp.y_train, batch_size=self._batch_size, epochs=int(s.epochs),
                      validation_data=validation, callbacks=callbacks, verbose=0, shuffle=True)

    def _outcome(self, best_epoch, early, monitor: str) -> tuple[str, str, int | None]:
        """(status, message, epoch whose weights are kept) once fit has returned."""
        s = self.settings
        if self._diverged:
            return "diverged", self._diverged, None
        done = len(self._epoch_logs)
        if self._stop.is_set():
            # Stopped by the user: the last weights are kept (not the best ones).
            # Keras closes the interrupted epoch with its (partial) logs, so `done` counts it.
            return ("stopped", _("Stopped by you in epoch {epoch} of {epochs}; the weights "
                                 "reached so far are kept.", epoch=max(done, 1), epochs=s.epochs),
                    done - 1 if done else None)
        if early is not None and early.stopped_epoch > 0:
            return ("early_stopped",
                    ngettext("Stopped early after epoch {done}: {monitor} had not improved for "
                             "{n} epoch. The weights of the best epoch ({best}) are kept.",
                             "Stopped early after epoch {done}: {monitor} had not improved for "
                             "{n} epochs. The weights of the best epoch ({best}) are kept.",
                             s.early_stopping, done=done, monitor=monitor, best=best_epoch + 1),
                    best_epoch)
        if early is not None:
            return "completed", ngettext("Finished {n} epoch; the weights of the best epoch "
                                         "({best}) are kept.",
                                         "Finished {n} epochs; the weights of the best epoch "
                                         "({best}) are kept.", done, best=best_epoch + 1), best_epoch
        return "completed", ngettext("Finished {n} epoch.", "Finished {n} epochs.", done), done - 1

    def _metric_names(self, model) -> list[str]:
        names = []
        for m in getattr(model, "metrics", []) or []:
            names.extend(getattr(m, "metrics_names", None) or [m.name])
        return [n for n in names if n not in ("loss", "compile_metrics")]

    def _history(self) -> dict[str, list[float]]:
        keys: list[str] = []
        for logs in self._epoch_logs:
            keys.extend(k for k in logs if k not in keys and k != "seconds")
        return {k: [float(l.get(k, math.nan)) for l in self._epoch_logs] for k in keys}


def check_settings(s: TrainSettings) -> None:
    """Refuse settings no run can use (TrainingError naming the value and the choices)."""
    if s.optimizer is not None and s.optimizer.lower() not in OPTIMIZERS:
        raise TrainingError(_("Unknown optimizer {optimizer!r}; choose one of {names}.",
                              optimizer=s.optimizer, names=', '.join(OPTIMIZERS)))
    if s.learning_rate is not None and not (s.learning_rate > 0 and math.isfinite(s.learning_rate)):
        raise TrainingError(_("The learning rate must be a positive number, not "
                              "{learning_rate}.", learning_rate=s.learning_rate))
    if s.batch_size < 1 or s.epochs < 1:
        raise TrainingError(_("The batch size and the number of epochs must be at least 1."))
    if s.backend is not None:       # refused here, not when a worker process fails to start
        from desktop_dl.engine import backends
        try:
            backends.require_installed(s.backend)
        except backends.BackendError as exc:
            raise TrainingError(str(exc)) from None
    if s.initial_weights:
        raise TrainingError(_("Starting a run from saved weights is not available yet; leave "
                              "the initial weights empty."))
