"""Which ONNX Runtime execution provider to use: CUDA when it really works here, else CPU, quietly.

onnxruntime-gpu lists TensorRT and CUDA as "available" whenever its wheel is installed, even on a
machine without a GPU or without cuDNN; handed those providers it prints red errors and a
"Falling back" banner. So we never pass TensorRT (it needs its own libraries and a long engine
build), and we try CUDA once per process with ORT's default logger set to fatal-only: when
the CUDA provider cannot load, ORT quietly builds the session on CPU and `get_providers()` says
so. The answer is remembered, so later sessions go straight to the provider that works.

`DESKTOP_DL_ORT_PROVIDER=cpu|cuda` overrides the choice (cuda still falls back to CPU quietly).
No TensorFlow here; importing this module does not import onnxruntime.
"""
from __future__ import annotations

import os
import threading

from desktop_dl.core.i18n import _

CPU = "CPUExecutionProvider"
CUDA = "CUDAExecutionProvider"
_ORT_DEFAULT_SEVERITY = 2      # warning: what ORT logs at when nobody asked otherwise
_FATAL_ONLY = 4

_lock = threading.Lock()
_cuda_works: bool | None = None   # None: not tried yet in this process


def cuda_listed() -> bool:
    """onnxruntime offers a CUDA provider (it may still fail to load)."""
    import onnxruntime as ort

    return CUDA in ort.get_available_providers()


def wanted() -> str:
    """"auto", "cpu" or "cuda", from DESKTOP_DL_ORT_PROVIDER."""
    value = os.environ.get("DESKTOP_DL_ORT_PROVIDER", "auto").strip().lower()
    return value if value in ("auto", "cpu", "cuda") else "auto"


def session_options(intra_threads: int | None = None):
    """Options for our sessions: errors only in the log, and (for single-image latency) at most
    `intra_threads` threads, since thread hand-offs cost more than a small model's maths."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if intra_threads:
        options.intra_op_num_threads = intra_threads
    return options


def create_session(model, options=None, preference: str | None = None):
    """An InferenceSession for `model` (a path or the file's bytes) on the best working provider.

    Returns (session, provider_name). Errors from a model ORT cannot read propagate unchanged
    (the caller turns them into a message naming the file).
    """
    global _cuda_works
    import onnxruntime as ort

    options = options or session_options()
    preference = preference or wanted()
    try_cuda = preference != "cpu" and _cuda_works is not False and cuda_listed()
    if try_cuda:
        with _lock:
            quiet = _cuda_works is None     # only the first try can fail loudly
            if quiet:
                _preload_pip_cuda(ort)
                ort.set_default_logger_severity(_FATAL_ONLY)
            try:
                session = ort.InferenceSession(model, sess_options=options, providers=[CUDA, CPU])
            finally:
                if quiet:
                    ort.set_default_logger_severity(_ORT_DEFAULT_SEVERITY)
            active = session.get_providers()
            _cuda_works = CUDA in active
            if _cuda_works:
                return session, CUDA
            return session, CPU
    session = ort.InferenceSession(model, sess_options=options, providers=[CPU])
    return session, CPU


def _preload_pip_cuda(ort) -> None:
    """Load CUDA/cuDNN from pip's nvidia-* wheels (e.g. tensorflow[and-cuda]) when present, so
    ORT finds them without LD_LIBRARY_PATH. preload_dlls prints when libraries are missing: the
    output is swallowed, and a failure just means the CUDA try below falls back to CPU."""
    import contextlib
    import importlib.util
    import io

    if not hasattr(ort, "preload_dlls") or importlib.util.find_spec("nvidia") is None:
        return
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            ort.preload_dlls(cuda=True, cudnn=True, msvc=False)
    except Exception:  # noqa: BLE001 - best effort; the session try decides
        pass


def cuda_status() -> str:
    """For an About box or a log: what we know about CUDA in this process."""
    if _cuda_works is None:
        return _("not tried yet") if cuda_listed() else _("not available (onnxruntime has no CUDA "
                                                       "provider)")
    return _("in use") if _cuda_works else _("listed by onnxruntime but failed to load; using CPU")


def _forget() -> None:
    """Tests: forget the remembered CUDA answer."""
    global _cuda_works
    _cuda_works = None
