"""Which devices can train, how to train on the chosen ones, and GPU failures in plain words.

Works on each Keras backend (engine/backends.py): TensorFlow, JAX and PyTorch list their own GPUs
(name, memory where the backend tells it). The backend is imported inside the functions: listing
devices is the first thing that pays for it, and it runs in a worker. On TensorFlow memory growth
is switched on before any GPU is used, so one run does not reserve all GPU memory and a second app
(or the ONNX canvas) can still use the GPU.

Multi-GPU is backend-specific: MirroredStrategy on TensorFlow, keras.distribution.DataParallel on
JAX; Keras has none on PyTorch, so choosing several GPUs there is a DeviceError.
"""
from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass

from desktop_dl.core.errors import UserError
from desktop_dl.core.i18n import _

log = logging.getLogger(__name__)


class DeviceError(UserError):
    """The chosen device cannot train: GPU out of memory, driver missing, unknown device."""


@dataclass(frozen=True)
class DeviceInfo:
    """One device Keras can train on: id ("cpu", "gpu:0", ...), kind ("cpu" | "gpu"), a name for
    people and, for GPUs when known, memory in MiB (memory_mb)."""
    id: str              # "cpu", "gpu:0", "gpu:1", ...
    kind: str            # "cpu" | "gpu"
    name: str            # for people, e.g. "NVIDIA H100 80GB HBM3"
    memory_mb: int | None = None

    @property
    def label(self) -> str:
        """The device for a menu, e.g. "GPU:0 — NVIDIA H100 80GB HBM3 (80 GB)"; memory (MiB / 1024,
        shown as GB) only when known."""
        if self.memory_mb:
            return f"{self.id.upper()} — {self.name} ({self.memory_mb / 1024:.0f} GB)"
        return f"{self.id.upper()} — {self.name}"


_growth_done = False


def _backend() -> str:
    import keras
    return keras.backend.backend()


def enable_memory_growth() -> None:
    """Let TensorFlow take GPU memory as needed instead of all at once. Call before first use."""
    global _growth_done
    if _growth_done or _backend() != "tensorflow":
        return
    import tensorflow as tf
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except (RuntimeError, ValueError) as exc:
            # Already initialised (something used the GPU first): harmless, just less polite.
            log.info("memory growth not set on %s: %s", gpu.name, exc)
    _growth_done = True


