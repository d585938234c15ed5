"""Seeded train/validation/test splits, stratified by class so each split keeps the class balance."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

import numpy as np

from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import _


@dataclass
class Splits:
    """Arrays ready for the model. Unpacks like the classic 6-tuple:
    `x_train, y_train, x_val, y_val, x_test, y_test = splits`."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    task: str = "multiclass"
    class_names: list[str] = field(default_factory=list)
    input_shape: tuple = ()
    preprocessing: dict[str, Any] = field(default_factory=dict)

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.x_train, self.y_train, self.x_val, self.y_val, self.x_test, self.y_test))

    def sizes(self) -> dict[str, int]:
        """The number of samples in each split: {"train": n, "validation": n, "test": n}."""
        return {"train": len(self.y_train), "validation": len(self.y_val), "test": len(self.y_test)}


def check_fractions(validation: float, test: float) -> None:
    """Check the validation and test fractions (0..1) of a split.

    Raises DatasetError when either is outside [0, 1) or together they leave less than 10 % of
    the data for training.
    """
    for name, value in ((_("validation"), validation), (_("test"), test)):
        if not 0.0 <= float(value) < 1.0:
            raise DatasetError(_("The {name} fraction must be between 0 and 1 (got {value}).",
                                 name=name, value=value))
    if validation + test >= 0.9:
        raise DatasetError(
            _("Validation ({validation:.0%}) and test ({test:.0%}) together leave less than "
              "10% of the data for training. Lower one of them.",
              validation=validation, test=test))


def split_share(size: int, fraction: float) -> int:
    """How many of a class's `size` samples go to a split of `fraction` (0..1).

    Rounded, but a class of 3 or more samples gives at least one to a split the user asked for:
    a small dataset (a 10-picture folder) still gets a validation and test sample of each class
    rather than an empty split, and keeps at least one for training.
    """
    n = int(round(size * fraction))
    if fraction > 0 and n == 0 and size >= 3:
        n = 1
    return n


def split_indices(n: int, validation: float, test: float, seed: int = 0,
                  labels: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index arrays (train, validation, test). With `labels`, each class is split in the same
    proportions (stratified); each index set is shuffled so batches mix the classes.

    Raises DatasetError for fractions check_fractions refuses, or when no samples are left for
    training.
    """
    check_fractions(validation, test)
    rng = np.random.default_rng(seed)
    if labels is None:
        groups = [np.arange(n)]
    else:
        labels = np.asarray(labels)
        groups = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    train, val, tst = [], [], []
    for group in groups:
        group = rng.permutation(group)
        n_test = split_share(len(group), test)
        n_val = split_share(len(group), validation)
        tst.append(group[:n_test])
        val.append(group[n_test:n_test + n_val])
        train.append(group[n_test + n_val:])
    parts = [rng.permutation(np.concatenate(p)).astype(np.int64) for p in (train, val, tst)]
    if len(parts[0]) == 0:
        raise DatasetError(_("No samples are left for training. Lower the validation and test "
                             "fractions."))
    return parts[0], parts[1], parts[2]
