"""The curve diagnosis strip: fed epoch by epoch like the training panel does, and whole runs."""
import json
from pathlib import Path

from desktop_dl.core import diagnosis as dg
from desktop_dl.ui.train.curve_diagnosis_view import CurveDiagnosisView

HISTORIES = Path(__file__).parents[1] / "core" / "diagnosis_histories"


def test_epoch_by_epoch_run_turns_into_overfitting_with_best_epoch(qtbot):
    view = CurveDiagnosisView()
    qtbot.addWidget(view)
    seen = []
    view.diagnosed.connect(seen.append)
    view.reset("multiclass", 10)
    assert "When training starts" in view.text()
    h = json.loads((HISTORIES / "mnist_dense_overfit.json").read_text())["history"]
    for epoch in range(len(h["loss"])):
        view.add_epoch(epoch, {k: v[epoch] for k, v in h.items()})
        if epoch == 0:
            assert view.diagnosis.kind == dg.EARLY
    assert len(seen) == len(h["loss"]) + 1
    assert view.diagnosis.kind == dg.OVERFITTING
    text = view.label.text()
    assert "Overfitting" in text and "epoch 13" in text and "Best epoch: 12" in text
    assert "dropout" in text and "early stopping" in text


def test_repeated_epoch_replaces_and_history_is_shown_whole(qtbot):
    view = CurveDiagnosisView()
    qtbot.addWidget(view)
    view.add_epoch(0, {"loss": 1.0, "val_loss": 1.1})
    view.add_epoch(0, {"loss": 0.9, "val_loss": 1.0})
    assert view.history() == {"loss": [0.9], "val_loss": [1.0]}
    view.show_history({"loss": [2.3, 1.9, float("nan"), float("nan")], "accuracy": [0.1] * 4})
    assert view.diagnosis.kind == dg.DIVERGENCE
    assert "NaN" in view.text() and "learning rate" in view.text()


def test_healthy_and_stuck_runs(qtbot):
    view = CurveDiagnosisView()
    qtbot.addWidget(view)
    view.show_history(json.loads((HISTORIES / "mnist_dense_fine.json").read_text())["history"])
    assert view.title() == "Healthy" and "Best epoch: 8" in view.text()
    view.reset("multiclass", 10)
    h = json.loads((HISTORIES / "mnist_sgd_diverge.json").read_text())["history"]
    for epoch in range(len(h["loss"])):
        view.add_epoch(epoch, {"loss": h["loss"][epoch], "val_loss": h["val_loss"][epoch]})
    assert view.diagnosis.kind == dg.DIVERGENCE and "random guessing" in view.text()
