"""Curve diagnosis on recorded Keras histories and on synthetic ones, noisy ones included."""
import json
import math
from pathlib import Path

import numpy as np
import pytest

from desktop_dl.core import diagnosis as dg
from desktop_dl.core.diagnosis import diagnose

RECORDED = Path(__file__).parent / "diagnosis_histories"
LN10 = math.log(10)


def recorded(name):
    return json.loads((RECORDED / f"{name}.json").read_text())["history"]


def prefix(history, n):
    return {k: v[:n] for k, v in history.items()}


# -- recorded: real Keras runs on the bundled MNIST digits (see each file's "note") --------------
def test_recorded_overfitting_names_the_turn_and_the_best_epoch():
    h = recorded("mnist_dense_overfit")
    d = diagnose(h, LN10)
    best = int(np.argmin(h["val_loss"])) + 1
    assert d.kind == dg.OVERFITTING
    assert d.best_epoch == best == 12
    assert d.epoch == best + 1
    assert d.best_loss == pytest.approx(min(h["val_loss"]))
    assert set(d.suggestions) == {"dropout", "smaller_network", "more_data", "early_stopping"}
    assert "epoch 13" in d.describe() and "Best epoch: 12" in d.describe()


def test_recorded_overfitting_is_not_announced_before_it_happens():
    h = recorded("mnist_dense_overfit")
    # Up to the best epoch (and its noisy first half) nothing is wrong yet.
    for n in range(1, 13):
        assert not diagnose(prefix(h, n), LN10).alarm, n


def test_recorded_healthy_run_is_fine_at_every_epoch():
    h = recorded("mnist_dense_fine")
    for n in range(1, len(h["loss"]) + 1):
        assert diagnose(prefix(h, n), LN10).kind in (dg.EARLY, dg.FINE), n


def test_recorded_slow_sgd_is_underfitting_from_the_start():
    d = diagnose(recorded("mnist_sgd_underfit"), LN10)
    assert d.kind == dg.UNDERFITTING
    assert d.epoch == 1
    assert d.suggestions == ("more_epochs", "more_capacity")


def test_recorded_too_high_learning_rate_is_divergence():
    h = recorded("mnist_sgd_diverge")
    d = diagnose(h, LN10)
    assert d.kind == dg.DIVERGENCE and d.figures["stuck"]
    assert d.epoch == 2
    assert d.suggestions == ("lower_learning_rate",)
    for n in range(1, len(h["loss"]) + 1):  # never mistaken for overfitting on the way
        assert diagnose(prefix(h, n), LN10).kind != dg.OVERFITTING


# -- synthetic -------------------------------------------------------------------------------
def decaying(n, start=2.0, floor=0.2, rate=0.3):
    e = np.arange(n)
    return floor + (start - floor) * np.exp(-rate * e)


def noisy(values, rng, rel):
    return list(values * (1 + rel * rng.standard_normal(len(values))))


def test_nan_is_divergence_at_that_epoch():
    d = diagnose({"loss": [2.3, 1.9, 1.5, float("nan"), float("nan")],
                  "val_loss": [2.2, 1.8, 1.6, float("nan"), float("nan")]})
    assert (d.kind, d.epoch, d.best_epoch) == (dg.DIVERGENCE, 4, 3)
    assert "NaN" in d.describe()


def test_exploding_training_loss_is_divergence_from_the_turn():
    loss = [2.3, 1.5, 1.2, 1.6, 3.0, 9.0, 40.0]
    d = diagnose({"loss": loss, "val_loss": [2.2, 1.4, 1.3, 1.8, 3.5, 10.0, 50.0]})
    assert d.kind == dg.DIVERGENCE
    assert d.epoch == 4          # epoch 3 was the last good one


def test_clean_overfitting_u_curve():
    e = np.arange(30)
    train = list(decaying(30, floor=0.01))
    val = list(0.3 + 0.002 * (e - 10) ** 2)     # minimum at epoch 11
    d = diagnose({"loss": train, "val_loss": val})
    assert d.kind == dg.OVERFITTING
    assert d.best_epoch == 11
    assert abs(d.epoch - 12) <= 1


