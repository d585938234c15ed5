"""Lessons: one-click set-ups of the tutorials' exercises (resources/lessons/*.json).

A lesson is a template, a built-in dataset, training settings and a short text in English and
Chinese; some have several runs to compare (dropout vs none, optimizers, learning rates), each a
variant of the same set-up. `lesson_setup(lesson, run)` gives the model spec (input shaped for
the dataset), the dataset and the run settings (a TrainSettings dict: core does not import the
engine); the lesson's optimizer and learning rate go into the spec's compile settings. Built-in data only: every lesson runs without a network.
"""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from desktop_dl.core.errors import UserError
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.paths import resource
from desktop_dl.core.i18n import _

LESSON_FORMAT = "desktop_dl.lesson"


class LessonError(UserError):
    """A lesson file that cannot be used (only a broken installation causes this)."""


@dataclass(frozen=True)
class LessonRun:
    """One run of a lesson: its label per language ({"en": …, "zh_CN": …}) and what it changes from
    the lesson's settings, template or whole layer list."""
    label: dict                         # {"en": ..., "zh_CN": ...}
    settings: dict = field(default_factory=dict)   # overrides of the lesson's settings
    template: str | None = None         # another template for this run
    layers: tuple | None = None         # this run's whole layer list: ({"type", "params"}, ...)


@dataclass(frozen=True)
class Lesson:
    """A guided lesson read from its JSON file: title and text per language, the dataset, template
    and training settings, and its runs."""
    name: str                           # the file stem, e.g. "04-dropout"
    title: dict
    text: dict
    dataset: str
    template: str
    settings: dict
    runs: tuple[LessonRun, ...]

    def title_in(self, lang: str) -> str:
        """The title in `lang` (Chinese for "zh…" when there is one, else English)."""
        return _pick(self.title, lang)

    def text_in(self, lang: str) -> str:
        """The lesson text in `lang` (Chinese for "zh…" when there is one, else English)."""
        return _pick(self.text, lang)

    def run_label(self, index: int, lang: str) -> str:
        """Run `index`'s label in `lang` ("" when it has none). IndexError for a run that does not
        exist."""
        return _pick(self.runs[index].label, lang) if self.runs[index].label else ""


@dataclass
class LessonSetup:
    """What one lesson run needs to start: the model spec, the dataset, the training settings (for
    TrainSettings.from_dict) and the run's label in the user's language ("" for a lone run)."""
    spec: ModelSpec
    dataset: object                     # core.datasets Dataset
    settings: dict                      # for engine.trainer.TrainSettings.from_dict
    label: str                          # the run's name in the user's language ("" for one run)


def _pick(texts: dict, lang: str) -> str:
    if lang and lang.replace("-", "_").lower().startswith("zh") and texts.get("zh_CN"):
        return texts["zh_CN"]
    return texts.get("en", "")


def lessons_dir() -> Path:
    """The folder of the bundled lesson files (<resources>/lessons)."""
    return resource("lessons")


@lru_cache(maxsize=1)
def list_lessons() -> tuple[Lesson, ...]:
    """Every lesson, in file-name order (the files are numbered)."""
    return tuple(_load(path) for path in sorted(lessons_dir().glob("*.json")))


def get_lesson(name: str) -> Lesson:
    """The lesson whose file stem is `name`. Raises LessonError when there is none."""
    for lesson in list_lessons():
        if lesson.name == name:
            return lesson
    raise LessonError(_("There is no lesson called {name!r}.", name=name))


def _load(path: Path) -> Lesson:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != LESSON_FORMAT:
            raise ValueError(_("not a lesson file"))
        runs = tuple(LessonRun(r.get("label", {}), dict(r.get("settings", {})),
                               r.get("template"),
                               tuple(r["layers"]) if "layers" in r else None)
                     for r in data.get("runs", [{}]))
        return Lesson(path.stem, data["title"], data["text"], data["dataset"], data["template"],
                      dict(data.get("settings", {})), runs)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LessonError(_("The lesson file {name} is damaged ({exc}); reinstall desktop_dl.",
                            name=path.name, exc=exc)) from None


def lesson_setup(lesson: Lesson, run: int = 0, lang: str = "en", dataset=None) -> LessonSetup:
    """Spec, dataset and settings for run `run` of `lesson`. Pass `dataset` to reuse a loaded one."""
    from desktop_dl.core.datasets.registry import load_dataset
    from desktop_dl.core.templates import load_template

    variant = lesson.runs[run]
    if dataset is None:
        dataset = load_dataset(lesson.dataset)
    spec = load_template(variant.template or lesson.template)
    if variant.layers is not None:
        spec.layers = [LayerSpec(item["type"], copy.deepcopy(item.get("params", {})))
                       for item in variant.layers]
        spec.description = lesson.title_in(lang)   # the template's own words no longer fit
    spec.input_shape = tuple(dataset.input_shape)
    if dataset.kind == "sequence" and spec.layers and spec.layers[0].type == "Embedding":
        spec.input_dtype = "int32"
    label = lesson.run_label(run, lang)
    if label:   # the run history lists runs by spec name: say which variant this one is
        spec.name = f"{spec.name} · {label}"
    settings = {**lesson.settings, **variant.settings}
    # The optimizer and learning rate belong to the model (one home for what runs): the lesson's
    # choice goes into the spec, and the run settings say "from the model".
    if settings.get("optimizer"):
        spec.compile.optimizer = str(settings["optimizer"])
    if settings.get("learning_rate"):
        spec.compile.learning_rate = float(settings["learning_rate"])
    settings.update(optimizer=None, learning_rate=None)
    return LessonSetup(spec, dataset, settings, label)
