"""Trained models inside project files: .keras bytes out of a model, a model out of the bytes.

A project keeps each kept run's model as the bytes of a .keras file (core/project.py). Loading
goes through `keras_io.load_keras`, so a project file cannot smuggle code in either: Lambda layers
and classes from outside Keras are refused, and Keras itself loads with `safe_mode=True`.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from desktop_dl.core.errors import ModelFileError
from desktop_dl.engine import keras_io
from desktop_dl.core.i18n import _


def keras_bytes(model) -> bytes:
    """The .keras file of `model`, as bytes (for a run's "weights" in the project state)."""
    with tempfile.TemporaryDirectory(prefix="desktop_dl-weights-") as folder:
        path = keras_io.save_keras(model, Path(folder) / "model.keras")
        return path.read_bytes()


def model_from_keras_bytes(data: bytes, name: str | None = None, *, compile: bool = False):
    """A Keras model from .keras bytes, loaded safely; ModelFileError (naming `name`) if not."""
    name = name or _("the saved run")
    if not data:
        raise ModelFileError(_("{name} has no saved model.", name=name))
    fd, tmp = tempfile.mkstemp(prefix="desktop_dl-run-", suffix=".keras")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            return keras_io.load_keras(tmp, compile=compile)
        except ModelFileError as exc:
            # The temporary file's name means nothing to the user; name the run instead.
            raise ModelFileError(str(exc).replace(Path(tmp).name, name)) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
