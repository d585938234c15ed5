"""The trainer trains tiny models for real: listener events, stop, pause/resume, early stopping,
NaN, seeds, checkpoints."""
import math
import threading

import numpy as np
import pytest

from desktop_dl.core.datasets import Splits
from desktop_dl.engine.trainer import Trainer, TrainSettings, divergence_message

keras = pytest.importorskip("keras")


def blobs(n=240, classes=3, features=8, seed=0, test=0, val=60):
    """Separable Gaussian blobs: a dense net learns them in a few epochs."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 3, (classes, features))
    y = rng.integers(0, classes, n + val + test)
    x = (centres[y] + rng.normal(0, 1, (len(y), features))).astype("float32")
    y = y.astype("int64")
    return Splits(x[:n], y[:n], x[n:n + val], y[n:n + val], x[n + val:], y[n + val:],
                  task="multiclass", class_names=[str(i) for i in range(classes)])


def dense_model(features=8, classes=3, lr=0.01, optimizer="adam"):
    model = keras.Sequential([keras.Input((features,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(classes, activation="softmax")])
    opt = keras.optimizers.SGD(lr) if optimizer == "sgd" else keras.optimizers.Adam(lr)
    model.compile(opt, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class Recorder:
    def __init__(self):
        self.begin = None
        self.batches = []
        self.epochs = []
        self.result = None

    def on_train_begin(self, info):
        self.begin = info

    def on_batch_end(self, epoch, batch, logs):
        self.batches.append((epoch, batch, logs))

    def on_epoch_end(self, epoch, logs):
        self.epochs.append((epoch, logs))

    def on_train_end(self, result):
        self.result = result


@pytest.mark.slow
def test_listener_receives_batches_epochs_and_the_result(tmp_path):
    rec = Recorder()
    splits = blobs(test=60)
    checkpoint = tmp_path / "best.keras"
    settings = TrainSettings(epochs=3, batch_size=32, checkpoint_path=str(checkpoint))
    result = Trainer(dense_model(), splits, settings, rec).run()
    assert result.status == "completed" and result.ok
    assert rec.begin["steps_per_epoch"] == math.ceil(240 / 32) and rec.begin["epochs"] == 3
    assert len(rec.batches) == 3 * 8
    assert [e for e, _ in rec.epochs] == [0, 1, 2]
    assert {"loss", "val_loss", "accuracy", "val_accuracy", "learning_rate"} <= set(rec.epochs[-1][1])
    assert rec.result is result
    assert len(result.history["loss"]) == 3
    assert result.history["val_accuracy"][-1] > 0.8
    assert result.samples_per_second > 0
    # The test set was evaluated and analysed.
    ev = result.evaluation
    assert ev.counts.sum() == 60 and "accuracy" in ev.metrics

    # "batch_loss" is each batch's own loss: Keras' running mean is its sample-weighted mean.
    logs = [l for e, _, l in rec.batches if e == 0]
    sizes = [32] * 7 + [240 - 7 * 32]
    raw = np.array([l["batch_loss"] for l in logs])
    assert np.allclose(np.cumsum(raw * sizes) / np.cumsum(sizes), [l["loss"] for l in logs], rtol=1e-4)
    assert logs[-1]["samples"] == 240

    # The best epoch was saved as a loadable .keras file.
    assert checkpoint.is_file()
    assert keras.models.load_model(checkpoint).count_params() == result.model.count_params()


@pytest.mark.slow
def test_stop_finishes_the_current_batch_and_keeps_the_weights():
    class StopAfterThree(Recorder):
        def on_batch_end(self, epoch, batch, logs):
            super().on_batch_end(epoch, batch, logs)
            if len(self.batches) == 3:
                trainer.stop()

    rec = StopAfterThree()
    model = dense_model()
    before = [w.copy() for w in model.get_weights()]
    trainer = Trainer(model, blobs(), TrainSettings(epochs=50, batch_size=16), rec)
    result = trainer.run()
    assert result.status == "stopped"
    assert len(rec.batches) == 3
    assert result.model is model
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


@pytest.mark.slow
def test_pause_blocks_between_batches_resume_continues_and_stop_wakes_it():
    batches = []
    paused = threading.Event()

    class PauseAtTwoAndSix:
        def on_batch_end(self, epoch, batch, logs):
            batches.append((epoch, batch))
            if len(batches) in (2, 6):
                trainer.pause()
                paused.set()

    trainer = Trainer(dense_model(), blobs(), TrainSettings(epochs=20, batch_size=32), PauseAtTwoAndSix())
    out = {}
    worker = threading.Thread(target=lambda: out.setdefault("r", trainer.run()))
    worker.start()
    assert paused.wait(30)
    worker.join(timeout=0.5)
    assert worker.is_alive() and trainer.paused       # waiting between batches, not training
    assert len(batches) == 2
    paused.clear()
    trainer.resume()
    assert paused.wait(30)                            # trained on until the second pause
    assert len(batches) == 6
    trainer.stop()                                    # stop wakes the paused run
    worker.join(timeout=30)
    assert not worker.is_alive()
    assert out["r"].status == "stopped" and len(batches) == 6
    assert out["r"].message.startswith("Stopped by you in epoch 1 of 20")


@pytest.mark.slow
def test_early_stopping_stops_when_validation_stalls():
    splits = blobs()
    # Labels of the validation set are noise: val_loss cannot keep improving.
    rng = np.random.default_rng(1)
    splits.y_val = rng.integers(0, 3, len(splits.y_val))
    result = Trainer(dense_model(lr=0.05), splits, TrainSettings(epochs=40, batch_size=32, early_stopping=2)).run()
    assert result.status == "early_stopped"
    val = result.history["val_loss"]
    assert len(val) < 40
    assert result.best_epoch == int(np.argmin(val)) == len(val) - 3
    assert "best epoch" in result.message
    # The model holds the best epoch's weights, not the last ones.
    loss = result.model.evaluate(splits.x_val, splits.y_val, verbose=0)[0]
    assert loss == pytest.approx(val[result.best_epoch], rel=1e-3)


def test_nan_loss_stops_the_run_with_a_learning_rate_hint():
    splits = blobs()
    splits.x_train = splits.x_train * 1e6
    # A regression output: a clipped cross-entropy (JAX's) would stay finite however large the
    # inputs; a squared error overflows on every backend.
    splits.y_train, splits.y_val = splits.y_train.astype("float32"), splits.y_val.astype("float32")
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(10.0), "mse")
    rec = Recorder()
    result = Trainer(model, splits, TrainSettings(epochs=5, batch_size=16), rec, task="regression").run()
    assert result.status == "diverged" and not result.ok
    assert result.message.startswith("The loss became NaN at epoch 1, batch ") or "infinite" in result.message
    assert "learning rate 10 is probably too high; try 0.01" in result.message
    assert result.evaluation is None
    assert len(rec.epochs) <= 1


def test_divergence_message_reads_like_the_brief():
    assert divergence_message(2, 14, 10, "adam") == (
        "The loss became NaN at epoch 2, batch 14: the learning rate 10 is probably too high; try 0.001.")
    assert "inputs are scaled" in divergence_message(1, 1, 0.001, "adam")


@pytest.mark.slow
def test_seeded_runs_are_identical():
    splits = blobs()

    def run():
        keras.utils.set_random_seed(123)  # same initial weights for the model built here
        model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dropout(0.3), keras.layers.Dense(3, activation="softmax")])
        model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
        return Trainer(model, splits, TrainSettings(epochs=2, batch_size=32, seed=7)).run()

    a, b = run(), run()
    assert a.history["loss"] == b.history["loss"]
    assert a.history["val_accuracy"] == b.history["val_accuracy"]


def test_bad_settings_are_user_errors():
    from desktop_dl.core.errors import UserError
    with pytest.raises(UserError, match="optimizer"):
        Trainer(dense_model(), blobs(), TrainSettings(optimizer="adamax")).run()
    with pytest.raises(UserError, match="learning rate"):
        Trainer(dense_model(), blobs(), TrainSettings(learning_rate=-1)).run()
