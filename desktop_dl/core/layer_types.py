"""The building blocks of the layer catalogue: a parameter, a layer type, a shape rule's result.

Kept apart from the declarations (core/catalogue.py) and the shape rules (core/shape_rules.py) so
both can import them; `desktop_dl.core.catalogue` re-exports every name here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Param:
    """One Keras keyword argument of a layer type: its kind, default, bounds and help text.

    Kinds: "int", "float", "bool", "choice" (one of `choices`), "shape" (a list of ints),
    "int_or_pair" (an int or [h, w]) and "factor" (Keras's augmentation factor: a number f for
    the range −f..f, or a pair [lower, upper]); for the last three the bounds apply to each
    element (a "factor" number lies in 0..maximum, each end of a pair in −maximum..maximum).
    `unset` (non-empty) lets the value be None, Keras's own default, and says what None means.
    """
    name: str                 # the Keras keyword argument, e.g. "units"
    kind: str                 # "int" | "float" | "bool" | "choice" | "shape" | "int_or_pair" | "factor"
    default: Any
    help: str = ""
    minimum: float | None = None   # for "shape" / "int_or_pair": the bound of each element
    maximum: float | None = None
    choices: tuple = ()
    unset: str = ""           # what None means (e.g. "same as the height"); "": None not allowed
    unset_from: str = ""      # the parameter whose value None stands for (editors start from it)


class ShapeError(Exception):
    """A layer cannot take the shape it is given; the message is written for a learner."""


@dataclass(frozen=True)
class LayerOutput:
    """A shape rule's result: output shape without the batch (None: a free dimension) and the
    layer's trainable / non-trainable parameter counts."""
    shape: tuple              # without the batch dimension; None marks a free dimension
    trainable: int = 0
    non_trainable: int = 0


@dataclass(frozen=True)
class LayerType:
    """One catalogue entry: everything the app knows about a Keras layer class.

    The palette, property panel, validation, shape inference, Keras building, Python export and
    explanations are all driven by this one declaration.
    """
    name: str                 # the Keras class name, e.g. "Conv2D"
    group: str                # "core" | "convolution" | "pooling" | "recurrent" | "regularisation" | "augmentation"
    help: str
    params: tuple[Param, ...]
    # (input shape without batch, params[, source]) -> LayerOutput; raises ShapeError.
    # `source` names what feeds the layer ("Flatten", or None for the model input) so that the
    # message can say "Flatten gives a vector of 784"; it is optional.
    infer: Callable[..., LayerOutput] = field(compare=False, repr=False)
    # Everything else the app knows per layer, so adding a layer is one entry (each required):
    # How the layer shapes the model's output (core.losses.output_activation): "own" — its
    # `activation` param (linear without one); "passes" — the previous activation's meaning is
    # unchanged at prediction time (Dropout, Flatten, pooling, augmentation); or the activation
    # its outputs always have whatever its settings ("tanh": a recurrent layer's o·tanh(c)).
    output_activation: str = field(kw_only=True)
    # Keras arguments the exported Python script writes positionally, as the tutorials do.
    positional: tuple[str, ...] = field(kw_only=True)
    # The layer's short title in explanations, a str.format over its params ("Dense({units},
    # {activation})"); a (height, width) pair reads "3×3".
    title: str = field(kw_only=True)
    # Which breakdown of its parameter count core.layer_figures writes ("dense", "conv2d", ...).
    figures: str = field(kw_only=True)
    # Keras defaults of this layer that differ from the common ones codegen assumes (a
    # recurrent layer's activation is tanh), so the script omits exactly what Keras would set.
    keras_defaults: dict = field(kw_only=True, default_factory=dict, compare=False)

    def defaults(self) -> dict:
        """{param name: default value} for every parameter."""
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        """The parameter called `name`; raises KeyError when this layer has none."""
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def complete(self, params: dict) -> dict:
        """The given params with defaults filled in for the missing ones (no checking)."""
        out = self.defaults()
        out.update(params)
        return out
