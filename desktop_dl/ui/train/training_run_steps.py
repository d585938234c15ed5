"""What a Train tab run does off the GUI thread before training, and how its progress reads.

prepare_job is a ui.base.jobs.Job function (checks and split, no TensorFlow); progress_text words
one batch event of the training process for the progress line. Split out of training_panel.py.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

MAIN_METRIC = {"multiclass": "accuracy", "binary": "accuracy", "multilabel": "binary_accuracy",
               "regression": "mae"}


def duration_text(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


def progress_text(info: dict, last: tuple) -> tuple[int, str]:
    """The progress bar's value and the progress line for the latest batch event `last`
    (epoch, batch, loss, raw loss, samples so far, seconds so far) of a run described by `info`
    (the "begin" event: steps_per_epoch, epochs, samples), in the Train tab's translation
    (context "TrainingPanel", where the .ts file has them)."""
    epoch, batch, _loss, _raw, samples, seconds = last
    steps = info.get("steps_per_epoch", 1)
    epochs = info.get("epochs", 1)
    rate = samples / seconds if seconds > 0 else 0.0
    total = epochs * info.get("samples", 0)
    eta = (total - samples) / rate if rate > 0 else math.nan
    translate = QCoreApplication.translate
    text = translate("TrainingPanel", "Epoch %d of %d · batch %d of %d · %s samples/s") % (
        epoch + 1, epochs, batch + 1, steps, f"{rate:,.0f}")
    if math.isfinite(eta):
        text += " · " + translate("TrainingPanel", "about %s left") % duration_text(eta)
    return epoch * steps + batch + 1, text


def prepare_job(spec, dataset, settings):
    """A ui.base.jobs.Job function: check and split (engine.run_pipeline.prepare_run, no
    TensorFlow) and give the run its folder. A RunCheckError becomes the job's error message."""

    def work(report, cancelled):
        from desktop_dl.core.datasets import load_dataset
        from desktop_dl.engine.run_folder import new_run_folder
        from desktop_dl.engine.run_pipeline import prepare_run

        from desktop_dl.core.run_checks import RunCheckError

        data = load_dataset("mnist-5k") if dataset is None else dataset
        try:
            plan = prepare_run(spec, data, settings)
        except RunCheckError as exc:        # handed over whole: it knows which layer to mark
            return exc
        plan.folder = new_run_folder()
        return plan

    return work
