"""The one path every training run takes: `prepare_run` checks and splits, `execute` trains and
saves. Used by `desktop-dl train`, the Train tab's worker process, the default digit model and
the lessons; nothing else splits, checks or calls the Trainer.

    plan = prepare_run(spec, dataset, settings)       # no TensorFlow; RunCheckError on a mismatch
    outcome = execute(plan, listener, control)         # Keras fit, then the run folder

`prepare_run` imports no TensorFlow, so a GUI can call it (in a job thread) and refuse a run at
once; `execute` imports Keras when it trains. The split is the dataset's own `split_options`
(chosen on the Data tab, or with --validation-split/--test-split): the one place it is set.
The optimizer and learning rate are the spec's: a `settings.optimizer`/`learning_rate` override
(CLI flags, old project files) is written into the plan's spec, so the spec in history.json is
what ran.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_dl.core.errors import UserError
from desktop_dl.core import run_checks
from desktop_dl.engine.trainer import TrainingError, TrainResult, TrainSettings, check_settings
from desktop_dl.core.i18n import _

log = logging.getLogger(__name__)


@dataclass
class RunPlan:
    """A run that passed every check: what trains, on what, how. Picklable (it crosses the pipe
    to the worker process). Arrays in `splits` are float32 inputs and int32/float32 targets."""
    spec: Any                           # core.spec.ModelSpec, compile settings as they will run
                                        # (None when a Keras model trains: fine-tuning)
    settings: TrainSettings
    splits: Any                         # core.datasets.splits.Splits
    task: str                           # binary | multiclass | multilabel | regression
    class_names: list[str]
    dataset_info: dict                  # name, title, kind, preprocessing, sizes, split (for history.json)
    split_options: dict                 # {"validation", "test", "seed"} the split was made with
    notes: list[str] = field(default_factory=list)   # things the user should know (not errors)
    folder: Path | None = None          # run folder; execute() makes a new one when None
    model: Any = None                   # a keras.Model to train instead of building `spec`

    def sizes(self) -> dict[str, int]:
        """Sample counts of the split: {"train", "validation", "test"} (ints)."""
        return self.splits.sizes()


@dataclass
class RunOutcome:
    """What execute() returns: the TrainResult, the run folder's RunFiles and the plan that ran."""
    result: TrainResult
    files: Any                          # engine.run_folder.RunFiles
    plan: RunPlan


class RunControl:
    """Stop/pause/resume from any thread, before or after the Trainer exists."""

    def __init__(self):
        self._lock = threading.Lock()
        self._trainer = None
        self.stopped = False
        self.paused = False

    def attach(self, trainer) -> None:
        """Hand over the Trainer now running; a stop or pause asked for before it existed is
        applied to it at once."""
        with self._lock:
            self._trainer = trainer
            if self.stopped:
                trainer.stop()
            elif self.paused:
                trainer.pause()

    def stop(self) -> None:
        """Ask the run to stop (the Trainer ends after the current batch, keeping its weights);
        remembered until a Trainer is attached."""
        with self._lock:
            self.stopped = True
            if self._trainer is not None:
                self._trainer.stop()

    def pause(self) -> None:
        """Ask the run to pause (the Trainer waits when its current batch ends); remembered until a
        Trainer is attached."""
        with self._lock:
            self.paused = True
            if self._trainer is not None:
                self._trainer.pause()

    def resume(self) -> None:
        """Let a paused run continue; clears a pause not yet applied."""
        with self._lock:
            self.paused = False
            if self._trainer is not None:
                self._trainer.resume()


def set_split(dataset, validation: float | None = None, test: float | None = None,
              seed: int | None = None) -> dict:
    """Change the dataset's split options (what the Data tab does); None leaves one as it is.
    Returns the new options. Raises DatasetError for fractions out of range."""
    from desktop_dl.core.datasets.splits import check_fractions
    options = dict(dataset.split_options)
    for key, value in (("validation", validation), ("test", test), ("seed", seed)):
        if value is not None:
            options[key] = value
    check_fractions(float(options["validation"]),
                    0.0 if dataset.fixed_test_count() else float(options["test"]))
    dataset.split_options = options
    return options


