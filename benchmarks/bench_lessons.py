#!/usr/bin/env python3
"""Run every lesson exactly as the Lessons menu sets it up (all its runs, all epochs) and print
the wall time, the final metrics and what the curve diagnosis says. The issue asks for under a
minute per lesson on a 2-core CPU.

    python benchmarks/bench_lessons.py [LESSON_NAME ...]
"""
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")


def main():
    from desktop_dl.core import diagnosis, lessons
    from desktop_dl.engine.run_pipeline import execute, prepare_run
    from desktop_dl.engine.trainer import TrainSettings

    import keras  # noqa: F401  (import time reported apart from the lessons)
    chosen = sys.argv[1:]
    for lesson in lessons.list_lessons():
        if chosen and lesson.name not in chosen:
            continue
        t0 = time.perf_counter()
        dataset, lines = None, []
        for run in range(len(lesson.runs)):
            setup = lessons.lesson_setup(lesson, run, dataset=dataset)
            dataset = setup.dataset
            settings = TrainSettings.from_dict(setup.settings)
            with tempfile.TemporaryDirectory() as folder:
                result = execute(prepare_run(setup.spec, dataset, settings, folder=folder)).result
            h = result.history
            last = {k: round(v[-1], 4) for k, v in h.items() if v and k in
                    ("loss", "val_loss", "accuracy", "val_accuracy", "mae", "val_mae")}
            n_classes = len(dataset.class_names) or None
            chance = diagnosis.chance_loss(setup.spec.compile.loss if setup.spec.compile.loss != "auto"
                                           else {"multiclass": "sparse_categorical_crossentropy",
                                                 "binary": "binary_crossentropy"}.get(dataset.task, "mse"),
                                           n_classes)
            d = diagnosis.diagnose(h, chance)
            lines.append(f"    run {run + 1} {setup.label or ''}: {result.status}, {result.epochs_run} "
                         f"epochs, {last}; diagnosis: {d.kind}"
                         + (f" from epoch {d.epoch}" if d.epoch else "")
                         + (f", best epoch {d.best_epoch}" if d.best_epoch else ""))
        print(f"{lesson.name}: {time.perf_counter() - t0:.1f} s for {len(lesson.runs)} run(s)")
        print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
