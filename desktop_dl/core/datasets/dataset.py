"""The Dataset contract (docs/ARCHITECTURE.md) and its image and sequence forms.

A Dataset keeps its raw samples as stored (uint8 pixels, token ids) so the browser can show
sample i, its label and the indices of a class without materialising anything; `splits()` is
where arrays ready for the model (float32 inputs, int labels, float targets) are made.
"""
from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl.core.datasets.splits import Splits, check_fractions, split_indices, split_share
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import _

KINDS = ("image", "table", "sequence")
TASKS = ("multiclass", "binary", "multilabel", "regression")


def task_for_classes(count: int) -> str:
    """The task for `count` classes: "binary" for exactly 2, else "multiclass"."""
    return "binary" if count == 2 else "multiclass"


class Dataset(ABC):
    """Base: subclasses provide `_label_array`, `raw_sample`, `input_shape` and `_make_splits`."""

    kind = "image"

    def __init__(self, name: str, title: str, task: str, class_names: list[str] | None = None,
                 description: str = "", source: str | None = None,
                 options: dict[str, Any] | None = None, warnings: list[str] | None = None,
                 notes: list[str] | None = None):
        if task not in TASKS:
            raise ValueError(f"unknown task {task!r}")   # a programming error, not shown
        self.name = name
        self.title = title
        self.task = task
        self.class_names = list(class_names or [])
        self.description = description
        self.source = source            # the file or folder it came from (None when built in)
        self.options = dict(options or {})
        self.warnings = list(warnings or [])   # things skipped or fixed while reading, for the user
        self.notes = list(notes or [])         # what the reader found and decided (shown too)
        # The split the user chose in the browser: trainers call dataset.splits(**split_options).
        self.split_options: dict[str, float | int] = {"validation": 0.1, "test": 0.1, "seed": 0}
        self._preprocessing: dict[str, Any] = {}
        self._class_index: dict[int, np.ndarray] = {}
        self._sha256: str | None = None

    # -- what every dataset knows ---------------------------------------------------------------
    @property
    @abstractmethod
    def input_shape(self) -> tuple:
        """Per-sample shape the model receives, e.g. (28, 28, 1)."""

    @property
    def preprocessing(self) -> dict[str, Any]:
        """JSON-able description of how raw samples become model inputs (same at inference)."""
        return dict(self._preprocessing)

    @property
    def labels(self) -> np.ndarray:
        """Every sample's label (class index, or target value for regression), in sample order."""
        return self._label_array()

    @abstractmethod
    def _label_array(self) -> np.ndarray:
        """Every sample's label in sample order (what `labels` and `len` read)."""

    def __len__(self) -> int:
        return len(self._label_array())

    def label(self, i: int):
        """Sample i's label: an int class index, or a float for regression. IndexError when out of
        range."""
        value = self._label_array()[i]
        return float(value) if self.task == "regression" else int(value)

    def label_text(self, i: int) -> str:
        """Sample i's label as shown: the class name (the index as text if it has none), or the
        regression value with 4 significant digits."""
        value = self.label(i)
        if self.task == "regression":
            return f"{value:.4g}"
        return self.class_names[value] if value < len(self.class_names) else str(value)

    @abstractmethod
    def raw_sample(self, i: int) -> np.ndarray:
        """Sample i as stored (e.g. uint8 pixels), for the browser's grid and sample view."""

    def is_classification(self) -> bool:
        """True unless the task is "regression"."""
        return self.task != "regression"

    def indices_of_class(self, c: int) -> np.ndarray:
        """(k,) int64 indices of the samples labelled `c` (cached per class); empty when none."""
        if c not in self._class_index:
            self._class_index[c] = np.flatnonzero(self._label_array() == c)
        return self._class_index[c]

    def class_counts(self) -> np.ndarray:
        """(len(class_names),) int64 samples per class.

        Raises DatasetError for a regression dataset (it has no classes).
        """
        if not self.is_classification():
            raise DatasetError(_("'{title}' is a regression dataset: it has no classes to "
                                 "count.", title=self.title))
        labels = self._label_array().astype(np.int64)
        return np.bincount(labels, minlength=len(self.class_names))

    # -- splitting ------------------------------------------------------------------------------
    def fixed_test_count(self) -> int:
        """Samples kept as the test split by the file itself (Keras npz); 0 when none."""
        return 0

    def split_sizes(self, validation: float = 0.1, test: float = 0.1, seed: int = 0) -> dict[str, int]:
        """Sizes of splits(validation, test, seed) without making them (the seed changes which
        samples, never how many).

        Raises DatasetError when no samples would be left for training.
        """
        fixed = self.fixed_test_count()
        check_fractions(validation, 0.0 if fixed else test)
        labels = self._label_array()
        pool = len(labels) - fixed
        if self.is_classification():
            groups = np.bincount(labels[:pool].astype(np.int64))
            groups = groups[groups > 0]
        else:
            groups = np.array([pool])
        n_test = 0 if fixed else sum(split_share(int(g), test) for g in groups)
        n_val = sum(split_share(int(g), validation) for g in groups)
        if pool - n_test - n_val <= 0:
            raise DatasetError(_("No samples are left for training. Lower the validation and "
                                 "test fractions."))
        return {"train": pool - n_test - n_val, "validation": n_val, "test": fixed or n_test}

    def _indices(self, validation: float, test: float, seed: int):
        labels = self._label_array()
        fixed = self.fixed_test_count()
        pool = len(labels) - fixed
        strat = labels[:pool] if self.is_classification() else None
        if fixed:
            check_fractions(validation, 0.0)
            train, val, _unused = split_indices(pool, validation, 0.0, seed, strat)
            return train, val, np.arange(pool, len(labels))
        return split_indices(pool, validation, test, seed, strat)

    def splits(self, validation: float = 0.1, test: float = 0.1, seed: int = 0) -> Splits:
        """Seeded, stratified train/validation/test arrays ready for the model. When the file
        brought its own test split (Keras mnist.npz), that is the test split and `test` is unused."""
        train, val, tst = self._indices(validation, test, seed)
        x_train, y_train, x_val, y_val, x_test, y_test, prep = self._make_splits(train, val, tst)
        self._preprocessing = prep
        return Splits(x_train, y_train, x_val, y_val, x_test, y_test, task=self.task,
                      class_names=list(self.class_names), input_shape=tuple(self.input_shape),
                      preprocessing=prep)

    @abstractmethod
    def _make_splits(self, train, val, test):
        """Model-ready arrays for the three index sets, and the fitted preprocessing."""

    def _targets(self, idx: np.ndarray) -> np.ndarray:
        y = self._label_array()[idx]
        return y.astype(np.float32) if self.task == "regression" else y.astype(np.int32)

    # -- description ----------------------------------------------------------------------------
    def sha256(self) -> str | None:
        """Hash of the source file (for project files); None for folders and built-ins in memory."""
        if self._sha256 is None and self.source and Path(self.source).is_file():
            digest = hashlib.sha256()
            with open(self.source, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
            self._sha256 = digest.hexdigest()
        return self._sha256

    def summary(self) -> dict[str, Any]:
        """A JSON-ready dict: name, title, kind, task, samples (count), input_shape (list, no batch
        axis), classes, source and description."""
        return {"name": self.name, "title": self.title, "kind": self.kind, "task": self.task,
                "samples": len(self), "input_shape": list(self.input_shape),
                "classes": list(self.class_names), "source": self.source,
                "description": self.description}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} {self.task} n={len(self)} shape={self.input_shape}>"