@pytest.mark.parametrize("seed", range(20))
def test_noisy_overfitting_is_found_near_the_true_turn(seed):
    rng = np.random.default_rng(seed)
    e = np.arange(40)
    train = noisy(decaying(40, floor=0.02), rng, 0.03)
    val = noisy(0.3 + 0.0015 * np.maximum(e - 15, 0) ** 1.5 + 0.4 * np.exp(-0.3 * e), rng, 0.03)
    d = diagnose({"loss": train, "val_loss": val})
    assert d.kind == dg.OVERFITTING
    assert 10 <= d.epoch <= 24, d


def test_no_false_alarm_on_noisy_healthy_runs():
    """150 noisy runs that only improve or plateau: no alarm at any epoch of any of them
    (benchmarks/diagnosis_false_alarms.py runs thousands)."""
    false_alarms = []
    for seed in range(150):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(5, 40))
        rel = float(rng.uniform(0.0, 0.05))
        floor = float(rng.uniform(0.02, 0.5))
        rate = float(rng.uniform(0.3, 1.5))          # converges within a few epochs
        train = noisy(decaying(n, 2.3, floor * 0.8, rate), rng, rel)
        val = noisy(decaying(n, 2.3, floor, rate), rng, rel)
        for k in range(1, n + 1):
            d = diagnose({"loss": train[:k], "val_loss": val[:k]}, LN10)
            if d.kind in (dg.OVERFITTING, dg.DIVERGENCE):
                false_alarms.append((seed, k, d.kind, d.epoch))
        final = diagnose({"loss": train, "val_loss": val}, LN10)
        if final.kind == dg.UNDERFITTING and n > 15:
            false_alarms.append((seed, n, final.kind, final.epoch))
    assert false_alarms == []


def test_noisy_plateau_with_one_wild_epoch_is_fine():
    rng = np.random.default_rng(3)
    train = noisy(np.full(20, 0.10), rng, 0.03)
    val = noisy(np.full(20, 0.15), rng, 0.03)
    val[-1] = 0.25                                  # one bad epoch at the very end
    assert diagnose({"loss": train, "val_loss": val}).kind == dg.FINE
    val[-2] = 0.24                                  # two: still not "several"
    assert diagnose({"loss": train, "val_loss": val}).kind == dg.FINE


def test_underfitting_needs_high_losses_when_chance_is_known():
    train = list(decaying(12, 2.3, 0.0, 0.08))
    val = [v * 1.02 for v in train]
    assert diagnose({"loss": train, "val_loss": val}, LN10).kind == dg.UNDERFITTING
    low = [v / 20 for v in train]                  # far below chance: more epochs, not underfitting
    assert diagnose({"loss": low, "val_loss": [v * 1.02 for v in low]}, LN10).kind == dg.FINE


def test_generalisation_gap_is_not_underfitting():
    train = list(decaying(10, 2.0, 0.0, 0.2))
    val = [v * 1.6 for v in train]                 # still falling, but training is far below
    assert diagnose({"loss": train, "val_loss": val}).kind == dg.FINE


def test_training_loss_only_and_per_epoch_logs():
    logs = [{"loss": v} for v in decaying(10, 2.0, 0.0, 0.1)]
    d = diagnose(logs)
    assert d.kind == dg.UNDERFITTING and d.best_epoch == 10
    logs = [{"loss": l, "val_loss": v} for l, v in zip(*[recorded("mnist_dense_overfit")[k]
                                                         for k in ("loss", "val_loss")])]
    assert diagnose(logs).kind == dg.OVERFITTING


def test_too_few_epochs_and_empty():
    assert diagnose({"loss": []}).kind == dg.EARLY
    d = diagnose({"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]})
    assert d.kind == dg.EARLY and d.best_epoch == 2 and not d.alarm


def test_chance_levels():
    assert dg.chance_loss("sparse_categorical_crossentropy", 10) == pytest.approx(LN10)
    assert dg.chance_loss("binary_crossentropy") == pytest.approx(math.log(2))
    assert dg.chance_loss("mse", target_variance=4.0) == 4.0
    assert dg.chance_loss("mae") is None