def prepare_run(spec, dataset, settings: TrainSettings | None = None, *,
                folder: Path | None = None, stream: bool = False) -> RunPlan:
    """Check `spec` against `dataset`, split it with `dataset.split_options`, and return the plan.

    `stream=True` (image datasets only, `desktop-dl train --stream`) makes the same split whose
    inputs are read from disk batch by batch (core/datasets/lazy_splits.py) for data larger than
    memory; such a plan trains in this process (its inputs are not sent through a pipe).

    Raises TrainingError (bad settings), RunCheckError (model and data do not fit: input shape,
    output units vs classes, label range, loss vs output, an empty split or a class without
    training samples) or DatasetError (split fractions) — each names the numbers and the fix.
    """
    from desktop_dl.core.spec import ModelSpec

    settings = dataclasses.replace(settings or TrainSettings())
    check_settings(settings)
    title = getattr(dataset, "title", None) or getattr(dataset, "name", _("the dataset"))
    task = dataset.task
    class_names = list(dataset.class_names) if dataset.is_classification() else []
    labels = dataset.labels
    model = None
    if isinstance(spec, ModelSpec):
        spec = _spec_as_run(spec, settings)
        run_checks.check_input_shape(spec, tuple(dataset.input_shape), title)
        units = run_checks.output_units(spec)
        if task == "binary" and units == 2 and _output_activation(spec) == "softmax":
            task = "multiclass"     # two classes, one softmax unit each: sparse crossentropy reads 0/1
        run_checks.check_output(spec, task, len(class_names) or None, _target_count(dataset),
                                _empty_classes(labels, class_names))
        run_checks.check_loss_fits(spec, units)
    else:       # a trained Keras model (fine-tuning): its own shapes are what must fit
        model, spec = spec, None
        units = _model_units(model, tuple(dataset.input_shape), f"{title}' ({dataset.name})")
        if task == "binary" and units == 2:
            task = "multiclass"
    run_checks.check_labels(labels, task, units if task == "multiclass" else None, class_names)

    options = {"validation": 0.1, "test": 0.1, "seed": 0, **dict(dataset.split_options)}
    fractions = {"validation": float(options["validation"]),
                 "test": 0.0 if dataset.fixed_test_count() else float(options["test"])}
    sizes = dataset.split_sizes(fractions["validation"], fractions["test"], int(options["seed"]))
    run_checks.check_split_sizes(sizes, fractions, len(labels))
    if stream:
        from desktop_dl.core.datasets.lazy_splits import lazy_splits
        splits = lazy_splits(dataset, validation=fractions["validation"],
                             test=float(options["test"]), seed=int(options["seed"]))
    else:
        splits = dataset.splits(validation=fractions["validation"], test=float(options["test"]),
                                seed=int(options["seed"]))
    notes = list(getattr(dataset, "warnings", []) or [])
    if class_names:
        run_checks.check_training_classes(splits.y_train, class_names)
        notes += _missing_class_notes(splits, class_names)
    info = {"name": dataset.name, "title": title, "kind": dataset.kind,
            "preprocessing": dataset.preprocessing, "sizes": splits.sizes(),
            # Where the data came from: the exported Python script reads the same file again.
            "source": getattr(dataset, "source", None),
            "split": {"validation": fractions["validation"], "test": float(options["test"]),
                      "seed": int(options["seed"])}}
    return RunPlan(spec, settings, splits, task, class_names, info, dict(options), notes,
                   Path(folder) if folder else None, model)


def execute(plan: RunPlan, listener=None, control: RunControl | None = None,
            cancelled=None) -> RunOutcome:
    """Train `plan` and write its run folder (history.json, spec.json, model.keras, model.onnx).

    `listener` gets the Trainer's events (on_train_begin, on_batch_end, on_epoch_end,
    on_train_end) and, when it has one, `on_status("export")` before the files are written.
    Errors Keras raises during fit become a "failed" result with a message in the user's words;
    the traceback goes to the log only. A UserError still raises.
    """
    from desktop_dl.engine.run_folder import new_run_folder, save_run
    from desktop_dl.engine.trainer import Trainer

    folder = Path(plan.folder or new_run_folder())
    folder.mkdir(parents=True, exist_ok=True)      # the best epoch's checkpoint is saved into it
    plan.folder = folder
    settings = dataclasses.replace(plan.settings, checkpoint_path=str(Path(folder) / "best.keras"))
    source = plan.model if plan.model is not None else plan.spec
    trainer = Trainer(source, plan.splits, settings, listener, task=plan.task)
    if control is not None:
        control.attach(trainer)
    if cancelled is not None and cancelled():
        trainer.stop()
    try:
        result = trainer.run()
    except UserError:
        raise
    except Exception as exc:  # Keras' own errors: a message here, the traceback in the log
        log.exception("training failed")
        result = TrainResult("failed", explain_fit_error(exc, settings), trainer._history(),
                             len(trainer._epoch_logs), None, trainer._elapsed(), 0.0, [],
                             plan.task)
        _notify(listener, "on_train_end", result)
    if result.ok:
        _notify(listener, "on_status", "export")
    files = save_run(result, folder, settings=settings, spec=plan.spec, splits=plan.splits,
                     dataset=plan.dataset_info, export=result.ok)
    return RunOutcome(result, files, plan)


