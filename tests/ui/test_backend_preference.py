"""The training backend: chosen in Preferences, applied at the next start, shown on the Train tab."""
import pytest
from PySide6.QtCore import QSettings

from desktop_dl.engine import backends
from desktop_dl.ui.app import preferences
from desktop_dl.ui.app.preferences import PreferencesDialog, apply_backend_preference, saved_backend


@pytest.fixture
def store(tmp_path):
    return QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)


def test_preferences_saves_the_backend_and_offers_only_installed_ones(qtbot, store):
    dialog = PreferencesDialog(store=store)
    qtbot.addWidget(dialog)
    assert dialog.chosen_backend() == "auto" and "KERAS_BACKEND" in dialog.backend_note.text()
    model = dialog.backend.model()
    for row in range(1, dialog.backend.count()):
        name = dialog.backend.itemData(row)
        assert model.item(row).isEnabled() == backends.is_installed(name)
        assert model.item(row).toolTip() == backends.FEATURES[name].notes
    installed = backends.installed_backends()[-1]
    dialog.backend.setCurrentIndex(dialog.backend.findData(installed))
    dialog.accept()
    assert saved_backend(store) == installed


def test_the_saved_backend_is_applied_before_keras_unless_the_variable_decides(store, monkeypatch):
    store.setValue(preferences.BACKEND_KEY, "jax")
    chosen = []
    monkeypatch.setattr(backends, "select_backend", lambda name: chosen.append(name) or name)
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    assert apply_backend_preference(store) is None and chosen == []
    monkeypatch.delenv("KERAS_BACKEND")
    assert apply_backend_preference(store) == "jax" and chosen == ["jax"]
    store.setValue(preferences.BACKEND_KEY, "nonsense")
    assert saved_backend(store) == "auto" and apply_backend_preference(store) is None


def test_train_tab_shows_the_backend_read_only_and_runs_record_it(qtbot):
    from desktop_dl.ui.train.training_settings import TrainingSettingsForm

    form = TrainingSettingsForm()
    qtbot.addWidget(form)
    running = backends.normalise(None)
    assert backends.TITLES[running] in form.backend.text()
    assert form.backend.toolTip() == backends.FEATURES[running].notes
    assert form.settings().backend == running
