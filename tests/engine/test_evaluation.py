"""Confusion matrix, per-class report and most confidently wrong samples (numpy only)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_dl.core.evaluation import (class_report, confusion_matrix, evaluate_classification,
                                        most_confidently_wrong)


def direct_confusion(y_true, y_pred, k):
    counts = np.zeros((k, k), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        counts[t, p] += 1
    return counts


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 6).flatmap(lambda k: st.tuples(
    st.just(k), st.lists(st.tuples(st.integers(0, k - 1), st.integers(0, k - 1)), max_size=200))))
def test_confusion_matrix_equals_a_direct_count(data):
    k, pairs = data
    y_true = np.array([p[0] for p in pairs], dtype=np.int64)
    y_pred = np.array([p[1] for p in pairs], dtype=np.int64)
    assert np.array_equal(confusion_matrix(y_true, y_pred, k), direct_confusion(y_true, y_pred, k))


def test_precision_recall_f1_by_hand():
    # true:  0 0 0 1 1 2 ; pred: 0 0 1 1 2 2
    counts = confusion_matrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3)
    r = class_report(counts)
    assert r.precision == pytest.approx([1.0, 0.5, 0.5])
    assert r.recall == pytest.approx([2 / 3, 0.5, 1.0])
    assert r.f1 == pytest.approx([0.8, 0.5, 2 / 3])
    assert r.accuracy == pytest.approx(4 / 6)
    assert list(r.support) == [3, 2, 1]


def test_a_class_never_predicted_has_zero_precision_not_nan():
    r = class_report(confusion_matrix([0, 1, 1], [0, 0, 0], 2))
    assert r.precision[1] == 0.0 and r.f1[1] == 0.0 and np.all(np.isfinite(r.f1))


def test_most_confidently_wrong_orders_by_confidence():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.05, 0.95], [0.3, 0.7]])
    y = np.array([0, 0, 1, 0, 1])
    # wrong: 1 (0.8), 2 (0.6), 3 (0.95); sample 4 is right.
    assert list(most_confidently_wrong(y, probs)) == [3, 1, 2]
    assert list(most_confidently_wrong(y, probs, limit=1)) == [3]


def test_binary_sigmoid_outputs_become_two_classes():
    ev = evaluate_classification(np.array([0, 1, 1, 0]), np.array([[0.2], [0.9], [0.4], [0.7]]))
    assert ev.counts.tolist() == [[1, 1], [1, 1]]
    d = ev.to_dict(["no", "yes"])
    assert d["per_class"]["classes"][1]["name"] == "yes"
    assert {m["index"] for m in d["most_confidently_wrong"]} == {2, 3}
    assert d["most_confidently_wrong"][0] == {"index": 3, "true": 0, "predicted": 1, "confidence": pytest.approx(0.7)}


def test_engine_evaluation_matches_numpy_on_a_real_model():
    keras = pytest.importorskip("keras")
    from desktop_dl.engine.evaluation import evaluate
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = rng.integers(0, 3, 64)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    ev = evaluate(model, x, y, "multiclass")
    predicted = model.predict(x, verbose=0).argmax(axis=1)
    assert np.array_equal(ev.counts, direct_confusion(y, predicted, 3))
    assert ev.metrics["accuracy"] == pytest.approx(np.mean(predicted == y), abs=1e-6)
