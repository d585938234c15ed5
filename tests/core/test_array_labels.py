"""npz/IDX arrays with labels and pixels as people save them: mapped and scaled, with notes."""
from pathlib import Path

import numpy as np
import pytest

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.mnist_files import write_idx
from desktop_dl.core.errors import DatasetError

FIELD = Path(__file__).resolve().parent.parent / "data" / "field"


def _images(n, side=8, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, side, side), dtype=np.uint8)


def test_field_10_labels_1_to_10_become_ten_classes_named_1_to_10():
    ds = load_dataset(FIELD / "10-labels-1-to-10" / "digits_1to10.npz")
    assert ds.class_names == [str(i) for i in range(1, 11)]
    assert len(ds.class_names) == 10 and ds.labels.min() == 0 and ds.labels.max() == 9
    with np.load(FIELD / "10-labels-1-to-10" / "digits_1to10.npz") as f:
        original = f["y"]
    assert [ds.label_text(i) for i in range(20)] == [str(v) for v in original[:20]]
    assert "mapped to class numbers 0..9" in " ".join(ds.notes)
    s = ds.splits(validation=0.1, test=0.1)
    assert s.y_train.max() == 9 and s.class_names[9] == "10"


@pytest.mark.parametrize("labels, names", [
    ([1, 2, 3, 1, 2, 3], ["1", "2", "3"]),
    ([-1, 1, -1, 1, 1, -1], ["-1", "1"]),
    ([3, 7, 9, 3, 7, 9], ["3", "7", "9"]),
    (["cat", "dog", "cat", "bird", "dog", "bird"], ["bird", "cat", "dog"]),
    ([b"no", b"yes", b"no", b"yes", b"no", b"yes"], ["no", "yes"]),
    ([1.0, 2.0, 1.0, 2.0, 1.0, 2.0], ["1", "2"]),
])
def test_labels_that_are_not_0_to_k_are_mapped_and_named(tmp_path, labels, names):
    y = np.array(labels)
    np.savez(tmp_path / "d.npz", x=_images(len(y)), y=y)
    ds = load_dataset(tmp_path / "d.npz")
    assert ds.class_names == names
    assert [ds.class_names[ds.label(i)] for i in range(len(y))] == \
        [v.decode() if isinstance(v, bytes) else str(int(v)) if isinstance(v, float) else str(v)
         for v in labels]
    assert "mapped" in " ".join(ds.notes)


def test_labels_0_to_k_are_unchanged_without_a_note(tmp_path):
    np.savez(tmp_path / "d.npz", x=_images(6), y=np.array([0, 1, 2, 0, 1, 2]))
    ds = load_dataset(tmp_path / "d.npz")
    assert ds.class_names == ["0", "1", "2"] and not ds.notes


def test_mnist_digits_with_some_digits_absent_keep_ten_classes(tmp_path):
    np.savez(tmp_path / "d.npz", x=_images(4, side=28), y=np.array([3, 7, 3, 7], np.uint8))
    ds = load_dataset(tmp_path / "d.npz")
    assert ds.class_names == [str(d) for d in range(10)] and ds.label(1) == 7


def test_one_hot_labels_are_argmaxed_with_a_note(tmp_path):
    y = np.eye(3, dtype=np.float32)[[0, 2, 1, 2]]
    np.savez(tmp_path / "d.npz", x_train=_images(4), y_train=y, x_test=_images(2),
             y_test=np.eye(3, dtype=np.float32)[[1, 0]])
    ds = load_dataset(tmp_path / "d.npz")
    assert ds.labels.tolist() == [0, 2, 1, 2, 1, 0] and "one-hot" in ds.notes[0]


def test_idx_labels_1_to_10(tmp_path):
    y = (np.arange(20) % 10 + 1).astype(np.uint8)
    write_idx(tmp_path / "train-images-idx3-ubyte", _images(20, side=28))
    write_idx(tmp_path / "train-labels-idx1-ubyte", y)
    ds = load_dataset(tmp_path)
    assert ds.class_names[-1] == "10" and ds.label_text(9) == "10" and len(ds.class_names) == 10


def test_uint16_images_are_scaled_by_their_real_range(tmp_path):
    x = np.zeros((4, 8, 8), np.uint16)
    x[0, 0, 0], x[1, 0, 0], x[2, 0, 0] = 1000, 3000, 2000
    x[:] += 1000
    np.savez(tmp_path / "d.npz", x=x, y=np.array([0, 1, 0, 1]))
    ds = load_dataset(tmp_path / "d.npz")
    # (v − 1000) · 255 / 3000: 1000 → 0, 2000 → 85, 4000 → 255, 3000 → 170
    assert ds.raw_sample(0)[0, 0] == 85 and ds.raw_sample(1)[0, 0] == 255
    assert ds.raw_sample(2)[0, 0] == 170 and ds.raw_sample(3)[0, 0] == 0
    assert "1000..4000" in ds.notes[0]


def test_float_images_in_0_1_and_in_other_ranges(tmp_path):
    x = np.zeros((2, 4, 4), np.float32)
    x[0, 0, 0] = 1.0
    x[1, 0, 0] = 0.5
    np.savez(tmp_path / "a.npz", x=x, y=np.array([0, 1]))
    ds = load_dataset(tmp_path / "a.npz")
    assert ds.raw_sample(0)[0, 0] == 255 and ds.raw_sample(1)[0, 0] == 128
    np.savez(tmp_path / "b.npz", x=x * 4 - 2, y=np.array([0, 1]))      # −2..2
    ds = load_dataset(tmp_path / "b.npz")
    assert ds.raw_sample(0)[0, 0] == 255 and ds.raw_sample(0)[1, 1] == 0
    assert "scaled from that range" in ds.notes[0]


def test_fractional_labels_are_refused(tmp_path):
    np.savez(tmp_path / "d.npz", x=_images(2), y=np.array([0.5, 1.5]))
    with pytest.raises(DatasetError, match="fractional"):
        load_dataset(tmp_path / "d.npz")
