"""Spec → Keras model, loss and optimizer, with Keras 3's own API (any backend).

Keras is imported inside the functions: importing this module costs nothing, so the window can
import it and hand the real work to a worker thread.
"""
from __future__ import annotations

import re
from typing import Any

from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.errors import SpecError
from desktop_dl.core.loss_choice import resolve_loss
from desktop_dl.core.losses import LossChoice
from desktop_dl.core.shapes import analyse, layer_names
from desktop_dl.core.i18n import _

OPTIMIZERS = ("sgd", "rmsprop", "adam", "adamw", "adagrad")
SCHEDULES = ("constant", "exponential_decay", "cosine_decay")


def keras_kwargs(layer_type: str, params: dict) -> dict:
    """The catalogue params of a layer as Keras keyword arguments (JSON lists → tuples)."""
    full = CATALOGUE[layer_type].complete(params)
    kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in full.items()}
    if layer_type == "RandomShear":
        # Keras 3.15 stores a number f as (-f, f), which its own constructor then refuses, so a
        # saved model would not load again; (0, f) is the same distribution (each image's
        # shear is drawn from the range and then negated half the time) and round-trips.
        for key in ("x_factor", "y_factor"):
            if isinstance(kwargs.get(key), (int, float)):
                kwargs[key] = (0.0, abs(float(kwargs[key])))
    return kwargs


def _model_name(name: str) -> str:
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")
    return clean or "model"


def build_model(spec, strict: bool = True):
    """An uncompiled keras.Model: keras.Input(shape, dtype) followed by the spec's layers.

    Raises SpecError listing the problems analyse() finds: all of them when `strict` (a model
    with a softmax over one unit or a loss that does not fit would train to nonsense), only those
    that make it impossible to build otherwise.
    """
    if not spec.layers:
        raise SpecError(_("The model has no layers yet — add at least one layer."))
    analysis = analyse(spec)
    blocking = [p for p in analysis.problems
                if strict or p.index is None or analysis.layers[p.index].output_shape is None]
    if blocking:
        more = _(" (and {count} more)", count=len(blocking) - 3) if len(blocking) > 3 else ""
        problems = _("; ").join(
            (_("layer {number} ({type}): ", number=p.index + 1, type=spec.layers[p.index].type)
             if p.index is not None else "") + p.message for p in blocking[:3])
        raise SpecError(_("The model cannot be built: {problems}{more}", problems=problems,
                          more=more))
    import keras

    inputs = keras.Input(shape=tuple(spec.input_shape), dtype=spec.input_dtype, name="input")
    x = inputs
    for layer, name in zip(spec.layers, layer_names(spec)):
        cls = getattr(keras.layers, layer.type)
        x = cls(name=name, **keras_kwargs(layer.type, layer.params))(x)
    return keras.Model(inputs, x, name=_model_name(spec.name))


def make_optimizer(name: str, learning_rate: float, momentum: float = 0.0,
                   nesterov: bool = False, schedule: Any = None):
    """A Keras optimizer: sgd, rmsprop, adam, adamw or adagrad.

    `schedule` is None/"constant", a keras LearningRateSchedule, or a dict such as
    {"type": "exponential_decay", "decay_steps": 1000, "decay_rate": 0.9} or
    {"type": "cosine_decay", "decay_steps": 1000, "alpha": 0.0} (keras ExponentialDecay /
    CosineDecay; decay_steps counts batches). `momentum` applies to SGD and RMSprop, `nesterov`
    to SGD. Raises SpecError for an unknown optimizer or schedule, or a learning rate that is not
    a positive number.
    """
    key = str(name).lower()
    if key not in OPTIMIZERS:
        raise SpecError(_("Unknown optimizer {name!r}; choose one of {names}.",
                          name=name, names=', '.join(OPTIMIZERS)))
    if not isinstance(learning_rate, (int, float)) or not learning_rate > 0:
        raise SpecError(_("The learning rate must be a positive number (it is "
                          "{learning_rate!r}).", learning_rate=learning_rate))
    import keras

    lr = _schedule(keras, float(learning_rate), schedule)
    if key == "sgd":
        return keras.optimizers.SGD(learning_rate=lr, momentum=momentum, nesterov=nesterov)
    if key == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=lr, momentum=momentum)
    if key == "adam":
        return keras.optimizers.Adam(learning_rate=lr)
    if key == "adamw":
        return keras.optimizers.AdamW(learning_rate=lr)
    return keras.optimizers.Adagrad(learning_rate=lr)


def _schedule(keras, lr: float, schedule: Any):
    if schedule is None or schedule == "constant":
        return lr
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        return schedule
    if not isinstance(schedule, dict) or schedule.get("type") not in SCHEDULES:
        raise SpecError(_("Unknown learning-rate schedule {schedule!r}; use one of {names}.",
                          schedule=schedule, names=', '.join(SCHEDULES)))
    kind = schedule["type"]
    if kind == "constant":
        return lr
    steps = int(schedule.get("decay_steps", 1000))
    if kind == "exponential_decay":
        return keras.optimizers.schedules.ExponentialDecay(
            lr, decay_steps=steps, decay_rate=float(schedule.get("decay_rate", 0.9)),
            staircase=bool(schedule.get("staircase", False)))
    return keras.optimizers.schedules.CosineDecay(
        lr, decay_steps=steps, alpha=float(schedule.get("alpha", 0.0)))


def compile_model(model, spec, task: str | None = None, optimizer=None,
                  one_hot: bool = False) -> LossChoice:
    """Compile `model` with the spec's loss/metrics (or the rules for `task`).

    `optimizer` is a Keras optimizer, a dict of make_optimizer arguments, or None for the spec's
    own optimizer and learning rate. Returns the LossChoice used, so the UI can show its rule.
    """
    choice = resolve_loss(spec, task, one_hot=one_hot,
                          output_units=_units(model))
    if optimizer is None:
        optimizer = make_optimizer(spec.compile.optimizer, spec.compile.learning_rate)
    elif isinstance(optimizer, dict):
        optimizer = make_optimizer(**optimizer)
    model.compile(optimizer=optimizer, loss=choice.loss, metrics=list(choice.metrics))
    return choice


def _units(model) -> int | None:
    shape = tuple(model.output.shape)
    return shape[-1] if len(shape) > 1 else None
