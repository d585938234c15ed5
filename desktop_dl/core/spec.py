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

from desktop_dl.core.errors import SpecError, os_error_text
from desktop_dl.core.i18n import _

SPEC_FORMAT = "desktop_dl.model_spec"
SPEC_VERSION = 1

Shape = tuple  # e.g. (28, 28, 1); None marks a free dimension (a sequence of any length)


def new_uid() -> str:
    """A fresh 12-hex-digit identity for a LayerSpec (random; not derived from content)."""
    return uuid.uuid4().hex[:12]


@dataclass
class LayerSpec:
    """One layer of a model: its catalogue type, its Keras keyword arguments and a stable uid.

    `params` holds only what differs from or completes the catalogue's defaults; values are
    JSON types (lists for shapes and pairs). The uid survives edits, copies and undo.
    """
    type: str                       # catalogue name, e.g. "Dense"
    params: dict[str, Any] = field(default_factory=dict)
    uid: str = field(default_factory=new_uid)  # stable identity for views and undo commands

    def copy(self, fresh_uid: bool = False) -> "LayerSpec":
        """A deep copy; with `fresh_uid` a new identity (a pasted or duplicated layer)."""
        return LayerSpec(self.type, copy.deepcopy(self.params), new_uid() if fresh_uid else self.uid)

    def to_dict(self) -> dict:
        """JSON-able {"type", "params"} (the uid is session identity, not saved)."""
        return {"type": self.type, "params": copy.deepcopy(self.params)}


@dataclass
class CompileSpec:
    """How the model is compiled: optimizer name, learning rate (per step, unitless), loss and
    metrics; "auto" loss/metrics follow the output-layer rules of `core.losses`."""
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    loss: str = "auto"              # "auto" follows the output rules (see core.losses)
    metrics: list[str] = field(default_factory=lambda: ["auto"])

    def to_dict(self) -> dict:
        """JSON-able copy of the four fields."""
        return {"optimizer": self.optimizer, "learning_rate": self.learning_rate,
                "loss": self.loss, "metrics": list(self.metrics)}


