"""Checks of a model against its data before any training, in the learner's words (no TensorFlow).

engine.run_pipeline.prepare_run calls them in this order, so the first message is about the most
basic mismatch: input shape, output vs the task and its classes, label range, loss vs output,
then the splits. Each failure is a `RunCheckError` naming the numbers and the fix; `where` says
which setting to change ("input", "output" = the model's last layer, "loss", "split", "data") so
the editor can mark the offending layer and the Data tab the split.
"""
from __future__ import annotations

import numpy as np

from desktop_dl.core.errors import UserError
from desktop_dl.core.loss_choice import check_output_for_task
from desktop_dl.core.losses import check_loss, output_activation
from desktop_dl.core.shapes import analyse
from desktop_dl.core.i18n import N_, _

SPLIT_NAMES = {"validation": N_("validation"), "test": N_("test")}


class RunCheckError(UserError):
    """The model and the data do not fit together; str() says how and what to change.

    `where`: "input" | "output" | "loss" | "split" | "data"; `layer`: the index of the layer to
    mark in the editor (None when the fix is not on a layer)."""

    def __init__(self, message: str, where: str, layer: int | None = None):
        super().__init__(message)
        self.where = where
        self.layer = layer


def check_input_shape(spec, input_shape: tuple, dataset_title: str) -> None:
    """The model's input must be the dataset's per-sample shape, e.g. (28, 28, 1).

    Raises RunCheckError when the two shapes differ.
    """
    want, got = tuple(spec.input_shape), tuple(input_shape)
    if want != got:
        raise RunCheckError(
            _("The model '{name}' takes inputs of shape {want}, but the dataset "
              "'{dataset_title}' gives {got}. Set the model's input to {got} in the Model tab "
              "(choosing the dataset for training on the Data tab does it for you), or choose "
              "a template made for this dataset (see `desktop-dl templates`).",
              name=spec.name, want=want, dataset_title=dataset_title, got=got), "input", None)


def output_units(spec) -> int | None:
    """Units of the model's last axis (None when shape inference cannot tell)."""
    shape = analyse(spec).output_shape
    return int(shape[-1]) if shape and len(shape) > 1 and shape[-1] is not None else None


def check_output(spec, task: str, class_count: int | None, target_count: int = 1,
                 empty_classes: list[str] | None = None) -> None:
    """The last layer must fit the task: one unit per class with softmax, Dense(1, sigmoid) for
    yes/no, a linear output for numbers (core.losses.check_output_for_task's rules).
    `empty_classes` (names of classes without samples) adds the likelier fix: the data's.

    Raises RunCheckError (pointing at the last layer) when units or activation do not fit the task
    and the number of classes.
    """
    message = check_output_for_task(spec, task, class_count or None, target_count)
    if message:
        if empty_classes:
            names = ", ".join(repr(n) for n in empty_classes[:5])
            message += _(" Or fix the data: {count} of the {total} classes have no samples "
                         "({names}).", count=len(empty_classes), total=class_count, names=names)
        raise RunCheckError(message, "output", len(spec.layers) - 1 if spec.layers else None)


def check_loss_fits(spec, units: int | None) -> None:
    """A loss chosen in the Model tab (not "auto") must fit the output activation.

    Raises RunCheckError when the chosen loss does not fit.
    """
    loss = (spec.compile.loss or "auto").lower()
    if loss == "auto" or not spec.layers:
        return
    message = check_loss(loss, units, output_activation(spec.layers), spec.layers[-1].type)
    if message:
        raise RunCheckError(_("{message} (Change the loss in the Model tab's training "
                              "settings, or set it to auto.)", message=message), "loss", len(spec.layers) - 1)


