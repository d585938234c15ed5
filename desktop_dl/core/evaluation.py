"""Classification metrics from labels and predicted probabilities: numpy only, no Keras.

The engine feeds these with a model's test-set predictions; the panel and the CLI show them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """(k, k) int64 counts: counts[i, j] = how many samples of true class i were predicted as j.

    k is `num_classes`, or 1 + the largest label seen. Raises ValueError (a programming error)
    when y_true and y_pred differ in length.
    """
    y_true = np.asarray(y_true, dtype=np.int64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.int64).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{y_true.size} labels but {y_pred.size} predictions")
    if num_classes is None:
        num_classes = int(max(y_true.max(initial=-1), y_pred.max(initial=-1))) + 1
    # One bincount over flat (true, pred) indices: O(n), no Python loop.
    flat = y_true * num_classes + y_pred
    return np.bincount(flat, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


@dataclass
class ClassReport:
    """Per-class precision, recall, F1 and support, each (classes,) (0 where undefined), with
    accuracy and macro-F1 (unweighted mean F1 of the classes that occur) as fractions 0..1."""
    precision: np.ndarray       # per class; 0 where the class was never predicted
    recall: np.ndarray          # per class; 0 where the class never occurs
    f1: np.ndarray
    support: np.ndarray         # true samples per class
    accuracy: float
    macro_f1: float

    def to_dict(self, class_names=None) -> dict:
        """A JSON-ready dict: accuracy, macro_f1 and one entry per class (name, precision, recall,
        f1, support); classes without a name in `class_names` are named by their index."""
        names = list(class_names) if class_names is not None else [str(i) for i in range(len(self.f1))]
        return {
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "classes": [
                {"name": str(names[i]) if i < len(names) else str(i),
                 "precision": float(self.precision[i]), "recall": float(self.recall[i]),
                 "f1": float(self.f1[i]), "support": int(self.support[i])}
                for i in range(len(self.f1))],
        }


def class_report(counts: np.ndarray) -> ClassReport:
    """Per-class precision, recall and F1 from a (k, k) confusion matrix (rows true, columns
    predicted), with the usual definitions (as scikit-learn's classification_report): 0 where a
    class is never predicted or never occurs; macro-F1 averages the classes that occur."""
    counts = np.asarray(counts, dtype=np.float64)
    tp = np.diag(counts)
    predicted = counts.sum(axis=0)
    actual = counts.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(actual > 0, tp / actual, 0.0)
        denom = precision + recall
        f1 = np.where(denom > 0, 2 * precision * recall / denom, 0.0)
    total = counts.sum()
    accuracy = float(tp.sum() / total) if total else 0.0
    present = actual > 0
    macro_f1 = float(f1[present].mean()) if present.any() else 0.0
    return ClassReport(precision, recall, f1, actual.astype(np.int64), accuracy, macro_f1)


def most_confidently_wrong(y_true, probabilities, limit: int = 32) -> np.ndarray:
    """Indices (int64, at most `limit`) of misclassified samples, the most confident wrong
    answers first; `probabilities` is (n, k)."""
    probabilities = np.asarray(probabilities)
    y_true = np.asarray(y_true, dtype=np.int64).ravel()
    predicted = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    wrong = np.flatnonzero(predicted != y_true)
    order = np.argsort(-confidence[wrong], kind="stable")
    return wrong[order[:limit]]


def class_probabilities(outputs: np.ndarray) -> np.ndarray:
    """(n, k) class probabilities from a model's outputs; a single sigmoid unit becomes (n, 2)."""
    outputs = np.asarray(outputs, dtype=np.float64)
    if outputs.ndim == 1:
        outputs = outputs[:, None]
    if outputs.shape[1] == 1:
        p = np.clip(outputs[:, 0], 0.0, 1.0)
        return np.stack([1.0 - p, p], axis=1)
    return outputs


@dataclass
class Evaluation:
    """What the test set says about a trained classifier (or regressor: no matrix then)."""
    metrics: dict                               # Keras metrics on the test set, e.g. loss, accuracy
    counts: np.ndarray | None = None            # confusion matrix
    report: ClassReport | None = None
    wrong_indices: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    wrong_predicted: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    wrong_confidence: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float64))
    wrong_true: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def to_dict(self, class_names=None) -> dict:
        """A JSON-ready dict: metrics, confusion_matrix and per_class (when computed), and the most
        confidently wrong samples (index, true, predicted, confidence 0..1)."""
        out = {"metrics": {k: float(v) for k, v in self.metrics.items()}}
        if self.counts is not None:
            out["confusion_matrix"] = self.counts.tolist()
        if self.report is not None:
            out["per_class"] = self.report.to_dict(class_names)
        out["most_confidently_wrong"] = [
            {"index": int(i), "true": int(t), "predicted": int(p), "confidence": float(c)}
            for i, t, p, c in zip(self.wrong_indices, self.wrong_true, self.wrong_predicted,
                                  self.wrong_confidence)]
        return out


def evaluate_classification(y_true, outputs, metrics: dict | None = None, limit: int = 32) -> Evaluation:
    """Confusion matrix, per-class report and most confidently wrong samples from model outputs."""
    probs = class_probabilities(outputs)
    y_true = np.asarray(y_true).ravel().astype(np.int64)
    predicted = probs.argmax(axis=1)
    counts = confusion_matrix(y_true, predicted, num_classes=max(probs.shape[1], int(y_true.max(initial=0)) + 1))
    wrong = most_confidently_wrong(y_true, probs, limit)
    return Evaluation(dict(metrics or {}), counts, class_report(counts), wrong,
                      predicted[wrong], probs.max(axis=1)[wrong], y_true[wrong])
