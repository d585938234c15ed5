"""Test-set evaluation of a trained model: Keras metrics, then the numpy analysis in core."""
from __future__ import annotations

import numpy as np

from desktop_dl.core.evaluation import Evaluation, evaluate_classification

CLASSIFICATION_TASKS = ("multiclass", "binary")


def evaluate(model, x_test, y_test, task: str, batch_size: int = 256, limit: int = 32) -> Evaluation:
    """Loss and metrics on the test set; for classifiers also the confusion matrix, the per-class
    precision/recall/F1 and the most confidently wrong samples."""
    metrics = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0, return_dict=True)
    metrics = {k: float(v) for k, v in metrics.items()}
    if task not in CLASSIFICATION_TASKS:
        return Evaluation(metrics)
    outputs = np.asarray(model.predict(x_test, batch_size=batch_size, verbose=0))
    y = np.asarray(y_test)
    if y.ndim == 2 and y.shape[1] > 1:      # one-hot labels
        y = y.argmax(axis=1)
    return evaluate_classification(y, outputs, metrics, limit)
