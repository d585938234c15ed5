"""One click, one digit recogniser: a small CNN trained on the bundled 5,000 MNIST digits.

For a learner who opens the Draw tab before training anything. The model is the template marked
`default_for_drawing` (digits-drawing: augmentation that matches drawing with a mouse, so it
reads drawn digits, not only MNIST's), a model spec like any other, trained through
engine.run_pipeline (prepare_run + execute, the same path as the Train tab and the CLI) with the
template's own epochs and batch size. Digits
the user corrected on the canvas ("That's wrong", core.personal_digits) join the training set,
repeated so a handful of them can count against 4,000 bundled ones.

`train_default_digit_model(report, cancelled)` has the signature of a ui.jobs.Job function: it
reports dicts {"fraction": 0..1, "stage": "loading" | "starting" | "training" | "exporting" |
"done", "epoch", "epochs", "accuracy"} (the UI words them, in the user's language) and stops at
the next batch once `cancelled()` is true (returning None). No Qt here; TensorFlow is imported
only inside the function.
"""
from __future__ import annotations

import dataclasses
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

import numpy as np

from desktop_dl.core.spec import ModelSpec
from desktop_dl.paths import user_data_dir
from desktop_dl.core.i18n import _

PERSONAL_REPEAT = 10     # each corrected digit counts as ten: a few dozen vs 4,000 MNIST digits


def default_digit_model_path() -> Path:
    """Where the Draw tab's own digit model lives: user_data_dir()/models/digit_cnn.onnx (the file
    may not exist yet)."""
    return user_data_dir() / "models" / "digit_cnn.onnx"


def default_digit_spec() -> ModelSpec:
    """The Draw tab's digit model: the template marked default_for_drawing."""
    from desktop_dl.core.templates import drawing_template_name, load_template
    return load_template(drawing_template_name())


def default_training() -> dict:
    """{"epochs", "batch_size", "schedule"} of the drawing template."""
    from desktop_dl.core.templates import drawing_template_name, template_training
    return template_training(drawing_template_name())


class _Progress:
    """Trainer listener: batch progress → report(); a cancel request → control.stop()."""

    def __init__(self, report: Callable[[Any], None], cancelled: Callable[[], bool], epochs: int,
                 control):
        self.report, self.cancelled, self.epochs = report, cancelled, epochs
        self.control = control
        self.steps = 1

    def on_train_begin(self, info):
        self.steps = max(1, int(info.get("steps_per_epoch") or 1))

    def on_batch_end(self, epoch, batch, logs):
        if self.cancelled():
            self.control.stop()
        done = (epoch + (batch + 1) / self.steps) / self.epochs
        accuracy = logs.get("accuracy")
        # Training is 90 % of the job; export and its parity check take the rest.
        self.report({"fraction": 0.05 + 0.85 * min(1.0, done), "stage": "training",
                     "epoch": epoch + 1, "epochs": self.epochs,
                     "accuracy": None if accuracy is None else float(accuracy)})

    def on_status(self, status: str) -> None:
        if status == "export":
            self.report({"fraction": 0.92, "stage": "exporting"})


def train_default_digit_model(report: Callable[[Any], None] = lambda _progress: None,
                              cancelled: Callable[[], bool] = lambda: False,
                              path: Path | None = None, epochs: int | None = None,
                              limit: int | None = None) -> dict | None:
    """Train, export to ONNX at `path` (default: default_digit_model_path()) and return
    {"path", "accuracy", "seconds", "personal"}; None when cancelled. `limit` trains on fewer
    samples (tests)."""
    from desktop_dl.core.datasets.registry import load_dataset
    from desktop_dl.core.personal_digits import load_personal_digit_arrays
    from desktop_dl.engine.run_pipeline import RunControl, execute_for_model, prepare_run
    from desktop_dl.engine.trainer import TrainSettings

    training = default_training()
    epochs = epochs or training["epochs"]
    report({"fraction": 0.0, "stage": "loading"})
    dataset = load_dataset("mnist-5k")
    plan = prepare_run(default_digit_spec(), dataset,
                       TrainSettings(epochs=epochs, batch_size=training["batch_size"],
                                     schedule=training["schedule"], seed=0))
    splits = plan.splits
    x_train, y_train = splits.x_train, splits.y_train
    if limit:
        x_train, y_train = x_train[:limit], y_train[:limit]
    personal = load_personal_digit_arrays()
    if len(personal):
        px = personal.images()[..., None]
        x_train = np.concatenate([x_train] + [px] * PERSONAL_REPEAT)
        y_train = np.concatenate([y_train] + [personal.y.astype(y_train.dtype)] * PERSONAL_REPEAT)
    plan.splits = splits = dataclasses.replace(splits, x_train=x_train, y_train=y_train)
    if cancelled():
        return None

    report({"fraction": 0.03, "stage": "starting"})
    control = RunControl()
    path = Path(path) if path else default_digit_model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    # The run folder's model.onnx (exported and parity-checked by execute) is the one kept.
    with tempfile.TemporaryDirectory(prefix="digit_cnn_") as folder:
        plan.folder = Path(folder)
        outcome = execute_for_model(plan, _Progress(report, cancelled, epochs, control), control,
                                    cancelled, _("The digit model could not be exported."))
        if outcome is None:
            return None
        result, files = outcome.result, outcome.files
        shutil.copyfile(files.onnx_path, path)
        # The .keras beside it is what "Learn my handwriting" fine-tunes (ONNX holds no training).
        shutil.copyfile(files.keras_path, path.with_suffix(".keras"))
    accuracy = None
    if result.evaluation is not None:
        accuracy = result.evaluation.metrics.get("accuracy")
    report({"fraction": 1.0, "stage": "done"})
    return {"path": str(path), "accuracy": None if accuracy is None else float(accuracy),
            "seconds": result.seconds, "personal": len(personal)}