@dataclass
class ModelSpec:
    """A whole Sequential model as data: what the editor edits, files store and Keras builds.

    `input_shape` is one sample's shape without the batch (e.g. (28, 28, 1); None marks a free
    dimension); `input_dtype` is "float32" or "int32" (token ids for an Embedding). Saved as
    versioned JSON; loading raises `SpecError` with a message for the user.
    """
    input_shape: Shape
    layers: list[LayerSpec] = field(default_factory=list)
    compile: CompileSpec = field(default_factory=CompileSpec)
    name: str = "model"
    description: str = ""
    input_dtype: str = "float32"    # "int32" for token ids feeding an Embedding

    def copy(self) -> "ModelSpec":
        """A deep copy with the same layer uids."""
        return ModelSpec(tuple(self.input_shape), [l.copy() for l in self.layers],
                         CompileSpec(**self.compile.to_dict()), self.name, self.description,
                         self.input_dtype)

    # -- JSON ---------------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """JSON-able dict with `format` and `version` (what `save` writes)."""
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
        """The spec as indented JSON text (UTF-8 safe, what `save` writes)."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Any, source: str | None = None) -> "ModelSpec":
        """A spec from a parsed JSON dict; raises SpecError naming the bad field (and `source`,
        a file name; default "the spec") for a learner."""
        source = source or _("the spec")
        _check_format(data, source)
        try:
            inp = data["input"]
            shape = tuple(None if d is None else _positive_int(d) for d in inp["shape"])
            dtype = str(inp.get("dtype", "float32"))
            layers = _layers_from(data.get("layers", []), source)
            compile_spec = _compile_from(data.get("compile"), source)
            if not shape:
                raise SpecError(_("{source}: the input shape is empty.", source=source))
            if not compile_spec.learning_rate > 0 or compile_spec.learning_rate == float("inf"):
                raise SpecError(_("{source}: the learning rate must be a positive number (it "
                                  "is {learning_rate}).",
                                  source=source, learning_rate=compile_spec.learning_rate))
            return cls(shape, layers, compile_spec, str(data.get("name", "model")),
                       str(data.get("description", "")), dtype)
        except SpecError:
            raise
        except (KeyError, TypeError, ValueError) as exc:
            raise SpecError(_("{source} is malformed ({describe}).",
                              source=source, describe=_describe(exc))) from None

    @classmethod
    def from_json(cls, text: str, source: str | None = None) -> "ModelSpec":
        """A spec from JSON text; raises SpecError for malformed, too large or too deep JSON."""
        source = source or _("the spec")
        from desktop_dl.core.limits import parse_json

        data = parse_json(text.encode("utf-8", "surrogatepass"), source, error=SpecError)
        return cls.from_dict(data, source)

    @classmethod
    def load(cls, path: str | Path) -> "ModelSpec":
        """A spec from a .json file; raises SpecError naming the file when it cannot be read or parsed.

        Only a regular file up to MAX_CONFIG_BYTES is read (never /dev/zero or a pipe)."""
        from desktop_dl.core.limits import MAX_CONFIG_BYTES, regular_file_size

        path = Path(path)
        size = regular_file_size(path, SpecError)        # never /dev/zero or a FIFO
        if size > MAX_CONFIG_BYTES:
            raise SpecError(_("{name} is too large to be a model spec ({value} MB).",
                              name=path.name, value=size // 1024 // 1024))
        try:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_CONFIG_BYTES + 1)
        except OSError as exc:
            raise SpecError(_("Cannot read {path}: {value}.", path=path, value=os_error_text(exc))) from None
        if len(raw) > MAX_CONFIG_BYTES:
            raise SpecError(_("{name} is too large to be a model spec.", name=path.name))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SpecError(_("{name} is not a text file (not UTF-8), so not a model spec.",
                              name=path.name)) from None
        return cls.from_json(text, source=path.name)

    def save(self, path: str | Path) -> None:
        """Write the spec as JSON to `path` atomically (no half-written file on failure)."""
        from desktop_dl.core.atomic_write import write_text_atomic
        write_text_atomic(Path(path), self.to_json() + "\n")


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(_("dimension {value!r} is not a positive whole number", value=value))
    return value


def _check_format(data: Any, source: str) -> None:
    """SpecError unless `data` is a dict naming this format and a version this app reads."""
    if not isinstance(data, dict):
        raise SpecError(_("{source} is not a model spec: expected a JSON object at the top.",
                          source=source))
    if data.get("format") != SPEC_FORMAT:
        raise SpecError(_("{source} is not a desktop_dl model spec (no \"format\": "
                          "\"{format}\").", source=source, format=SPEC_FORMAT))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SpecError(_("{source} has no valid version number.", source=source))
    if version > SPEC_VERSION:
        raise SpecError(_("{source} was written by a newer desktop_dl (spec version "
                          "{version}; this one reads up to {newest}). Update the app "
                          "to open it.",
                          source=source, version=version, newest=SPEC_VERSION))
    if version < 1:
        raise SpecError(_("{source} has an unknown spec version {version}.",
                          source=source, version=version))


def _layers_from(raw_layers: Any, source: str) -> list[LayerSpec]:
    """The LayerSpecs of a spec's "layers" list (fresh uids); SpecError naming the bad layer."""
    if not isinstance(raw_layers, list):
        raise SpecError(_("{source}: \"layers\" must be a list.", source=source))
    layers = []
    for i, raw in enumerate(raw_layers):
        if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
            raise SpecError(_("{source}: layer {number} has no type.",
                              source=source, number=i + 1))
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise SpecError(_("{source}: layer {number} ({type}) has malformed "
                              "parameters.", source=source, number=i + 1, type=raw["type"]))
        layers.append(LayerSpec(raw["type"], dict(params)))
    return layers


def _compile_from(comp: Any, source: str) -> CompileSpec:
    """The CompileSpec of a spec's "compile" object (None: the defaults)."""
    comp = {} if comp is None else comp
    if not isinstance(comp, dict):
        raise SpecError(_("{source}: \"compile\" must be an object.", source=source))
    metrics = comp.get("metrics", ["auto"])
    if isinstance(metrics, str):
        metrics = [metrics]
    return CompileSpec(
        optimizer=str(comp.get("optimizer", "adam")),
        learning_rate=float(comp.get("learning_rate", 1e-3)),
        loss=str(comp.get("loss", "auto")),
        metrics=[str(m) for m in metrics],
    )


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return _("missing {key!r}", key=exc.args[0])
    return str(exc)
