"""Checks with messages a learner can act on: parameter values, and rules across layers.

`check_params` looks at one layer's values against its catalogue declaration; `check_model`
adds the problems that need the whole stack (Embedding placement, softmax over one unit, the
loss against the output layer). `core.shapes.analyse` runs both with the shape pass.
"""
from __future__ import annotations

import math
from typing import Any

from desktop_dl.core.catalogue import (ACTIVATIONS, CATALOGUE, INPUT, INPUT_DTYPES, LayerType, Param,
                                       describe_shape)
from desktop_dl.core.i18n import _
from desktop_dl.core.losses import check_loss, output_activation


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v: Any) -> bool:
    """A finite int or float; a whole number too large for a float (10**400 in a hand-edited
    file) is not one: math.isfinite would raise OverflowError on it."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return False
    try:
        return math.isfinite(v)
    except OverflowError:
        return False


def _range_text(p: Param) -> str:
    if p.minimum is not None and p.maximum is not None:
        return _("from {low} to {high}", low=_num(p.minimum), high=_num(p.maximum))
    if p.minimum is not None:
        return _("at least {low}", low=_num(p.minimum))
    return _("at most {high}", high=_num(p.maximum))


def _num(v) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _in_range(p: Param, v) -> bool:
    return (p.minimum is None or v >= p.minimum) and (p.maximum is None or v <= p.maximum)


def _check_factor(where: str, p: Param, v: Any) -> str | None:
    """A Keras augmentation factor: f (the range −f..f) or [lower, upper]; None when `p.unset`."""
    if v is None and p.unset:
        return None
    high = p.maximum if p.maximum is not None else math.inf
    if _is_number(v) and 0 <= v <= high:
        return None
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(_is_number(x) for x in v) \
            and -high <= v[0] <= v[1] <= high:
        return None
    return _("{where} must be a number from 0 to {high} (the range minus to plus that number) or "
             "a pair [lower, upper] with each end from -{high} to {high} (it is {value!r}).",
             where=where, high=_num(high), value=v)


def check_value(layer: str, p: Param, v: Any) -> str | None:
    """None when `v` is a valid value of `p`, else a message naming the layer and parameter."""
    where = f"{layer}: {p.name}"
    if p.kind == "int":
        if not _is_int(v) or not _in_range(p, v):
            return _("{where} must be a whole number {range} (it is {value!r}).", where=where,
                     range=_range_text(p), value=v)
    elif p.kind == "float":
        if not _is_number(v) or not _in_range(p, v):
            return _("{where} must be a number {range} (it is {value!r}).", where=where,
                     range=_range_text(p), value=v)
    elif p.kind == "bool":
        if not isinstance(v, bool):
            return _("{where} must be true or false (it is {value!r}).", where=where, value=v)
    elif p.kind == "choice":
        if v not in p.choices:
            return _("{where} must be one of {choices} (it is {value!r}).", where=where,
                     choices=", ".join(map(str, p.choices)), value=v)
    elif p.kind == "factor":
        return _check_factor(where, p, v)
    elif p.kind == "int_or_pair":
        items = list(v) if isinstance(v, (list, tuple)) else [v]
        if len(items) not in (1, 2) or (isinstance(v, (list, tuple)) and len(items) != 2) or \
                not all(_is_int(x) and _in_range(p, x) for x in items):
            return _("{where} must be a whole number or a pair (height, width) of whole numbers "
                     "{range} (it is {value!r}).", where=where, range=_range_text(p), value=v)
    elif p.kind == "shape":
        free_ok = layer == INPUT  # a free (None) size: sequences of any length
        if not isinstance(v, (list, tuple)) or not v or not all(
                (x is None and free_ok) or (_is_int(x) and _in_range(p, x) and x != 0)
                for x in v):
            extra = _(" or empty for any length") if free_ok else \
                _(" (one of them may be -1)") if (p.minimum or 0) < 0 else ""
            return _("{where} must be a list of sizes, each a whole number {range}{extra} "
                     "(it is {value!r}).", where=where, range=_range_text(p), extra=extra, value=v)
    return None


def check_params(layer_type: LayerType, params: dict) -> tuple[dict, list[str]]:
    """(params with defaults filled in, messages for unknown names and invalid values)."""
    errors = []
    known = {p.name for p in layer_type.params}
    for name in params:
        if name not in known:
            names = ", ".join(sorted(known)) or _("none")
            errors.append(_("{layer} has no parameter {name!r} (its parameters: {names}).",
                            layer=layer_type.name, name=name, names=names))
    full = layer_type.complete({k: v for k, v in params.items() if k in known})
    for p in layer_type.params:
        message = check_value(layer_type.name, p, full[p.name])
        if message:
            errors.append(message)
    return full, errors


def check_input(spec) -> list[str]:
    """Messages for what is wrong with the spec's input: its shape (as the Input layer's "shape"
    parameter is checked) and its dtype (one of INPUT_DTYPES); [] when both are right."""
    errors = []
    message = check_value(INPUT, CATALOGUE[INPUT].param("shape"), list(spec.input_shape))
    if message:
        errors.append(message)
    if spec.input_dtype not in INPUT_DTYPES:
        errors.append(_("Input: dtype must be one of {dtypes} (it is {dtype!r}).",
                        dtypes=", ".join(INPUT_DTYPES), dtype=spec.input_dtype))
    return errors


def check_model(spec, reports) -> list[tuple[int | None, str]]:
    """Problems across layers: (layer index or None for the whole model, message)."""
    problems: list[tuple[int | None, str]] = []
    layers = spec.layers
    for i, layer in enumerate(layers):
        if layer.type == "Embedding":
            if i > 0:
                problems.append((i, _("Embedding must be the first layer (it turns token ids "
                                      "into vectors), but here it follows {previous} — move it to "
                                      "the top.", previous=layers[i - 1].type)))
            elif spec.input_dtype != "int32":
                problems.append((i, _("Embedding needs whole-number token ids, but the input is "
                                      "{dtype} — set the input dtype to int32.",
                                      dtype=spec.input_dtype)))
        activation = layer.params.get("activation")
        shape = reports[i].output_shape
        if activation == "softmax" and shape is not None and shape[-1] == 1:
            problems.append((i, _("softmax over one unit always outputs 1.0, so {layer} cannot "
                                  "learn anything — use sigmoid for a yes/no output, or softmax "
                                  "over one unit per class.", layer=layer.type)))
    if layers and spec.input_dtype == "int32" and layers[0].type != "Embedding":
        problems.append((0, _("The input holds int32 token ids, which only an Embedding can "
                              "take — put an Embedding first or set the input dtype to float32.")))
    last = reports[-1] if reports else None
    loss = spec.compile.loss
    if last is not None and last.output_shape is not None and loss not in ("", "auto"):
        units = last.output_shape[-1] if len(last.output_shape) > 1 else None
        message = check_loss(loss, units, output_activation(layers), layers[-1].type)
        if message:
            problems.append((len(layers) - 1, message))
    return problems


def model_hints(spec, reports) -> list[tuple[int | None, str]]:
    """Advice that is not an error: the model builds and trains, but probably not as meant."""
    hints: list[tuple[int | None, str]] = []
    shape = tuple(spec.input_shape)
    for i, (layer, report) in enumerate(zip(spec.layers, reports)):
        if layer.type == "Dense" and shape is not None and len(shape) >= 3:
            hints.append((i, _("Dense on an image works on each pixel's channels separately; "
                               "add Flatten (or GlobalAveragePooling2D) before it to connect the "
                               "whole image.")))
        shape = None if report.output_shape is None else report.output_shape[1:]
    if reports and reports[-1].output_shape is not None and len(reports[-1].output_shape) > 2:
        last = reports[-1]
        hints.append((last.index, _("The model's output is not a vector but {shape}; "
                                    "classifiers and regressors end with Flatten or global "
                                    "pooling and a Dense output layer.",
                                    shape=describe_shape(last.output_shape[1:]))))
    if spec.layers and spec.layers[-1].type == "Dropout":
        hints.append((len(spec.layers) - 1, _("Dropout as the last layer drops outputs, not "
                                              "features — put it before the output layer.")))
    return hints


__all__ = ["check_value", "check_params", "check_input", "check_model", "model_hints",
           "ACTIVATIONS"]
