"""Preferences dialog: the interface language (saved in the user data folder's preferences.json,
which the CLI reads too; used at the next start)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QVBoxLayout)

from desktop_dl.ui.base import i18n


class PreferencesDialog(QDialog):
    def __init__(self, parent=None, store: Path | None = None):
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self._store = store        # None: core.i18n's preferences file

        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        system_name = i18n.LANGUAGE_NAMES[i18n.system_language()]
        self.language.addItem(self.tr("Same as the system (%s)") % system_name, i18n.SYSTEM)
        for code in i18n.LANGUAGES:
            # Each language is named in its own script so a user can find theirs.
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.saved_preference(self._store))))

        form = QFormLayout()
        form.addRow(self.tr("&Language:"), self.language)

        # Widgets set their texts when they are built, so a new language needs a new start.
        note = self.tr("The new language takes effect after you restart desktop_dl.")
        forced = i18n.env_override()
        if forced:
            note += " " + self.tr("While the environment variable %s is set (now %s), it decides "
                                  "the language instead.") % (i18n.ENV_VAR, forced)
        self.note = QLabel(note, self)
        self.note.setObjectName("languageNote")
        self.note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def chosen_language(self) -> str:
        return self.language.currentData()

    def accept(self) -> None:
        i18n.save_preference(self.chosen_language(), self._store)
        super().accept()
