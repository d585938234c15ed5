"""Will a training run fit? The memory estimate made before training starts.

- `estimate_training_memory(spec, n_samples, batch_size, ...)`: data + weights (+ gradients and
  optimizer slots) + activations × batch, from the spec's shapes (core/shapes.py, no Keras).
- `check_training_memory(...)`: the same, raising `TrainingMemoryError` when it will not fit.

The estimate is deliberately simple and a little generous: it exists to stop a run that is sure
to exhaust memory, not to predict the exact peak. The free memory comes from core/limits.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from desktop_dl.core import limits
from desktop_dl.core.limits import USABLE_FRACTION, ResourceLimitError, human_bytes
from desktop_dl.core.i18n import _

FLOAT_BYTES = 4
# Backpropagation keeps each layer's output and its gradient, plus workspace: ~3 copies.
ACTIVATION_COPIES = 3
# Optimizer state per weight (besides the weight and its gradient).
OPTIMIZER_SLOTS = {"sgd": 1, "momentum": 1, "rmsprop": 1, "adagrad": 1, "adam": 2, "adamw": 2,
                   "nadam": 2, "adamax": 2, "lion": 1, "adadelta": 2, "ftrl": 2}
# The framework itself (TensorFlow/Keras runtime, graph, allocator slack).
FRAMEWORK_BYTES = 600 * 1024 ** 2


class TrainingMemoryError(ResourceLimitError):
    """A training run that would not fit in memory."""


@dataclass
class MemoryEstimate:
    """The memory a training run needs, in bytes: data, weights (with gradients and optimizer
    slots), activations for one batch of `batch_size`, and the framework itself; `available_bytes`
    is the free memory (None: unknown)."""
    data_bytes: int
    weights_bytes: int              # weights + gradients + optimizer slots
    activation_bytes: int           # for one batch, with the copies backpropagation keeps
    framework_bytes: int
    batch_size: int
    available_bytes: int | None

    @property
    def total_bytes(self) -> int:
        """The sum of the four parts, in bytes."""
        return self.data_bytes + self.weights_bytes + self.activation_bytes + self.framework_bytes

    @property
    def fits(self) -> bool:
        """True when the free memory is unknown or total_bytes is within USABLE_FRACTION of it."""
        return self.available_bytes is None or self.total_bytes <= self.available_bytes * USABLE_FRACTION

    def breakdown(self) -> str:
        """The four parts in words with human-readable sizes, for the messages."""
        return (_("data {human_bytes}, model and optimizer {human_bytes2}, activations for "
                  "batches of {batch_size} {human_bytes3}, TensorFlow itself about "
                  "{human_bytes4}",
                  human_bytes=human_bytes(self.data_bytes), human_bytes2=human_bytes(self.weights_bytes), batch_size=self.batch_size, human_bytes3=human_bytes(self.activation_bytes), human_bytes4=human_bytes(self.framework_bytes)))

    def message(self) -> str:
        """One paragraph for the user: how much the run needs, and when it does not fit, what to
        shrink (batch size, data or model — whichever part is over a third of the total)."""
        if self.fits:
            free = "" if self.available_bytes is None else f" of {human_bytes(self.available_bytes)} free"
            return _("This run needs about {human_bytes}{free} ({breakdown}).",
                     human_bytes=human_bytes(self.total_bytes), free=free, breakdown=self.breakdown())
        advice = []
        if self.activation_bytes > self.total_bytes / 3:
            advice.append(_("a smaller batch size"))
        if self.data_bytes > self.total_bytes / 3:
            advice.append(_("fewer samples or smaller inputs"))
        if self.weights_bytes > self.total_bytes / 3:
            advice.append(_("a smaller model (fewer units or filters)"))
        advice = advice or [_("a smaller batch size or a smaller model")]
        return (_("This run would need about {human_bytes} of memory ({breakdown}), but only "
                  "{human_bytes2} is free. Try {names}, or close other programs.",
                  human_bytes=human_bytes(self.total_bytes), breakdown=self.breakdown(), human_bytes2=human_bytes(self.available_bytes), names=' or '.join(advice)))


def estimate_training_memory(spec, n_samples: int, batch_size: int, optimizer: str | None = None,
                             sample_shape=None, sequence_length: int | None = None,
                             available: int | None = None, data_itemsize: int = FLOAT_BYTES,
                             ) -> MemoryEstimate:
    """Memory a training run of `spec` on `n_samples` samples with `batch_size` will need.

    `sample_shape` defaults to the spec's input shape; free (None) dimensions of sequences count
    as `sequence_length` (default 100). `data_itemsize` is the bytes per input value as the data
    is held (4 for float32 arrays).
    """
    from desktop_dl.core.shapes import analyse

    free_dim = sequence_length or 100
    sample_shape = tuple(spec.input_shape if sample_shape is None else sample_shape)
    per_sample = math.prod(free_dim if d is None else int(d) for d in sample_shape)
    data = int(n_samples) * (per_sample * data_itemsize + 8)     # inputs + a label

    analysis = analyse(spec)
    trainable = sum(r.trainable for r in analysis.layers)
    frozen = sum(r.non_trainable for r in analysis.layers)
    slots = OPTIMIZER_SLOTS.get((optimizer or spec.compile.optimizer or "adam").lower(), 2)
    weights = (trainable * (2 + slots) + frozen) * FLOAT_BYTES

    per_sample_activations = per_sample   # the input batch itself
    for report in analysis.layers:
        if report.output_shape is not None:
            per_sample_activations += math.prod(free_dim if d is None else int(d)
                                                for d in report.output_shape[1:])
    activations = int(batch_size) * per_sample_activations * FLOAT_BYTES * ACTIVATION_COPIES
    return MemoryEstimate(data, weights, activations, FRAMEWORK_BYTES, int(batch_size),
                          limits.available_memory() if available is None else available)


def check_training_memory(spec, n_samples: int, batch_size: int, **kwargs) -> MemoryEstimate:
    """The estimate, or TrainingMemoryError with its message when the run will not fit."""
    estimate = estimate_training_memory(spec, n_samples, batch_size, **kwargs)
    if not estimate.fits:
        raise TrainingMemoryError(estimate.message())
    return estimate
