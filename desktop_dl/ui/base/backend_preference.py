"""The training backend chosen in Preferences (QSettings), read by the Preferences dialog and by
the Train tab at each run: each run's training process starts Keras with it
(engine/training_process.py), so a new choice needs no restart."""
from __future__ import annotations

import logging
import os

from PySide6.QtCore import QSettings

from desktop_dl.engine import backends
from desktop_dl import APP_NAME, ORG_NAME

BACKEND_KEY = "training/backend"
AUTO = "auto"
# KERAS_BACKEND as the user started the app with it (apply_backend_preference sets it later).
_USER_KERAS_BACKEND = os.environ.get("KERAS_BACKEND", "")


def settings_store() -> QSettings:
    """Where the choice is kept: the app's QSettings."""
    return QSettings(ORG_NAME, APP_NAME)


def saved_backend(store: QSettings | None = None) -> str:
    """"auto" or a backend name (engine/backends.py) chosen in Preferences."""
    value = str((store or settings_store()).value(BACKEND_KEY, AUTO))
    return value if value in backends.BACKENDS else AUTO


def training_backend(store: QSettings | None = None) -> str:
    """The backend the next training run uses: KERAS_BACKEND when the user started the app with
    it, else the one chosen here when it is installed, else the default (TensorFlow where it is
    installed). Read at each run: the training process is started with it, so a new choice needs
    no restart."""
    from_user = _USER_KERAS_BACKEND.strip().lower()
    if from_user in backends.BACKENDS:
        return from_user
    choice = saved_backend(store)
    if choice != AUTO and backends.is_installed(choice):
        return choice
    try:
        return backends.default_backend()
    except backends.BackendError:       # nothing installed: the run says so when it starts
        return "tensorflow"


def apply_backend_preference(store: QSettings | None = None) -> str | None:
    """At start, before Keras is imported: Keras in this (the window's) process uses the saved
    backend unless KERAS_BACKEND is set. Training does not depend on it: each run's process is
    started with `training_backend()`. Returns the backend chosen, or None when Keras will pick
    (the default or the variable)."""
    choice = saved_backend(store)
    if choice == AUTO or os.environ.get("KERAS_BACKEND"):
        return None
    try:
        return backends.select_backend(choice)
    except backends.BackendError as exc:     # uninstalled since it was chosen: train on the default
        logging.getLogger(__name__).warning("training backend %s not used: %s", choice, exc)
        return None
