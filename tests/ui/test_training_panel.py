"""The Train tab trains for real on a thread: curves fill, pause/stop work, results appear."""
import math
import os

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.engine.trainer import TrainSettings
from desktop_dl.ui.train.training_panel import TrainingPanel

pytestmark = pytest.mark.slow


def tiny_digit_spec(hidden=16):
    return ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                   LayerSpec("Dense", {"units": hidden, "activation": "relu"}),
                                   LayerSpec("Dense", {"units": 10, "activation": "softmax"})],
                     name="tiny")


@pytest.fixture
def panel(qtbot):
    p = TrainingPanel()
    qtbot.addWidget(p)
    p.resize(1200, 760)
    p.show()
    yield p
    p.shutdown()


def test_a_run_fills_the_curves_history_confusion_and_gallery(panel, qtbot, tmp_path):
    panel.set_spec_source(tiny_digit_spec)
    panel.settings_form.set_settings(TrainSettings(epochs=2, batch_size=128, seed=1, learning_rate=0.003,
                                                   optimizer="adam"))
    ready = []
    panel.modelReady.connect(ready.append)
    with qtbot.waitSignal(panel.trainingFinished, timeout=120000):
        panel.start_button.click()
        assert panel.is_running() and not panel.start_button.isEnabled()
    assert panel.last_error is None
    counts = panel.plots.point_counts()
    assert counts["raw"] == 2 * math.ceil(4000 / 128)
    assert counts["train_loss"] == counts["val_loss"] == counts["train_metric"] == 2
    x, y = panel.plots.raw_curve.getData()
    assert len(x) == counts["raw"] and np.all(np.isfinite(y))
    # Redraws are throttled by the timer, not one per batch.
    assert panel.plots.redraws < counts["raw"]

    # The bundled MNIST digits were used, and the user was told.
    assert "bundled MNIST" in panel.message.text()
    assert panel.runs.rowCount() == 1
    run = panel.runs.run_at(0)
    assert run.status == "completed" and run.metrics["val_accuracy"] > 0.7
    assert ready and ready[0].endswith("model.onnx") and os.path.isfile(ready[0])
    assert os.path.isfile(run.keras_path)

    # Confusion matrix of the test set (10% of 5,000) and the gallery of mistakes.
    matrix = panel.confusion.model.counts
    assert matrix.shape == (10, 10) and matrix.sum() == 500
    assert panel.confusion.report_model.rowCount() == 10
    wrong = 500 - int(np.trace(matrix))
    assert panel.gallery.count() == min(32, wrong) > 0

    # Crosshair readout and log scale.
    assert "loss" in panel.plots.show_values_at(1.0)
    panel.plots.log_check.setChecked(True)
    assert panel.plots.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()

    # Ticking a run overlays its curves.
    panel.runs.set_checked(0, True)
    assert panel.plots.overlay_count() == 2

    # Project state round-trips into a fresh panel: settings, curves, metrics, weights.
    state = panel.project_state()
    assert state["training"]["epochs"] == 2
    assert state["runs"][0]["weights"][:2] == b"PK"      # .keras bytes (a zip)
    other = TrainingPanel()
    qtbot.addWidget(other)
    other.restore_project_state(state)
    assert other.runs.rowCount() == 1
    assert other.settings_form.settings().epochs == 2
    assert other.plots.point_counts()["val_loss"] == 2
    assert other.confusion.model.counts.sum() == 500
    other.shutdown()


def test_pause_resume_and_stop_keep_the_window_responsive(panel, qtbot):
    panel.set_spec_source(tiny_digit_spec)
    panel.settings_form.set_settings(TrainSettings(epochs=40, batch_size=32, seed=None))
    panel.start()
    qtbot.waitUntil(lambda: panel.plots.point_counts()["raw"] > 3, timeout=60000)
    panel.pause_button.click()
    assert panel.pause_button.text() == "Resume"
    qtbot.wait(400)                      # batches in flight arrive
    paused_count = panel.plots.point_counts()["raw"]
    qtbot.wait(400)
    assert panel.plots.point_counts()["raw"] == paused_count
    panel.pause_button.click()           # resume
    assert panel.pause_button.text() == "Pause"
    qtbot.waitUntil(lambda: panel.plots.point_counts()["raw"] > paused_count + 2, timeout=30000)
    with qtbot.waitSignal(panel.trainingFinished, timeout=60000):
        panel.stop_button.click()
    run = panel.runs.run_at(0)
    assert run.status == "stopped" and len(run.history.get("loss", [])) < 40
    assert panel.start_button.isEnabled()


def test_a_diverging_run_stops_with_its_message(panel, qtbot):
    from desktop_dl.core.datasets import load_dataset
    data = load_dataset("diabetes")
    # Linear regression with plain SGD at a learning rate of 10 blows up within two epochs.
    panel.set_dataset(data)
    panel.set_spec_source(lambda: ModelSpec(data.input_shape, [LayerSpec("Dense", {"units": 1})]))
    panel.settings_form.set_settings(TrainSettings(epochs=5, batch_size=32, optimizer="sgd",
                                                   learning_rate=10.0, seed=0))
    ready = []
    panel.modelReady.connect(ready.append)
    with qtbot.waitSignal(panel.trainingFinished, timeout=120000):
        panel.start()
    run = panel.runs.run_at(0)
    assert run.status == "diverged"
    text = panel.message.text()
    assert "The loss became" in text and "at epoch" in text
    assert "learning rate 10 is probably too high; try 0.01" in text
    assert not ready and run.onnx_path is None
    assert panel.start_button.isEnabled()


def test_a_model_that_does_not_fit_the_data_is_explained(panel, qtbot):
    panel.set_spec_source(lambda: ModelSpec((8,), [LayerSpec("Dense", {"units": 10, "activation": "softmax"})]))
    with qtbot.waitSignal(panel.trainingFinished, timeout=60000):
        panel.start()
    assert "(8,)" in panel.last_error and "(28, 28, 1)" in panel.last_error
    assert "Training failed" in panel.message.text()
    assert panel.start_button.isEnabled() and panel.runs.rowCount() == 0


def test_no_model_says_what_to_do(panel):
    panel.set_spec_source(lambda: ModelSpec((28, 28, 1), []))
    panel.start()
    assert not panel.is_running()
    assert "no layers" in panel.message.text()
