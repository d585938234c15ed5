"""Turning table rows into model inputs, from a JSON-able recipe used at training and inference.

The recipe (`Dataset.preprocessing` of a table) lists each feature column: numeric columns are
standardised with the mean and standard deviation of the TRAINING split; categorical columns
are one-hot or ordinal encoded; a missing value is replaced by the training mean or mode when the
user chose to fill, which is why one function serves both training and inference.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "?", "-"})


def is_missing(text) -> bool:
    """True for None, a float NaN, or a usual word for "missing" (blank, NA, N/A, NaN, null, none,
    ?, -; case and surrounding spaces ignored)."""
    return text is None or (isinstance(text, float) and np.isnan(text)) or \
        (isinstance(text, str) and text.strip().lower() in MISSING_TOKENS)


def to_float(text) -> float:
    """float of a cell; NaN when missing; ValueError when it is not a number."""
    if is_missing(text):
        return float("nan")
    return float(text)


def fit_recipe(columns: Sequence["Column"], train_idx: np.ndarray, encoding: str,
               missing: str) -> dict[str, Any]:
    """The preprocessing recipe fitted on the training rows `train_idx` only (no test leakage).

    Numeric columns record mean, population std (1.0 when below 1e-12 or no values) and fill
    value (the mean); categorical ones their categories, `encoding` ("onehot"/"ordinal") and fill
    value (the most frequent training value, ties by sort order). Returns a JSON-ready dict:
    {"kind": "table", "features": [...], "missing": missing}.
    """
    features = []
    for col in columns:
        if col.numeric:
            values = col.values[train_idx].astype(np.float64)
            values = values[~np.isnan(values)]
            mean = float(values.mean()) if values.size else 0.0
            std = float(values.std()) if values.size else 1.0
            features.append({"name": col.name, "type": "numeric", "mean": mean,
                             "std": std if std > 1e-12 else 1.0, "fill": mean})
        else:
            train_values = [v for v in col.values[train_idx] if v is not None]
            counts: dict[str, int] = {}
            for v in train_values:
                counts[v] = counts.get(v, 0) + 1
            mode = max(sorted(counts), key=counts.get) if counts else ""
            features.append({"name": col.name, "type": "categorical", "encoding": encoding,
                             "categories": list(col.categories), "fill": mode})
    return {"kind": "table", "features": features, "missing": missing}


def encoded_width(recipe_features: Sequence[dict]) -> int:
    """The number of model inputs a recipe's features make: one per category for one-hot columns,
    one for every other column."""
    width = 0
    for f in recipe_features:
        if f["type"] == "categorical" and f["encoding"] == "onehot":
            width += len(f["categories"])
        else:
            width += 1
    return width


def apply_recipe(recipe: dict[str, Any], columns: Sequence[np.ndarray]) -> np.ndarray:
    """float32 (N, width) from raw feature columns (floats with NaN for numeric, str/None else)."""
    features = recipe["features"]
    n = len(columns[0]) if columns else 0
    out = np.zeros((n, encoded_width(features)), dtype=np.float32)
    pos = 0
    for f, values in zip(features, columns):
        if f["type"] == "numeric":
            v = np.array([to_float(x) for x in values], dtype=np.float64) \
                if values.dtype == object else values.astype(np.float64)
            v = np.where(np.isnan(v), f["fill"], v)
            out[:, pos] = (v - f["mean"]) / f["std"]
            pos += 1
            continue
        lookup = {c: i for i, c in enumerate(f["categories"])}
        codes = np.array([lookup.get(f["fill"] if is_missing(x) else str(x), -1) for x in values],
                         dtype=np.int64)
        if f["encoding"] == "onehot":
            rows = np.flatnonzero(codes >= 0)
            out[rows, pos + codes[rows]] = 1.0   # an unknown category stays all zeros
            pos += len(f["categories"])
        else:
            out[:, pos] = codes
            pos += 1
    return out


def apply_to_records(recipe: dict[str, Any], records: Sequence[dict[str, Any]]) -> np.ndarray:
    """Inference: rows as {column name: value} dicts -> the model's input batch."""
    columns = [np.array([r.get(f["name"]) for r in records], dtype=object) for f in recipe["features"]]
    return apply_recipe(recipe, columns)
