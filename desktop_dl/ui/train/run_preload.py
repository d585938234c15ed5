"""Import, ahead of time and off the GUI thread, the modules the first run needs in this process.

Pressing Start runs the memory check, the split job, the process spawn, and later unpickles the
run's result: each imports modules the window has not needed so far. Under PySide6 every import
also pays the feature hook's source scan (`_mod_uses_pyside` reads and tokenizes the module's
source), so those first imports on the GUI thread stalled the window 20-40 ms right after Start
(issue 17, measured with benchmarks/bench_gui_responsiveness.py). A daemon thread imports them
once per process after the Train tab is built; the GIL hands the GUI thread back every few ms.
"""
from __future__ import annotations

import importlib
import logging
import threading

log = logging.getLogger(__name__)

# Plain-Python modules only: TensorFlow/Keras stay in the training process.
RUN_MODULES = (
    "desktop_dl.core.training_memory", "desktop_dl.core.shapes", "desktop_dl.core.shape_rules",
    "desktop_dl.core.validation", "desktop_dl.core.run_checks", "desktop_dl.core.evaluation",
    "desktop_dl.core.loss_choice", "desktop_dl.core.datasets.registry",
    "desktop_dl.core.datasets.splits", "desktop_dl.engine.trainer", "desktop_dl.engine.run_folder",
    "desktop_dl.engine.run_pipeline", "desktop_dl.engine.training_process",
    "multiprocessing.popen_spawn_posix", "multiprocessing.connection", "multiprocessing.reduction",
    "multiprocessing.resource_tracker",
)
_started = threading.Event()


def preload_run_modules(names=RUN_MODULES) -> threading.Thread | None:
    """Start importing `names` on a daemon thread (once per process); the thread, or None if
    it ran already."""
    if _started.is_set():
        return None
    _started.set()

    def run() -> None:
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as exc:     # a missing optional module only costs its import later
                log.debug("preloading %s failed: %s", name, exc)
    thread = threading.Thread(target=run, name="preload-run-modules", daemon=True)
    thread.start()
    return thread


__all__ = ["RUN_MODULES", "preload_run_modules"]
