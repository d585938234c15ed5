"""Fine-tuning: go on training a trained model on new data without forgetting what it knew.

Used by `desktop-dl train --from MODEL.keras --dataset ...` and by the Draw tab's "Learn my
handwriting". The architecture and weights come from the model; training continues at a low
learning rate on the new samples mixed with *replayed* samples of the data it learned first (for
digit models: the bundled MNIST digits), because training on a few hundred new digits alone
moves the weights towards them and the model forgets MNIST ("catastrophic forgetting"); a
replayed set as large as the new one keeps MNIST accuracy within a point or two.

Keras is imported inside the functions; no Qt. The pipeline's settings object may carry these
as `initial_weights` (the model file) plus the replay choice; `prepare_fine_tuning` is the one
place that turns them into training arrays.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl.core.errors import UserError
from desktop_dl.core.i18n import _

FINE_TUNE_LEARNING_RATE = 1e-3     # Adam's usual rate; replay keeps the old knowledge in place
FINE_TUNE_EPOCHS = 10
REPLAY_DATASET = "mnist-5k"
REPLAY_PER_NEW = 1.0               # replayed samples per new sample
REPEAT_NEW_TO = 1000               # new samples are repeated up to this many per epoch


class FineTuneError(UserError):
    """A model and a dataset that cannot be fine-tuned together, said in the user's terms."""


@dataclass
class FineTuneData:
    """What fine-tuning trains on: the new data mixed with replayed old samples (rehearsal against
    catastrophic forgetting, Robins 1995) in `splits`, the replayed dataset's own test split as
    (x, y) arrays (or None), and the counts of replayed and new training samples (new ones
    counted before repeats)."""
    splits: Any                   # core.datasets.Splits: new data (+ replay) in train, new test
    replay_test: tuple[np.ndarray, np.ndarray] | None   # the replayed data's own test split
    replayed: int                 # how many replayed samples joined the training split
    new_samples: int              # how many new samples are in the training split (before repeats)


def replay_mix(x_new: np.ndarray, y_new: np.ndarray, x_replay: np.ndarray, y_replay: np.ndarray,
               replay_per_new: float = REPLAY_PER_NEW, repeat_to: int = 0,
               seed: int = 0) -> tuple[np.ndarray, np.ndarray, int]:
    """New samples (repeated up to `repeat_to` in all, for a handful of personal digits) plus
    `replay_per_new` × that many replayed ones drawn without replacement (at most all), shuffled.
    Returns (x, y, replayed count); dtypes follow x_new/y_new."""
    rng = np.random.default_rng(seed)
    n_new = len(y_new)
    if n_new == 0:
        raise FineTuneError(_("There are no new samples to learn from."))
    repeats = max(1, int(np.ceil(repeat_to / n_new))) if repeat_to else 1
    xs, ys = [x_new] * repeats, [y_new] * repeats
    count = min(len(y_replay), int(round(replay_per_new * n_new * repeats)))
    if count:
        pick = rng.choice(len(y_replay), size=count, replace=False)
        xs.append(np.asarray(x_replay[pick], dtype=x_new.dtype))
        ys.append(np.asarray(y_replay[pick], dtype=y_new.dtype))
    x, y = np.concatenate(xs), np.concatenate(ys)
    order = rng.permutation(len(y))
    return x[order], y[order], count


def check_compatible(model, input_shape, n_classes: int | None, model_name: str, data_name: str) -> None:
    """FineTuneError unless the model takes the data's samples and has one output per class."""
    model_input = tuple(model.input_shape[1:])
    if tuple(input_shape) != model_input:
        raise FineTuneError(
            _("{model_name} takes inputs of shape {model_input} but {data_name} gives {tuple}: "
              "fine-tuning needs data shaped like what the model learned from.",
              model_name=model_name, model_input=model_input, data_name=data_name, tuple=tuple(input_shape)))
    outputs = model.output_shape[-1]
    if n_classes and outputs not in (n_classes, 1) and outputs < n_classes:
        raise FineTuneError(
            _("{model_name} has {outputs} outputs but {data_name} has {n_classes} classes: "
              "fine-tuning keeps the model's outputs, so the classes must be the same.",
              model_name=model_name, outputs=outputs, data_name=data_name, n_classes=n_classes))


