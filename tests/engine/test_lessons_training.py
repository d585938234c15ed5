"""A lesson's set-up trains as it is (one epoch here; benchmarks/bench_lessons.py runs them all)."""
import math

import pytest

from desktop_dl.core import lessons


@pytest.mark.slow
def test_binary_table_lesson_trains_one_epoch():
    from desktop_dl.engine.trainer import Trainer, TrainSettings

    setup = lessons.lesson_setup(lessons.get_lesson("07-binary-table"))
    settings = TrainSettings.from_dict({**setup.settings, "epochs": 1})
    splits = setup.dataset.splits(validation=settings.validation_split, test=0.1, seed=0)
    result = Trainer(setup.spec, splits, settings, None, task=setup.dataset.task).run()
    assert result.status == "completed", result.message
    assert result.epochs_run == 1
    assert math.isfinite(result.history["loss"][0]) and math.isfinite(result.history["val_loss"][0])
    # One epoch of Adam on 455 standardised rows already beats guessing (ln 2 = 0.693).
    assert result.history["val_loss"][0] < 0.69
