"""`desktop-dl train`: train a template or spec on a dataset without a window, then export it.

Prints one progress line per epoch (unless --quiet), writes DIR/model.keras, DIR/model.onnx,
DIR/history.json (per-epoch metrics, where it ran: device, backend, versions, and the data file
and split the exported Python script reads again) and DIR/spec.json, and ends with one JSON line
holding the final metrics and the split sizes ("train_samples", "validation_samples",
"test_samples"). With `--from MODEL.keras` it fine-tunes that model (engine/fine_tune.py) and the
JSON line adds accuracy_before/accuracy_after on the test split (and on the replayed MNIST test
split for digit models). The split is the dataset's (--validation-split/--test-split change it);
every run goes through engine.run_pipeline (`--stream` makes its image splits read from disk).
Exit status: 0 trained, 1 the run diverged or failed, 2 a usage error or a model that does not fit
the data (refused before training, one line).

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

from desktop_dl.core.i18n import _


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
        self._say(_("backend {backend}, device {device}", backend=info.get("backend", "?"),
                    device=info.get("device", "?")))
        self._say(_("training on {samples} samples ({validation} for validation), {epochs} epochs "
                    "of {steps} batches of {batch_size}, {optimizer} at learning rate "
                    "{learning_rate:g}", samples=info["samples"],
                    validation=info["validation_samples"], epochs=info["epochs"],
                    steps=info["steps_per_epoch"], batch_size=info["batch_size"],
                    optimizer=info["optimizer"], learning_rate=info["learning_rate"]))

    def on_batch_end(self, epoch, batch, logs):
        now = time.perf_counter()
        if now - self._last >= 10:
            self._last = now
            self._say(_("  epoch {epoch}/{epochs}  batch {batch}/{steps}  loss {loss:.4f}",
                        epoch=epoch + 1, epochs=self.epochs, batch=batch + 1, steps=self.steps,
                        loss=logs.get("loss", float("nan"))))

    def on_epoch_end(self, epoch, logs):
        self._last = time.perf_counter()
        parts = [f"{k} {v:.4f}" for k, v in logs.items() if k not in ("seconds", "learning_rate")]
        self._say(_("epoch {epoch}/{epochs}  {metrics}  ({seconds:.1f} s)", epoch=epoch + 1,
                    epochs=self.epochs, metrics="  ".join(parts), seconds=logs["seconds"]))


def settings_from_args(args):
    """The engine.trainer.TrainSettings built from the parsed `train` arguments; batch size,
    epochs and learning-rate schedule not given on the command line come from the template's
    training defaults (core.templates.template_training)."""
    from desktop_dl.core.templates import template_training
    from desktop_dl.engine.trainer import TrainSettings
    defaults = template_training(getattr(args, "template", None))
    return TrainSettings(optimizer=args.optimizer, learning_rate=args.learning_rate,
                         batch_size=args.batch_size or defaults["batch_size"],
                         epochs=args.epochs or defaults["epochs"],
                         schedule=getattr(args, "schedule", None) or defaults["schedule"],
                         early_stopping=args.early_stopping, seed=args.seed, device=args.device,
                         backend=getattr(args, "backend", None))


def run(args) -> int:
    """Run `desktop-dl train`: select the Keras backend asked for (re-running the command in a
    child process when another backend is already loaded), train, write the run folder and print
    a final JSON line. Returns 0 when training ended ok, 1 when it did not (the child's status
    when re-run). BackendError when the backend is not installed; DatasetError, SpecError and
    other UserErrors for bad input (the CLI exits 2)."""
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
    from desktop_dl.app_logging import setup_logging
    from desktop_dl.commands.data import reader_options
    from desktop_dl.commands.summary import load_spec
    from desktop_dl.core.datasets import load_dataset
    from desktop_dl.engine.run_pipeline import execute, prepare_run, set_split

    setup_logging()     # Keras' tracebacks go to the log file, never to the terminal
    from_model = getattr(args, "from_model", None)
    if from_model:      # fine-tuning: the architecture and weights come from the model file
        from desktop_dl.engine.fine_tune import load_model_for_fine_tuning
        model = source = load_model_for_fine_tuning(from_model)
    else:
        source = load_spec(args)
    stream = bool(getattr(args, "stream", False))
    options = reader_options(args)
    if stream:
        options["lazy"] = True          # an image folder is listed, not decoded
    dataset = load_dataset(args.dataset, **options)
    if not args.quiet:
        for text in [*dataset.notes, *dataset.warnings]:
            print(_("data: {note}", note=text), flush=True)
    set_split(dataset, validation=args.validation_split, test=getattr(args, "test_split", None))
    out = Path(args.out)
    plan = prepare_run(source, dataset, settings_from_args(args), folder=out, stream=stream)
    fine_tune = None
    if from_model:
        from desktop_dl.engine.fine_tune import CliFineTune
        fine_tune = CliFineTune(model, plan.splits, dataset, args, plan.settings)
        plan.splits = fine_tune.splits
    out.mkdir(parents=True, exist_ok=True)
    outcome = execute(plan, _PrintProgress(args.quiet))
    result, files = outcome.result, outcome.files
    if not args.quiet:
        print(result.message, flush=True)
    if files.export_error:
        print(_("desktop-dl train: warning: {export_error}", export_error=files.export_error), file=sys.stderr)
    elif files.export_report is not None and not args.quiet:
        print(files.export_report.summary(), flush=True)
    sizes = plan.sizes()
    final = {"status": result.status, "epochs": result.epochs_run,
             "seconds": round(result.seconds, 2),
             "samples_per_second": round(result.samples_per_second, 1),
             "train_samples": sizes["train"], "validation_samples": sizes["validation"],
             "test_samples": sizes["test"],
             "metrics": {k: round(v, 6) for k, v in result.final_metrics().items()},
             "files": files.to_dict()}
    if fine_tune is not None:
        final.update(fine_tune.finish(result), fine_tuned_from=str(from_model))
    if not result.ok:
        final["message"] = result.message
        print(_("desktop-dl train: {message}", message=result.message), file=sys.stderr)
    print(json.dumps(final), flush=True)
    return 0 if result.ok else 1
