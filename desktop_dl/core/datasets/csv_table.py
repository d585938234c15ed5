"""CSV/TSV tables: read, type the columns, propose the task from the target, and encode.

Reading (encoding, dialect, number format, header, empty columns and rows) is
`table_reading.read_table_file`, on pandas. This module is the app's layer on top: target
choice, task proposal, missing values, categorical encoding and statistics. Nothing is changed
silently: every choice and change is in `dataset.notes` / `dataset.warnings`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl.core.datasets.dataset import Dataset, task_for_classes
from desktop_dl.core.datasets.table_preprocessing import apply_recipe, encoded_width, fit_recipe
from desktop_dl.core.datasets.table_reading import ReaderChoices, read_table_file
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import _
from desktop_dl.core.limits import MAX_TABLE_BYTES, check_file

MAX_CATEGORIES = 100      # a text feature column with more distinct values is left out
MAX_CLASSES = 20          # an integer target with more distinct values is proposed as regression
MISSING_CHOICES = ("drop", "fill")
ENCODINGS = ("onehot", "ordinal")
READER_OPTIONS = ("delimiter", "decimal", "text_encoding", "header")


@dataclass
class Column:
    """One table column after typing.

    `values` is (rows,) float64 with NaN for missing cells when `numeric`, else an object array
    of str / None (None = missing); `categories` lists a categorical column's distinct texts.
    """
    name: str
    numeric: bool
    values: np.ndarray               # float64 with NaN (numeric) or object str/None (categorical)
    categories: tuple[str, ...] = ()

    def missing_count(self) -> int:
        """How many cells are missing: NaN in a numeric column, None in a categorical one."""
        if self.numeric:
            return int(np.isnan(self.values).sum())
        return int(sum(v is None for v in self.values))


def read_columns(path: Path, delimiter: str | None = None, decimal: str | None = None,
                 text_encoding: str | None = None, header: str = "auto", head_only: bool = False,
                 progress=None) -> tuple[list[Column], ReaderChoices, list[str], list[str]]:
    """(columns, reader choices, notes, warnings) of a table file; `progress` as in
    table_reading.read_table_file (it may raise Cancelled to stop the read)."""
    table = read_table_file(path, delimiter, decimal, text_encoding, header, head_only, progress)
    columns = []
    for raw in table.columns:
        cats = () if raw.numeric else tuple(sorted({v for v in raw.values if v is not None}))
        columns.append(Column(raw.name, raw.numeric, raw.values, cats))
    return columns, table.choices, table.notes, table.warnings


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
    """A table as a dataset: feature columns in, one target column out.

    Classification targets become int64 class indices into `class_names` (sorted: numerically for
    a numeric target, else alphabetically); regression targets stay float64. Inputs are float32 rows
    of `input_shape == (width,)`: numeric columns standardised and categorical ones one-hot or
    ordinal encoded (`encoding`), with statistics fitted on the training split only (see
    table_preprocessing). `missing` is "drop" (rows) or "fill" (training mean / mode).
    """
    kind = "table"
    reader: ReaderChoices | None = None      # how the file was read (None: built from arrays)

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
        """(width,): the number of encoded input features (one per category when one-hot)."""
        return (self._width,)

    @property
    def column_names(self) -> list[str]:
        """The feature column names in order, then the target's name."""
        return [c.name for c in self.features] + [self.target.name]

    def _label_array(self) -> np.ndarray:
        return self._labels

    def raw_sample(self, i: int) -> list[str]:
        """The row as the file wrote it (missing cells as '')."""
        return [_cell_text(c.values[i], c.numeric) for c in self.features] + \
            [_cell_text(self.target.values[i], self.target.numeric)]

    def column_statistics(self) -> list[dict[str, Any]]:
        """One dict per column (features, then target) for the data browser.

        Keys: name, type ("numeric"/"categorical"), missing (count), target (bool); numeric
        columns add min, max, mean and (population) std over their non-missing values when there are
        any; categorical ones add categories (how many distinct values).
        """
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
               builtin: bool = False, decimal: str | None = None, text_encoding: str | None = None,
               header: str = "auto", progress=None, **_ignored: Any) -> TableDataset:
    """A table file as a dataset. `encoding` is how categories become inputs (onehot/ordinal);
    `text_encoding` the file's character encoding (None: detected). `delimiter`, `decimal` and
    `header` ('auto', 'yes', 'no') override what the reader detects. `progress(fraction,
    message)` is called as rows are read (a core.progress.TaskState raises Cancelled from it to
    stop the load). Raises DatasetError."""
    path = check_file(path, MAX_TABLE_BYTES, "tables")
    if missing not in MISSING_CHOICES:
        raise DatasetError(_("Missing values can be handled by 'drop' or 'fill', not "
                             "{missing!r}.", missing=missing))
    if encoding not in ENCODINGS:
        raise DatasetError(_("Categories can be encoded 'onehot' or 'ordinal', not "
                             "{encoding!r}.", encoding=encoding))
    columns, choices, notes, warnings = read_columns(path, delimiter, decimal, text_encoding, header,
                                                     progress=progress)
    header_names = [c.name for c in columns]
    if len(set(header_names)) != len(header_names):
        dupes = sorted({h for h in header_names if header_names.count(h) > 1})
        raise DatasetError(_("'{name}' has two columns named {dupes!r}; rename one of them.",
                             name=path.name, dupes=dupes[0]))
    target = header_names[-1] if target is None else target
    if target not in header_names:
        raise DatasetError(_("'{name}' has no column {target!r}. Its columns are: {names}.",
                             name=path.name, target=target, names=', '.join(header_names)))
    rows = len(columns[0].values)
    target_col = columns[header_names.index(target)]
    keep = np.ones(rows, dtype=bool)
    if target_col.missing_count():
        miss = _missing_mask(target_col)
        warnings.append(_("{count} rows have no value in the target column {target!r} and were "
                          "left out.", count=int(miss.sum()), target=target))
        keep &= ~miss
    features = [c for c in columns if c is not target_col]
    missing_cols = [(c.name, int(_missing_mask(c)[keep].sum())) for c in features]
    missing_cols = [(n, k) for n, k in missing_cols if k]
    if missing_cols:
        listed = ", ".join(f"{n} ({k})" for n, k in missing_cols[:6])
        if missing == "drop":
            gaps = np.zeros(rows, dtype=bool)
            for c in features:
                gaps |= _missing_mask(c)
            warnings.append(_("Missing values in {listed}: {count} rows with a missing value "
                              "were dropped (choose 'fill' to keep them).",
                              listed=listed, count=int((gaps & keep).sum())))
            keep &= ~gaps
        else:
            warnings.append(_("Missing values in {listed} are filled with the training mean "
                              "(numbers) or the most common value (categories).", listed=listed))
    if not keep.any():
        raise DatasetError(_("No rows of '{name}' are left after removing rows with missing "
                             "values. Choose 'fill' for missing values instead of 'drop'.",
                             name=path.name))
    columns = [_subset(c, keep) for c in columns]
    target_col = columns[header_names.index(target)]
    features = [c for c in columns if c is not target_col]
    # Text columns with a different value in most rows (names, ids, free text) would one-hot
    # into thousands of inputs that carry nothing to learn from: leave them out, and say so.
    rows_kept = int(keep.sum())
    wide = [c for c in features if not c.numeric and
            (len(c.categories) > MAX_CATEGORIES or
             (len(c.categories) > 20 and len(c.categories) > 0.5 * rows_kept))]
    if wide:
        listed = ", ".join(f"{c.name} ({len(c.categories):,} values)" for c in wide)
        warnings.append(_("Left out text columns with too many different values to encode "
                          "(names, identifiers or free text?): {listed}.", listed=listed))
        features = [c for c in features if c not in wide]
    if not features:
        raise DatasetError(_("'{name}' has no usable feature columns besides the target "
                             "{target!r}.", name=path.name, target=target))
    categorical = [c.name for c in features if not c.numeric]
    if categorical:
        notes.append(_("Categorical columns ({encoding}): {names}.",
                       encoding=_("one-hot") if encoding == "onehot" else _("ordinal"),
                       names=", ".join(categorical)))
    proposed = propose_task(target_col)
    if target_col.numeric and len(np.unique(target_col.values)) == 1 or \
            not target_col.numeric and len(target_col.categories) == 1:
        only = _cell_text(target_col.values[0], target_col.numeric)
        raise DatasetError(_("The target column {target!r} of '{name}' has only one value "
                             "({only!r}): there is nothing to learn. Choose another target "
                             "column.", target=target, name=path.name, only=only))
    task = proposed if task in (None, "", "auto") else task
    if task == "regression" and not target_col.numeric:
        raise DatasetError(_("The target column {target!r} holds text, so it can only be used "
                             "for classification, not regression.", target=target))
    if task in ("binary", "multiclass"):
        n_classes = len(target_col.categories) if not target_col.numeric else \
            len(np.unique(target_col.values))
        if n_classes > 1000:
            raise DatasetError(_("The target column {target!r} has {n_classes:,} different "
                                 "values; that is too many classes. Use regression for a "
                                 "measured quantity.", target=target, n_classes=n_classes))
        if task == "binary" and n_classes != 2:
            raise DatasetError(_("The target column {target!r} has {n_classes} classes; binary "
                                 "classification needs exactly two. Choose multi-class instead.",
                                 target=target, n_classes=n_classes))
        task = task_for_classes(n_classes)
    dataset = TableDataset(
        name or path.stem, title or path.name, features, target_col, task, encoding, missing,
        description=description or _("Table from {name}, target column {target!r}.",
                                     name=path.name, target=target),
        source=str(path), warnings=warnings, notes=notes, proposed_task=proposed,
        options={"target": target, "delimiter": choices.delimiter, "decimal": choices.decimal,
                 "text_encoding": choices.encoding, "header": "yes" if choices.header else "no",
                 "missing": missing, "encoding": encoding, "task": task,
                 **({} if not builtin else {"builtin": True})})
    dataset.reader = choices
    return dataset


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


