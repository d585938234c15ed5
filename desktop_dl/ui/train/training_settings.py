"""The training settings form: optimizer, learning rate, schedule, batch size, epochs, validation
split, early stopping, seed, device and (read-only) the Keras backend. Reads and writes a plain
`TrainSettings`."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractSpinBox, QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout,
                               QHBoxLayout, QLabel, QSpinBox, QWidget)

from desktop_dl.engine import backends
from desktop_dl.engine.trainer import OPTIMIZERS, TrainSettings

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

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("trainingSettings")
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.optimizer = QComboBox()
        self.optimizer.setObjectName("optimizerCombo")
        self.optimizer.addItem(self.tr("From the model"), None)
        for name in OPTIMIZERS:
            self.optimizer.addItem(_OPTIMIZER_LABELS[name], name)
        form.addRow(self.tr("Optimizer"), self.optimizer)

        self.learning_rate = QDoubleSpinBox()
        self.learning_rate.setObjectName("learningRateSpin")
        self.learning_rate.setDecimals(6)
        self.learning_rate.setRange(0.0, 10.0)
        self.learning_rate.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.learning_rate.setSpecialValueText(self.tr("from the model"))
        self.learning_rate.setToolTip(self.tr("How big each weight update is. Too high and the loss "
                                              "jumps or becomes NaN; too low and training crawls. "
                                              "Adam and RMSprop: about 0.001; SGD: about 0.01."))
        form.addRow(self.tr("Learning rate"), self.learning_rate)

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

        self.batch_size = QSpinBox()
        self.batch_size.setObjectName("batchSizeSpin")
        self.batch_size.setRange(1, 65536)
        form.addRow(self.tr("Batch size"), self.batch_size)

        self.epochs = QSpinBox()
        self.epochs.setObjectName("epochsSpin")
        self.epochs.setRange(1, 10000)
        form.addRow(self.tr("Epochs"), self.epochs)

        self.validation = QSpinBox()
        self.validation.setObjectName("validationSpin")
        self.validation.setRange(0, 50)
        self.validation.setSuffix(" %")
        self.validation.setToolTip(self.tr("Share of the data held out to check the model on samples "
                                           "it never trains on. 10% of the rest is kept for the test."))
        form.addRow(self.tr("Validation split"), self.validation)

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

        # Read-only here: Keras fixes its backend per process; Preferences chooses it.
        self.backend_name = backends.normalise(None)
        self.backend = QLabel(self.tr("%s (set in Preferences)") % backends.TITLES[self.backend_name])
        self.backend.setObjectName("backendLabel")
        self.backend.setToolTip(backends.FEATURES[self.backend_name].notes)
        form.addRow(self.tr("Backend"), self.backend)

        for widget in (self.optimizer, self.schedule, self.device):
            widget.currentIndexChanged.connect(self._on_change)
        for widget in (self.learning_rate, self.momentum):
            widget.valueChanged.connect(self._on_change)
        for widget in (self.batch_size, self.epochs, self.validation, self.patience, self.seed):
            widget.valueChanged.connect(self._on_change)
        for widget in (self.nesterov, self.mixed):
            widget.toggled.connect(self._on_change)
        self.set_settings(TrainSettings(batch_size=64, epochs=5))

    def _on_change(self, *_):
        is_sgd = self.optimizer.currentData() in ("sgd", "rmsprop")
        self.momentum.setEnabled(is_sgd)
        self.nesterov.setEnabled(self.optimizer.currentData() == "sgd")
        self.changed.emit()

    def settings(self) -> TrainSettings:
        seed = self.seed.value()
        return TrainSettings(
            optimizer=self.optimizer.currentData(),
            learning_rate=self.learning_rate.value() or None,
            momentum=self.momentum.value(), nesterov=self.nesterov.isChecked(),
            schedule=self.schedule.currentData(), batch_size=self.batch_size.value(),
            epochs=self.epochs.value(), validation_split=self.validation.value() / 100.0,
            early_stopping=self.patience.value(), seed=None if seed < 0 else seed,
            device=self.device.currentData() or "auto", mixed_precision=self.mixed.isChecked(),
            backend=self.backend_name)

    def set_settings(self, s: TrainSettings) -> None:
        self.optimizer.setCurrentIndex(max(0, self.optimizer.findData(s.optimizer)))
        self.learning_rate.setValue(s.learning_rate or 0.0)
        self.momentum.setValue(s.momentum)
        self.nesterov.setChecked(s.nesterov)
        self.schedule.setCurrentIndex(max(0, self.schedule.findData(s.schedule)))
        self.batch_size.setValue(s.batch_size)
        self.epochs.setValue(s.epochs)
        self.validation.setValue(round(s.validation_split * 100))
        self.patience.setValue(s.early_stopping)
        self.seed.setValue(-1 if s.seed is None else s.seed)
        index = self.device.findData(s.device)
        if index < 0:       # a GPU remembered from another session: keep it until devices are listed
            self.device.addItem(s.device.upper(), s.device)
            index = self.device.count() - 1
        self.device.setCurrentIndex(index)
        self.mixed.setChecked(s.mixed_precision)
        self._on_change()

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
