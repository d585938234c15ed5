"""The trainer trains on splits read from disk batch by batch (keras.utils.PyDataset)."""
import numpy as np
import pytest

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.lazy_splits import lazy_splits
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.engine.streaming import batches
from desktop_dl.engine.trainer import Trainer, TrainSettings
from desktop_dl.paths import resource

keras = pytest.importorskip("keras")


@pytest.fixture
def streamed(tmp_path):
    with np.load(resource("mnist_5k.npz")) as data:
        np.savez(tmp_path / "digits.npz", x=data["x"], y=data["y"])
    return lazy_splits(load_dataset(tmp_path / "digits.npz"), validation=0.1, test=0.1, seed=0)


def test_each_epoch_visits_every_training_sample_once_in_a_new_order(streamed):
    data = batches(streamed.x_train, streamed.y_train, 512, shuffle=True, seed=0)
    seen = [np.concatenate([data[i][1] for i in range(len(data))]) for _ in range(2) if not data.on_epoch_end()]
    assert len(data) == 8 and all(len(s) == 4000 for s in seen)
    assert all(np.array_equal(np.bincount(s), np.bincount(streamed.y_train)) for s in seen)
    first = data[0][0]
    assert first.shape == (512, 28, 28, 1) and first.dtype == np.float32


@pytest.mark.slow
def test_training_and_evaluation_read_from_disk(streamed):
    spec = ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                   LayerSpec("Dense", {"units": 10, "activation": "softmax"})])
    result = Trainer(spec, streamed, TrainSettings(epochs=2, batch_size=128, learning_rate=0.01)).run()
    assert result.ok and result.history["val_accuracy"][-1] > 0.8
    assert result.evaluation.metrics["accuracy"] > 0.8
    assert result.evaluation.counts.sum() == len(streamed.y_test)
