"""The classic output-layer / loss rules of the Keras tutorials, as data the UI can show.

binary     → Dense(1, sigmoid)  + binary_crossentropy,             accuracy
multiclass → Dense(N, softmax)  + sparse_categorical_crossentropy  (integer labels)
                                  or categorical_crossentropy      (one-hot labels), accuracy
multilabel → Dense(N, sigmoid)  + binary_crossentropy,             binary_accuracy
regression → Dense(1) linear    + mse,                             mae
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop_dl.core.i18n import N_, _

TASKS = ("binary", "multiclass", "multilabel", "regression")

# Marked for translation here, translated where shown: `rule_text(task)`.
RULES = {
    "binary": N_("Two classes (yes/no): end with one sigmoid unit, Dense(1, sigmoid), and use "
              "binary_crossentropy."),
    "multiclass": N_("One label out of N classes: end with Dense(N, softmax) and use "
                  "sparse_categorical_crossentropy for integer labels (categorical_crossentropy "
                  "for one-hot labels)."),
    "multilabel": N_("Several labels can be true at once: end with Dense(N, sigmoid) and use "
                  "binary_crossentropy."),
    "regression": N_("Predicting numbers: end with Dense(1) (or one unit per target) with a linear "
                  "activation and use mse, reporting mae."),
}


TASK_NAMES = {"binary": N_("binary classification"), "multiclass": N_("multi-class classification"),
              "multilabel": N_("multi-label classification"), "regression": N_("regression")}


def task_name(task: str) -> str:
    """"binary classification"… for a task id, in the interface language (the id if unknown)."""
    return _(TASK_NAMES[task]) if task in TASK_NAMES else task


def rule_text(task: str) -> str:
    """The output/loss rule for a task ("binary", "multiclass", "multilabel", "regression") in
    the interface language; "" for an unknown task."""
    return _(RULES[task]) if task in RULES else ""

CLASSIFICATION_LOSSES = ("binary_crossentropy", "sparse_categorical_crossentropy",
                         "categorical_crossentropy")
REGRESSION_LOSSES = ("mse", "mean_squared_error", "mae", "mean_absolute_error", "huber",
                     "log_cosh", "mean_squared_logarithmic_error")
LOSSES = CLASSIFICATION_LOSSES + ("mse", "mae", "huber", "log_cosh")



@dataclass(frozen=True)
class LossChoice:
    """The loss, metrics and last layer (units, activation) that fit a task, with the one-line rule
    the UI and mismatch messages cite."""
    loss: str
    metrics: list
    output_units: int | None        # expected units of the last layer (None: one per class/target)
    output_activation: str          # expected activation of the last layer
    rule: str                       # one line for the UI, cited by mismatch messages
    task: str


def output_activation(layers) -> str:
    """The activation that shapes the model's output, looking through Dropout, Flatten, etc."""
    from desktop_dl.core.catalogue import CATALOGUE

    for layer in reversed(layers):
        declared = CATALOGUE[layer.type].output_activation if layer.type in CATALOGUE else "own"
        if declared == "passes":
            continue
        if declared != "own":
            return declared   # e.g. a recurrent layer's output is o·tanh(c) whatever its settings
        activation = layer.params.get("activation")
        if activation is None:
            return "linear"
        return str(activation)
    return "linear"


def infer_task(units: int | None, activation: str) -> str:
    """The task a last layer implies: softmax -> "multiclass"; sigmoid -> "binary" with 1 unit, else
    "multilabel"; any other activation -> "regression"."""
    if activation == "softmax":
        return "multiclass"
    if activation == "sigmoid":
        return "binary" if units == 1 else "multilabel"
    return "regression"


def choice_for_task(task: str, one_hot: bool = False) -> LossChoice:
    """The LossChoice for `task`: binary cross-entropy + sigmoid for "binary" and "multilabel",
    (sparse) categorical cross-entropy + softmax for "multiclass" (categorical when `one_hot`), mean
    squared error + linear with MAE for "regression".

    Raises SpecError for an unknown task.
    """
    if task not in TASKS:
        from desktop_dl.core.errors import SpecError
        raise SpecError(_("Unknown task {task!r}; expected one of {tasks}.", task=task,
                          tasks=", ".join(TASKS)))
    rule = rule_text(task)
    if task == "binary":
        return LossChoice("binary_crossentropy", ["accuracy"], 1, "sigmoid", rule, task)
    if task == "multiclass":
        loss = "categorical_crossentropy" if one_hot else "sparse_categorical_crossentropy"
        return LossChoice(loss, ["accuracy"], None, "softmax", rule, task)
    if task == "multilabel":
        return LossChoice("binary_crossentropy", ["binary_accuracy"], None, "sigmoid", rule, task)
    return LossChoice("mse", ["mae"], None, "linear", rule, task)


def check_loss(loss: str, units: int | None, activation: str, last_name: str) -> str | None:
    """A learner's message when `loss` does not fit an output of `units` × `activation`."""
    out = f"{last_name}({units}, {activation})" if units is not None else f"{last_name} ({activation})"
    if loss == "binary_crossentropy":
        if activation != "sigmoid":
            return _("binary_crossentropy needs sigmoid outputs, but the model ends with {out} — "
                     "use Dense(1, sigmoid) for yes/no labels. Rule: {rule}", out=out,
                     rule=rule_text("binary"))
    elif loss in ("sparse_categorical_crossentropy", "categorical_crossentropy"):
        if activation != "softmax" or (units is not None and units < 2):
            return _("{loss} needs softmax over at least 2 units (one per class), but the model "
                     "ends with {out} — use Dense(number of classes, softmax), or "
                     "binary_crossentropy for one sigmoid unit. Rule: {rule}", loss=loss, out=out,
                     rule=rule_text("multiclass"))
    elif loss in REGRESSION_LOSSES:
        if activation == "softmax":
            return _("{loss} compares numbers, but the model ends with {out}, whose outputs always "
                     "add up to 1 — use a linear output for regression, or a crossentropy loss "
                     "for classes. Rule: {rule}", loss=loss, out=out, rule=rule_text("regression"))
    return None

