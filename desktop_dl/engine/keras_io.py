"""`.keras` files in and out, and TensorFlow SavedModel export.

A `.keras` file is a zip whose config.json names every class to build. Keras's `safe_mode=True`
refuses to deserialise Python lambdas (arbitrary code); on top of that engine/keras_file_check.py
vets the archive before Keras sees it (sizes, declared weights, Lambda and non-Keras classes,
references to files): desktop_dl only ever saves standard Keras layers, so anything else is
someone else's custom code, which we never run.

Keras and TensorFlow are imported inside the functions.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path

from desktop_dl.core.errors import ModelFileError, UserError
from desktop_dl.core.i18n import _

class SavedModelError(UserError):
    """The model could not be written as a TensorFlow SavedModel."""


def save_keras(model, path) -> Path:
    """Save `model` to `path` (.keras), atomically: a failed save leaves an older file intact."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ModelFileError(_("{name}: a Keras model file must end in .keras.", name=path.name))
    if not path.parent.is_dir():
        raise ModelFileError(_("Cannot write {path}: the folder {parent} does not exist.",
                               path=path, parent=path.parent))
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".keras", dir=path.parent)
    os.close(fd)
    try:
        model.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def check_keras_file(path) -> dict:
    """Read and vet a .keras file's config without building anything; returns the config.

    Raises ModelFileError when the file is missing, not a .keras zip, declares more than the
    limits allow, or uses code or files we will not run (engine/keras_file_check.py).
    """
    from desktop_dl.engine.keras_file_check import check_keras_archive

    return check_keras_archive(path)


# Keras unpacks a model's members into folders from saving_lib.get_temp_dir(); one load at a
# time points that function at its own private folder.
_TEMP_LOCK = threading.Lock()


@contextlib.contextmanager
def _keras_scratch_folder():
    """Make Keras unpack into a private folder, removed afterwards whatever happens.

    Keras 3 creates its folders through `keras.src.saving.saving_lib.get_temp_dir`; that one
    function is redirected (not `tempfile.tempdir`, which other threads use meanwhile). Should a
    future Keras drop it, `tempfile.tempdir` is redirected instead, under the same lock."""
    with _TEMP_LOCK, tempfile.TemporaryDirectory(prefix="desktop_dl-keras-") as scratch:
        try:
            from keras.src.saving import saving_lib
        except ImportError:
            saving_lib = None
        if saving_lib is not None and hasattr(saving_lib, "get_temp_dir"):
            original = saving_lib.get_temp_dir
            saving_lib.get_temp_dir = lambda: tempfile.mkdtemp(dir=scratch)
            try:
                yield scratch
            finally:
                saving_lib.get_temp_dir = original
        else:
            previous = tempfile.tempdir
            tempfile.tempdir = scratch
            try:
                yield scratch
            finally:
                tempfile.tempdir = previous


def load_keras(path, *, compile: bool = False):
    """Load a .keras file safely (`safe_mode=True`, after `check_keras_file`); ModelFileError if not.

    Whatever Keras unpacks goes into a private temporary folder that is removed afterwards, also
    when loading fails."""
    path = Path(path)
    check_keras_file(path)
    import keras

    with _keras_scratch_folder():
        try:
            return keras.saving.load_model(path, compile=compile, safe_mode=True)
        except ValueError as exc:
            text = str(exc)
            if "safe_mode" in text or "unsafe" in text:
                raise ModelFileError(_("{name} holds code that would run when loading, so it "
                                       "was refused (Keras safe mode).", name=path.name)) from None
            raise ModelFileError(_("{name} could not be loaded as a Keras model: {first_line}",
                                   name=path.name, first_line=_first_line(text))) from None
        except RecursionError:
            raise ModelFileError(_("{name} could not be loaded as a Keras model: its layers "
                                   "nest too deeply.", name=path.name)) from None
        except MemoryError:
            raise ModelFileError(_("{name} could not be loaded: it needs more memory than is "
                                   "free.", name=path.name)) from None
        except Exception as exc:  # Keras and TensorFlow raise many kinds; the user gets one line
            raise ModelFileError(_("{name} could not be loaded as a Keras model: {name__}: "
                                   "{first_line}",
                                   name=path.name, name__=type(exc).__name__, first_line=_first_line(str(exc)))) from None