def execute_for_model(plan: RunPlan, listener, control: RunControl, cancelled,
                      not_exported: str) -> RunOutcome | None:
    """`execute` for a caller that needs the trained model and its ONNX file (the one-click digit
    model, "Learn my handwriting"): None when the user cancelled or stopped; TrainingError with
    the run's message when it failed, or `not_exported` when the ONNX export did not succeed."""
    outcome = execute(plan, listener, control)
    result, files = outcome.result, outcome.files
    if cancelled() or result.status == "stopped":
        return None
    if not result.ok or result.model is None:
        raise TrainingError(result.message)
    if files.onnx_path is None:
        raise TrainingError(files.export_error or not_exported)
    return outcome


def explain_fit_error(exc: BaseException, settings: TrainSettings) -> str:
    """One message a learner can act on for an exception raised inside Keras' fit."""
    from desktop_dl.engine import devices
    # The Trainer already explained device failures with the resolved devices; this catches the
    # rest, so the setting's own words are enough ("auto" counts as the CPU here).
    named = [d.strip() for d in (settings.device or "cpu").lower().split(",")]
    explained = devices.explain_failure(exc, named, settings.batch_size)
    if explained:
        return explained
    text = str(exc).strip()
    first = (text.splitlines()[0] if text else type(exc).__name__)[:240]
    lowered = text.lower()
    if "outside the valid range" in lowered or "label value" in lowered:
        return (_("A label is larger than the model's output can hold ({first}). End the model "
                  "with one unit per class, or renumber the labels from 0.", first=first))
    if "shape" in lowered or "incompatible" in lowered or "dimension" in lowered:
        return (_("The model and the data do not fit together during training ({first}). Check "
                  "the model's input and last layer against the dataset in the Model tab.",
                  first=first))
    if "nan" in lowered or "inf" in lowered:
        return (_("The numbers became NaN or infinite during training ({first}). Lower the "
                  "learning rate, or check the data for missing values.", first=first))
    from desktop_dl.app_logging import log_file
    return (_("Training stopped with an error inside Keras ({name__}: {first}). The full "
              "report is in the log, {log_file}.",
              name__=type(exc).__name__, first=first, log_file=log_file()))


def _notify(listener, name: str, *args) -> None:
    method = getattr(listener, name, None)
    if method is not None:
        method(*args)


def _spec_as_run(spec, settings: TrainSettings):
    """A copy of `spec` with the settings' optimizer/learning-rate override written into its
    compile settings (which then leave the settings): one home for what runs."""
    spec = spec.copy()
    if settings.optimizer:
        spec.compile.optimizer = settings.optimizer.lower()
        settings.optimizer = None
    if settings.learning_rate:
        spec.compile.learning_rate = float(settings.learning_rate)
        settings.learning_rate = None
    return spec


def _model_units(model, input_shape: tuple, title: str) -> int | None:
    """A Keras model's output units, after checking its input against the dataset's."""
    from desktop_dl.core.run_checks import RunCheckError
    want = tuple(model.input_shape[1:])
    if want != tuple(input_shape):
        raise RunCheckError(_("The model takes inputs of shape {want}, but the dataset "
                              "'{title} gives {tuple}: choose data shaped like the model's.",
                              want=want, title=title, tuple=tuple(input_shape)),
                            "input", None)
    shape = tuple(model.output_shape)
    return int(shape[-1]) if len(shape) > 1 and shape[-1] is not None else None


def _output_activation(spec) -> str:
    from desktop_dl.core.losses import output_activation
    return output_activation(spec.layers)


def _empty_classes(labels, class_names: list[str]) -> list[str]:
    import numpy as np
    if not class_names or getattr(labels, "ndim", 1) != 1 or len(labels) == 0:
        return []
    counts = np.bincount(np.asarray(labels, dtype=np.int64).clip(0), minlength=len(class_names))
    return [class_names[i] for i in np.flatnonzero(counts[:len(class_names)] == 0)]


def _target_count(dataset) -> int:
    if dataset.is_classification():
        return 1
    labels = dataset.labels
    return int(labels.shape[1]) if getattr(labels, "ndim", 1) == 2 else 1


def _missing_class_notes(splits, class_names: list[str]) -> list[str]:
    notes = []
    for name, y in ((_("validation"), splits.y_val), (_("test"), splits.y_test)):
        if len(y) == 0:
            continue
        missing = run_checks.missing_classes(y, len(class_names))
        if missing:
            names = ", ".join(repr(class_names[c]) for c in missing[:5])
            notes.append(_("The {name} split has no samples of {count} class(es) ({names}): "
                           "they have too few samples to share; their {name} scores are "
                           "missing.", name=name, count=len(missing), names=names))
    return notes


__all__ = ["RunPlan", "RunOutcome", "RunControl", "prepare_run", "execute", "set_split",
           "explain_fit_error", "TrainingError"]