def prepare_fine_tuning(model, splits, replay: str | None = "auto", seed: int = 0,
                        repeat_to: int = 0) -> FineTuneData:
    """The training split of `splits` mixed with replayed samples of `replay` (a dataset name;
    "auto": the bundled MNIST digits for a 28×28×1 model; None or "none": no replay). The
    validation and test splits stay the new data's own."""
    from desktop_dl.core.datasets.registry import load_dataset

    name = replay
    if replay == "auto":
        name = REPLAY_DATASET if tuple(model.input_shape[1:]) == (28, 28, 1) else None
    if name in (None, "none"):
        return FineTuneData(splits, None, 0, len(splits.y_train))
    replay_splits = load_dataset(name).splits(validation=0.1, test=0.1, seed=0)
    if tuple(replay_splits.input_shape) != tuple(splits.input_shape):
        raise FineTuneError(_("The replay dataset {name} gives samples of shape {tuple}, not "
                              "{tuple2}.",
                              name=name, tuple=tuple(replay_splits.input_shape), tuple2=tuple(splits.input_shape)))
    x, y, count = replay_mix(splits.x_train, splits.y_train, replay_splits.x_train,
                             replay_splits.y_train, seed=seed, repeat_to=repeat_to)
    mixed = dataclasses.replace(splits, x_train=x, y_train=y)
    return FineTuneData(mixed, (replay_splits.x_test, replay_splits.y_test), count, len(splits.y_train))


def accuracy(model, x: np.ndarray, y: np.ndarray, batch_size: int = 256) -> float | None:
    """Share of samples whose most probable class is the label, a fraction 0..1 (None for no
    samples). A single sigmoid output counts as class 1 above 0.5; `y` is class indices (N,) or
    one-hot (N, K)."""
    if len(y) == 0:
        return None
    probs = np.asarray(model.predict(x, batch_size=batch_size, verbose=0))
    pred = (probs[:, 0] > 0.5).astype(int) if probs.shape[-1] == 1 else probs.argmax(axis=-1)
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)
    return float(np.mean(pred == labels.reshape(-1)))


def load_model_for_fine_tuning(path) -> Any:
    """The .keras model at `path` (safe loading); ModelFileError / FineTuneError for the user."""
    from desktop_dl.engine.keras_io import load_keras

    path = Path(path)
    if path.suffix.lower() != ".keras":
        raise FineTuneError(_("{name}: --from needs a Keras model file (.keras), such as the "
                              "model.keras of a training run. ONNX files hold no trainable "
                              "weights.", name=path.name))
    return load_keras(path, compile=False)


class CliFineTune:
    """The `train --from` glue: check, mix in replay, measure before; `finish` measures after.

    `settings` (engine.trainer.TrainSettings) gets the fine-tuning learning rate and epochs
    unless the command line gave them."""

    def __init__(self, model, splits, dataset, args, settings):
        check_compatible(model, splits.input_shape, len(getattr(splits, "class_names", []) or []),
                         Path(args.from_model).name, _("the dataset '{name}'", name=dataset.name))
        if args.learning_rate is None:
            settings.learning_rate = FINE_TUNE_LEARNING_RATE
        if args.epochs is None:
            settings.epochs = FINE_TUNE_EPOCHS
        self.model = model
        self.data = prepare_fine_tuning(model, splits, getattr(args, "replay", "auto"), seed=args.seed,
                                        repeat_to=REPEAT_NEW_TO)
        self.splits = self.data.splits
        self.before = accuracy(model, splits.x_test, splits.y_test)
        self.replay_before = (accuracy(model, *self.data.replay_test)
                              if self.data.replay_test is not None else None)

    def finish(self, result) -> dict:
        """accuracy_before/after on the new data's test split, and the same on the replayed
        data's test split (replay_accuracy_before/after) when there was replay."""
        model = result.model if result.model is not None else self.model
        out = {"accuracy_before": _round(self.before),
               "accuracy_after": _round(accuracy(model, self.splits.x_test, self.splits.y_test)),
               "replayed_samples": self.data.replayed}
        if self.data.replay_test is not None:
            out["replay_accuracy_before"] = _round(self.replay_before)
            out["replay_accuracy_after"] = _round(accuracy(model, *self.data.replay_test))
        return out


def _round(value):
    return None if value is None else round(float(value), 6)


# -- "Learn my handwriting" (the Draw tab) -----------------------------------------------------
MIN_PERSONAL = 10


