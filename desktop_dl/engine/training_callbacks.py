"""The Keras callbacks a Trainer run uses, and the message of a run whose loss diverged.

Split out of engine/trainer.py. The callbacks are defined inside functions so that importing this
module does not import Keras: make_progress_callback forwards batch and epoch logs to the
Trainer's listener, waits while paused, stops after the current batch and catches a NaN/inf loss;
make_best_keeper remembers (and saves) the best epoch.
"""
from __future__ import annotations

import logging
import math
import time

from desktop_dl.core.i18n import _

log = logging.getLogger(__name__)

TYPICAL_LEARNING_RATE = {"sgd": 0.01, "rmsprop": 0.001, "adam": 0.001, "adamw": 0.001, "adagrad": 0.01}


def divergence_message(epoch: int, batch: int, learning_rate: float, optimizer: str, what: str = "NaN") -> str:
    """Why a run stopped on a NaN/inf loss, and what to try (epoch and batch counted from 1)."""
    typical = TYPICAL_LEARNING_RATE.get(optimizer, 0.001)
    where = _("The loss became {what} at epoch {epoch}, batch {batch}",
              what=what, epoch=epoch, batch=batch)
    if learning_rate > typical * 1.5:
        return (_("{where}: the learning rate {learning_rate:g} is probably too high; try "
                  "{typical:g}.", where=where, learning_rate=learning_rate, typical=typical))
    return (_("{where}. The learning rate {learning_rate:g} is already moderate: check that "
              "the inputs are scaled (for example pixels divided by 255), that the targets "
              "have no missing values, or try a learning rate of {value:g}.",
              where=where, learning_rate=learning_rate, value=learning_rate / 10))


def make_progress_callback(trainer):
    """The Keras callback that forwards events to the listener, pauses, stops and catches NaN.

    `trainer` is the engine.trainer.Trainer whose run it reports (its counters, listener, flags).

    Defined inside a function so that importing this module does not import Keras.
    """
    import keras

    class ProgressCallback(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self._t0 = time.perf_counter()

        def on_epoch_begin(self, epoch, logs=None):
            self._epoch = epoch
            self._prev_mean = 0.0
            self._prev_seen = 0

        def on_train_batch_end(self, batch, logs=None):
            logs = dict(logs or {})
            loss = float(logs.get("loss", 0.0))
            n = trainer._n_train
            seen = min((batch + 1) * trainer._batch_size, n)
            step = max(1, seen - self._prev_seen)
            # Keras reports the epoch's running mean; undo it to get this batch's own loss.
            raw = (seen * loss - self._prev_seen * self._prev_mean) / step
            self._prev_mean, self._prev_seen = loss, seen
            if not math.isfinite(loss):
                what = "NaN" if math.isnan(loss) else "infinite"
                trainer._diverged = divergence_message(
                    self._epoch + 1, batch + 1, trainer._learning_rate, trainer._optimizer_name, what)
                self.model.stop_training = True
            trainer._samples_seen += step
            logs["batch_loss"] = raw
            logs["samples"] = trainer._samples_seen
            logs["seconds"] = trainer._elapsed()
            trainer._notify("on_batch_end", self._epoch, batch, logs)
            trainer._wait_if_paused()
            if trainer._stop.is_set():
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            logs = dict(logs or {})
            from desktop_dl.engine.schedules import current_learning_rate
            logs.setdefault("learning_rate", current_learning_rate(self.model.optimizer))
            logs["seconds"] = trainer._elapsed()
            trainer._epoch_logs.append(logs)
            trainer._notify("on_epoch_end", epoch, logs)
            if trainer._stop.is_set() or trainer._diverged:
                self.model.stop_training = True

    return ProgressCallback()


def make_best_keeper(monitor: str, path: str | None):
    """Remembers the best epoch; saves it to `path` (.keras) when it improves."""
    import keras

    class BestCheckpoint(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.best = math.inf
            self.best_epoch = None

        def on_epoch_end(self, epoch, logs=None):
            value = (logs or {}).get(monitor)
            if value is None or not math.isfinite(value) or value >= self.best:
                return
            self.best, self.best_epoch = value, epoch
            if path:
                try:
                    self.model.save(path)
                except Exception as exc:  # a failed checkpoint must not end the run
                    log.warning("could not save checkpoint %s: %s", path, exc)

    return BestCheckpoint()
