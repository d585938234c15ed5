"""Splits of an image dataset that are read from disk batch by batch, for data larger than memory.

`Dataset.splits()` makes float32 arrays of every sample (four times the uint8 pixels). For an
image dataset whose pixels stay on disk — a memory-mapped npz member or IDX file, or an image
folder opened with `lazy=True` — `lazy_splits()` gives the same split (same seed, same indices,
same preprocessing) whose inputs are `LazySplitArray`s: indexing one reads only those samples.
Memory-mapped files are read with positioned reads (`os.pread`), not through the map, so the
pages read do not stay in this process's resident memory: peak RSS does not grow with the file
(benchmarks/bench_streaming_rss.py measures it). The engine feeds them to Keras through a
`keras.utils.PyDataset` (engine/streaming.py).
"""
from __future__ import annotations

import os

import numpy as np

from desktop_dl.core.datasets.dataset import ImageDataset
from desktop_dl.core.datasets.splits import Splits
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import N_, _

KIND_NAMES = {"image": N_("image"), "table": N_("table"), "sequence": N_("sequence")}


class LazySplitArray:
    """One split's model inputs (float32, batch first), made when indexed.

    `x[i]`, `x[i:j]` and `x[index_array]` return numpy arrays shaped (n, *input_shape); `len(x)`
    and `x.shape` cost nothing. `np.asarray(x)` reads everything: avoid it for large data.
    """

    def __init__(self, dataset: ImageDataset, indices: np.ndarray):
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64)
        self.dtype = np.dtype(np.float32)
        self.shape = (len(self.indices), *dataset.input_shape)
        self.ndim = len(self.shape)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, key) -> np.ndarray:
        if isinstance(key, (int, np.integer)):
            return self._read(self.indices[[int(key)]])[0]
        return self._read(self.indices[key])

    def __array__(self, dtype=None, copy=None):
        out = self._read(self.indices)
        return out if dtype is None else out.astype(dtype)

    def _read(self, wanted: np.ndarray) -> np.ndarray:
        # Read in file order (sequential runs), then put the rows back in the order asked for.
        order = np.argsort(wanted, kind="stable")
        raw = raw_rows(self.dataset, wanted[order])
        out = np.empty_like(raw)
        out[order] = raw
        return self.dataset.to_model_input(out)


def raw_rows(dataset: ImageDataset, idx: np.ndarray) -> np.ndarray:
    """Stored pixels of samples `idx` (sorted), read without keeping the file's pages mapped."""
    n_train = len(dataset._y_train)
    if dataset._y_test is None or idx.size == 0 or idx.max() < n_train:
        return _rows(dataset.x, idx)
    in_train = idx < n_train
    out = np.empty((len(idx), *dataset.image_shape), dtype=dataset.x.dtype)
    out[in_train] = _rows(dataset.x, idx[in_train])
    out[~in_train] = _rows(dataset.x_test, idx[~in_train] - n_train)
    return out


def _rows(array, idx: np.ndarray) -> np.ndarray:
    if not isinstance(array, np.memmap) or not array.flags.c_contiguous or array.filename is None \
            or idx.size == 0:
        return np.asarray(array[idx])
    row = int(np.prod(array.shape[1:], dtype=np.int64)) * array.dtype.itemsize
    out = np.empty((len(idx), *array.shape[1:]), dtype=array.dtype)
    flat = out.reshape(len(idx), row // array.dtype.itemsize).view(np.uint8)
    fd = os.open(array.filename, os.O_RDONLY)
    try:
        start = 0
        while start < len(idx):     # one read per run of consecutive rows
            end = start + 1
            while end < len(idx) and idx[end] == idx[end - 1] + 1:
                end += 1
            size = (end - start) * row
            data = os.pread(fd, size, array.offset + int(idx[start]) * row)
            if len(data) != size:
                raise DatasetError(_("'{basename}' ends early: it was changed or truncated "
                                     "while training. Import it again.",
                                     basename=os.path.basename(array.filename)))
            flat[start:end] = np.frombuffer(data, np.uint8).reshape(end - start, -1)
            start = end
    finally:
        os.close(fd)
    return out


def lazy_splits(dataset, validation: float = 0.1, test: float = 0.1, seed: int = 0) -> Splits:
    """The same split as `dataset.splits(validation, test, seed)`, with inputs read on demand.

    Only image datasets stream; others raise DatasetError (tables and token sequences are small
    enough to hold, and read whole by their readers anyway).
    """
    if not isinstance(dataset, ImageDataset):
        raise DatasetError(_("'{title}' is a {kind} dataset; only images are read from disk "
                             "while training. Train it normally (it is held in memory).",
                             title=dataset.title, kind=_(KIND_NAMES.get(dataset.kind, dataset.kind))))
    train, val, tst = dataset._indices(validation, test, seed)
    return Splits(LazySplitArray(dataset, train), dataset._targets(train),
                  LazySplitArray(dataset, val), dataset._targets(val),
                  LazySplitArray(dataset, tst), dataset._targets(tst),
                  task=dataset.task, class_names=list(dataset.class_names),
                  input_shape=tuple(dataset.input_shape), preprocessing=dataset.preprocessing)


def is_lazy(x) -> bool:
    """True when `x` is a LazySplitArray (inputs made when indexed, not held in memory)."""
    return isinstance(x, LazySplitArray)
