"""Built-in datasets and seeded, stratified splits."""
import numpy as np
import pytest

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.splits import split_indices
from desktop_dl.core.errors import DatasetError


@pytest.fixture(scope="module")
def mnist():
    return load_dataset("mnist-5k")


def test_mnist_5k_contract(mnist):
    assert (mnist.name, mnist.kind, mnist.task) == ("mnist-5k", "image", "multiclass")
    assert mnist.input_shape == (28, 28, 1)
    assert mnist.class_names == [str(d) for d in range(10)]
    assert len(mnist) == 5000
    assert mnist.class_counts().tolist() == [500] * 10
    assert mnist.raw_sample(0).shape == (28, 28) and mnist.raw_sample(0).dtype == np.uint8
    assert set(mnist.labels[mnist.indices_of_class(3)]) == {3}
    assert mnist.preprocessing["digit_normalisation"] == "mnist"


def test_mnist_5k_splits_are_ready_stratified_and_seeded(mnist):
    s = mnist.splits(validation=0.1, test=0.2, seed=1)
    x_train, y_train, x_val, y_val, x_test, y_test = s
    assert x_train.shape == (3500, 28, 28, 1) and x_train.dtype == np.float32
    assert 0.0 <= x_train.min() and x_train.max() == pytest.approx(1.0)
    assert y_train.dtype.kind == "i"
    assert np.bincount(y_val).tolist() == [50] * 10
    assert np.bincount(y_test).tolist() == [100] * 10
    assert s.sizes() == {"train": 3500, "validation": 500, "test": 1000}
    again = mnist.splits(validation=0.1, test=0.2, seed=1)
    assert np.array_equal(again.y_train, y_train) and np.array_equal(again.x_val, x_val)
    other = mnist.splits(validation=0.1, test=0.2, seed=2)
    assert not np.array_equal(other.y_train, y_train)
    # batches mix the classes (the file is sorted by class)
    assert len(set(y_train[:20].tolist())) > 3


def test_split_indices_cover_every_sample_once():
    labels = np.repeat(np.arange(3), [10, 20, 30])
    train, val, test = split_indices(60, 0.2, 0.1, seed=0, labels=labels)
    joined = np.sort(np.concatenate([train, val, test]))
    assert np.array_equal(joined, np.arange(60))
    assert np.bincount(labels[val]).tolist() == [2, 4, 6]


@pytest.mark.parametrize("val,test", [(0.5, 0.45), (-0.1, 0.1), (0.1, 1.2)])
def test_bad_fractions_are_refused_with_a_message(mnist, val, test):
    with pytest.raises(DatasetError, match="fraction|training"):
        mnist.splits(validation=val, test=test)


def test_unknown_name_lists_the_builtins():
    with pytest.raises(DatasetError, match="mnist-5k"):
        load_dataset("no-such-dataset")


@pytest.mark.parametrize("val,test", [(0.1, 0.1), (0.15, 0.25), (0.0, 0.33), (0.07, 0.0)])
def test_split_sizes_match_the_real_splits(mnist, val, test):
    assert mnist.split_sizes(val, test) == mnist.splits(val, test, seed=4).sizes()
