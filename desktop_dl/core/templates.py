"""The tutorials' networks as ready-made specs: resources/templates/<name>.json.

Each file is an ordinary model spec plus a `title` (and optionally the built-in `dataset` it was
made for, and `default_for_drawing: true` on the one the Draw tab trains with one click); the
file stem is the template's name.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from desktop_dl.core.errors import SpecError
from desktop_dl.core.spec import ModelSpec
from desktop_dl.paths import resource
from desktop_dl.core.i18n import _

# The order the picker shows: simplest first, then by kind of data.
_ORDER = ("linear-unit", "mnist-dense", "mnist-dropout", "mnist-batchnorm", "mnist-cnn",
          "separable-cnn", "digits-drawing", "imdb-binary", "lstm-classifier", "gru-classifier",
          "tabular-regression", "tabular-binary")


@dataclass(frozen=True)
class TemplateInfo:
    """A model template as listed: name (file stem), title and description in the interface
    language, the built-in dataset it was made for (if any), and whether it is the Draw tab's digit
    model."""
    name: str
    title: str
    description: str
    dataset: str | None = None     # the built-in dataset it was made for, if any
    default_for_drawing: bool = False   # the Draw tab's one-click digit model


def templates_dir() -> Path:
    """The folder of the bundled model templates (<resources>/templates)."""
    return resource("templates")


def _paths() -> dict[str, Path]:
    folder = templates_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in folder.glob("*.json")}


def _sort_key(name: str):
    return (_ORDER.index(name) if name in _ORDER else len(_ORDER), name)


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpecError(_("The template file {name} cannot be read ({exc}).",
                          name=path.name, exc=exc)) from None
    if not isinstance(data, dict):
        raise SpecError(_("The template file {name} is not a model spec.", name=path.name))
    return data


def list_templates() -> list[TemplateInfo]:
    """Every bundled template, in the menus' order (a fixed list first, then by name), with
    titles and descriptions in the interface language."""
    out = []
    for name in sorted(_paths(), key=_sort_key):
        data = _read(_paths()[name])
        # The bundled templates' titles and descriptions are in the gettext catalogs
        # (update_catalogs.py extracts them from these files): shown in the interface language.
        out.append(TemplateInfo(name, _(str(data.get("title", name))),
                                _(str(data.get("description", ""))), data.get("dataset"),
                                data.get("default_for_drawing") is True))
    return out


# What `desktop-dl train` uses when neither the template nor the command line says otherwise.
TRAINING_DEFAULTS = {"epochs": 5, "batch_size": 64, "schedule": "none"}
# The learning-rate schedules a run can use (engine/schedules.py builds them).
SCHEDULES = ("none", "step", "cosine", "plateau")


def template_training(name: str | None) -> dict:
    """{"epochs", "batch_size", "schedule"}: the template's own `training` block over
    TRAINING_DEFAULTS (a template with augmentation needs more epochs than one without, and
    settles better with the rate decayed to zero at the end). Values of the wrong kind are
    ignored, so a hand-edited template still trains with the defaults."""
    out = dict(TRAINING_DEFAULTS)
    path = _paths().get(name) if name else None
    if path is not None:
        block = _read(path).get("training") or {}
        for key in ("epochs", "batch_size"):
            value = block.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                out[key] = value
        if block.get("schedule") in SCHEDULES:
            out["schedule"] = block["schedule"]
    return out


def drawing_template_name() -> str:
    """The template the Draw tab trains with one click (the one marked default_for_drawing);
    SpecError when none is."""
    for info in list_templates():
        if info.default_for_drawing:
            return info.name
    raise SpecError(_("No template is marked \"default_for_drawing\": the Draw tab has no "
                      "digit model to train. Reinstall the app to restore its templates."))


def template_names() -> list[str]:
    """The template names (file stems): a fixed list first, then the others by name."""
    return sorted(_paths(), key=_sort_key)


def template_info(name: str) -> TemplateInfo:
    """The TemplateInfo of template `name`. Raises SpecError when there is none."""
    for info in list_templates():
        if info.name == name:
            return info
    raise SpecError(_unknown(name))


def load_template(name: str) -> ModelSpec:
    """The template's spec (fresh layer uids each time); SpecError for an unknown name."""
    path = _paths().get(name)
    if path is None:
        raise SpecError(_unknown(name))
    spec = ModelSpec.from_dict(_read(path), source=_("template {name!r}", name=name))
    spec.name = name
    spec.description = _(spec.description)
    return spec


def _unknown(name: str) -> str:
    names = template_names()
    return (_("No template named {name!r}. Known templates: {names}.",
              name=name, names=", ".join(names))
            if names else _("No template named {name!r}, and no templates are installed.",
                            name=name))
