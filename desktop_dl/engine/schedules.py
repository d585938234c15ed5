"""Learning-rate schedules: step decay, cosine decay and reduce-on-plateau.

Step and cosine are Keras `LearningRateSchedule`s (they change the rate every batch inside the
compiled step, at no cost); reduce-on-plateau needs the validation loss, so it is a callback and
the optimizer keeps a plain (variable) rate.
"""
from __future__ import annotations

from desktop_dl.core.errors import UserError
from desktop_dl.core.i18n import _
from desktop_dl.core.templates import SCHEDULES

__all__ = ["SCHEDULES", "make_schedule", "schedule_callbacks", "current_learning_rate"]


def make_schedule(kind: str, learning_rate: float, steps_per_epoch: int, epochs: int,
                  step_epochs: int = 10, step_factor: float = 0.5):
    """The `learning_rate` argument for an optimizer: a float, or a schedule object.

    "none"/"plateau": the float itself. "step": the rate times `step_factor` every `step_epochs`
    epochs (keras ExponentialDecay with staircase=True). "cosine": cosine decay to 0 over `epochs`
    epochs (keras CosineDecay; Loshchilov & Hutter 2017, SGDR, without restarts). Steps are
    batches: `steps_per_epoch` batches per epoch. Raises UserError for an unknown `kind`."""
    import keras
    kind = (kind or "none").lower()
    if kind not in SCHEDULES:
        raise UserError(_("Unknown learning-rate schedule {kind!r}; choose one of {names}.",
                          kind=kind, names=', '.join(SCHEDULES)))
    if kind in ("none", "plateau"):
        return float(learning_rate)
    steps_per_epoch = max(1, int(steps_per_epoch))
    if kind == "step":
        # Multiply by step_factor every step_epochs epochs.
        return keras.optimizers.schedules.ExponentialDecay(
            float(learning_rate), decay_steps=steps_per_epoch * max(1, int(step_epochs)),
            decay_rate=float(step_factor), staircase=True)
    return keras.optimizers.schedules.CosineDecay(
        float(learning_rate), decay_steps=steps_per_epoch * max(1, int(epochs)), alpha=0.0)


def schedule_callbacks(kind: str, monitor: str, patience: int = 3, factor: float = 0.5) -> list:
    """Callbacks a schedule needs: for "plateau" a keras ReduceLROnPlateau on `monitor` (rate times
    `factor` after `patience` epochs without improvement, never below 1e-7), else []."""
    import keras
    if (kind or "none").lower() != "plateau":
        return []
    return [keras.callbacks.ReduceLROnPlateau(monitor=monitor, factor=factor,
                                              patience=max(1, int(patience)), min_lr=1e-7, verbose=0)]


def current_learning_rate(optimizer) -> float:
    """The rate the optimizer uses now, whether it is a variable or a schedule; NaN when it
    cannot be read as a number."""
    import keras
    lr = optimizer.learning_rate
    try:
        return float(keras.ops.convert_to_numpy(lr))
    except Exception:
        return float("nan")