class ImageDataset(Dataset):
    """Images stored as (N, H, W) or (N, H, W, C); inputs become float32 in 0..1 with a channel axis.

    `x` may be an array (a memory map is fine) or a zero-argument callable that loads it on first
    use, so labels and class counts are ready before the pixels are read.
    """

    kind = "image"

    def __init__(self, name: str, title: str, x, y: np.ndarray, class_names: list[str],
                 x_test=None, y_test: np.ndarray | None = None, digits: bool = False,
                 image_shape: tuple | None = None, **kwargs):
        super().__init__(name, title, task_for_classes(len(class_names)), class_names, **kwargs)
        self._x = x
        self._x_test = x_test
        self._y_train = np.asarray(y)
        self._y_test = None if y_test is None else np.asarray(y_test)
        self._y_all = (self._y_train if self._y_test is None
                       else np.concatenate([self._y_train, self._y_test]))
        self.digits = digits
        self._image_shape = tuple(image_shape) if image_shape else None
        self._preprocessing = self._describe_preprocessing()

    def _describe_preprocessing(self) -> dict[str, Any]:
        prep = {"kind": "image", "input_shape": list(self.input_shape), "pixel_scale": 1 / 255,
                "channels": self.input_shape[-1],
                "color": "grayscale" if self.input_shape[-1] == 1 else "rgb"}
        if self.digits:
            # Digits drawn or photographed are normalised like MNIST before inference.
            prep["digit_normalisation"] = "mnist"
        return prep

    @property
    def x(self) -> np.ndarray:
        """The training images, (N, H, W) or (N, H, W, C) as stored (usually uint8); loaded on first
        use when a loader was given."""
        if callable(self._x):
            self._x = self._x()
        return self._x

    @property
    def x_test(self):
        """The fixed test images (same layout as `x`), or None when the data has no test set."""
        if callable(self._x_test):
            self._x_test = self._x_test()
        return self._x_test

    def _label_array(self) -> np.ndarray:
        return self._y_all

    def fixed_test_count(self) -> int:
        """How many samples the file's own test set holds (0 when it has none)."""
        return 0 if self._y_test is None else len(self._y_test)

    @property
    def image_shape(self) -> tuple:
        """(H, W) or (H, W, C) as stored."""
        if self._image_shape is None:
            self._image_shape = tuple(self.x.shape[1:])
        return self._image_shape

    @property
    def input_shape(self) -> tuple:
        """(H, W, C): the image shape with a channel axis (C = 1 for grey images)."""
        shape = self.image_shape
        return shape if len(shape) == 3 else (*shape, 1)

    def raw_sample(self, i: int) -> np.ndarray:
        """Image i as stored ((H, W) or (H, W, C)); indices past the training images address the
        fixed test images."""
        n_train = len(self._y_train)
        if i < n_train:
            return np.asarray(self.x[i])
        return np.asarray(self.x_test[i - n_train])

    def sample_ready(self, i: int) -> bool:
        """False while sample i is still being decompressed in the background (reading it now
        would wait); the browser then paints it a moment later instead of blocking."""
        n_train = len(self._y_train)
        array, j = (self._x, i) if i < n_train else (self._x_test, i - n_train)
        ready = getattr(array, "item_ready", None)
        return True if ready is None else ready(j)

    def raw_images(self, idx: np.ndarray) -> np.ndarray:
        """(len(idx), *image_shape) images as stored (dtype of `x`); like raw_sample for many
        indices."""
        idx = np.asarray(idx, dtype=np.int64)
        n_train = len(self._y_train)
        if self._y_test is None or idx.size == 0 or idx.max() < n_train:
            return np.asarray(self.x[idx])
        out = np.empty((len(idx), *self.image_shape), dtype=self.x.dtype)
        in_train = idx < n_train
        out[in_train] = self.x[idx[in_train]]
        out[~in_train] = self.x_test[idx[~in_train] - n_train]
        return out

    def to_model_input(self, images: np.ndarray) -> np.ndarray:
        """Stored images -> float32 model input in 0..1, with a channel axis added for grey images
        (see images_to_input)."""
        return images_to_input(images, len(self.image_shape) == 2)

    def _make_splits(self, train, val, test):
        parts = []
        for idx in (train, val, test):
            parts.append(self.to_model_input(self.raw_images(idx)))
            parts.append(self._targets(idx))
        return (*parts, self.preprocessing)


