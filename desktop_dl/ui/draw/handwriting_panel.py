"""The Draw tab's "Your handwriting" box: how the model does on the user's own corrected digits
(per digit, the confusions, the ones it still gets wrong, beside its MNIST test accuracy), and
"Learn my handwriting", which fine-tunes the model in use on those digits mixed with replayed
bundled MNIST digits (engine/fine_tune.learn_my_handwriting) on a background job with progress
and cancel, then shows before → after on held-out personal digits and on the MNIST test split;
the user keeps the new model (the canvas then uses it) or discards it.
"""
from __future__ import annotations

import functools
import logging
import shutil
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from shiboken6 import isValid
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QVBoxLayout)

from desktop_dl.core.errors import UserError

log = logging.getLogger(__name__)


class HandwritingPanel(QFrame):
    learned = Signal(dict)        # the result of a finished "Learn my handwriting"

    def __init__(self, canvas_panel, parent=None):
        super().__init__(parent or canvas_panel)
        self.setObjectName("handwritingPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.canvas_panel = canvas_panel
        self.training_options: dict = {}     # e.g. {"epochs": 1} for quick runs (tests)
        self.last_result: dict | None = None
        self._job = None
        self._mnist_cache: tuple[str, float] | None = None
        box = QVBoxLayout(self)
        title = QLabel(self.tr("<b>Your handwriting</b>"), self)
        box.addWidget(title)
        self.score_label = QLabel("", self)
        self.score_label.setObjectName("handwritingScore")
        self.score_label.setWordWrap(True)
        box.addWidget(self.score_label)
        self.details_label = QLabel("", self)
        self.details_label.setObjectName("handwritingDetails")
        self.details_label.setWordWrap(True)
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.details_label)
        self.learn_button = QPushButton(self.tr("Learn my handwriting"), self)
        self.learn_button.setObjectName("learnHandwriting")
        self.learn_button.setToolTip(self.tr(
            "Fine-tune the model on the digits you corrected, mixed with bundled MNIST digits so "
            "it does not forget them; you then keep or discard the result."))
        box.addWidget(self.learn_button)
        row = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("learnProgress")
        self.progress.setRange(0, 1000)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelLearning")
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        box.addLayout(row)
        self.result_label = QLabel("", self)
        self.result_label.setObjectName("learnResult")
        self.result_label.setWordWrap(True)
        box.addWidget(self.result_label)
        choice = QHBoxLayout()
        self.keep_button = QPushButton(self.tr("Keep the new model"), self)
        self.keep_button.setObjectName("keepLearned")
        self.discard_button = QPushButton(self.tr("Discard it"), self)
        self.discard_button.setObjectName("discardLearned")
        choice.addWidget(self.keep_button)
        choice.addWidget(self.discard_button)
        box.addLayout(choice)
        self.learn_button.clicked.connect(self.learn)
        self.cancel_button.clicked.connect(self.cancel)
        self.keep_button.clicked.connect(self.keep)
        self.discard_button.clicked.connect(self.discard)
        canvas_panel.modelChanged.connect(lambda _path: self.refresh_score())
        self._set_state("idle")
        self.refresh_score()

    # -- score --------------------------------------------------------------------------------------
    def refresh_score(self) -> None:
        """Recompute the score with the model in use on every saved digit (ONNX Runtime, ms)."""
        from desktop_dl.core.handwriting_score import score_digits
        from desktop_dl.core.personal_digits import load_personal_digit_arrays

        recognizer = self.canvas_panel.recognizer
        try:
            personal = load_personal_digit_arrays()
        except UserError as exc:
            self.score_label.setText(str(exc))
            self.details_label.setText("")
            return
        if len(personal) == 0 or recognizer is None:
            self.score_label.setText(self.tr(
                "When the model misreads a digit, press “That's wrong…” and give the right one: "
                "your digits are scored here and the model can learn from them."))
            self.details_label.setText("")
            self._update_learn_button(len(personal))
            return
        predicted = recognizer.predict(personal.images()).argmax(axis=1)
        score = score_digits(personal.y, predicted)
        self.last_score = score
        text = self.tr("Your %d digits: %d right (%.0f%%).") % (score.total, score.right, 100 * score.accuracy)
        mnist = self._mnist_accuracy(recognizer)
        if mnist is not None:
            text += " " + self.tr("MNIST test digits: %.1f%%.") % (100 * mnist)
        self.score_label.setText(text)
        rows = []
        for d in score.per_digit:
            if d.count:
                confused = ", ".join(self.tr("%d× read as %d") % (n, a) for a, n in sorted(d.confusions.items()))
                rows.append(f"<tr><td><b>{d.digit}</b></td><td>{d.right}/{d.count}</td>"
                            f"<td>{confused}</td></tr>")
        still = [str(int(personal.y[i])) for i in score.wrong]
        details = "<table cellspacing='4'>" + "".join(rows) + "</table>"
        if still:
            details += self.tr("Still read wrongly: %s") % " ".join(still)
        self.details_label.setText(details)
        self._update_learn_button(len(personal))

    def _mnist_accuracy(self, recognizer) -> float | None:
        key = str(recognizer.path)
        if self._mnist_cache is None or self._mnist_cache[0] != key:
            from desktop_dl.core.datasets.registry import load_dataset
            try:
                splits = load_dataset("mnist-5k").splits(validation=0.1, test=0.1, seed=0)
                pred = recognizer.predict(splits.x_test).argmax(axis=1)
                self._mnist_cache = (key, float(np.mean(pred == splits.y_test)))
            except Exception as exc:   # a model for other images: no MNIST figure
                log.debug("no MNIST score: %s", exc)
                self._mnist_cache = (key, None)
        return self._mnist_cache[1]

    def _update_learn_button(self, count: int) -> None:
        from desktop_dl.engine.fine_tune import MIN_PERSONAL
        ready = count >= MIN_PERSONAL and self.canvas_panel.recognizer is not None
        self.learn_button.setEnabled(ready and self._job is None)
        if not ready:
            self.learn_button.setToolTip(self.tr("Correct at least %d digits first.") % MIN_PERSONAL)

    # -- learning -----------------------------------------------------------------------------------
    def learn(self) -> None:
        from desktop_dl.engine.fine_tune import keras_file_for, learn_my_handwriting
        from desktop_dl.paths import user_data_dir
        from desktop_dl.ui.base.jobs import Job

        recognizer = self.canvas_panel.recognizer
        if self._job is not None or recognizer is None:
            return
        keras_path = keras_file_for(recognizer.path)
        if keras_path is None:
            self.result_label.setText(self.tr(
                "%s has no Keras file beside it to learn from. Train the digit model (one click) "
                "or open a model.onnx from a training run.") % recognizer.path.name)
            return
        self.discard()          # an earlier, undecided result goes
        self._out_dir = user_data_dir() / "models" / time.strftime("handwriting-%Y%m%d-%H%M%S")
        self._job = Job(functools.partial(learn_my_handwriting, keras_path, self._out_dir,
                                          **self.training_options), self, name="learn-handwriting")
        self._job.progress.connect(self._on_progress)
        self._job.cancelled.connect(lambda: self._on_result(None))
        self._job.result.connect(self._on_result)
        self._job.error.connect(self._on_error)
        self._job.finished.connect(self._on_finished)
        self.progress.setValue(0)
        self.result_label.setText(self.tr("Learning your handwriting…"))
        self._job.start()
        self._set_state("running")

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.result_label.setText(self.tr("Stopping after this batch…"))

    def is_running(self) -> bool:
        return self._job is not None

    def shutdown(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job.wait(60000)

    def _on_progress(self, progress) -> None:
        value = progress.data                   # the job's stage dict (core.progress.Progress)
        if isinstance(value, dict):
            self.progress.setValue(int(1000 * float(value.get("fraction", 0.0))))
            if value.get("stage") == "training":
                self.result_label.setText(self.tr("Learning your handwriting: epoch %d of %d")
                                          % (value["epoch"], value["epochs"]))

    def _on_result(self, result) -> None:
        if not result:
            self.result_label.setText(self.tr("Cancelled; the model was not changed."))
            self._remove_output()
            return
        self.last_result = result
        b, a = result["before"], result["after"]
        self.result_label.setText(self.tr(
            "Before → after\nyour %d held-out digits: %s → %s\nMNIST test digits: %s → %s\n"
            "Keep the new model?") % (result["held_out"], _pct(b["personal"]), _pct(a["personal"]),
                                      _pct(b["mnist"]), _pct(a["mnist"])))
        self.learned.emit(result)

    def _on_error(self, message: str, details: str) -> None:
        log.debug("learn my handwriting failed: %s", details)
        self.result_label.setText(self.tr("Learning your handwriting failed: %s") % message)
        self._remove_output()

    def _on_finished(self) -> None:
        self._job = None
        self._set_state("decide" if self.last_result else "idle")

    def keep(self) -> None:
        """Use the fine-tuned model on the canvas from now on."""
        result, self.last_result = self.last_result, None
        self._out_dir = None        # kept: never removed by a later discard
        if result:
            self.canvas_panel.open_model(result["onnx_path"], then=self._kept)
        self._set_state("idle")

    def _kept(self, ok: bool) -> None:
        if ok and isValid(self):
            self.result_label.setText(self.tr("Kept: the canvas now uses the model that learned "
                                              "your handwriting."))

    def discard(self) -> None:
        if self.last_result:
            self.result_label.setText(self.tr("Discarded; the canvas keeps its model."))
        self.last_result = None
        self._remove_output()
        self._set_state("idle")

    def _remove_output(self) -> None:
        out = getattr(self, "_out_dir", None)
        if out is not None and Path(out).is_dir():
            shutil.rmtree(out, ignore_errors=True)
        self._out_dir = None

    def _set_state(self, state: str) -> None:
        running = state == "running"
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.keep_button.setVisible(state == "decide")
        self.discard_button.setVisible(state == "decide")
        self.learn_button.setEnabled(not running)
        if not running:
            self.refresh_score()


def _pct(value) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"
