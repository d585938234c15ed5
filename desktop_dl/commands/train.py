"""`desktop-dl train`: train a template or spec on a dataset without a window, then export it.

Prints one progress line per epoch (unless --quiet), writes DIR/model.keras, DIR/model.onnx,
DIR/history.json (per-epoch metrics, where it ran: device, backend, versions) and DIR/spec.json,
and ends with one JSON line holding the final metrics. With `--from MODEL.keras` it fine-tunes that
model (engine/fine_tune.py) and the JSON line adds accuracy_before/accuracy_after on the test split
(and on the replayed MNIST test split for digit models). Exit status: 0 trained, 1 the run
diverged or failed, 2 a usage error.

`--backend` is set before Keras is imported (Keras reads KERAS_BACKEND once); when this process
already runs Keras on another backend (called from Python), the run happens in a child process.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


class _PrintProgress:
    """Listener that prints a line per epoch and, on long epochs, a line every ~10 s."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.epochs = 0
        self.steps = 0
        self._last = time.perf_counter()

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    def on_train_begin(self, info):
        self._last = time.perf_counter()
        self.epochs, self.steps = info["epochs"], info["steps_per_epoch"]
        self._say(f"backend {info.get('backend', '?')}, device {info.get('device', '?')}")
        self._say(f"training on {info['samples']} samples ({info['validation_samples']} for validation), "
                  f"{info['epochs']} epochs of {info['steps_per_epoch']} batches of {info['batch_size']}, "
                  f"{info['optimizer']} at learning rate {info['learning_rate']:g}")

    def on_batch_end(self, epoch, batch, logs):
        now = time.perf_counter()
        if now - self._last >= 10:
            self._last = now
            self._say(f"  epoch {epoch + 1}/{self.epochs}  batch {batch + 1}/{self.steps}  "
                      f"loss {logs.get('loss', float('nan')):.4f}")

    def on_epoch_end(self, epoch, logs):
        self._last = time.perf_counter()
        parts = [f"{k} {v:.4f}" for k, v in logs.items() if k not in ("seconds", "learning_rate")]
        self._say(f"epoch {epoch + 1}/{self.epochs}  " + "  ".join(parts) + f"  ({logs['seconds']:.1f} s)")


def settings_from_args(args):
    from desktop_dl.core.templates import template_training
    from desktop_dl.engine.trainer import TrainSettings
    defaults = template_training(getattr(args, "template", None))
    return TrainSettings(optimizer=args.optimizer, learning_rate=args.learning_rate,
                         batch_size=args.batch_size or defaults["batch_size"],
                         epochs=args.epochs or defaults["epochs"],
                         validation_split=args.validation_split, early_stopping=args.early_stopping,
                         seed=args.seed, device=args.device, backend=getattr(args, "backend", None))


def run(args) -> int:
    from desktop_dl.engine import backends

    wanted = backends.normalise(getattr(args, "backend", None))
    active = backends.active_backend()
    if active is not None and active != wanted:
        return _run_in_child(wanted, args.argv)
    args.backend = backends.select_backend(wanted)
    return _train(args)


def _run_in_child(backend: str, argv: list[str]) -> int:
    """The same command in a new process whose Keras runs `backend`; its output passes through."""
    from desktop_dl.engine import backends

    if not backends.is_installed(backend):
        backends.select_backend(backend)        # raises the "not installed" BackendError
    env = {**os.environ, **backends.child_environment(backend)}
    completed = subprocess.run([sys.executable, "-m", "desktop_dl", *argv], env=env,
                               stdout=subprocess.PIPE, text=True)
    sys.stdout.write(completed.stdout)
    sys.stdout.flush()
    return completed.returncode


def _train(args) -> int:
    from desktop_dl.commands.summary import load_spec
    from desktop_dl.core.datasets import load_dataset
    from desktop_dl.core.errors import UserError

    from_model = getattr(args, "from_model", None)
    if from_model:      # fine-tuning: the architecture and weights come from the model file
        from desktop_dl.engine.fine_tune import load_model_for_fine_tuning
        model, spec = load_model_for_fine_tuning(from_model), None
    else:
        spec = load_spec(args)
    from desktop_dl.commands.data import reader_options
    options = reader_options(args)
    if getattr(args, "stream", False):
        options["lazy"] = True          # an image folder is listed, not decoded
    dataset = load_dataset(args.dataset, **options)
    if not args.quiet:
        for text in [*dataset.notes, *dataset.warnings]:
            print(f"data: {text}", flush=True)
    if spec is not None and tuple(spec.input_shape) != tuple(dataset.input_shape):
        raise UserError(
            f"The model '{spec.name}' takes inputs of shape {tuple(spec.input_shape)} but the dataset "
            f"'{dataset.name}' gives {tuple(dataset.input_shape)}. Choose a template made for this "
            f"dataset (see `desktop-dl templates`) or change the model's input.")
    if getattr(args, "stream", False):
        # Larger than memory: the same split, read from disk batch by batch while training.
        from desktop_dl.core.datasets.lazy_splits import lazy_splits
        splits = lazy_splits(dataset, validation=args.validation_split, test=0.1, seed=args.seed)
    else:
        splits = dataset.splits(validation=args.validation_split, test=0.1, seed=args.seed)
    settings = settings_from_args(args)
    fine_tune = None
    if from_model:
        from desktop_dl.engine.fine_tune import CliFineTune
        fine_tune = CliFineTune(model, splits, dataset, args, settings)
        splits = fine_tune.splits
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    settings.checkpoint_path = str(out / "best.keras")

    from desktop_dl.engine.run_folder import save_run
    from desktop_dl.engine.trainer import Trainer
    listener = _PrintProgress(args.quiet)
    result = Trainer(spec if spec is not None else model, splits, settings, listener,
                     task=dataset.task).run()
    if not args.quiet:
        print(result.message, flush=True)
    # Where the data came from and how it was split: the exported Python script reads it again.
    info = {"name": dataset.name, "kind": dataset.kind, "preprocessing": dataset.preprocessing,
            "sizes": splits.sizes(), "source": dataset.source,
            "split": {"validation": args.validation_split, "test": 0.1, "seed": args.seed}}
    files = save_run(result, out, settings=settings, spec=spec, splits=splits, dataset=info,
                     export=result.ok)
    if files.export_error:
        print(f"desktop-dl train: warning: {files.export_error}", file=sys.stderr)
    elif files.export_report is not None and not args.quiet:
        print(files.export_report.summary(), flush=True)
    final = {"status": result.status, "epochs": result.epochs_run,
             "seconds": round(result.seconds, 2),
             "samples_per_second": round(result.samples_per_second, 1),
             "metrics": {k: round(v, 6) for k, v in result.final_metrics().items()},
             "files": files.to_dict()}
    if fine_tune is not None:
        final.update(fine_tune.finish(result), fine_tuned_from=str(from_model))
    if not result.ok:
        final["message"] = result.message
        print(f"desktop-dl train: {result.message}", file=sys.stderr)
    print(json.dumps(final), flush=True)
    return 0 if result.ok else 1
