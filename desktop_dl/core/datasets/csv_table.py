"""CSV/TSV tables: read, type the columns, propose the task from the target, and encode.

Reading never guesses silently: the delimiter found, rows dropped for a missing target or
feature, and columns treated as categories are all listed in `dataset.warnings` / `.notes`.
"""
from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl.core.datasets.dataset import Dataset, task_for_classes
from desktop_dl.core.datasets.file_limits import MAX_TABLE_BYTES, check_file, human_size
from desktop_dl.core.datasets.table_preprocessing import (apply_recipe, encoded_width,
                                                          fit_recipe, is_missing)
from desktop_dl.core.errors import DatasetError

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar", " ": "space"}
MAX_CATEGORIES = 100      # a text feature column with more distinct values is left out
MAX_CLASSES = 20          # an integer target with more distinct values is proposed as regression
MISSING_CHOICES = ("drop", "fill")
ENCODINGS = ("onehot", "ordinal")


@dataclass
class Column:
    name: str
    numeric: bool
    values: np.ndarray               # float64 with NaN (numeric) or object str/None (categorical)
    categories: tuple[str, ...] = ()

    def missing_count(self) -> int:
        if self.numeric:
            return int(np.isnan(self.values).sum())
        return int(sum(v is None for v in self.values))


def read_text(path: Path) -> str:
    if path.name.lower().endswith(".gz"):
        try:
            with gzip.open(path) as f:
                raw = f.read(MAX_TABLE_BYTES + 1)     # a small .gz may unpack to gigabytes
        except (OSError, EOFError) as exc:
            raise DatasetError(f"'{path.name}' is not a complete gzip file ({exc}).") from None
        if len(raw) > MAX_TABLE_BYTES:
            raise DatasetError(f"'{path.name}' unpacks to more than {human_size(MAX_TABLE_BYTES)}; "
                               f"desktop_dl reads tables up to that size. Use a sample of the rows.")
    else:
        raw = path.read_bytes()
    for codec in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    raise DatasetError(f"'{path.name}' is not a text file.")


def detect_delimiter(lines: list[str], path: Path) -> str:
    """The delimiter that splits most of the first lines into the same number (> 1) of fields.

    Ragged lines do not stop detection: they are reported by line number afterwards."""
    sample = lines[:50]
    best, best_score = None, (0.0, 0)
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(sample, delimiter=delim)]
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode) / len(counts), mode)
        if mode > 1 and counts[0] == mode and score > best_score:
            best, best_score = delim, score
    if best is None or best_score[0] < 0.5:
        # A space-separated file is the last guess (Keras/UCI style .data files).
        counts = {len(line.split()) for line in sample}
        if len(counts) == 1 and next(iter(counts)) > 1:
            return " "
        raise DatasetError(
            f"'{path.name}' does not look like a table: no comma, semicolon, tab or '|' splits its "
            f"first lines into the same number of columns. Open it in a text editor and check "
            f"that every line has the same columns, separated by one of these characters.")
    return best


def parse_rows(text: str, path: Path, delimiter: str | None) -> tuple[list[str], list[list[str]], str]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise DatasetError(f"'{path.name}' is empty: it has no rows.")
    if delimiter is None:
        delimiter = "\t" if path.name.lower().endswith((".tsv", ".tsv.gz")) else detect_delimiter(lines, path)
    if delimiter == " ":
        rows = [line.split() for line in lines]
    else:
        rows = list(csv.reader(lines, delimiter=delimiter))
    width = len(rows[0])
    if width < 2:
        name = DELIMITER_NAMES.get(delimiter, repr(delimiter))
        others = [DELIMITER_NAMES[d] for d in DELIMITERS if d != delimiter and d in lines[0]]
        hint = f" Its lines contain a {others[0]}: choose that as the delimiter." if others else ""
        raise DatasetError(f"'{path.name}' has only one column when split by {name}.{hint} A table "
                           f"needs at least one feature column and a target column.")
    bad = [(n + 1, len(r)) for n, r in enumerate(rows) if len(r) != width]
    if bad:
        listed = ", ".join(f"line {line} has {count}" for line, count in bad[:3])
        more = f" (and {len(bad) - 3} more)" if len(bad) > 3 else ""
        raise DatasetError(f"'{path.name}' has ragged rows: the first line has {width} values but "
                           f"{listed}{more}. Every row needs the same number of values; fix or "
                           f"remove those lines.")
    header, body = rows[0], rows[1:]
    if all(_is_number(cell) for cell in header):
        # No header line: name the columns by position.
        header, body = [f"column_{i + 1}" for i in range(width)], rows
    if not body:
        raise DatasetError(f"'{path.name}' has a header but no data rows.")
    header = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    return header, body, delimiter


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def make_column(name: str, cells: list[str]) -> Column:
    stripped = [None if is_missing(c) else c.strip() for c in cells]
    try:
        values = np.array([np.nan if c is None else float(c) for c in stripped], dtype=np.float64)
        return Column(name, True, values)
    except ValueError:
        values = np.array(stripped, dtype=object)
        categories = tuple(sorted({v for v in stripped if v is not None}))
        return Column(name, False, values, categories)