def export_savedmodel(model, folder) -> Path:
    """Write a TensorFlow SavedModel (for TF Serving / TFLite converters) into `folder`.

    Its `serve` signature takes the model's input with a dynamic batch dimension.
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SavedModelError(_("{folder} already exists and is not an empty folder; a "
                                "SavedModel needs a folder of its own. Choose a new name.",
                                folder=folder))
    if not folder.parent.is_dir():
        raise SavedModelError(_("Cannot write {folder}: the folder {parent} does not exist.",
                                folder=folder, parent=folder.parent))
    import keras

    if keras.backend.backend() != "tensorflow":
        raise SavedModelError(_("A SavedModel needs the TensorFlow backend of Keras; this "
                                "session uses {backend!r}.", backend=keras.backend.backend()))
    try:
        model.export(str(folder), format="tf_saved_model", verbose=False)
    except Exception as exc:  # TF raises many kinds; keep the message for the user
        raise SavedModelError(_("The SavedModel export failed: {error}: {first_line}",
                                error=type(exc).__name__, first_line=_first_line(str(exc)))) from exc
    return folder


def run_info(keras_path) -> dict:
    """What the run folder beside a .keras file says about it (for export metadata).

    `engine/run_folder.py` writes history.json (task, dataset) and spec.json next to model.keras.
    Returns {"task", "class_names", "dataset", "kind", "preprocessing", "source", "split", "spec"}
    where known (`source`: the data file the run read; `split`: its validation/test/seed).
    The folder may have come from someone else: anything malformed is ignored, not trusted.
    """
    folder = Path(keras_path).parent
    info: dict = {}
    history = _read_json(folder / "history.json")
    if isinstance(history, dict):
        info["task"] = history.get("task") if isinstance(history.get("task"), str) else None
        dataset = history.get("dataset") or {}
        if isinstance(dataset, dict):
            info["dataset"] = dataset.get("name") if isinstance(dataset.get("name"), str) else None
            for key in ("kind", "preprocessing"):
                if dataset.get(key) is not None:
                    info[key] = dataset[key]
            if isinstance(dataset.get("source"), str):
                info["source"] = dataset["source"]
            info["split"] = _split_record(dataset.get("split"))
            names = dataset.get("class_names") or dataset.get("classes")
            if isinstance(names, list) and names:
                info["class_names"] = [str(n) for n in names]
        # core/evaluation.py writes per-class results with each class's name.
        evaluation = history.get("evaluation")
        per_class = evaluation.get("per_class") if isinstance(evaluation, dict) else None
        classes = per_class.get("classes") if isinstance(per_class, dict) else None
        if "class_names" not in info and isinstance(classes, list) and classes:
            info["class_names"] = [str(c.get("name")) if isinstance(c, dict) else str(c)
                                   for c in classes]
    spec = folder / "spec.json"
    if spec.is_file():
        info["spec"] = spec
    return {k: v for k, v in info.items() if v is not None}


def _split_record(split) -> dict | None:
    """history.json's {"validation", "test", "seed"}, or None unless each is a number in range
    (the exported script writes them into its code)."""
    if not isinstance(split, dict):
        return None
    try:
        validation, test = float(split.get("validation", 0.1)), float(split.get("test", 0.1))
        seed = split.get("seed", 0)
    except (TypeError, ValueError):
        return None
    if not (0.0 <= validation < 1.0 and 0.0 <= test < 1.0 and validation + test < 1.0) \
            or isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        return None
    return {"validation": validation, "test": test, "seed": seed}


def _read_json(path: Path):
    """A small JSON file beside the model, or None (missing, not a regular file, too large,
    too deep or damaged)."""
    from desktop_dl.core import limits

    try:
        if limits.regular_file_size(path, ModelFileError) > limits.MAX_JSON_BYTES:
            return None
        return limits.parse_json(path.read_bytes(), path.name, error=ModelFileError)
    except (ModelFileError, OSError):
        return None


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:300] if lines else ""
