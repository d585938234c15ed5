"""Test-set evaluation of a trained model: Keras metrics, then the numpy analysis in core."""
from __future__ import annotations

import numpy as np

from desktop_dl.core.evaluation import Evaluation, evaluate_classification

CLASSIFICATION_TASKS = ("multiclass", "binary")


def evaluate(model, x_test, y_test, task: str, batch_size: int = 256, limit: int = 32) -> Evaluation:
    """Loss and metrics on the test set; for classifiers also the confusion matrix, the per-class
    precision/recall/F1 and the most confidently wrong samples.

    `x_test`: model inputs, in memory or a LazySplitArray read in batches of `batch_size`;
    `y_test`: class indices (N,) or one-hot (N, K). Keras' metrics come from model.evaluate; the
    classification analysis is core.evaluation.evaluate_classification on the predicted outputs,
    listing at most `limit` wrong samples. Regression and multilabel get the metrics only."""
    from desktop_dl.core.datasets.lazy_splits import is_lazy
    if is_lazy(x_test):     # read from disk batch by batch (engine/streaming.py)
        from desktop_dl.engine.streaming import batches
        metrics = model.evaluate(batches(x_test, y_test, batch_size), verbose=0, return_dict=True)
    else:
        metrics = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0, return_dict=True)
    metrics = {k: float(v) for k, v in metrics.items()}
    if task not in CLASSIFICATION_TASKS:
        return Evaluation(metrics)
    if is_lazy(x_test):
        outputs = np.concatenate([np.asarray(model.predict_on_batch(x_test[i:i + batch_size]))
                                  for i in range(0, len(x_test), batch_size)])
    else:
        outputs = np.asarray(model.predict(x_test, batch_size=batch_size, verbose=0))
    y = np.asarray(y_test)
    if y.ndim == 2 and y.shape[1] > 1:      # one-hot labels
        y = y.argmax(axis=1)
    return evaluate_classification(y, outputs, metrics, limit)
