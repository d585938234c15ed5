"""The live plots: buffered points, redraws throttled to <= 20 Hz, log scale, crosshair (no TF)."""
import time

import numpy as np

from desktop_dl.ui.train.training_plots import REDRAW_MS, TrainingPlots


def test_fast_batches_are_buffered_and_redrawn_at_most_20_times_a_second(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.resize(800, 500)
    plots.show()
    plots.reset(steps_per_epoch=100000, metric="accuracy", epochs=3)
    start_redraws = plots.redraws
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < 1.0:       # far faster than any real training
        chunk = [(0, b, 1.0, 2.0 / (b + 1), b, 0.0) for b in range(sent, sent + 5)]
        plots.add_batches(chunk)
        sent += 5
        qtbot.wait(1)
    qtbot.wait(2 * REDRAW_MS)
    elapsed = time.monotonic() - started
    redraws = plots.redraws - start_redraws
    assert sent > 100
    assert 1 <= redraws <= elapsed * 1000 / REDRAW_MS + 2
    plots.redraw()                                  # the points that came after the last tick
    x, y = plots.raw_curve.getOriginalDataset()
    assert len(x) == sent and y[0] == 2.0           # every point reached the curve
    _, smooth = plots.smooth_curve.getOriginalDataset()
    assert smooth[0] == 2.0 and np.all(np.diff(smooth[5:]) < 0)   # debiased EMA of a falling loss


def test_epoch_points_log_scale_and_crosshair(qtbot):
    plots = TrainingPlots()
    qtbot.addWidget(plots)
    plots.reset(steps_per_epoch=2, metric="accuracy", epochs=2)
    plots.add_batches([(0, 0, 1.0, 1.0, 32, 0.1), (0, 1, 0.8, 0.6, 64, 0.2)])
    plots.add_epoch(0, {"loss": 0.8, "val_loss": 0.9, "accuracy": 0.6, "val_accuracy": 0.55})
    plots.add_epoch(1, {"loss": 0.5, "val_loss": 0.7, "accuracy": 0.8, "val_accuracy": 0.75})
    plots.redraw()
    assert plots.point_counts() == {"raw": 2, "smooth": 2, "train_loss": 2, "val_loss": 2,
                                    "train_metric": 2, "val_metric": 2}
    assert list(plots.val_metric_curve.getData()[1]) == [0.55, 0.75]
    text = plots.show_values_at(2.0)
    assert "val loss 0.7" in text and "val accuracy 0.75" in text
    plots.log_check.setChecked(True)
    assert plots.loss_plot.getPlotItem().ctrl.logYCheck.isChecked()
    assert len(plots.train_loss_curve.getData()[0]) == 2