def keras_file_for(onnx_path) -> Path | None:
    """The trainable .keras file behind an ONNX digit model: same name beside it, or the run
    folder's model.keras; None when there is none."""
    onnx_path = Path(onnx_path)
    for candidate in (onnx_path.with_suffix(".keras"), onnx_path.parent / "model.keras"):
        if candidate.is_file():
            return candidate
    return None


def learn_my_handwriting(keras_path, out_dir, report=lambda _unused: None, cancelled=lambda: False,
                         epochs: int = FINE_TUNE_EPOCHS, personal=None) -> dict | None:
    """Fine-tune the model at `keras_path` on the user's corrected digits (core.personal_digits,
    re-rasterised from their strokes) mixed with replayed bundled MNIST digits.

    A quarter of each digit's drawings is held out. Returns {"before": {"personal", "mnist"},
    "after": {...}, "held_out", "trained_on", "onnx_path", "keras_path"} (accuracies 0..1 on
    the held-out personal digits and on the bundled MNIST test split), None when cancelled.
    The new model is written to `out_dir` (model.keras, model.onnx); nothing is replaced.
    Signature of a ui Job function with `functools.partial`. Raises FineTuneError with fewer
    than MIN_PERSONAL saved digits."""
    from desktop_dl.core.datasets.registry import load_dataset
    from desktop_dl.core.datasets.splits import Splits
    from desktop_dl.core.handwriting_score import held_out_split
    from desktop_dl.core.personal_digits import load_personal_digit_arrays
    from desktop_dl.engine.default_digit_model import _Progress
    from desktop_dl.engine.run_pipeline import RunControl, RunPlan, execute_for_model
    from desktop_dl.engine.trainer import TrainSettings

    report({"fraction": 0.0, "stage": "loading"})
    personal = personal if personal is not None else load_personal_digit_arrays()
    if len(personal) < MIN_PERSONAL:
        raise FineTuneError(_("Correct at least {MIN_PERSONAL} digits first (“That's wrong” → "
                              "the right digit); you have {count}.",
                              MIN_PERSONAL=MIN_PERSONAL, count=len(personal)))
    x = personal.images()[..., None]
    y = personal.y.astype(np.int32)
    train_idx, held_idx = held_out_split(y)
    model = load_model_for_fine_tuning(keras_path)
    mnist = load_dataset(REPLAY_DATASET).splits(validation=0.1, test=0.1, seed=0)
    before = {"personal": accuracy(model, x[held_idx], y[held_idx]),
              "mnist": accuracy(model, mnist.x_test, mnist.y_test)}
    if cancelled():
        return None
    x_mix, y_mix, replayed = replay_mix(x[train_idx], y[train_idx], mnist.x_train,
                                        mnist.y_train.astype(np.int32), repeat_to=REPEAT_NEW_TO)
    splits = Splits(x_mix, y_mix, x[:0], y[:0], x[held_idx], y[held_idx], task="multiclass",
                    class_names=[str(d) for d in range(10)], input_shape=(28, 28, 1),
                    preprocessing=dict(getattr(mnist, "preprocessing", {}) or {}))
    report({"fraction": 0.03, "stage": "starting"})
    # The held-out split is per drawn digit (core.handwriting_score), so the plan is made here;
    # training, the checkpoint, the run folder and the ONNX export are engine.run_pipeline's.
    plan = RunPlan(None, TrainSettings(epochs=epochs, batch_size=64, seed=0,
                                       learning_rate=FINE_TUNE_LEARNING_RATE),
                   splits, "multiclass", [str(d) for d in range(10)],
                   {"name": "mnist-5k+my-digits", "title": _("MNIST digits and yours"), "kind": "image",
                    "preprocessing": dict(mnist.preprocessing or {}), "sizes": splits.sizes()},
                   {}, folder=Path(out_dir), model=model)
    control = RunControl()
    outcome = execute_for_model(plan, _Progress(report, cancelled, epochs, control), control,
                                cancelled, _("The tuned model could not be exported."))
    if outcome is None:
        return None
    result, files = outcome.result, outcome.files
    tuned = result.model
    after = {"personal": accuracy(tuned, x[held_idx], y[held_idx]),
             "mnist": accuracy(tuned, mnist.x_test, mnist.y_test)}
    keras_out, onnx_out = files.keras_path, files.onnx_path
    report({"fraction": 1.0, "stage": "done"})
    return {"before": before, "after": after, "held_out": int(len(held_idx)),
            "trained_on": int(len(train_idx)), "replayed": int(replayed),
            "onnx_path": str(onnx_out), "keras_path": str(keras_out)}
