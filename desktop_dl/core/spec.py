"""The model spec: what the user built, as plain data, saved as versioned JSON.

A spec is an input shape, an ordered list of layers (catalogue type + parameter values) and the
compile settings. It knows nothing of Keras; `desktop_dl.engine.keras_build` turns it into a model
and `desktop_dl.core.shapes` computes its shapes and parameter counts without Keras.
"""
from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_dl.core.errors import SpecError

SPEC_FORMAT = "desktop_dl.model_spec"
SPEC_VERSION = 1

Shape = tuple  # e.g. (28, 28, 1); None marks a free dimension (a sequence of any length)


def new_uid() -> str:
    return uuid.uuid4().hex[:12]


@dataclass
class LayerSpec:
    type: str                       # catalogue name, e.g. "Dense"
    params: dict[str, Any] = field(default_factory=dict)
    uid: str = field(default_factory=new_uid)  # stable identity for views and undo commands

    def copy(self, fresh_uid: bool = False) -> "LayerSpec":
        return LayerSpec(self.type, copy.deepcopy(self.params), new_uid() if fresh_uid else self.uid)

    def to_dict(self) -> dict:
        return {"type": self.type, "params": copy.deepcopy(self.params)}


@dataclass
class CompileSpec:
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    loss: str = "auto"              # "auto" follows the output rules (see core.losses)
    metrics: list[str] = field(default_factory=lambda: ["auto"])

    def to_dict(self) -> dict:
        return {"optimizer": self.optimizer, "learning_rate": self.learning_rate,
                "loss": self.loss, "metrics": list(self.metrics)}


@dataclass
class ModelSpec:
    input_shape: Shape
    layers: list[LayerSpec] = field(default_factory=list)
    compile: CompileSpec = field(default_factory=CompileSpec)
    name: str = "model"
    description: str = ""
    input_dtype: str = "float32"    # "int32" for token ids feeding an Embedding

    def copy(self) -> "ModelSpec":
        return ModelSpec(tuple(self.input_shape), [l.copy() for l in self.layers],
                         CompileSpec(**self.compile.to_dict()), self.name, self.description,
                         self.input_dtype)

    # -- JSON ---------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {
            "format": SPEC_FORMAT,
            "version": SPEC_VERSION,
            "name": self.name,
            "description": self.description,
            "input": {"shape": list(self.input_shape), "dtype": self.input_dtype},
            "layers": [l.to_dict() for l in self.layers],
            "compile": self.compile.to_dict(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Any, source: str = "the spec") -> "ModelSpec":
        if not isinstance(data, dict):
            raise SpecError(f"{source} is not a model spec: expected a JSON object at the top.")
        if data.get("format") != SPEC_FORMAT:
            raise SpecError(f"{source} is not a desktop_dl model spec (no \"format\": \"{SPEC_FORMAT}\").")
        version = data.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise SpecError(f"{source} has no valid version number.")
        if version > SPEC_VERSION:
            raise SpecError(f"{source} was written by a newer desktop_dl (spec version {version}; "
                            f"this one reads up to {SPEC_VERSION}). Update the app to open it.")
        if version < 1:
            raise SpecError(f"{source} has an unknown spec version {version}.")
        try:
            inp = data["input"]
            shape = tuple(None if d is None else _positive_int(d) for d in inp["shape"])
            dtype = str(inp.get("dtype", "float32"))
            raw_layers = data.get("layers", [])
            if not isinstance(raw_layers, list):
                raise SpecError(f"{source}: \"layers\" must be a list.")
            layers = []
            for i, raw in enumerate(raw_layers):
                if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
                    raise SpecError(f"{source}: layer {i + 1} has no type.")
                params = raw.get("params", {})
                if not isinstance(params, dict):
                    raise SpecError(f"{source}: layer {i + 1} ({raw['type']}) has malformed parameters.")
                layers.append(LayerSpec(raw["type"], dict(params)))
            comp = data.get("compile")
            comp = {} if comp is None else comp
            if not isinstance(comp, dict):
                raise SpecError(f"{source}: \"compile\" must be an object.")
            metrics = comp.get("metrics", ["auto"])
            if isinstance(metrics, str):
                metrics = [metrics]
            compile_spec = CompileSpec(
                optimizer=str(comp.get("optimizer", "adam")),
                learning_rate=float(comp.get("learning_rate", 1e-3)),
                loss=str(comp.get("loss", "auto")),
                metrics=[str(m) for m in metrics],
            )
            if not shape:
                raise SpecError(f"{source}: the input shape is empty.")
            if not compile_spec.learning_rate > 0 or compile_spec.learning_rate == float("inf"):
                raise SpecError(f"{source}: the learning rate must be a positive number "
                                f"(it is {compile_spec.learning_rate}).")
            return cls(shape, layers, compile_spec, str(data.get("name", "model")),
                       str(data.get("description", "")), dtype)
        except SpecError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise SpecError(f"{source} is malformed ({_describe(exc)}).") from None

    @classmethod
    def from_json(cls, text: str, source: str = "the spec") -> "ModelSpec":
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise SpecError(f"{source} is not valid JSON ({exc}).") from None
        return cls.from_dict(data, source)

    @classmethod
    def load(cls, path: str | Path) -> "ModelSpec":
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise SpecError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        if len(raw) > 16 * 1024 * 1024:
            raise SpecError(f"{path.name} is too large to be a model spec ({len(raw) // 1024 // 1024} MB).")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SpecError(f"{path.name} is not a text file (not UTF-8), so not a model spec.") from None
        return cls.from_json(text, source=path.name)

    def save(self, path: str | Path) -> None:
        from desktop_dl.core.atomic_write import write_text_atomic
        write_text_atomic(Path(path), self.to_json() + "\n")


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"dimension {value!r} is not a positive whole number")
    return value


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc.args[0]!r}"
    return str(exc)
