"""Feeding splits that live on disk (core/datasets/lazy_splits.py) to Keras, batch by batch.

`keras.utils.PyDataset` works on every backend (TensorFlow, JAX, PyTorch), unlike `tf.data`.
Each batch reads only its own samples; the training order is reshuffled every epoch from the
run's seed, so a seeded run is repeatable. Keras is imported inside the function.
"""
from __future__ import annotations

import math

import numpy as np


def batches(x, y, batch_size: int, shuffle: bool = False, seed: int | None = 0, workers: int = 1):
    """A keras.utils.PyDataset of (inputs, targets) batches over a LazySplitArray and its labels.

    `workers` > 1 reads upcoming batches in threads (decoding image files overlaps training).
    ceil(N / batch_size) batches of at most `batch_size` samples; inputs as `x[rows]` gives them,
    targets as np.asarray(y)[rows]. `shuffle` draws a new order every epoch from a numpy Generator
    seeded with `seed`.
    """
    import keras

    class SplitBatches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__(workers=workers, use_multiprocessing=False)
            self._rng = np.random.default_rng(seed)
            self._order = self._rng.permutation(len(y)) if shuffle else np.arange(len(y))

        def __len__(self):
            return math.ceil(len(y) / batch_size)

        def __getitem__(self, index):
            rows = self._order[index * batch_size:(index + 1) * batch_size]
            return x[rows], np.asarray(y)[rows]

        def on_epoch_end(self):
            if shuffle:
                self._order = self._rng.permutation(len(y))

    return SplitBatches()