def propose_task(column: Column) -> str:
    """Few integer or string values -> classification (binary for two), else regression."""
    if not column.numeric:
        return task_for_classes(len(column.categories))
    values = column.values[~np.isnan(column.values)]
    unique = np.unique(values)
    if np.all(unique == np.round(unique)) and len(unique) <= MAX_CLASSES:
        return task_for_classes(len(unique))
    return "regression"


class TableDataset(Dataset):
    kind = "table"

    def __init__(self, name: str, title: str, features: list[Column], target: Column, task: str,
                 encoding: str = "onehot", missing: str = "drop", notes: list[str] | None = None,
                 proposed_task: str | None = None, **kwargs):
        if task == "regression":
            labels = target.values.astype(np.float64)
            class_names: list[str] = []
        else:
            raw = [str(v) if not target.numeric else _number_text(v) for v in target.values]
            names = sorted(set(raw), key=lambda s: (float(s) if target.numeric else 0, s))
            lookup = {n: i for i, n in enumerate(names)}
            labels = np.array([lookup[r] for r in raw], dtype=np.int64)
            class_names = names
        super().__init__(name, title, task, class_names, **kwargs)
        self.features = features
        self.target = target
        self.encoding = encoding
        self.missing = missing
        self.notes = list(notes or [])          # what reading found, shown beside the table
        self.proposed_task = proposed_task or task
        self._labels = labels
        # Until split, the recipe shown uses all rows; splits() refits it on the training split.
        self._preprocessing = fit_recipe(features, np.arange(len(labels)), encoding, missing)
        self._width = encoded_width(self._preprocessing["features"])
        self._preprocessing["target"] = self._target_recipe()

    def _target_recipe(self) -> dict[str, Any]:
        if self.task == "regression":
            return {"name": self.target.name, "type": "regression"}
        return {"name": self.target.name, "type": "classes", "classes": list(self.class_names)}

    @property
    def input_shape(self) -> tuple:
        return (self._width,)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.features] + [self.target.name]

    def _label_array(self) -> np.ndarray:
        return self._labels

    def raw_sample(self, i: int) -> list[str]:
        """The row as the file wrote it (missing cells as '')."""
        return [_cell_text(c.values[i], c.numeric) for c in self.features] + \
            [_cell_text(self.target.values[i], self.target.numeric)]

    def column_statistics(self) -> list[dict[str, Any]]:
        stats = []
        for col in [*self.features, self.target]:
            entry: dict[str, Any] = {"name": col.name, "type": "numeric" if col.numeric else "categorical",
                                     "missing": col.missing_count(), "target": col is self.target}
            if col.numeric:
                v = col.values[~np.isnan(col.values)]
                if v.size:
                    entry.update(min=float(v.min()), max=float(v.max()), mean=float(v.mean()),
                                 std=float(v.std()))
            else:
                entry["categories"] = len(col.categories)
            stats.append(entry)
        return stats

    def _make_splits(self, train, val, test):
        recipe = fit_recipe(self.features, train, self.encoding, self.missing)
        recipe["target"] = self._target_recipe()
        parts = []
        for idx in (train, val, test):
            parts.append(apply_recipe(recipe, [c.values[idx] for c in self.features]))
            parts.append(self._targets(idx))
        return (*parts, recipe)


