"""One home per setting: for every lesson, what the Train tab shows, what the spec says and what
history.json records agree (the optimizer and learning rate are the spec's; the run settings the
Train tab's; the split the dataset's)."""
import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop_dl.core import lessons

pytestmark = pytest.mark.slow
ALL = lessons.list_lessons()


def test_every_lesson_shows_and_runs_what_its_spec_says(qtbot, main_window):
    window, panel = main_window, main_window.training
    form = panel.settings_form
    for lesson in ALL:
        window.lessons_menu.controller.open_lesson(lesson)
        window.tabs.setCurrentWidget(panel)
        QApplication.processEvents()
        spec = window.editor.spec()
        shown = form.compile_label.text()
        assert f"learning rate {spec.compile.learning_rate:g}" in shown, (lesson.name, shown)
        assert spec.compile.optimizer.lower() in shown.lower(), (lesson.name, shown)
        settings = form.settings()
        assert settings.optimizer is None and settings.learning_rate is None
        for key in ("epochs", "batch_size", "seed", "early_stopping"):
            if key in lesson.settings:
                assert getattr(settings, key) == lesson.settings[key], (lesson.name, key)
        sizes = panel._dataset.split_sizes(**panel._dataset.split_options)
        assert f"{sizes['train']:,} / {sizes['validation']:,} / {sizes['test']:,}" in form.split_label.text()

        form.epochs.setValue(1)                    # one epoch: the agreement is what is tested
        with qtbot.waitSignal(panel.trainingFinished, timeout=240000):
            panel.start()
        assert panel.last_error is None, (lesson.name, panel.last_error)
        run = panel.runs.run_at(panel.runs.rowCount() - 1)
        history = json.loads((Path(run.folder) / "history.json").read_text())
        assert history["spec"]["compile"] == spec.compile.to_dict(), lesson.name
        assert history["settings"]["batch_size"] == settings.batch_size
        assert history["settings"]["optimizer"] is None
        assert history["dataset"]["sizes"] == sizes
