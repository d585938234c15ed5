"""Chinese for the English content that comes from core data rather than from tr():
the catalogue's layer and parameter help, the output/loss rules, the built-in datasets' and the
templates' titles and descriptions.

Every function returns its input unchanged in English, and for anything it does not know (a
user's own dataset or spec). Layer texts come from core.explanations (one source for the
palette, the properties panel and the "What is this?" panel); datasets and templates from
resources/i18n/content_zh_CN.json, keyed by name.
"""
from __future__ import annotations

import json
from functools import lru_cache

from desktop_dl.core import explanations
from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.paths import resource
from desktop_dl.ui.base import i18n


def chinese() -> bool:
    return i18n.current_language() == i18n.CHINESE


@lru_cache(maxsize=1)
def _content() -> dict:
    try:
        return json.loads(resource("i18n", "content_zh_CN.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"datasets": {}, "templates": {}}


@lru_cache(maxsize=1)
def _catalogue_map() -> dict[str, str]:
    """English catalogue help text → Chinese, for every layer and parameter."""
    out: dict[str, str] = {}
    for name, layer_type in CATALOGUE.items():
        try:
            zh = explanations.layer_text(name, "zh_CN")
        except KeyError:
            continue
        out.setdefault(layer_type.help, zh.what)
        for param in layer_type.params:
            if zh.params.get(param.name):
                out.setdefault(param.help, zh.params[param.name])
    return out


def localise(text: str) -> str:
    """Any known core English text (layer/parameter help, a loss rule, a template's or built-in
    dataset's title or description) in the interface language."""
    if not chinese() or not text:
        return text
    hit = _catalogue_map().get(text)
    if hit is not None:
        return hit
    return explanations.translate_rule(_content_map().get(text, text), "zh_CN")


@lru_cache(maxsize=1)
def _content_map() -> dict[str, str]:
    """English dataset/template titles and descriptions → Chinese."""
    out: dict[str, str] = {}
    content = _content()
    try:
        from desktop_dl.core.templates import list_templates
        for info in list_templates():
            zh = content.get("templates", {}).get(info.name)
            if zh:
                out[info.title] = zh["title"]
                out[info.description] = zh["description"]
    except Exception:  # a damaged template folder is reported where templates are used
        pass
    from desktop_dl.core.datasets.registry import list_builtin
    for info in list_builtin():
        zh = content.get("datasets", {}).get(info.name)
        if zh:
            out[info.title] = zh["title"]
            out[info.description] = zh["description"][0]
    return out


def dataset_description(dataset) -> str:
    """A loaded dataset's description (built-in datasets describe themselves at more length
    than their registry entry)."""
    text = getattr(dataset, "description", "") or ""
    if not chinese():
        return text
    zh = _content().get("datasets", {}).get(getattr(dataset, "name", ""))
    if zh and text not in _content_map():
        return zh["description"][-1]
    return localise(text)


def layer_help(layer_type) -> str:
    return localise(layer_type.help)


def param_label(name: str) -> str | None:
    """In Chinese the Keras keyword itself (units, kernel_size), as in Keras code; None in
    English (the caller keeps its own readable label)."""
    return name if chinese() else None


def layer_tooltip(type_name: str) -> str:
    return explanations.tooltip(type_name, i18n.current_language())


def rule(task: str, english: str) -> str:
    return explanations.rule_text(task, "zh_CN") if chinese() else english
