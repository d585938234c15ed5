"""Will it fit? Memory checks made before the work starts, with messages a learner can act on.

- `available_memory()`: bytes the OS can give us now (MemAvailable, capped by a cgroup limit).
- `check_allocation(nbytes, what)`: refuse to read/allocate something larger than memory allows.
- `estimate_training_memory(spec, n_samples, batch_size, ...)`: data + weights (+ gradients and
  optimizer slots) + activations × batch, from the spec's shapes (core/shapes.py, no Keras).
- `check_training_memory(...)`: the same, raising `TrainingMemoryError` when it will not fit.

The estimate is deliberately simple and a little generous: it exists to stop a run that is sure
to exhaust memory, not to predict the exact peak.
"""
from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop_dl.core.errors import UserError

FLOAT_BYTES = 4
# Backpropagation keeps each layer's output and its gradient, plus workspace: ~3 copies.
ACTIVATION_COPIES = 3
# Optimizer state per weight (besides the weight and its gradient).
OPTIMIZER_SLOTS = {"sgd": 1, "momentum": 1, "rmsprop": 1, "adagrad": 1, "adam": 2, "adamw": 2,
                   "nadam": 2, "adamax": 2, "lion": 1, "adadelta": 2, "ftrl": 2}
# The framework itself (TensorFlow/Keras runtime, graph, allocator slack).
FRAMEWORK_BYTES = 600 * 1024 ** 2
# Never plan to use all of what is free: the window, the plots and the OS need some too.
USABLE_FRACTION = 0.85


class ResourceLimitError(UserError):
    """An input or a job that needs more memory than this computer has free."""


class TrainingMemoryError(ResourceLimitError):
    """A training run that would not fit in memory."""


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{int(n)} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


def available_memory() -> int | None:
    """Bytes of memory available to this process now, or None when the OS will not say."""
    candidates = []
    meminfo = _read_text("/proc/meminfo")
    if meminfo:
        for line in meminfo.splitlines():
            if line.startswith("MemAvailable:"):
                candidates.append(int(line.split()[1]) * 1024)
                break
    # A container's limit (cgroup v2, then v1) may be far below the machine's memory.
    for limit_file, usage_file in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                    "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        limit, usage = _read_int(limit_file), _read_int(usage_file)
        if limit is not None and limit < (1 << 60):
            candidates.append(max(limit - (usage or 0), 0))
            break
    if not candidates:
        candidates.append(_platform_available())
    known = [c for c in candidates if c is not None]
    return min(known) if known else None


def _platform_available() -> int | None:
    if sys.platform == "win32":
        try:
            import ctypes

            class MemoryStatus(ctypes.Structure):
                _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                            ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                            ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                            ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                            ("sullAvailExtendedVirtual", ctypes.c_ulonglong)]
            status = MemoryStatus()
            status.dwLength = ctypes.sizeof(MemoryStatus)
            if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
                return int(status.ullAvailPhys)
        except (OSError, AttributeError):
            return None
        return None
    try:   # macOS and other Unixes: total physical memory is the best cheap answer
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _read_text(path: str) -> str | None:
    try:
        return Path(path).read_text()
    except OSError:
        return None


def _read_int(path: str) -> int | None:
    text = _read_text(path)
    if text is None:
        return None
    text = text.strip()
    return int(text) if text.isdigit() else None


def check_allocation(nbytes: int, what: str, available: int | None = None) -> None:
    """Refuse to load or allocate `nbytes` for `what` (e.g. "train-images.idx3-ubyte") when it
    cannot fit in the memory that is free."""
    available = available_memory() if available is None else available
    if available is None or nbytes <= available * USABLE_FRACTION:
        return
    raise ResourceLimitError(
        f"{what} needs {human_bytes(nbytes)} of memory, but only {human_bytes(available)} is free. "
        "Use a smaller part of the data (fewer samples or smaller images), or close other programs "
        "and try again.")


def array_bytes(shape, itemsize: int) -> int:
    """Bytes of an array of `shape` (None dimensions count as 1)."""
    return int(math.prod(1 if d is None else int(d) for d in shape)) * int(itemsize)


@dataclass
class MemoryEstimate:
    data_bytes: int
    weights_bytes: int              # weights + gradients + optimizer slots
    activation_bytes: int           # for one batch, with the copies backpropagation keeps
    framework_bytes: int
    batch_size: int
    available_bytes: int | None

    @property
    def total_bytes(self) -> int:
        return self.data_bytes + self.weights_bytes + self.activation_bytes + self.framework_bytes

    @property
    def fits(self) -> bool:
        return self.available_bytes is None or self.total_bytes <= self.available_bytes * USABLE_FRACTION

    def breakdown(self) -> str:
        return (f"data {human_bytes(self.data_bytes)}, model and optimizer "
                f"{human_bytes(self.weights_bytes)}, activations for batches of {self.batch_size} "
                f"{human_bytes(self.activation_bytes)}, TensorFlow itself about "
                f"{human_bytes(self.framework_bytes)}")

    def message(self) -> str:
        if self.fits:
            free = "" if self.available_bytes is None else f" of {human_bytes(self.available_bytes)} free"
            return f"This run needs about {human_bytes(self.total_bytes)}{free} ({self.breakdown()})."
        advice = []
        if self.activation_bytes > self.total_bytes / 3:
            advice.append("a smaller batch size")
        if self.data_bytes > self.total_bytes / 3:
            advice.append("fewer samples or smaller inputs")
        if self.weights_bytes > self.total_bytes / 3:
            advice.append("a smaller model (fewer units or filters)")
        advice = advice or ["a smaller batch size or a smaller model"]
        return (f"This run would need about {human_bytes(self.total_bytes)} of memory "
                f"({self.breakdown()}), but only {human_bytes(self.available_bytes)} is free. "
                f"Try {' or '.join(advice)}, or close other programs.")


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
                          available_memory() if available is None else available)


def check_training_memory(spec, n_samples: int, batch_size: int, **kwargs) -> MemoryEstimate:
    """The estimate, or TrainingMemoryError with its message when the run will not fit."""
    estimate = estimate_training_memory(spec, n_samples, batch_size, **kwargs)
    if not estimate.fits:
        raise TrainingMemoryError(estimate.message())
    return estimate
