"""Which loss an actual model gets, and whether its output fits a dataset.

The rules themselves (task → output layer, loss and metrics) are plain tables in
`core.losses`; this module applies them to a whole spec, which needs shape inference
(`core.shapes`), so it sits above both and keeps `losses` free of a cycle back to `shapes`.
"""
from __future__ import annotations

from desktop_dl.core.i18n import _
from desktop_dl.core.losses import LossChoice, choice_for_task, infer_task, output_activation, rule_text
from desktop_dl.core.shapes import analyse
from desktop_dl.core.spec import ModelSpec

def resolve_loss(spec_or_last_layer, task: str | None = None, one_hot: bool = False,
                 output_units: int | None = None) -> LossChoice:
    """The loss and metrics to compile with.

    `spec_or_last_layer` is a ModelSpec (its compile settings win over the rules when they are
    not "auto") or the last LayerSpec. With `task` None the task is inferred from the output
    layer: softmax → multiclass, one sigmoid unit → binary, several → multilabel, else
    regression.
    """
    if isinstance(spec_or_last_layer, ModelSpec):
        spec = spec_or_last_layer
        layers = spec.layers
        if output_units is None:
            output_units = _output_units(spec)
    else:
        spec = None
        layers = [spec_or_last_layer]
        if output_units is None:
            output_units = spec_or_last_layer.params.get("units")
    activation = output_activation(layers)
    if task is None:
        task = infer_task(output_units, activation)
    choice = choice_for_task(task, one_hot)
    if spec is not None:
        loss = choice.loss if spec.compile.loss in ("", "auto") else spec.compile.loss
        metrics = list(spec.compile.metrics)
        if not metrics or "auto" in metrics:
            metrics = [m for m in metrics if m != "auto"]
            metrics = choice.metrics + [m for m in metrics if m not in choice.metrics]
        choice = LossChoice(loss, metrics, choice.output_units, choice.output_activation,
                            choice.rule, task)
    return choice

def _output_units(spec) -> int | None:
    shape = analyse(spec).output_shape
    return shape[-1] if shape and len(shape) > 1 else None

def check_output_for_task(spec, task: str, num_classes: int | None = None,
                          num_targets: int = 1) -> str | None:
    """A learner's message when the spec's output layer does not fit the dataset's task.

    E.g. a 10-class dataset and a model ending in Dense(1, sigmoid). None when it fits (or when
    the output shape is unknown because of an earlier error, which analyse() reports itself).
    """
    shape = analyse(spec).output_shape
    if shape is None or not spec.layers:
        return None
    units = shape[-1] if len(shape) == 2 else None
    activation = output_activation(spec.layers)
    ends = f"{spec.layers[-1].type}({units}, {activation})" if units is not None else \
        _("an output of shape {shape}", shape=tuple(shape[1:]))
    if task == "binary":
        want_units, want_act, fix = 1, "sigmoid", "Dense(1, sigmoid)"
        what = _("two classes (yes/no)")
    elif task == "multiclass":
        want_units, want_act = num_classes, "softmax"
        fix = f"Dense({num_classes or _('number of classes')}, softmax)"
        what = _("{n} classes", n=num_classes) if num_classes else _("several classes")
    elif task == "multilabel":
        want_units, want_act = num_classes, "sigmoid"
        fix = f"Dense({num_classes or _('number of labels')}, sigmoid)"
        what = _("{n} labels that can be true together", n=num_classes) if num_classes else \
            _("several labels that can be true together")
    elif task == "regression":
        want_units, want_act = num_targets, None
        fix = _("Dense({n}) with a linear activation", n=num_targets)
        what = _("numbers to predict")
    else:
        choice_for_task(task)  # raises SpecError naming the known tasks
        return None
    wrong_units = units is None or (want_units is not None and units != want_units)
    wrong_act = (want_act is not None and activation != want_act) or \
        (want_act is None and activation in ("softmax", "sigmoid"))
    if wrong_units or wrong_act:
        return _("The dataset has {what}, but the model ends with {ends} — end with {fix}. "
                 "Rule: {rule}", what=what, ends=ends, fix=fix, rule=rule_text(task))
    return None
