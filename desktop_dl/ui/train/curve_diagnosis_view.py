"""A strip under the training curves that says what they show, in the user's language.

The training panel feeds it each epoch's logs while a run goes on (`add_epoch`) and a whole
history when a finished run is shown (`show_history`); `core.diagnosis` decides, this only words
it: the pattern, the epoch where it starts, the best epoch, and what to try.
"""
from __future__ import annotations

import math
import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop_dl.core import diagnosis as dg

# Background, text colour and border per verdict: calm for fine, amber for a warning, red for
# divergence. Light tints keep black text readable on every platform theme.
_LOOK = {
    dg.FINE: ("#e8f5e9", "#1b5e20"),
    dg.EARLY: ("#f1f3f5", "#3c4650"),
    dg.UNDERFITTING: ("#e8f0fb", "#1a3d6d"),
    dg.OVERFITTING: ("#fff4e0", "#7a4a00"),
    dg.DIVERGENCE: ("#fdecea", "#8a1c1c"),
}


class CurveDiagnosisView(QWidget):
    """Shows `core.diagnosis.diagnose` of the epochs it is given. `diagnosed(Diagnosis)` fires
    whenever the verdict is recomputed (a plot can mark the best epoch with it)."""

    diagnosed = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("curveDiagnosis")
        self._history: dict[str, list[float]] = {}
        self._chance: float | None = None
        self.diagnosis: dg.Diagnosis = dg.Diagnosis(dg.EARLY)
        self.label = QLabel(self)
        self.label.setObjectName("curveDiagnosisText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        self._render()

    # -- input ------------------------------------------------------------------------------------
    def reset(self, task: str | None = None, n_classes: int | None = None,
              target_variance: float | None = None) -> None:
        """A new run begins. With the task (and class count) the view knows the loss of a model
        that learned nothing, which sharpens the verdict (see core.diagnosis.chance_loss)."""
        loss = {"multiclass": "sparse_categorical_crossentropy", "binary": "binary_crossentropy",
                "multilabel": "binary_crossentropy", "regression": "mse"}.get(task or "")
        self._chance = dg.chance_loss(loss, n_classes, target_variance) if loss else None
        self._history = {}
        self._update()

    def add_epoch(self, epoch: int, logs: dict) -> None:
        """Logs of one finished epoch (0-based, as Keras counts), in order."""
        for key in ("loss", "val_loss"):
            if key in logs:
                series = self._history.setdefault(key, [])
                del series[epoch:]             # a repeated epoch replaces, never duplicates
                series.append(float(logs[key]))
        self._update()

    def show_history(self, history: dict | None) -> None:
        """A whole run's per-epoch history (TrainResult.history / a saved run)."""
        self._history = {k: [float(v) for v in history.get(k, [])]
                         for k in ("loss", "val_loss") if history and history.get(k)}
        self._update()

    def history(self) -> dict[str, list[float]]:
        return {k: list(v) for k, v in self._history.items()}

    # -- output -----------------------------------------------------------------------------------
    def _update(self) -> None:
        self.diagnosis = dg.diagnose(self._history, self._chance)
        self._render()
        self.diagnosed.emit(self.diagnosis)

    def text(self) -> str:
        """The verdict as plain sentences in the interface language."""
        d = self.diagnosis
        if not self._history.get("loss"):
            return self.tr("When training starts, this says what the loss curves show.")
        if d.kind == dg.EARLY:
            return self.tr("After a few epochs this says what the curves show.")
        if d.kind == dg.DIVERGENCE:
            if d.figures.get("nan"):
                head = self.tr("Divergence: the loss became NaN (not a number) at epoch %d.") % d.epoch
            elif d.figures.get("stuck"):
                head = self.tr("Divergence: from epoch %d the loss is stuck at the level of random "
                               "guessing; the network has stopped learning.") % d.epoch
            else:
                head = self.tr("Divergence: the training loss rises from epoch %d instead of "
                               "falling.") % d.epoch
            return head + " " + self.tr("The steps are too big: lower the learning rate (for "
                                        "example divide it by 10) and train again.")
        if d.kind == dg.OVERFITTING:
            return (self.tr("Overfitting from epoch %d: the validation loss rises while the "
                            "training loss still falls, so the model is memorising the training "
                            "samples instead of learning what generalises.") % d.epoch
                    + " " + self._best_sentence()
                    + " " + self.tr("Try dropout, a smaller network, more data, or early "
                                    "stopping."))
        if d.kind == dg.UNDERFITTING:
            return (self.tr("Underfitting: the training and validation losses are both still "
                            "high and still falling (since epoch %d).") % d.epoch
                    + " " + self.tr("The model has not learned all it can: train for more "
                                    "epochs, or give it more capacity (more units or layers)."))
        text = self.tr("The curves look healthy: no overfitting, underfitting or divergence.")
        if d.best_epoch is not None and "val_loss" in self._history:
            text += " " + self._best_sentence()
        return text

    def _best_sentence(self) -> str:
        d = self.diagnosis
        if d.best_epoch is None or d.best_loss is None or not math.isfinite(d.best_loss):
            return ""
        what = self.tr("validation loss") if "val_loss" in self._history else self.tr("training loss")
        return self.tr("Best epoch: %d (%s %s).") % (d.best_epoch, what, f"{d.best_loss:.4g}")

    def title(self) -> str:
        return {
            dg.FINE: self.tr("Healthy"),
            dg.EARLY: self.tr("Reading the curves"),
            dg.OVERFITTING: self.tr("Overfitting"),
            dg.UNDERFITTING: self.tr("Underfitting"),
            dg.DIVERGENCE: self.tr("Divergence"),
        }[self.diagnosis.kind]

    def _render(self) -> None:
        background, foreground = _LOOK[self.diagnosis.kind]
        # Sentences are joined with spaces; Chinese puts none after its full-width stops.
        text = re.sub(r"([。！？；：）])\s+", r"\1", self.text())
        self.label.setText(f"<b>{_escape(self.title())}</b> — {_escape(text)}")
        self.label.setStyleSheet(f"QLabel {{ background: {background}; color: {foreground}; "
                                 f"border-radius: 4px; padding: 6px; }}")
        self.setToolTip(self.tr("Read from the epoch losses: overfitting when the validation loss "
                                "rises for several epochs while the training loss falls; "
                                "underfitting when both are high and still falling; divergence "
                                "when the loss rises or becomes NaN."))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
