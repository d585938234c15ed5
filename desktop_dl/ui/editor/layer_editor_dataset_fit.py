"""How the layer editor fits the model to the chosen dataset: the output layer and loss the
dataset's task needs, the hint bar that says so, and "Fix output layer". A mixin of LayerEditor
(it uses the editor's model, undo stack, `_dataset` and `info_bar`).

Translation context: lupdate files these tr() strings under "DatasetFitMixin"; PySide's tr()
looks a text up under each class of the object's type in turn, so LayerEditor finds them."""
from __future__ import annotations

from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.errors import UserError
from desktop_dl.core.spec import LayerSpec
from desktop_dl.ui.editor.layer_commands import SetInputCommand


class DatasetFitMixin:
    """Dataset fit of LayerEditor; expects `model`, `undo_stack`, `set_spec`, `_select_row`,
    `_dataset`, `_hint_dismissed` and `info_bar` on the editor."""

    def adapt_to_dataset(self, dataset) -> None:
        """Take the dataset's input shape (one undoable step) and check the output layer."""
        self._dataset = dataset
        self._hint_dismissed = False
        shape = tuple(dataset.input_shape)
        if shape != tuple(self.model.spec_ref().input_shape):
            self.undo_stack.push(SetInputCommand(
                self.model, shape, text=self.tr("Use the input shape of %s") % dataset.title))
        self._update_output_hint()

    def fix_output_layer(self) -> None:
        """Make the last layer fit the dataset's task (one undoable step)."""
        if self._dataset is None:
            return
        spec = self.model.spec()
        units, activation = self._expected_output()
        analysis = self.model.analysis()
        if analysis.output_shape is None and analysis.layers and analysis.layers[0].error:
            # Its first layer cannot take this data (a CNN on a table): no output layer fixes that.
            if self._use_dataset_template():
                if not self.output_fits_dataset():
                    self.fix_output_layer()     # a template made for another table of this kind
                return
        last = spec.layers[-1] if spec.layers else None
        if last is not None and last.type == "Dense" and last.params.get("activation") in ("softmax", "sigmoid", "linear"):
            last.params["units"] = units
            last.params["activation"] = activation
            # Dense on an image works pixel by pixel and keeps height × width: flatten before
            # the first Dense that gets an image (a table net on digits becomes the MNIST dense net).
            shapes = [(None, *spec.input_shape)] + [r.output_shape for r in analysis.layers]
            for i, layer in enumerate(spec.layers):
                if layer.type == "Dense" and shapes[i] is not None and len(shapes[i]) == 4:
                    spec.layers.insert(i, LayerSpec("Flatten", {}))
                    break
        else:
            out = analysis.output_shape
            if out is not None and len(out) > 2:
                spec.layers.append(LayerSpec("Flatten", {}))
            spec.layers.append(LayerSpec("Dense", {**CATALOGUE["Dense"].defaults(),
                                                   "units": units, "activation": activation}))
        spec.compile.loss = "auto"
        self.set_spec(spec, self.tr("Fix output layer"))
        self._select_row(self.model.rowCount() - 1)

    def _use_dataset_template(self) -> bool:
        """Start from the template made for the dataset (one undoable step); False if none."""
        from desktop_dl.core.templates import list_templates, load_template

        names = [t.name for t in list_templates() if t.dataset == getattr(self._dataset, "name", None)]
        if not names and getattr(self._dataset, "kind", None) == "table":
            names = ["tabular-regression" if self._dataset.task == "regression" else "tabular-binary"]
        if not names:
            return False
        spec = load_template(names[0])
        spec.input_shape = tuple(self._dataset.input_shape)
        self.set_spec(spec, self.tr("New from template %s") % names[0])
        return True

    def _expected_output(self) -> tuple[int, str]:
        task = self._dataset.task
        classes = len(getattr(self._dataset, "class_names", None) or [])
        if task == "binary":
            return 1, "sigmoid"
        if task == "multiclass":
            return max(classes, 2), "softmax"
        if task == "multilabel":
            return max(classes, 1), "sigmoid"
        return 1, "linear"

    def output_fits_dataset(self) -> bool:
        from desktop_dl.core.losses import choice_for_task, output_activation

        spec = self.model.spec_ref()
        analysis = self.model.analysis()
        units, activation = self._expected_output()
        out = analysis.output_shape
        if not spec.layers or out is None or len(out) != 2:
            return False
        if out[-1] != units or output_activation(spec.layers) != activation:
            return False
        return spec.compile.loss in ("", "auto", choice_for_task(self._dataset.task).loss)

    def output_rule_text(self) -> str:
        units, _ = self._expected_output()
        title = getattr(self._dataset, "title", "") or getattr(self._dataset, "name", "")
        task = self._dataset.task
        if task == "binary":
            return self.tr("%s is binary classification: end with Dense(1, sigmoid) and binary "
                           "cross-entropy.") % title
        if task == "multiclass":
            return self.tr("%s has %d classes: end with Dense(%d, softmax) and sparse categorical "
                           "cross-entropy.") % (title, units, units)
        if task == "multilabel":
            return self.tr("%s is multi-label with %d labels: end with Dense(%d, sigmoid) and binary "
                           "cross-entropy.") % (title, units, units)
        return self.tr("%s is regression (predicting numbers): end with Dense(1) with a linear "
                       "activation and mean squared error.") % title

    def _update_output_hint(self) -> None:
        if self._dataset is None or self._hint_dismissed or self.output_fits_dataset():
            self.info_bar.hide()
            return
        self.info_bar.label.setText(self.output_rule_text())
        self.info_bar.button.setText(self.tr("Fix output layer"))
        self.info_bar.show()

    def _dismiss_hint(self) -> None:
        self._hint_dismissed = True
        self.info_bar.hide()

    def _loss_rule_text(self) -> str:
        from desktop_dl.core.loss_choice import resolve_loss

        spec = self.model.spec_ref()
        task = getattr(self._dataset, "task", None)
        out = self.model.analysis().output_shape
        units = out[-1] if out is not None and len(out) > 1 else None
        try:
            choice = resolve_loss(spec, task, output_units=units)   # units given: no second analysis
        except UserError as exc:
            return str(exc)
        if spec.compile.loss in ("", "auto"):
            lead = self.tr("auto → %s (metrics: %s).") % (choice.loss, ", ".join(choice.metrics))
        else:
            lead = self.tr("Loss %s (metrics: %s).") % (choice.loss, ", ".join(choice.metrics))
        # Zero-width spaces let long loss names wrap in the narrow panel.
        return f"{lead} {choice.rule}".replace("_", "_\u200b")
