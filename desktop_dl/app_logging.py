"""The app's log: a rotating file in user_data_dir()/logs, so that errors a user saw (and the
ones they did not) can be found after the fact. Plain Python: used by core, engine and ui."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from desktop_dl.paths import user_data_dir

LOG_FILE_NAME = "desktop_dl.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"

USER_ERRORS = logging.getLogger("desktop_dl.user_errors")


def log_dir() -> Path:
    path = user_data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / LOG_FILE_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Send the root logger to the rotating log file (once; again after the data folder moved).

    Returns the log file's path."""
    path = log_file()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_desktop_dl", False):
            if Path(handler.baseFilename) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    try:
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8", delay=True)
    except OSError:
        return path   # a read-only data folder must not stop the app; the console still logs
    handler._desktop_dl = True
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    logging.captureWarnings(True)
    import platform
    import sys

    from desktop_dl import __version__
    logging.getLogger("desktop_dl").info("desktop_dl %s, Python %s on %s", __version__,
                                         sys.version.split()[0], platform.platform())
    return path


_fault_file = None


def enable_fault_log() -> Path | None:
    """Write a traceback of every thread to logs/crash.log if the process dies hard (a segfault in
    a native library), where no Python handler runs. Returns the file's path."""
    import faulthandler
    global _fault_file
    path = log_dir() / "crash.log"
    try:
        if _fault_file is None or _fault_file.closed:
            _fault_file = open(path, "a", encoding="utf-8")   # kept open: written from a signal handler
        faulthandler.enable(file=_fault_file, all_threads=True)
    except (OSError, ValueError, RuntimeError):
        return None
    return path


def log_user_error(message: str, context: str = "") -> None:
    """Record an error the user was shown (a bad file, an impossible setting)."""
    if context:
        USER_ERRORS.warning("%s: %s", context, message)
    else:
        USER_ERRORS.warning("%s", message)


def flush() -> None:
    for handler in logging.getLogger().handlers:
        try:
            handler.flush()
        except Exception:  # a broken handler must not break the flush of the others
            pass
