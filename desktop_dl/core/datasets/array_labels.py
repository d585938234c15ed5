"""Labels and pixels of array files (npz, IDX) as people save them, made model-ready with notes.

Labels: one-hot rows become class indices; labels that are not 0..K−1 (1..10 as SVHN stores
digits, {−1, 1}, {3, 7, 9}, strings) are mapped to 0..K−1 in sorted order and the original
values become the class names, so a prediction prints "10" where the data said 10.
Pixels: uint8 stays as is; other integer images within 0..255 are kept; floats within 0..1 are
read as 0..255 levels; anything else (uint16, floats in other ranges) is scaled from its own
range, min..max, to 0..255 (never clipped).
"""
from __future__ import annotations

import numpy as np

from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import _


def labels_to_indices(parts: list[np.ndarray | None], file: str, digit_images: bool = False
                      ) -> tuple[list[np.ndarray | None], list[str] | None, list[str]]:
    """(int64 label arrays in 0..K−1, class names or None when the labels already were 0..K−1,
    notes). `parts` are the label arrays of the file's splits (None for a missing split).
    With `digit_images` (MNIST-format pictures), labels within 0..9 are kept as digits even
    when some digits are absent. Raises DatasetError for labels that cannot be classes."""
    notes: list[str] = []
    arrays = [None if p is None else np.asarray(p) for p in parts]
    for i, y in enumerate(arrays):
        if y is None:
            continue
        if y.ndim == 2 and y.shape[1] == 1:
            arrays[i] = y = y[:, 0]
        if y.ndim == 2 and y.shape[1] > 1 and _is_one_hot(y):
            arrays[i] = np.argmax(y, axis=1)
            if not any("one-hot" in n for n in notes):
                notes.append(_("The labels are one-hot rows of {shape}; each row's position of "
                               "the 1 is its class.", shape=y.shape[1]))
        elif y.ndim != 1:
            raise DatasetError(_("'{file}': the labels must be one value per sample (or "
                                 "one-hot rows); found shape {tuple}.",
                                 file=file, tuple=tuple(y.shape)))
    present = [y for y in arrays if y is not None]
    kind = present[0].dtype.kind
    if any(y.dtype.kind != kind for y in present):
        raise DatasetError(_("'{file}': the train and test labels have different types.", file=file))
    if kind == "f":
        joined = np.concatenate(present)
        if not np.all(np.isfinite(joined)) or not np.all(joined == np.round(joined)):
            raise DatasetError(_("'{file}': the labels are fractional numbers; a classifier "
                                 "needs whole-number or text labels. (A measured quantity is "
                                 "regression: use a table.)", file=file))
        arrays = [None if y is None else y.astype(np.int64) for y in arrays]
        kind = "i"
    if kind == "b":
        arrays = [None if y is None else y.astype(np.int64) for y in arrays]
        kind = "i"
    if kind not in "iuUS":
        raise DatasetError(_("'{file}': the labels must be whole numbers or text, not {dtype}.",
                             file=file, dtype=present[0].dtype))
    joined = np.concatenate([y for y in arrays if y is not None])
    values = np.unique(joined)
    if len(values) > 10_000:
        raise DatasetError(_("'{file}': the labels have {count:,} different values; that is "
                             "too many classes.", file=file, count=len(values)))
    if kind in "iu" and values.min() >= 0 and values.max() == len(values) - 1:
        return [None if y is None else y.astype(np.int64) for y in arrays], None, notes
    if kind in "iu" and digit_images and values.min() >= 0 and values.max() <= 9:
        # 0..9 digits with some classes absent (a small personal set): keep the digit classes.
        return [None if y is None else y.astype(np.int64) for y in arrays], None, notes
    names = [_label_text(v) for v in values]
    lookup = {v: i for i, v in enumerate(values.tolist())}
    mapped = [None if y is None else np.array([lookup[v] for v in y.tolist()], dtype=np.int64)
              for y in arrays]
    shown = _range_text(names)
    notes.append(_("The labels are {shown}, not 0..{value}: they were mapped to class numbers "
                   "0..{value} in sorted order, and the classes keep the original labels as "
                   "their names.", shown=shown, value=len(names) - 1))
    return mapped, names, notes


def _is_one_hot(y: np.ndarray) -> bool:
    if y.dtype.kind not in "iufb" or len(y) == 0:
        return False
    values = y.astype(np.float64)
    return bool(np.all((values == 0) | (values == 1)) and np.all(values.sum(axis=1) == 1))


def _label_text(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _range_text(names: list[str]) -> str:
    if len(names) <= 6:
        return "{" + ", ".join(names) + "}"
    return f"{names[0]}, {names[1]}, …, {names[-1]}"


def pixels_to_uint8(parts: list[np.ndarray | None], file: str
                    ) -> tuple[list[np.ndarray | None], list[str]]:
    """Images as uint8 0..255 (train and test scaled alike), and a note when they changed.

    Raises DatasetError when the images are not numbers or hold infinite values.
    """
    present = [p for p in parts if p is not None]
    if all(p.dtype == np.uint8 for p in present):
        return parts, []
    kind = present[0].dtype.kind
    if kind not in "iuf" and kind != "b":
        raise DatasetError(_("'{file}': the images must be numbers, not {dtype}.",
                             file=file, dtype=present[0].dtype))
    lo = min(float(np.nanmin(p)) for p in present if p.size)
    hi = max(float(np.nanmax(p)) for p in present if p.size)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise DatasetError(_("'{file}': the images hold infinite values.", file=file))
    dtype = present[0].dtype
    if kind in "iub" and lo >= 0 and hi <= 255:
        return [None if p is None else np.asarray(p).astype(np.uint8) for p in parts], \
            [_("The images are stored as {dtype} with values {lo:g}..{hi:g}; they are used as "
               "0..255 pixel levels.", dtype=dtype, lo=lo, hi=hi)]
    if kind == "f" and lo >= 0 and hi <= 1:
        return [None if p is None else _scale(p, 0.0, 1.0) for p in parts], \
            [_("The images are {dtype} in 0..1; they are read as 0..255 pixel levels.", dtype=dtype)]
    if hi <= lo:
        return [None if p is None else np.zeros(p.shape, np.uint8) for p in parts], \
            [_("Every pixel of the images is {lo:g}.", lo=lo)]
    return [None if p is None else _scale(p, lo, hi) for p in parts], \
        [_("The images are {dtype} with values {lo:g}..{hi:g}; they were scaled from that "
           "range to 0..255.", dtype=dtype, lo=lo, hi=hi)]


def _scale(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    out = (np.nan_to_num(np.asarray(x, dtype=np.float32), nan=lo) - lo) * (255.0 / (hi - lo))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)