def _number_text(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _cell_text(v, numeric: bool) -> str:
    if numeric:
        return "" if np.isnan(v) else (_number_text(v) if float(v).is_integer() else f"{v:.6g}")
    return "" if v is None else str(v)


def load_table(path: str | Path, target: str | None = None, delimiter: str | None = None,
               missing: str = "drop", encoding: str = "onehot", task: str | None = None,
               name: str | None = None, title: str | None = None, description: str = "",
               builtin: bool = False, **_ignored: Any) -> TableDataset:
    path = check_file(path, MAX_TABLE_BYTES, "tables")
    if missing not in MISSING_CHOICES:
        raise DatasetError(f"Missing values can be handled by 'drop' or 'fill', not {missing!r}.")
    if encoding not in ENCODINGS:
        raise DatasetError(f"Categories can be encoded 'onehot' or 'ordinal', not {encoding!r}.")
    header, body, delimiter = parse_rows(read_text(path), path, delimiter)
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise DatasetError(f"'{path.name}' has two columns named {dupes[0]!r}; rename one of them.")
    target = header[-1] if target is None else target
    if target not in header:
        raise DatasetError(f"'{path.name}' has no column {target!r}. Its columns are: "
                           f"{', '.join(header)}.")
    columns = [make_column(h, [row[i] for row in body]) for i, h in enumerate(header)]
    warnings: list[str] = []
    notes = [f"Read {len(body):,} rows and {len(header)} columns separated by "
             f"{DELIMITER_NAMES.get(delimiter, repr(delimiter))}."]
    target_col = columns[header.index(target)]
    keep = np.ones(len(body), dtype=bool)
    if target_col.missing_count():
        miss = _missing_mask(target_col)
        warnings.append(f"{int(miss.sum())} rows have no value in the target column {target!r} "
                        f"and were left out.")
        keep &= ~miss
    features = [c for c in columns if c is not target_col]
    missing_cols = [(c.name, int(_missing_mask(c)[keep].sum())) for c in features]
    missing_cols = [(n, k) for n, k in missing_cols if k]
    if missing_cols:
        listed = ", ".join(f"{n} ({k})" for n, k in missing_cols[:6])
        if missing == "drop":
            rows = np.zeros(len(body), dtype=bool)
            for c in features:
                rows |= _missing_mask(c)
            warnings.append(f"Missing values in {listed}: {int((rows & keep).sum())} rows with a "
                            f"missing value were dropped (choose 'fill' to keep them).")
            keep &= ~rows
        else:
            warnings.append(f"Missing values in {listed} are filled with the training mean "
                            f"(numbers) or the most common value (categories).")
    if not keep.any():
        raise DatasetError(f"No rows of '{path.name}' are left after removing rows with missing "
                           f"values. Choose 'fill' for missing values instead of 'drop'.")
    columns = [_subset(c, keep) for c in columns]
    target_col = columns[header.index(target)]
    features = [c for c in columns if c is not target_col]
    # Text columns with a different value in most rows (names, ids, free text) would one-hot
    # into thousands of inputs that carry nothing to learn from: leave them out, and say so.
    rows_kept = int(keep.sum())
    wide = [c for c in features if not c.numeric and
            (len(c.categories) > MAX_CATEGORIES or
             (len(c.categories) > 20 and len(c.categories) > 0.5 * rows_kept))]
    if wide:
        listed = ", ".join(f"{c.name} ({len(c.categories):,} values)" for c in wide)
        warnings.append(f"Left out text columns with too many different values to encode "
                        f"(names, identifiers or free text?): {listed}.")
        features = [c for c in features if c not in wide]
    if not features:
        raise DatasetError(f"'{path.name}' has no usable feature columns besides the target "
                           f"{target!r}.")
    categorical = [c.name for c in features if not c.numeric]
    if categorical:
        notes.append(f"Categorical columns ({encoding}): {', '.join(categorical)}.")
    proposed = propose_task(target_col)
    if target_col.numeric and len(np.unique(target_col.values)) == 1 or \
            not target_col.numeric and len(target_col.categories) == 1:
        only = _cell_text(target_col.values[0], target_col.numeric)
        raise DatasetError(f"The target column {target!r} of '{path.name}' has only one value "
                           f"({only!r}): there is nothing to learn. Choose another target column.")
    task = proposed if task in (None, "", "auto") else task
    if task == "regression" and not target_col.numeric:
        raise DatasetError(f"The target column {target!r} holds text, so it can only be used for "
                           f"classification, not regression.")
    if task in ("binary", "multiclass"):
        n_classes = len(target_col.categories) if not target_col.numeric else \
            len(np.unique(target_col.values))
        if n_classes > 1000:
            raise DatasetError(f"The target column {target!r} has {n_classes:,} different values; "
                               f"that is too many classes. Use regression for a measured quantity.")
        if task == "binary" and n_classes != 2:
            raise DatasetError(f"The target column {target!r} has {n_classes} classes; binary "
                               f"classification needs exactly two. Choose multi-class instead.")
        task = task_for_classes(n_classes)
    return TableDataset(
        name or path.stem, title or path.name, features, target_col, task, encoding, missing,
        description=description or f"Table from {path.name}, target column {target!r}.",
        source=str(path), warnings=warnings, notes=notes, proposed_task=proposed,
        options={"target": target, "delimiter": delimiter, "missing": missing,
                 "encoding": encoding, "task": task, **({} if not builtin else {"builtin": True})})


def _missing_mask(col: Column) -> np.ndarray:
    if col.numeric:
        return np.isnan(col.values)
    return np.array([v is None for v in col.values], dtype=bool)


def _subset(col: Column, keep: np.ndarray) -> Column:
    if keep.all():
        return col
    values = col.values[keep]
    cats = col.categories if col.numeric else tuple(sorted({v for v in values if v is not None}))
    return Column(col.name, col.numeric, values, cats)


def peek_table(path: str | Path, delimiter: str | None = None) -> tuple[list[str], str, dict[str, str]]:
    """Column names, delimiter and a proposed task per column, from the start of the file only
    (for the import dialog, before the whole table is read)."""
    path = check_file(path, MAX_TABLE_BYTES, "tables")
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as f:
        head = f.read(256 * 1024)
    text = head.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    if len(head) == 256 * 1024 and len(lines) > 1:
        lines = lines[:-1]             # the last line may be cut in the middle
    header, body, delimiter = parse_rows("\n".join(lines), path, delimiter)
    tasks = {}
    for i, name in enumerate(header):
        column = make_column(name, [row[i] for row in body])
        try:
            tasks[name] = propose_task(column) if column.missing_count() < len(body) else "regression"
        except ValueError:
            tasks[name] = "regression"
    return header, delimiter, tasks