def check_labels(labels: np.ndarray, task: str, units: int | None, class_names: list[str]) -> None:
    """Labels must be what the loss can read: class indices 0..units-1, 0/1 for yes/no, finite
    numbers for regression.

    Raises RunCheckError for no samples, negative class labels or labels past the output units,
    classes with no samples, missing or non-finite targets, or yes/no targets outside 0..1.
    """
    y = np.asarray(labels)
    if y.size == 0:
        raise RunCheckError(_("The dataset has no samples: choose or import data with samples "
                              "in it."),
                            "data")
    if task == "regression" or (y.ndim == 2 and y.shape[1] > 1):
        bad = int(np.count_nonzero(~np.isfinite(y.astype(np.float64))))
        if bad:
            raise RunCheckError(_("{bad} target value(s) are missing or not finite (NaN or "
                                  "inf): remove those rows or fill them before training.",
                                  bad=bad), "data")
        return
    low, high = int(y.min()), int(y.max())
    if task == "binary":
        if low < 0 or high > 1:
            raise RunCheckError(
                _("A yes/no dataset needs labels 0 and 1, but its labels go from {low} to "
                  "{high}: map them to 0 and 1 (or use a model that ends with Dense(number of "
                  "classes, softmax)).", low=low, high=high), "data")
        return
    if low < 0:
        raise RunCheckError(_("Class labels must be 0 or more, but the smallest label is "
                              "{low}: number the classes from 0.", low=low), "data")
    if units is not None and high >= units:
        raise RunCheckError(
            _("The labels go up to {high} ({value} classes, counting from 0), but the model "
              "ends with {units} outputs (labels 0 to {value2}). End the model with "
              "Dense({value}, softmax), or renumber the labels from 0 (for labels 1..{high}, "
              "subtract 1).", high=high, value=high + 1, units=units, value2=units - 1), "output", None)
    present = np.bincount(y.astype(np.int64), minlength=len(class_names))
    empty = [class_names[i] if i < len(class_names) else str(i)
             for i in np.flatnonzero(present[:max(len(class_names), 1)] == 0)]
    if empty and class_names:
        names = ", ".join(repr(n) for n in empty[:5]) + (" ..." if len(empty) > 5 else "")
        raise RunCheckError(
            _("The dataset names {count} classes, but {count2} of them have no samples "
              "({names}): the model could never learn them. Remove the empty class(es) from "
              "the data (for an image folder, delete or rename their folders) and import it "
              "again.", count=len(class_names), count2=len(empty), names=names), "data")


def check_split_sizes(sizes: dict[str, int], fractions: dict[str, float], total: int) -> None:
    """Every split asked for (fraction > 0) must hold samples; training must hold some.

    Raises RunCheckError when training, or a split asked for, would be empty.
    """
    if sizes.get("train", 0) == 0:
        raise RunCheckError(
            _("No samples are left for training out of {total}: lower the validation and test "
              "splits on the Data tab (or --validation-split / --test-split).", total=total), "split")
    for name, label in SPLIT_NAMES.items():
        fraction = float(fractions.get(name, 0.0) or 0.0)
        if fraction > 0 and sizes.get(name, 0) == 0:
            raise RunCheckError(
                _("The {label} split is empty: {fraction:.0%} of {total} samples rounds to "
                  "none in every class. Raise the {label} split on the Data tab (or "
                  "--{name}-split) so each class gives at least one sample, or set it to 0 to "
                  "train without one.", label=_(label), fraction=fraction, total=total, name=name),
                "split")


def missing_classes(y_split: np.ndarray, class_count: int) -> list[int]:
    """Class indices with no sample in `y_split` (integer labels)."""
    y = np.asarray(y_split)
    if class_count <= 0 or y.ndim != 1 or y.size == 0:
        return []
    present = np.bincount(y.astype(np.int64), minlength=class_count)
    return [int(c) for c in np.flatnonzero(present[:class_count] == 0)]


def check_training_classes(y_train: np.ndarray, class_names: list[str]) -> None:
    """Every class must have training samples (a stratified split gives each class its share).

    Raises RunCheckError naming the classes with no training sample.
    """
    missing = missing_classes(y_train, len(class_names))
    if missing:
        names = ", ".join(repr(class_names[c]) for c in missing[:5])
        raise RunCheckError(
            _("{count} class(es) have no training samples ({names}): add samples of them, or "
              "lower the validation and test splits on the Data tab.",
              count=len(missing), names=names), "split")
