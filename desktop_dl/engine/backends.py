"""Which Keras backend trains: TensorFlow, JAX or PyTorch — chosen once per process.

Keras reads `KERAS_BACKEND` when it is first imported and cannot switch afterwards, so the choice
is made before anything imports Keras: `desktop-dl train --backend jax` calls `select_backend`
first thing, and the app's training worker process is started with the backend as a plain string
setting (`TrainSettings.backend`). Importing this module imports no Keras and no backend.

What each backend can do differs (`FEATURES`): TensorFlow alone has op determinism switched on by
one call and the TensorFlow-only exports (SavedModel); multi-GPU is MirroredStrategy on
TensorFlow, `keras.distribution.DataParallel` on JAX, and not offered by Keras on PyTorch.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import sys
from dataclasses import dataclass

from desktop_dl.core.errors import UserError
from desktop_dl.core.i18n import N_, _

BACKENDS = ("tensorflow", "jax", "torch")
TITLES = {"tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch"}
# The package each backend is imported as, and the distribution that carries its version.
_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
_INSTALL = {"tensorflow": 'pip install "tensorflow>=2.21"', "jax": 'pip install "desktop-dl[jax]"',
            "torch": 'pip install "desktop-dl[torch]" --extra-index-url https://download.pytorch.org/whl/cpu'}
_DISTRIBUTIONS = {"tensorflow": ("tensorflow", "tensorflow-cpu", "tf-nightly"),
                  "jax": ("jax",), "torch": ("torch",)}


class BackendError(UserError):
    """A backend that is unknown, not installed, or not the one this process already uses."""


@dataclass(frozen=True)
class BackendFeatures:
    """What a backend offers beyond plain training; `notes` says why a feature is missing."""

    deterministic_gpu: bool     # same seed → same numbers on a GPU too
    mixed_precision: bool       # mixed_float16 on GPUs
    multi_gpu: bool             # one process, several GPUs of one machine
    multi_process: bool         # several processes/hosts (keras.distribution)
    notes: str


FEATURES = {
    "tensorflow": BackendFeatures(
        True, True, True, False,
        N_("Deterministic GPU kernels (tf.config.experimental.enable_op_determinism); several "
          "GPUs with MirroredStrategy. Keras 3 does not run MultiWorkerMirroredStrategy "
          "(keras-team/keras#20585): several processes need JAX.")),
    "jax": BackendFeatures(
        True, True, True, True,
        N_("Deterministic GPU kernels via XLA_FLAGS=--xla_gpu_deterministic_ops=true (set before "
           "JAX starts); several GPUs with keras.distribution.DataParallel; several processes or "
           "hosts with keras.distribution.initialize.")),
    "torch": BackendFeatures(
        True, True, False, False,
        N_("Deterministic kernels via torch.use_deterministic_algorithms; Keras offers no "
          "multi-GPU or multi-process training on PyTorch: choose one GPU, or JAX/TensorFlow "
          "for several.")),
}


def is_installed(name: str) -> bool:
    """Whether the backend's package can be imported here (found, not imported)."""
    return importlib.util.find_spec(_MODULES[name]) is not None


def installed_backends() -> list[str]:
    """Installed backends in preference order: TensorFlow, JAX, PyTorch."""
    return [name for name in BACKENDS if is_installed(name)]


def default_backend() -> str:
    """TensorFlow where it is installed, else whichever backend is (BackendError when none)."""
    found = installed_backends()
    if not found:
        raise BackendError(_("Keras needs one of TensorFlow, JAX or PyTorch, and none is "
                             "installed: install desktop-dl with the [jax] extra (pip install "
                             "\"desktop-dl[jax]\")."))
    return found[0]


def active_backend() -> str | None:
    """The backend Keras runs in this process if Keras is imported, else None."""
    keras = sys.modules.get("keras")
    if keras is None:
        return None
    return keras.backend.backend()


def normalise(name: str | None) -> str:
    """"tensorflow" | "jax" | "torch" from a user's spelling ("tf", "PyTorch", None = default)."""
    if name is None or not str(name).strip() or str(name).strip().lower() == "auto":
        from_env = os.environ.get("KERAS_BACKEND", "").strip().lower()
        return active_backend() or (from_env if from_env in BACKENDS else None) or default_backend()
    key = str(name).strip().lower()
    key = {"tf": "tensorflow", "pytorch": "torch"}.get(key, key)
    if key not in BACKENDS:
        raise BackendError(_("Unknown backend {name!r}: choose tensorflow, jax or torch.",
                             name=name))
    return key


def select_backend(name: str | None) -> str:
    """Make `name` the backend Keras will use in this process, before Keras is imported.

    Sets KERAS_BACKEND (and, for JAX, the XLA flag that makes GPU kernels deterministic, which
    must be set before JAX starts). Returns the backend's name. Raises BackendError when it is not
    installed, or when Keras already runs another backend here (the caller then starts a new
    process with `child_environment`).
    """
    key = require_installed(name)
    active = active_backend()
    if active is not None and active != key:
        raise BackendError(_("This process already trains with {TITLES}; Keras fixes its "
                             "backend when it starts, so {TITLES2} needs a new process.",
                             TITLES=TITLES[active], TITLES2=TITLES[key]))
    os.environ.update(child_environment(key))
    return key


def require_installed(name: str | None) -> str:
    """The backend's name (`normalise`), or BackendError naming its install command when it is
    not installed here. Imports nothing."""
    key = normalise(name)
    if not is_installed(key):
        raise BackendError(_("The {TITLES} backend is not installed. Install it with "
                             "{INSTALL}, or choose one of: {value}.",
                             TITLES=TITLES[key], INSTALL=_INSTALL[key], value=', '.join(installed_backends()) or 'none'))
    return key


def child_environment(name: str) -> dict[str, str]:
    """Environment variables a new process needs to run Keras on `name`."""
    env = {"KERAS_BACKEND": name}
    if name == "jax":
        flags = os.environ.get("XLA_FLAGS", "")
        if "xla_gpu_deterministic_ops" not in flags:
            flags = (flags + " --xla_gpu_deterministic_ops=true").strip()
        env["XLA_FLAGS"] = flags
    if name == "torch":
        # cuBLAS needs a fixed workspace for deterministic matrix products.
        env.setdefault("CUBLAS_WORKSPACE_CONFIG", os.environ.get("CUBLAS_WORKSPACE_CONFIG", ":4096:8"))
    return env


def versions(name: str | None = None) -> dict[str, str]:
    """{"keras": "3.15.1", "jax": "0.10.2", "jaxlib": ...} for a run's record (no imports)."""
    key = name or active_backend() or normalise(None)
    out = {"keras": _version("keras")}
    for dist in _DISTRIBUTIONS.get(key, ()):
        if (version := _version(dist)) is not None:
            out[key] = version
            break
    if key == "jax" and (version := _version("jaxlib")):
        out["jaxlib"] = version
    return {k: v for k, v in out.items() if v is not None}


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