def peek_table(path: str | Path, delimiter: str | None = None, decimal: str | None = None,
               text_encoding: str | None = None, header: str = "auto"
               ) -> tuple[list[str], str, dict[str, str]]:
    """Column names, delimiter and a proposed task per column, from the start of the file."""
    preview = preview_table(path, delimiter, decimal, text_encoding, header, head_only=True)
    return preview.names, preview.choices.delimiter, preview.tasks


@dataclass
class TablePreview:
    """What the import dialog shows before a table is loaded: the first rows as text, the reading
    choices found, the task each column would get as the target, and notes / warnings."""
    names: list[str]
    rows: list[list[str]]            # the first rows as parsed, cells as text
    choices: ReaderChoices
    tasks: dict[str, str]            # proposed task per column, were it the target
    notes: list[str]
    warnings: list[str]


def preview_table(path: str | Path, delimiter: str | None = None, decimal: str | None = None,
                  text_encoding: str | None = None, header: str = "auto",
                  rows: int = 20, head_only: bool = False) -> TablePreview:
    """The table as the reader sees it with these choices: names, first rows, choices, notes.

    The same code as `load_table` reads it, so what the dialog shows is what training gets;
    `head_only` reads only the first 256 KB (fast enough for a live preview of a big file)."""
    path = check_file(path, MAX_TABLE_BYTES, "tables")
    columns, choices, notes, warnings = read_columns(path, delimiter, decimal, text_encoding,
                                                     header, head_only)
    tasks = {}
    for column in columns:
        try:
            tasks[column.name] = propose_task(column) if column.missing_count() < len(column.values) \
                else "regression"
        except ValueError:
            tasks[column.name] = "regression"
    n = min(rows, len(columns[0].values))
    shown = [[_cell_text(c.values[i], c.numeric) for c in columns] for i in range(n)]
    return TablePreview([c.name for c in columns], shown, choices, tasks, notes, warnings)