def list_devices() -> list[DeviceInfo]:
    """The CPU first, then every GPU the backend can see."""
    devices = [DeviceInfo("cpu", "cpu", _cpu_name())]
    backend = _backend()
    if backend == "tensorflow":
        import tensorflow as tf
        enable_memory_growth()
        for index, gpu in enumerate(tf.config.list_physical_devices("GPU")):
            name, memory = gpu.name, None
            try:
                details = tf.config.experimental.get_device_details(gpu)
                name = details.get("device_name", name)
            except Exception:  # details are a nicety; never fail the listing for them
                pass
            devices.append(DeviceInfo(f"gpu:{index}", "gpu", name, memory))
    elif backend == "jax":
        for index, dev in enumerate(_jax_gpus()):
            devices.append(DeviceInfo(f"gpu:{index}", "gpu", getattr(dev, "device_kind", "GPU"),
                                      _jax_memory_mb(dev)))
    elif backend == "torch":
        import torch
        for index in range(torch.cuda.device_count() if torch.cuda.is_available() else 0):
            props = torch.cuda.get_device_properties(index)
            devices.append(DeviceInfo(f"gpu:{index}", "gpu", props.name, props.total_memory // 2**20))
        mps = getattr(torch.backends, "mps", None)
        if len(devices) == 1 and mps is not None and mps.is_available():
            # Apple GPUs through Metal: best effort, Keras places work on "mps" itself.
            devices.append(DeviceInfo("gpu:0", "gpu", _("Apple GPU (Metal, MPS)")))
    return devices


def _jax_gpus() -> list:
    import jax
    try:
        return list(jax.devices("gpu"))
    except RuntimeError:        # no GPU platform in this jaxlib (the CPU-only wheel)
        return []


def _jax_memory_mb(device) -> int | None:
    try:
        stats = device.memory_stats() or {}
    except Exception:           # not every platform reports memory; the listing never fails for it
        return None
    limit = stats.get("bytes_limit")
    return int(limit) // 2**20 if limit else None


def describe(device_ids: list[str], available: list[DeviceInfo] | None = None) -> str:
    """Where a run trains, for its header and history.json: "GPU:0 NVIDIA H200 (139 GB)" or
    "CPU Intel Xeon …, 2 cores"; several GPUs are joined with " + "."""
    available = list_devices() if available is None else available
    by_id = {d.id: d for d in available}
    parts = []
    for device_id in device_ids:
        info = by_id.get(device_id)
        if info is None:
            parts.append(device_id.upper())
        elif info.kind == "cpu":
            parts.append(f"CPU {info.name}")
        else:
            memory = f" ({info.memory_mb / 1024:.0f} GB)" if info.memory_mb else ""
            parts.append(f"{device_id.upper()} {info.name}{memory}")
    return " + ".join(parts)


def _cpu_name() -> str:
    import os
    import platform
    name = platform.processor() or platform.machine() or "CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{name}, {os.cpu_count() or 1} cores"


def resolve(device: str, available: list[DeviceInfo] | None = None) -> list[str]:
    """The device ids to train on for a setting: "auto", "cpu", "gpu:0" or "gpu:0,gpu:1".

    "auto" is the first GPU, else ["cpu"]; "gpu" means "gpu:0"; case and spaces are ignored.
    Raises DeviceError for a device not in `available` (default: list_devices()) or for the CPU
    mixed with GPUs."""
    available = list_devices() if available is None else available
    ids = [d.id for d in available]
    text = (device or "auto").strip().lower()
    if text == "auto":
        gpus = [i for i in ids if i.startswith("gpu")]
        return gpus[:1] or ["cpu"]
    if text == "gpu":
        text = "gpu:0"
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    for part in chosen:
        if part not in ids:
            raise DeviceError(
                _("There is no device {part!r} on this computer; the devices here are {names}. "
                  "Choose one of them (or \"auto\").", part=part, names=', '.join(ids)))
    if "cpu" in chosen and len(chosen) > 1:
        raise DeviceError(_("Train on the CPU or on GPUs, not both at once: choose \"cpu\" or "
                            "GPUs only."))
    return chosen


def placement(device_ids: list[str]):
    """A context manager under which the model is built, compiled and trained.

    One device: a device scope (`keras.device` on JAX and PyTorch). Several GPUs: MirroredStrategy
    on TensorFlow, keras.distribution.DataParallel on JAX (one replica per GPU, the batch split
    between them); PyTorch has no Keras multi-GPU, so that raises DeviceError.
    """
    backend = _backend()
    if backend != "tensorflow":
        import keras
        if len(device_ids) > 1:
            if backend != "jax":
                raise DeviceError(_("Training on several GPUs at once needs the JAX or "
                                    "TensorFlow backend; with PyTorch choose one GPU."))
            return keras.distribution.DataParallel(devices=list(device_ids)).scope()
        cuda = backend != "torch" or not device_ids[0].startswith("gpu") or _torch_cuda()
        return keras.device(keras_device_name(backend, device_ids[0], cuda))
    import tensorflow as tf
    if len(device_ids) > 1:
        names = [f"/gpu:{d.split(':')[1]}" for d in device_ids]
        return tf.distribute.MirroredStrategy(devices=names).scope()
    kind, _colon, index = device_ids[0].partition(":")
    return tf.device(f"/{kind.upper()}:{index or 0}")


def keras_device_name(backend: str, device_id: str, cuda: bool = True) -> str:
    """The `keras.device` name of one of our device ids ("cpu", "gpu:1") on JAX or PyTorch."""
    if backend == "torch" and device_id == "cpu":
        # PyTorch's CPU is "cpu": under "cpu:0" Keras copies each variable to the device inside
        # the step, and the copies, not the weights, get the gradients ("No gradients provided").
        return "cpu"
    if backend == "torch" and device_id.startswith("gpu") and not cuda:
        return "mps"            # Apple GPUs, best effort
    return device_id if ":" in device_id else f"{device_id}:0"


def _torch_cuda() -> bool:
    import torch
    return torch.cuda.is_available()


@contextlib.contextmanager
def precision_policy(mixed: bool, device_ids: list[str]):
    """mixed_float16 while the model is built, on GPUs only (CPUs gain nothing from it)."""
    import keras
    use = mixed and any(d.startswith("gpu") for d in device_ids)
    previous = keras.config.dtype_policy().name
    if use:
        keras.config.set_dtype_policy("mixed_float16")
    try:
        yield use
    finally:
        if use:
            keras.config.set_dtype_policy(previous)


def explain_failure(exc: BaseException, device_ids: list[str], batch_size: int) -> str | None:
    """A message a learner can act on for a device failure, or None if it is not one."""
    kind = type(exc).__name__
    text = str(exc)
    on_gpu = any(d.startswith("gpu") for d in device_ids)
    # TensorFlow: ResourceExhaustedError "OOM when allocating"; JAX/XLA: "RESOURCE_EXHAUSTED: Out
    # of memory"; PyTorch: torch.OutOfMemoryError "CUDA out of memory".
    if kind in ("ResourceExhaustedError", "OutOfMemoryError") or "out of memory" in text.lower() \
            or "OOM" in text or "RESOURCE_EXHAUSTED" in text:
        where = _("The GPU") if on_gpu else _("The computer")
        return _("{where} ran out of memory while training with batches of {batch_size}. Try a "
                 "smaller batch size (for example {smaller}), a smaller model, or train on the CPU.",
                 where=where, batch_size=batch_size, smaller=max(1, batch_size // 2))
    lowered = text.lower()
    if on_gpu and any(word in lowered for word in ("cuda", "cudnn", "driver", "cublas", "ptx", "nvidia")):
        first = text.strip().splitlines()[0][:200] if text.strip() else kind
        from desktop_dl.engine.backends import TITLES
        title = TITLES.get(_backend(), _backend())
        return _("The GPU could not be used ({first}). Check that the NVIDIA driver and CUDA "
                 "libraries match this {title}, or choose the CPU in the Device setting.",
                 first=first, title=title)
    return None
