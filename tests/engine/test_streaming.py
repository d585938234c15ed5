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


@pytest.mark.slow
def test_cli_trains_a_lazy_image_folder_and_exports_it(tmp_path, capsys):
    import json

    from PIL import Image

    from desktop_dl.cli import main
    from desktop_dl.core.spec import ModelSpec as Spec
    rng = np.random.default_rng(0)
    for c in range(3):
        (tmp_path / "data" / f"class{c}").mkdir(parents=True)
        for i in range(30):
            pixels = rng.integers(0, 60, size=(28, 28), dtype=np.uint8)
            pixels[c * 9:(c + 1) * 9] += 180
            Image.fromarray(pixels).save(tmp_path / "data" / f"class{c}" / f"{i}.png")
    Spec((28, 28, 1), [LayerSpec("Flatten", {}), LayerSpec("Dense", {"units": 3, "activation": "softmax"})],
         name="tiny").save(tmp_path / "tiny.json")
    code = main(["train", "--spec", str(tmp_path / "tiny.json"), "--dataset", str(tmp_path / "data"),
                 "--stream", "--epochs", "3", "--learning-rate", "0.05", "--out", str(tmp_path / "run")])
    final = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0 and final["metrics"]["val_accuracy"] == 1.0
    assert (tmp_path / "run" / "model.onnx").is_file()
