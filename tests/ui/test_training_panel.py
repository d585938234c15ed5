"""The Train tab trains for real on a thread: curves fill, pause/stop work, results appear."""
import math
import os

import numpy as np
import pytest
from PySide6.QtCore import Qt

from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec
from desktop_dl.engine.trainer import TrainSettings
from desktop_dl.ui.train.training_panel import TrainingPanel

pytestmark = pytest.mark.slow


def tiny_digit_spec(hidden=16, learning_rate=0.001):
    return ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                   LayerSpec("Dense", {"units": hidden, "activation": "relu"}),
                                   LayerSpec("Dense", {"units": 10, "activation": "softmax"})],
                     CompileSpec("adam", learning_rate), name="tiny")


@pytest.fixture
def panel(qtbot):
    p = TrainingPanel()
    qtbot.addWidget(p)
    p.resize(1200, 760)
    p.show()
    yield p
    p.shutdown()


def test_a_run_fills_the_curves_history_confusion_and_gallery(panel, qtbot, tmp_path):
    panel.set_spec_source(lambda: tiny_digit_spec(learning_rate=0.003))
    panel.settings_form.set_settings(TrainSettings(epochs=2, batch_size=128, seed=1))
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
    # The mistakes' pictures live in the run folder, read when the Mistakes view shows them.
    assert run.wrong_images is None and os.path.dirname(run.wrong_images_path) == run.folder
    assert not panel.gallery.isVisible() and panel.gallery.list.count() == 0
    panel.results_tabs.setCurrentWidget(panel.gallery)
    assert panel.gallery.list.count() == min(32, wrong) > 0
    assert run.mistake_images().shape == (min(32, wrong), 28, 28)

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
    # The weights stay in the run folder (not in memory); the project streams them from there.
    assert state["runs"][0]["weights"] is None
    with open(state["runs"][0]["weights_path"], "rb") as f:
        assert f.read(2) == b"PK"                         # a .keras file (a zip)
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
    panel.set_spec_source(lambda: ModelSpec(data.input_shape, [LayerSpec("Dense", {"units": 1})],
                                            CompileSpec("sgd", 10.0)))
    panel.settings_form.set_settings(TrainSettings(epochs=5, batch_size=32, seed=0))
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
    assert "The run was not started" in panel.message.text()
    assert panel.start_button.isEnabled() and panel.runs.rowCount() == 0
    assert panel._process.process.pid is None           # refused before any training process


def test_eleven_classes_for_dense_10_are_refused_before_training(panel, qtbot):
    from desktop_dl.core.datasets.dataset import ImageDataset

    y = np.repeat(np.arange(11), 10)
    x = np.random.default_rng(0).integers(0, 256, (len(y), 28, 28), dtype=np.uint8)
    panel.set_dataset(ImageDataset("eleven", "eleven classes", x, y, [str(c) for c in range(11)]))
    panel.set_spec_source(tiny_digit_spec)
    with qtbot.waitSignal(panel.trainingFinished, timeout=30000):
        panel.start()
    text = panel.message.text()
    assert "11 classes" in text and "Dense(10, softmax)" in text and "Traceback" not in text
    assert panel.runs.rowCount() == 0 and panel._process.process.pid is None


FIELD = __import__("pathlib").Path(__file__).parents[1] / "data" / "field"


def test_field_10_in_the_train_tab_is_refused_or_trains(panel, qtbot):
    """../shared/field/10 (labels 1..10) with the MNIST template: read as 11 classes it is refused
    before training with the message in the panel (no traceback dialog); read as 10 it trains."""
    from desktop_dl.core.datasets import load_dataset
    from desktop_dl.core.templates import load_template

    dataset = load_dataset(str(FIELD / "10-labels-1-to-10" / "digits_1to10.npz"))
    panel.set_dataset(dataset)
    panel.set_spec_source(lambda: load_template("mnist-dense"))
    panel.settings_form.set_settings(TrainSettings(epochs=1, batch_size=64))
    with qtbot.waitSignal(panel.trainingFinished, timeout=120000):
        panel.start()
    if len(dataset.class_names) == 11:
        assert "The run was not started" in panel.message.text()
        assert "11 classes" in panel.last_error and "Dense(10, softmax)" in panel.last_error
        assert panel.runs.rowCount() == 0
    else:
        assert panel.last_error is None and panel.runs.run_at(0).status == "completed"


def test_a_training_process_killed_mid_run_is_reported_and_the_next_run_works(panel, qtbot):
    import os
    import signal

    panel.set_spec_source(tiny_digit_spec)
    panel.settings_form.set_settings(TrainSettings(epochs=100, batch_size=32, seed=0))
    with qtbot.waitSignal(panel.trainingFinished, timeout=180000):
        panel.start()
        qtbot.waitUntil(lambda: panel.plots.point_counts()["val_loss"] >= 1, timeout=120000)
        os.kill(panel._process.process.pid, signal.SIGKILL)
    assert panel.isVisible()
    assert "stopped unexpectedly (SIGKILL)" in panel.message.text()
    run = panel.runs.run_at(0)
    assert run.status == "failed" and len(run.history["val_loss"]) >= 1     # the curves stay
    assert run.keras_path and run.keras_path.endswith("best.keras") and os.path.isfile(run.keras_path)
    assert panel.plots.point_counts()["val_loss"] >= 1

    panel.settings_form.set_settings(TrainSettings(epochs=1, batch_size=256, seed=0))
    with qtbot.waitSignal(panel.trainingFinished, timeout=180000):
        panel.start()
    assert panel.last_error is None and panel.runs.run_at(1).status == "completed"


def test_no_model_says_what_to_do(panel):
    panel.set_spec_source(lambda: ModelSpec((28, 28, 1), []))
    panel.start()
    assert not panel.is_running()
    assert "no layers" in panel.message.text()
