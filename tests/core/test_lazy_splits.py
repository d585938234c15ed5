"""Splits read from disk on demand are the same splits, and an image folder can stay on disk."""
import numpy as np
import pytest
from PIL import Image

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.image_folder import load_image_folder
from desktop_dl.core.datasets.lazy_splits import LazySplitArray, lazy_splits
from desktop_dl.core.errors import DatasetError
from desktop_dl.paths import resource


@pytest.fixture
def mnist_npz(tmp_path):
    """The bundled digits as an uncompressed npz (memory-mapped by the reader), sorted by class."""
    with np.load(resource("mnist_5k.npz")) as data:
        x, y = data["x"][:1200], data["y"][:1200]
    path = tmp_path / "digits.npz"
    np.savez(path, x=x, y=y)
    return path


def test_lazy_splits_are_the_same_splits(mnist_npz):
    dataset = load_dataset(mnist_npz)
    assert isinstance(dataset.x, np.memmap)
    eager = dataset.splits(validation=0.2, test=0.1, seed=3)
    lazy = lazy_splits(dataset, validation=0.2, test=0.1, seed=3)
    for name in ("x_train", "x_val", "x_test"):
        part = getattr(lazy, name)
        assert isinstance(part, LazySplitArray) and part.shape == getattr(eager, name).shape
        np.testing.assert_array_equal(part[:], getattr(eager, name))
    np.testing.assert_array_equal(lazy.y_train, eager.y_train)
    # Any order of rows, as a shuffled batch asks for them.
    rows = np.array([17, 3, 800, 4, 5])
    np.testing.assert_array_equal(lazy.x_train[rows], eager.x_train[rows])
    np.testing.assert_array_equal(lazy.x_train[7], eager.x_train[7])
    assert lazy.preprocessing == eager.preprocessing


def test_a_keras_file_with_its_own_test_split_streams_too(tmp_path):
    with np.load(resource("mnist_5k.npz")) as data:
        x, y = data["x"], data["y"]
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=x[:800], y_train=y[:800], x_test=x[4000:4200], y_test=y[4000:4200])
    dataset = load_dataset(path)
    eager, lazy = dataset.splits(0.1, 0.1, 0), lazy_splits(dataset, 0.1, 0.1, 0)
    np.testing.assert_array_equal(lazy.x_test[:], eager.x_test)
    np.testing.assert_array_equal(lazy.x_val[:], eager.x_val)


def _folder(tmp_path, per_class=8):
    rng = np.random.default_rng(0)
    for cls in ("cat", "dog", "eel"):
        (tmp_path / cls).mkdir()
        for i in range(per_class):
            pixels = rng.integers(0, 256, size=(40, 30), dtype=np.uint8)
            Image.fromarray(pixels).save(tmp_path / cls / f"{i}.png")
    return tmp_path


def test_a_lazy_image_folder_decodes_only_what_is_read(tmp_path):
    folder = _folder(tmp_path)
    eager = load_image_folder(folder, size=16)
    lazy = load_image_folder(folder, size=16, lazy=True)
    assert lazy.x.shape == eager.x.shape and lazy.class_names == eager.class_names
    assert any("decoded while training reads them" in note for note in lazy.notes)
    a, b = eager.splits(0.25, 0.0, 1), lazy_splits(lazy, 0.25, 0.0, 1)
    np.testing.assert_array_equal(b.x_train[:], a.x_train)
    np.testing.assert_array_equal(b.y_val, a.y_val)


def test_an_unreadable_image_is_named_when_training_reaches_it(tmp_path):
    folder = _folder(tmp_path, per_class=3)
    (folder / "dog" / "1.png").write_bytes(b"not a png")
    lazy = load_image_folder(folder, size=16, lazy=True)
    splits = lazy_splits(lazy, 0.0, 0.0, 0)
    with pytest.raises(DatasetError, match=r"'dog/1.png' cannot be read.*Remove it"):
        splits.x_train[:]


def test_only_images_stream():
    with pytest.raises(DatasetError, match="only images are read from disk"):
        lazy_splits(load_dataset("iris"))
