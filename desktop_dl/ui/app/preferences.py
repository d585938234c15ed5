"""Preferences dialog: the interface language (saved in the user data folder's preferences.json,
which the CLI reads too; used at the next start) and the training backend (used from the next
training run: each run's worker process starts Keras with it, engine/training_process.py)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QVBoxLayout)

from desktop_dl.core.i18n import _ as translate
from desktop_dl.engine import backends
from desktop_dl.ui.base import i18n
# The backend choice lives in ui/base (the Train tab reads it too); re-exported for callers here.
from desktop_dl.ui.base.backend_preference import (AUTO, BACKEND_KEY, apply_backend_preference,  # noqa: F401
                                                   saved_backend, training_backend)


class PreferencesDialog(QDialog):
    def __init__(self, parent=None, store: QSettings | None = None,
                 language_file: Path | None = None):
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self._store = store or i18n.settings()     # the backend (Qt settings, ui only)
        self._language_file = language_file        # None: core.i18n's file, the CLI reads it too

        self._build_language_combo()
        self._build_backend_combo()
        form = QFormLayout()
        form.addRow(self.tr("&Language:"), self.language)
        form.addRow(self.tr("Training &backend:"), self.backend)

        self._build_notes()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.backend_note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _build_language_combo(self) -> None:
        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        system_name = i18n.LANGUAGE_NAMES[i18n.system_language()]
        self.language.addItem(self.tr("Same as the system (%s)") % system_name, i18n.SYSTEM)
        for code in i18n.LANGUAGES:
            # Each language is named in its own script so a user can find theirs.
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(
            i18n.saved_preference(self._language_file))))

    def _build_backend_combo(self) -> None:
        """Every backend Keras can use; the ones not installed are shown but disabled."""
        self.backend = QComboBox(self)
        self.backend.setObjectName("backendCombo")
        self.backend.addItem(self.tr("Automatic (TensorFlow where it is installed)"), AUTO)
        for name in backends.BACKENDS:
            installed = backends.is_installed(name)
            label = backends.TITLES[name] if installed else self.tr("%s (not installed)") % backends.TITLES[name]
            self.backend.addItem(label, name)
            item = self.backend.model().item(self.backend.count() - 1)
            item.setEnabled(installed)
            item.setToolTip(translate(backends.FEATURES[name].notes))   # engine data: gettext
        self.backend.setCurrentIndex(max(0, self.backend.findData(saved_backend(self._store))))

    def _build_notes(self) -> None:
        # Widgets set their texts when they are built, so a new language needs a new start.
        note = self.tr("The new language takes effect after you restart desktop_dl.")
        forced = i18n.env_override()
        if forced:
            note += " " + self.tr("While the environment variable %s is set (now %s), it decides "
                                  "the language instead.") % (i18n.ENV_VAR, forced)
        self.note = QLabel(note, self)
        self.note.setObjectName("languageNote")
        self.note.setWordWrap(True)

        self.backend_note = QLabel(self.tr(
            "The training backend is used from the next training run (each run's training "
            "process starts Keras with it); the environment variable KERAS_BACKEND, when set "
            "before desktop_dl starts, decides instead. ONNX export always converts through "
            "TensorFlow."), self)
        self.backend_note.setObjectName("backendNote")
        self.backend_note.setWordWrap(True)

    def chosen_language(self) -> str:
        return self.language.currentData()

    def chosen_backend(self) -> str:
        return self.backend.currentData()

    def accept(self) -> None:
        i18n.save_preference(self.chosen_language(), self._language_file)
        self._store.setValue(BACKEND_KEY, self.chosen_backend())
        self._store.sync()
        super().accept()
