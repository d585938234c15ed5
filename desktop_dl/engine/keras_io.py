"""`.keras` files in and out, and TensorFlow SavedModel export.

A `.keras` file is a zip whose config.json names every class to build. Keras's `safe_mode=True`
refuses to deserialise Python lambdas (arbitrary code); on top of that we read config.json
ourselves before Keras sees it and refuse, with a message naming the layer, any Lambda layer and
any class from outside Keras: desktop_dl only ever saves standard Keras layers, so anything else
is someone else's custom code, which we never run.

Keras and TensorFlow are imported inside the functions.
"""
from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

from desktop_dl.core.errors import ModelFileError, UserError

# Module prefixes of the classes a model made of standard Keras layers refers to.
_TRUSTED_MODULES = ("keras",)


class SavedModelError(UserError):
    """The model could not be written as a TensorFlow SavedModel."""


def save_keras(model, path) -> Path:
    """Save `model` to `path` (.keras), atomically: a failed save leaves an older file intact."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ModelFileError(f"{path.name}: a Keras model file must end in .keras.")
    if not path.parent.is_dir():
        raise ModelFileError(f"Cannot write {path}: the folder {path.parent} does not exist.")
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

    Raises ModelFileError when the file is missing, not a .keras zip, or uses code we will not run.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelFileError(f"{path} does not exist." if not path.exists() else f"{path} is not a file.")
    if not zipfile.is_zipfile(path):
        hint = " It looks like an ONNX model; it can be used for drawing and `desktop-dl predict`, " \
               "but not loaded into Keras." if path.suffix == ".onnx" else ""
        raise ModelFileError(f"{path.name} is not a Keras .keras file (a .keras file is a zip archive "
                             f"holding config.json and the weights).{hint}")
    try:
        with zipfile.ZipFile(path) as archive:
            config = json.loads(archive.read("config.json"))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise ModelFileError(f"{path.name} is damaged or not a Keras model: its config.json cannot be "
                             f"read ({exc}).") from None
    for module, class_name, layer_name in _classes(config):
        if class_name == "Lambda":
            raise ModelFileError(
                f"{path.name} contains a Lambda layer ({layer_name or 'unnamed'}): it holds Python code "
                "that would run when the model loads, so desktop_dl refuses to open it. Rebuild the "
                "model from standard layers, or load it in your own Python code if you trust its author.")
        if class_name == "__lambda__" or (module and not module.startswith(_TRUSTED_MODULES)):
            raise ModelFileError(
                f"{path.name} uses {class_name} from {module or 'Python code'}, which is not part of "
                "Keras; desktop_dl opens only models made of standard Keras layers.")
    return config


def load_keras(path, *, compile: bool = False):
    """Load a .keras file safely (`safe_mode=True`, after `check_keras_file`); ModelFileError if not."""
    path = Path(path)
    check_keras_file(path)
    import keras

    try:
        return keras.saving.load_model(path, compile=compile, safe_mode=True)
    except ValueError as exc:
        text = str(exc)
        if "safe_mode" in text or "unsafe" in text:
            raise ModelFileError(f"{path.name} holds code that would run when loading, so it was "
                                 "refused (Keras safe mode).") from None
        raise ModelFileError(f"{path.name} could not be loaded as a Keras model: {_first_line(text)}") from None
    except (OSError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{path.name} could not be loaded as a Keras model: "
                             f"{_first_line(str(exc)) or type(exc).__name__}") from None


def export_savedmodel(model, folder) -> Path:
    """Write a TensorFlow SavedModel (for TF Serving / TFLite converters) into `folder`.

    Its `serve` signature takes the model's input with a dynamic batch dimension.
    """
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SavedModelError(f"{folder} already exists and is not an empty folder; a SavedModel "
                              "needs a folder of its own. Choose a new name.")
    if not folder.parent.is_dir():
        raise SavedModelError(f"Cannot write {folder}: the folder {folder.parent} does not exist.")
    import keras

    if keras.backend.backend() != "tensorflow":
        raise SavedModelError("A SavedModel needs the TensorFlow backend of Keras; this session uses "
                              f"{keras.backend.backend()!r}.")
    try:
        model.export(str(folder), format="tf_saved_model", verbose=False)
    except Exception as exc:  # TF raises many kinds; keep the message for the user
        raise SavedModelError(f"The SavedModel export failed: {type(exc).__name__}: "
                              f"{_first_line(str(exc))}") from exc
    return folder


def run_info(keras_path) -> dict:
    """What the run folder beside a .keras file says about it (for export metadata).

    `engine/run_folder.py` writes history.json (task, dataset) and spec.json next to model.keras.
    Returns {"task", "class_names", "dataset", "kind", "preprocessing", "source", "split", "spec"}
    where known (`source`: the data file the run read; `split`: its validation/test/seed).
    """
    folder = Path(keras_path).parent
    info: dict = {}
    history = _read_json(folder / "history.json")
    if history:
        info["task"] = history.get("task")
        dataset = history.get("dataset") or {}
        if isinstance(dataset, dict):
            info["dataset"] = dataset.get("name")
            for key in ("kind", "preprocessing", "source", "split"):
                if dataset.get(key) is not None:
                    info[key] = dataset[key]
            names = dataset.get("class_names") or dataset.get("classes")
            if names:
                info["class_names"] = [str(n) for n in names]
        # core/evaluation.py writes per-class results with each class's name.
        per_class = (history.get("evaluation") or {}).get("per_class") or {}
        classes = per_class.get("classes") if isinstance(per_class, dict) else None
        if "class_names" not in info and classes:
            info["class_names"] = [str(c.get("name")) for c in classes]
    spec = folder / "spec.json"
    if spec.is_file():
        info["spec"] = spec
    return {k: v for k, v in info.items() if v is not None}


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _classes(config):
    """(module, class_name, layer name) of every serialised object in a Keras config."""
    stack = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "class_name" in node:
                inner = node.get("config")
                name = inner.get("name") if isinstance(inner, dict) else None
                yield node.get("module"), str(node["class_name"]), name
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:300] if lines else ""