def images_to_input(images: np.ndarray, add_channel: bool) -> np.ndarray:
    """uint8 (or 0..1 float) images -> float32 in 0..1 with a channel axis."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        out = images.astype(np.float32)
        out *= np.float32(1 / 255)
    else:
        out = images.astype(np.float32, copy=True)
        if out.size and out.max() > 1.0:
            out /= 255.0
    return out[..., None] if add_channel else out


class SequenceDataset(Dataset):
    """Token-id sequences padded to one length (IMDB); inputs stay int32 for an Embedding layer."""

    kind = "sequence"

    def __init__(self, name: str, title: str, x: np.ndarray, y: np.ndarray, class_names: list[str],
                 vocabulary_size: int, x_test=None, y_test=None, **kwargs):
        super().__init__(name, title, task_for_classes(len(class_names)), class_names, **kwargs)
        self._x = np.asarray(x, dtype=np.int32)
        self._x_test = None if x_test is None else np.asarray(x_test, dtype=np.int32)
        self._y_train = np.asarray(y)
        self._y_test = None if y_test is None else np.asarray(y_test)
        self._y_all = (self._y_train if self._y_test is None
                       else np.concatenate([self._y_train, self._y_test]))
        self.vocabulary_size = int(vocabulary_size)
        self._preprocessing = {"kind": "sequence", "input_shape": [self._x.shape[1]],
                               "vocabulary_size": self.vocabulary_size, "padding": "pre",
                               "truncating": "pre"}

    @property
    def input_shape(self) -> tuple:
        """(steps,): the padded sequence length."""
        return (self._x.shape[1],)

    def _label_array(self):
        return self._y_all

    def fixed_test_count(self) -> int:
        """How many samples the file's own test set holds (0 when it has none)."""
        return 0 if self._y_test is None else len(self._y_test)

    def raw_sample(self, i: int) -> np.ndarray:
        """Sequence i as stored, (steps,); indices past the training rows address the fixed test
        set."""
        n = len(self._x)
        return self._x[i] if i < n else self._x_test[i - n]

    def _make_splits(self, train, val, test):
        n = len(self._x)
        full = self._x if self._x_test is None else np.concatenate([self._x, self._x_test])
        parts = []
        for idx in (train, val, test):
            parts += [full[idx], self._targets(idx)]
        return (*parts, self.preprocessing)


def pad_sequences(sequences, maxlen: int) -> np.ndarray:
    """Keras-style pre-padding and pre-truncation of token lists to `maxlen`."""
    out = np.zeros((len(sequences), maxlen), dtype=np.int32)
    for row, seq in enumerate(sequences):
        seq = np.asarray(seq, dtype=np.int32)[-maxlen:]
        if len(seq):
            out[row, -len(seq):] = seq
    return out


