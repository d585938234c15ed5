"""Hostile array files: declared sizes are checked before anything is allocated; pickles run nothing."""
import resource
import tarfile
import io
import pickle

import numpy as np
import pytest

import hostile_files as hf
from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.keras_files import load_cifar10, load_keras_file
from desktop_dl.core.errors import DatasetError


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize("build, match", [
    (lambda d: hf.npz_declared_huge(d / "huge.npz"), "truncated|accepts up to"),
    (lambda d: hf.npz_zip_bomb(d / "bomb.npz"), "zip bomb"),
    (lambda d: hf.npz_object_pickle(d / "objects.npz", d), "Python objects"),
    (lambda d: hf.idx_declared_huge(d), "says it holds"),
    (lambda d: hf.idx_gzip_bomb(d), "zip bomb"),
])
def test_declared_sizes_are_refused_before_allocating(tmp_path, build, match):
    path = build(tmp_path)
    before = _peak_mb()
    with pytest.raises(DatasetError, match=match) as info:
        load_dataset(path)
    named = path.name if path.is_file() else "train-images-idx3-ubyte.gz"
    assert named in str(info.value)
    assert _peak_mb() - before < 150          # nothing near the declared size was allocated
    assert not hf.marker(tmp_path).exists()


def test_a_keras_pickle_runs_no_code(tmp_path):
    path = hf.npz_object_pickle(tmp_path / "imdb.npz", tmp_path)
    with pytest.raises(DatasetError, match="refusing builtins.open|damaged"):
        load_keras_file("imdb", path)
    assert not hf.marker(tmp_path).exists()


def test_a_cifar_member_that_is_not_a_batch_is_refused(tmp_path):
    path = tmp_path / "cifar-10-python.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, obj in (("data_batch_1", {b"data": np.zeros((2, 5), np.uint8), b"labels": [0, 1]}),
                          ("test_batch", [1, 2, 3])):
            raw = pickle.dumps(obj, protocol=4)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{name}")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    with pytest.raises(DatasetError, match="not a CIFAR-10 batch"):
        load_cifar10(path)


def test_a_cifar_tar_bomb_is_refused(tmp_path):
    path = tmp_path / "cifar-10-python.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo("cifar-10-batches-py/data_batch_1")
        info.size = 100 << 20
        tar.addfile(info, io.BytesIO(bytes(info.size)))
    with pytest.raises(DatasetError, match="zip bomb"):
        load_cifar10(path)
