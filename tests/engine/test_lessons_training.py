"""A lesson's set-up trains as it is (one epoch here; benchmarks/bench_lessons.py runs them all)."""
import math

import pytest

from desktop_dl.core import lessons


@pytest.mark.slow
def test_binary_table_lesson_trains_one_epoch(tmp_path):
    from desktop_dl.engine.run_pipeline import execute, prepare_run
    from desktop_dl.engine.trainer import TrainSettings

    setup = lessons.lesson_setup(lessons.get_lesson("07-binary-table"))
    settings = TrainSettings.from_dict({**setup.settings, "epochs": 1})
    plan = prepare_run(setup.spec, setup.dataset, settings, folder=tmp_path)
    result = execute(plan).result
    assert result.status == "completed", result.message
    assert result.epochs_run == 1
    assert math.isfinite(result.history["loss"][0]) and math.isfinite(result.history["val_loss"][0])
    # One epoch of Adam on 455 standardised rows already beats guessing (ln 2 = 0.693).
    assert result.history["val_loss"][0] < 0.69
    # What ran is what the spec and history.json say: the lesson's optimizer lives in the spec.
    import json
    history = json.loads((tmp_path / "history.json").read_text())
    assert history["spec"]["compile"]["optimizer"] == setup.spec.compile.optimizer == "adam"
    assert history["settings"]["optimizer"] is None and history["settings"]["epochs"] == 1
