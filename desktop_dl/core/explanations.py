"""What each layer does, in the interface language, with the user's own numbers.

The words live in resources/explanations/layers.json, one field per language (what the layer does
to the tensor, when to use it, what each parameter means). `explain(spec, index)` adds the figures
of that layer in that model, e.g. for Dense(512) after Flatten: "784 inputs × 512 units = 401,408
weights, + 512 biases = 401,920 parameters; output shape (None, 512)"; those sentences are gettext
messages (core.i18n), like every other message made outside Qt. Every number shown comes from
`core.shapes.analyse` (the same analysis as the summary table): the breakdown only splits the
layer's reported parameter count into its parts, and is dropped if the parts do not add up.

Plain Python (no Qt).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache

from desktop_dl.core import i18n
from desktop_dl.core.catalogue import CATALOGUE, INPUT
from desktop_dl.core.i18n import _
from desktop_dl.core.shape_rules import batch_shape
from desktop_dl.core.layer_figures import figures as _figures
from desktop_dl.core.layer_figures import prod as _prod
from desktop_dl.core.layer_figures import shape_text as _shape
from desktop_dl.core.layer_figures import title as _title
from desktop_dl.core.layer_figures import value_text as _value
from desktop_dl.core.losses import rule_text  # noqa: F401  (re-exported: the UI's rule lookup)
from desktop_dl.paths import resource

ENGLISH, CHINESE = i18n.ENGLISH, i18n.CHINESE
LANGUAGES = i18n.LANGUAGES


def lang_of(lang: str | None) -> str:
    """One of LANGUAGES; None means the interface language."""
    return i18n.normalise(lang) or (i18n.current_language() if lang is None else ENGLISH)


@lru_cache(maxsize=1)
def _texts() -> dict:
    return json.loads(resource("explanations", "layers.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class LayerText:
    """A layer type's fixed help: what it does, when to use it, and what each parameter means."""
    what: str
    when: str
    params: dict[str, str]          # parameter name → what it means


def layer_text(type_name: str, lang: str | None = None) -> LayerText:
    """The fixed words for a catalogue layer type (KeyError for an unknown type), in `lang`
    (default: the interface language)."""
    lang = lang_of(lang)
    entry = _texts()["layers"][type_name]
    common = _texts()["params"][lang]
    own = entry.get("params", {}).get(lang, {})
    names = [p.name for p in CATALOGUE[type_name].params]
    return LayerText(entry[lang]["what"], entry[lang]["when"],
                     {n: own.get(n, common.get(n, "")) for n in names})


def layer_help(type_name: str, lang: str | None = None) -> str:
    """What the layer does, in one or two sentences (the catalogue's help for unknown types)."""
    try:
        return layer_text(type_name, lang).what
    except KeyError:
        return CATALOGUE[type_name].help if type_name in CATALOGUE else ""


def param_help(type_name: str, param: str, lang: str | None = None) -> str:
    """What a parameter means ("" when unknown)."""
    try:
        return layer_text(type_name, lang).params.get(param, "")
    except KeyError:
        return ""


def tooltip(type_name: str, lang: str | None = None) -> str:
    """What the layer does and when to use it: for the palette's tooltips."""
    try:
        text = layer_text(type_name, lang)
    except KeyError:
        return CATALOGUE[type_name].help if type_name in CATALOGUE else ""
    return f"{text.what}\n\n{text.when}"


@dataclass
class Explanation:
    """The explanation panel's content for one layer: fixed help plus the user's own figures (shapes
    with the batch first as None, parameter counts) and the layer's error, if any."""
    type: str
    title: str                          # e.g. "Dense(512, relu)"
    what: str
    when: str
    params: list[tuple[str, str, str]]  # (name, value as shown, meaning)
    figures: list[str]                  # the user's own numbers, one sentence each
    error: str | None = None
    input_shape: tuple | None = None    # with the batch first (None), from the analysis
    output_shape: tuple | None = None
    parameters: int | None = None       # trainable + non-trainable, from the analysis
    headings: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The whole explanation as plain text: title, what, when, the figures, the problem (if any)
        and the parameters, in blank-line separated sections headed by `headings`."""
        h = self.headings
        parts = [self.title, self.what, h["when"] + self.when]
        if self.figures:
            parts.append(h["numbers"] + "\n" + "\n".join(self.figures))
        if self.error:
            parts.append(h["problem"] + self.error)
        if self.params:
            parts.append(h["params"] + "\n" + "\n".join(f"{n} = {v}{h['colon']}{t}"
                                                         for n, v, t in self.params))
        return "\n\n".join(parts)

    def __str__(self) -> str:
        return self.text


def _headings() -> dict:
    return {"when": _("When to use it: "), "numbers": _("In this model:"),
            "problem": _("Problem: "), "params": _("Parameters:"), "colon": _(": ")}


def explain(spec, index: int | None, lang: str | None = None, analysis=None) -> Explanation:
    """The explanation of layer `index` of `spec` (None: the Input row) with its real figures,
    in `lang` (default: the interface language).

    `analysis` may be passed when the caller already has `analyse(spec)` (the editor does).
    """
    with i18n.language(lang) as lang:
        return _explain(spec, index, lang, analysis)


def _explain(spec, index, lang, analysis) -> Explanation:
    from desktop_dl.core.shapes import analyse
    analysis = analysis if analysis is not None else analyse(spec)
    if index is None:
        return _explain_input(spec, analysis, lang)
    layer = spec.layers[index]
    report = analysis.layers[index]
    layer_type = CATALOGUE.get(layer.type)
    if layer_type is None:
        return Explanation(layer.type, layer.type, "", "", [], [], report.error,
                           headings=_headings())
    text = layer_text(layer.type, lang)
    params = {**layer_type.defaults(), **layer.params}
    shown = [(p.name, _value(params.get(p.name)), text.params.get(p.name, "")) for p in layer_type.params]
    in_shape = analysis.input_shape if index == 0 else analysis.layers[index - 1].output_shape
    out = report.output_shape
    figures: list[str] = []
    if out is not None and in_shape is not None and report.error is None:
        try:
            figures = _figures(layer.type, params, in_shape, out, report)
        except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError):
            figures = []    # a value analyse() accepted but the breakdown cannot read: no figures
    return Explanation(layer.type, _title(layer.type, params), text.what, text.when, shown,
                       figures, report.error, in_shape, out, report.params if out else None,
                       _headings())


def _explain_input(spec, analysis, lang) -> Explanation:
    text = layer_text(INPUT, lang)
    shape = tuple(spec.input_shape)
    shown = [("shape", _shape(shape), text.params.get("shape", "")),
             ("dtype", spec.input_dtype, text.params.get("dtype", ""))]
    figures = []
    if analysis.input_shape is not None:
        n = _prod(shape)
        size = _(" = {n:,} values", n=n) if n and len(shape) > 1 else ""
        batch = batch_shape(shape, free="None")
        figures = [_("One sample: a rank-{rank} tensor of shape {shape}{size}, dtype {dtype}",
                     rank=len(shape), shape=_shape(shape), size=size, dtype=spec.input_dtype),
                   _("The model receives a batch: {batch}, which Keras writes {keras}",
                     batch=batch, keras=_shape(analysis.input_shape))]
    problems = analysis.problems_for(None)
    return Explanation(INPUT, f"Input{_shape(shape)}", text.what, text.when, shown, figures,
                       problems[0] if problems else None, None, analysis.input_shape, 0,
                       _headings())
