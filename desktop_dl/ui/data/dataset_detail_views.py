"""What the Data tab shows of the chosen dataset: title, notes, facts, split, preprocessing text,
samples (grid, table rows or sequences) and the class filter.

A mixin of DatasetBrowser (ui/data/dataset_browser.py), split out of it; the widgets it fills are
made by DatasetBrowserLayout (ui/data/dataset_browser_layout.py).
"""
from __future__ import annotations

import html

import numpy as np

from desktop_dl.core.shape_rules import batch_shape
from desktop_dl.ui.data.dataset_sample_view import format_shape, tensor_facts


class DatasetDetailViews:
    """_refresh_views and the texts it shows; needs the browser's `_dataset`, `histogram` and
    `_update_split_sizes` / `_update_grid_count`."""

    def _refresh_views(self) -> None:
        """Show the current dataset (or none) in every view of the panel."""
        self._views_stale = False
        dataset = self._dataset
        if dataset is None:
            self.title_label.setText(self.tr("No dataset"))
            self.description_label.setText(self.tr("Choose a dataset on the left, or import one."))
            self._show_notes(None)
            self.preprocessing_label.setText("")
            self.grid_model.set_dataset(None)
            self.rows_model.set_dataset(None)
            self.stats_model.set_dataset(None)
            if self._histogram is not None:
                self._histogram.show_dataset(None)
            return
        self.title_label.setText(dataset.title)       # core gives it in the interface language
        self.description_label.setText(dataset.description)
        self._show_notes(dataset)
        self._show_facts(dataset)
        self._show_samples(dataset)

    def _show_facts(self, dataset) -> None:
        """The facts row, the split spin boxes (without emitting), preprocessing and histogram."""
        self.fact_values["samples"].setText(f"{len(dataset):,}")
        self.fact_values["input"].setText(format_shape(dataset.input_shape))
        self.fact_values["task"].setText(self._task_text(dataset.task))
        self.fact_values["classes"].setText(
            str(len(dataset.class_names)) if dataset.is_classification() else "–")
        for spin, key in ((self.validation_spin, "validation"), (self.test_spin, "test"),
                          (self.seed_spin, "seed")):
            spin.blockSignals(True)
            spin.setValue(dataset.split_options[key])
            spin.blockSignals(False)
        self.test_spin.setEnabled(dataset.fixed_test_count() == 0)
        self.test_spin.setToolTip(self.tr("This file brings its own test split (%d samples).")
                                  % dataset.fixed_test_count() if dataset.fixed_test_count()
                                  else self.tr("Fraction of the samples (0.1 = 10%)"))
        self._update_split_sizes()
        self.preprocessing_label.setText(self._preprocessing_text(dataset))
        self.histogram.show_dataset(dataset)

    def _show_samples(self, dataset) -> None:
        """The page for the dataset's kind: the image grid, the table rows or the sequences."""
        page = {"image": 0, "table": 1, "sequence": 2}[dataset.kind]
        self.samples_stack.setCurrentIndex(page)
        self.detail_stack.setCurrentIndex(page)
        if dataset.kind == "image":
            # Mixed order only where the file is sorted by class (mnist-5k): other files are
            # mixed already, and their file order lets a streamed file show its first page at once.
            labels = dataset.labels
            sorted_by_class = len(labels) > 1 and bool(np.all(labels[1:] >= labels[:-1]))
            self.mixed_check.blockSignals(True)
            self.mixed_check.setChecked(sorted_by_class)
            self.mixed_check.blockSignals(False)
            self.grid_model.set_mixed(sorted_by_class)
            self.grid_model.set_dataset(dataset)
            self._fill_class_filter(dataset)
            self._update_grid_count()
            self.sample_view.show_sample(None, None)
            if len(dataset):
                self.grid.setCurrentIndex(self.grid_model.index(0))
        else:
            self.grid_model.set_dataset(None)
        self.rows_model.set_dataset(dataset)
        self.stats_model.set_dataset(dataset)
        if dataset.kind == "table":
            self.rows_view.setCurrentIndex(self.rows_model.index(0, 0))
        if dataset.kind == "sequence":
            self.sequence_label.setText(self._sequence_text(dataset))

    def _show_notes(self, dataset) -> None:
        """The reader's warnings (what it left out or changed) and notes (what it found and
        decided), as a list in a framed box above the facts."""
        warnings = list(dataset.warnings) if dataset is not None else []
        notes = list(getattr(dataset, "notes", []) or []) if dataset is not None else []
        if not warnings and not notes:
            self.notes_label.hide()
            self.notes_label.setText("")
            return
        items = [f"<li style='color:#8a5a00'>⚠ {html.escape(w)}</li>" for w in warnings]
        items += [f"<li>{html.escape(n)}</li>" for n in notes]
        self.notes_label.setText("<b>" + html.escape(self.tr("How the data was read")) + "</b>"
                                 "<ul style='margin-left:-20px'>" + "".join(items) + "</ul>")
        self.notes_label.show()

    def _task_text(self, task: str) -> str:
        return {"binary": self.tr("binary classification"),
                "multiclass": self.tr("multi-class classification"),
                "multilabel": self.tr("multi-label classification"),
                "regression": self.tr("regression")}.get(task, task)

    def _preprocessing_text(self, dataset) -> str:
        facts = tensor_facts(dataset)
        batch = batch_shape(facts["shape"])
        prep = dataset.preprocessing
        if dataset.kind == "image":
            text = self.tr("Preprocessing: pixels ÷ 255 → float32 in 0…1; model input %s, a batch "
                           "is %s.") % (format_shape(facts["shape"]), batch)
            if prep.get("digit_normalisation") == "mnist":
                text += " " + self.tr("Drawn digits are normalised like MNIST before recognition "
                                      "(cropped to the ink, fitted in 20×20, centred by mass).")
            return text
        if dataset.kind == "table":
            encoding = {"onehot": self.tr("one-hot"), "ordinal": self.tr("ordinal")}[dataset.encoding]
            if all(f["type"] == "numeric" for f in prep["features"]):
                encoding = self.tr("none (all columns are numbers)")
            missing = {"drop": self.tr("rows with missing values dropped"),
                       "fill": self.tr("missing values filled with the training mean or mode")}[dataset.missing]
            return self.tr("Preprocessing: numeric columns standardised with the mean and standard "
                           "deviation of the training split; categories %s; %s. Model input %s, "
                           "a batch is %s.") % (encoding, missing, format_shape(facts["shape"]), batch)
        return self.tr("Preprocessing: word ids (the %d most common words), padded or cut to %d "
                       "per review; model input %s int32, a batch is %s.") % (
            prep.get("vocabulary_size", 0), facts["shape"][0], format_shape(facts["shape"]), batch)

    def _sequence_text(self, dataset) -> str:
        lines = []
        for i in range(min(8, len(dataset))):
            ids = [int(v) for v in dataset.raw_sample(i) if v != 0][:24]
            lines.append(f"#{i} [{dataset.label_text(i)}]  " + " ".join(map(str, ids)) + " …")
        return "\n".join(lines)

    def _fill_class_filter(self, dataset) -> None:
        self.class_filter.blockSignals(True)
        self.class_filter.clear()
        self.class_filter.addItem(self.tr("All classes (%s)") % f"{len(dataset):,}", None)
        counts = dataset.class_counts()
        for i, name in enumerate(dataset.class_names):
            self.class_filter.addItem(self.tr("Class %s (%s)") % (name, f"{int(counts[i]):,}"), i)
        self.class_filter.blockSignals(False)
