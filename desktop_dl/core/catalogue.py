"""The layer catalogue: each Keras layer the app offers, declared once as data.

The palette, the property panel, validation, shape inference, Keras building and Python export
are all driven by these declarations (see ../shared/STYLE.md §5). Adding a layer means adding one
entry here (and its test), not editing five files.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Param:
    name: str                 # the Keras keyword argument, e.g. "units"
    kind: str                 # "int" | "float" | "bool" | "choice" | "shape" | "int_or_pair"
    default: Any
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple = ()


class ShapeError(Exception):
    """A layer cannot take the shape it is given; the message is written for a learner."""


@dataclass(frozen=True)
class LayerOutput:
    shape: tuple              # without the batch dimension; None marks a free dimension
    trainable: int = 0
    non_trainable: int = 0


@dataclass(frozen=True)
class LayerType:
    name: str                 # the Keras class name, e.g. "Conv2D"
    group: str                # "core" | "convolution" | "pooling" | "recurrent" | "regularisation" | "augmentation"
    help: str
    params: tuple[Param, ...]
    # (input shape without batch, params) -> LayerOutput; raises ShapeError
    infer: Callable[[tuple, dict], LayerOutput] = field(compare=False, repr=False)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)


GROUPS = ("core", "convolution", "pooling", "recurrent", "regularisation", "augmentation")
ACTIVATIONS = ("relu", "sigmoid", "softmax", "tanh", "elu", "gelu", "linear")

CATALOGUE: dict[str, LayerType] = {}
