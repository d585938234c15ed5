"""The training settings form: the run's own settings (schedule, momentum, batch size, epochs, early
stopping, seed, device) and the Keras backend. Reads and writes a plain `TrainSettings`.

The optimizer and learning rate belong to the model (Model tab) and the split to the dataset (Data
tab): this form shows them read-only, with a link (`showTab("model" | "data")`) to where they are
changed, so each setting has one home and what is shown is what runs. The backend is chosen in
Preferences and shown here; each run's training process is started with it, so a new choice
takes effect at the next run (ui/app/preferences.py, engine/training_process.py)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QLabel, QSpinBox, QWidget)

from desktop_dl.core.i18n import _ as translate
from desktop_dl.engine import backends
from desktop_dl.engine.trainer import TrainSettings

_OPTIMIZER_LABELS = {"sgd": "SGD", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW",
                     "adagrad": "Adagrad"}


class DeviceCombo(QComboBox):
    """Asks for the device list the first time it is opened (listing devices imports TensorFlow,
    so it is never done while the window opens)."""

    aboutToShowPopup = Signal()

    def showPopup(self):
        self.aboutToShowPopup.emit()
        super().showPopup()


class TrainingSettingsForm(QWidget):
    changed = Signal()
    showTab = Signal(str)           # "model" or "data": where a read-only setting is changed

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trainingSettings")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self._build_read_only_rows(form)
        self._build_optimizer_rows(form)
        self._build_run_rows(form)
        self._build_device_rows(form)
        self._connect_changes()
        self.set_settings(TrainSettings(batch_size=64, epochs=5))

    def _build_read_only_rows(self, form: QFormLayout) -> None:
        """Optimizer and split: set on the Model and Data tabs, shown here as links."""
        # What the run trains with but is set elsewhere: shown here, changed at its one home.
        self.compile_label = QLabel()
        self.compile_label.setObjectName("compileFromModel")
        self.compile_label.setWordWrap(True)
        self.compile_label.setTextFormat(Qt.TextFormat.RichText)
        self.compile_label.linkActivated.connect(self.showTab)
        form.addRow(self.tr("Optimizer"), self.compile_label)
        self.split_label = QLabel()
        self.split_label.setObjectName("splitFromData")
        self.split_label.setWordWrap(True)
        self.split_label.setTextFormat(Qt.TextFormat.RichText)
        self.split_label.linkActivated.connect(self.showTab)
        form.addRow(self.tr("Split"), self.split_label)
        self._optimizer_name = "adam"
        self.set_compile(None)
        self.set_split(None)

    def _build_optimizer_rows(self, form: QFormLayout) -> None:
        """SGD's momentum and Nesterov, and the learning-rate schedule."""
        sgd_row = QHBoxLayout()
        self.momentum = QDoubleSpinBox()
        self.momentum.setObjectName("momentumSpin")
        self.momentum.setRange(0.0, 0.999)
        self.momentum.setDecimals(3)
        self.momentum.setSingleStep(0.1)
        self.nesterov = QCheckBox(self.tr("Nesterov"))
        sgd_row.addWidget(self.momentum, 1)
        sgd_row.addWidget(self.nesterov)
        form.addRow(self.tr("Momentum (SGD)"), sgd_row)

        self.schedule = QComboBox()
        self.schedule.setObjectName("scheduleCombo")
        for key, label in (("none", self.tr("constant")), ("step", self.tr("step: halve every 10 epochs")),
                           ("cosine", self.tr("cosine decay")),
                           ("plateau", self.tr("reduce on plateau"))):
            self.schedule.addItem(label, key)
        form.addRow(self.tr("Schedule"), self.schedule)

    def _build_run_rows(self, form: QFormLayout) -> None:
        """Batch size, epochs, early-stopping patience and seed."""
        self.batch_size = QSpinBox()
        self.batch_size.setObjectName("batchSizeSpin")
        self.batch_size.setRange(1, 65536)
        form.addRow(self.tr("Batch size"), self.batch_size)

        self.epochs = QSpinBox()
        self.epochs.setObjectName("epochsSpin")
        self.epochs.setRange(1, 10000)
        form.addRow(self.tr("Epochs"), self.epochs)

        self.patience = QSpinBox()
        self.patience.setObjectName("patienceSpin")
        self.patience.setRange(0, 1000)
        self.patience.setSpecialValueText(self.tr("off"))
        self.patience.setToolTip(self.tr("Stop when the validation loss has not improved for this many "
                                         "epochs, and keep the best epoch's weights."))
        form.addRow(self.tr("Early stopping patience"), self.patience)

        self.seed = QSpinBox()
        self.seed.setObjectName("seedSpin")
        self.seed.setRange(-1, 2**31 - 1)
        self.seed.setSpecialValueText(self.tr("random"))
        self.seed.setToolTip(self.tr("The same seed gives the same run again."))
        form.addRow(self.tr("Seed"), self.seed)

    def _build_device_rows(self, form: QFormLayout) -> None:
        """Device, mixed precision and the (read-only) Keras backend."""
        self.device = DeviceCombo()
        self.device.setObjectName("deviceCombo")
        self.device.addItem(self.tr("Automatic"), "auto")
        self.device.addItem(self.tr("CPU"), "cpu")
        self.mixed = QCheckBox(self.tr("Mixed precision"))
        self.mixed.setToolTip(self.tr("float16 arithmetic on GPUs: faster on recent NVIDIA cards. "
                                      "Ignored on the CPU."))
        self.device.setToolTip(self.tr("Automatic uses the first GPU when there is one, else the CPU."))
        self.device.setMinimumContentsLength(18)
        self.device.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        form.addRow(self.tr("Device"), self.device)
        form.addRow("", self.mixed)

        # Read-only here: Preferences chooses it; a run's process is started with it.
        self.backend = QLabel()
        self.backend.setObjectName("backendLabel")
        form.addRow(self.tr("Backend"), self.backend)
        self.refresh_backend()

    def _connect_changes(self) -> None:
        """Every edit of a setting emits `changed` (the project saves it)."""
        for widget in (self.schedule, self.device):
            widget.currentIndexChanged.connect(self._on_change)
        self.momentum.valueChanged.connect(self._on_change)
        for widget in (self.batch_size, self.epochs, self.patience, self.seed):
            widget.valueChanged.connect(self._on_change)
        for widget in (self.nesterov, self.mixed):
            widget.toggled.connect(self._on_change)

    def _on_change(self, *_):
        self.momentum.setEnabled(self._optimizer_name in ("sgd", "rmsprop"))
        self.nesterov.setEnabled(self._optimizer_name == "sgd")
        self.changed.emit()

    def settings(self) -> TrainSettings:
        seed = self.seed.value()
        return TrainSettings(
            momentum=self.momentum.value(), nesterov=self.nesterov.isChecked(),
            schedule=self.schedule.currentData(), batch_size=self.batch_size.value(),
            epochs=self.epochs.value(),
            early_stopping=self.patience.value(), seed=None if seed < 0 else seed,
            device=self.device.currentData() or "auto", mixed_precision=self.mixed.isChecked(),
            backend=self.refresh_backend())

    def set_settings(self, s: TrainSettings) -> None:
        self.momentum.setValue(s.momentum)
        self.nesterov.setChecked(s.nesterov)
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(s.schedule)))
        self.batch_size.setValue(s.batch_size)
        self.epochs.setValue(s.epochs)
        self.patience.setValue(s.early_stopping)
        self.seed.setValue(-1 if s.seed is None else s.seed)
        index = self.device.findData(s.device)
        if index < 0:       # a GPU remembered from another session: keep it until devices are listed
            self.device.addItem(s.device.upper(), s.device)
            index = self.device.count() - 1
        self.device.setCurrentIndex(index)
        self.mixed.setChecked(s.mixed_precision)
        self._on_change()

    def refresh_backend(self) -> str:
        """Show the backend the next run trains with (Preferences, or KERAS_BACKEND when the user
        set it) and return its name."""
        from desktop_dl.ui.base.backend_preference import training_backend
        name = training_backend()
        if name != getattr(self, "backend_name", None):
            self.backend_name = name
            self.backend.setText(self.tr("%s (set in Preferences)") % backends.TITLES[name])
            self.backend.setToolTip(translate(backends.FEATURES[name].notes))   # engine data: gettext
        return name

    def set_compile(self, spec) -> None:
        """Show the model's optimizer and learning rate (what the run uses)."""
        link = '<a href="model">' + self.tr("change in the Model tab") + "</a>"
        if spec is None:
            self.compile_label.setText(self.tr("from the model (%s)") % link)
            return
        self._optimizer_name = spec.compile.optimizer.lower()
        self.compile_label.setText(self.tr("%s, learning rate %s — from the model (%s)") % (
            _OPTIMIZER_LABELS.get(self._optimizer_name, spec.compile.optimizer),
            f"{spec.compile.learning_rate:g}", link))
        self._on_change()

    def set_split(self, dataset) -> None:
        """Show the dataset's split (what the run uses): sizes as train / validation / test."""
        link = '<a href="data">' + self.tr("change in the Data tab") + "</a>"
        if dataset is None:
            self.split_label.setText(self.tr("the dataset's (%s)") % link)
            return
        options = dataset.split_options
        try:
            sizes = dataset.split_sizes(float(options["validation"]), float(options["test"]),
                                        int(options.get("seed", 0)))
            text = f"{sizes['train']:,} / {sizes['validation']:,} / {sizes['test']:,}"
        except Exception as exc:  # a split the Data tab would refuse too: say it here
            text = str(exc)
        self.split_label.setText(self.tr("train / validation / test: %s (%s)") % (text, link))

    def set_devices(self, devices) -> None:
        """Fill the device list from engine.devices.list_devices() (DeviceInfo objects)."""
        current = self.device.currentData()
        self.device.blockSignals(True)
        self.device.clear()
        self.device.addItem(self.tr("Automatic"), "auto")
        gpus = []
        for d in devices:
            if d.kind == "cpu":
                self.device.addItem(self.tr("CPU — %s") % d.name, "cpu")
            else:
                gpus.append(d.id)
                self.device.addItem(f"{d.id.upper()} — {d.name}", d.id)
        if len(gpus) > 1 and backends.FEATURES[self.backend_name].multi_gpu:   # none on PyTorch
            self.device.addItem(self.tr("All %d GPUs (mirrored)") % len(gpus), ",".join(gpus))
        index = self.device.findData(current)
        self.device.setCurrentIndex(max(0, index))
        self.device.blockSignals(False)
        self.mixed.setEnabled(bool(gpus))
        self.devices_listed = True
