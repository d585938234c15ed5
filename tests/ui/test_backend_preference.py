"""The training backend: chosen in Preferences, used from the next run (no restart), shown on the
Train tab."""
import pytest
from PySide6.QtCore import QSettings

from desktop_dl.engine import backends
from desktop_dl.ui.app import preferences
from desktop_dl.ui.base import backend_preference
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
    running = preferences.training_backend()
    assert backends.TITLES[running] in form.backend.text()
    assert form.backend.toolTip() == backends.FEATURES[running].notes
    assert form.settings().backend == running


def test_a_new_choice_is_used_by_the_next_run_without_a_restart(qtbot, store, monkeypatch):
    from desktop_dl.ui.train.training_settings import TrainingSettingsForm

    monkeypatch.setattr(backend_preference, "_USER_KERAS_BACKEND", "")
    monkeypatch.setattr(backend_preference, "settings_store", lambda: store)
    form = TrainingSettingsForm()
    qtbot.addWidget(form)
    assert form.settings().backend == backends.default_backend()
    other = next(name for name in reversed(backends.installed_backends()))
    store.setValue(preferences.BACKEND_KEY, other)
    assert form.settings().backend == other           # read at each run, not at start
    assert backends.TITLES[other] in form.backend.text()
    # KERAS_BACKEND given when the app started decides over the saved choice.
    monkeypatch.setattr(backend_preference, "_USER_KERAS_BACKEND", "tensorflow")
    assert form.settings().backend == "tensorflow"
