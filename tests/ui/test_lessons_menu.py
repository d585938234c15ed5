"""The Lessons menu sets a lesson up in the window, and Train runs its runs in turn."""
import pytest
from PySide6.QtGui import QAction

from desktop_dl.core import lessons


def _action(window, name):
    return window.findChild(QAction, "lesson-" + name)


def test_menu_lists_every_lesson_between_view_and_help(main_window):
    titles = [a.text().replace("&", "") for a in main_window.menuBar().actions()]
    assert titles.index("Lessons") == titles.index("Help") - 1
    actions = main_window.lessons_menu.actions()
    assert [a.objectName() for a in actions] == ["lesson-" + l.name for l in lessons.list_lessons()]
    assert actions[0].text().startswith("1. One neuron")


def test_choosing_a_lesson_sets_model_data_and_settings(main_window, qtbot):
    _action(main_window, "05-optimizers").trigger()
    spec = main_window.editor.spec()
    assert [l.type for l in spec.layers] == ["Flatten", "Dense", "Dense"]
    assert main_window.training._dataset.name == "mnist-5k"
    settings = main_window.training.settings_form.settings()
    # The optimizer lives in the spec (Model tab); the Train tab shows it read-only.
    assert (spec.compile.optimizer, spec.compile.learning_rate, settings.epochs) == ("sgd", 0.01, 4)
    assert settings.optimizer is None and settings.learning_rate is None
    main_window.tabs.setCurrentWidget(main_window.training)
    assert "SGD, learning rate 0.01" in main_window.training.settings_form.compile_label.text()
    dock = main_window.lessons_menu.dock
    assert dock.isVisible() and "SGD" in dock.title.text()
    assert "4. Adam" in dock.runs.text()
    # The next lesson resets what this one set (early stopping stays off unless asked for).
    _action(main_window, "06-early-stopping").trigger()
    assert main_window.training.settings_form.settings().early_stopping == 3
    _action(main_window, "07-binary-table").trigger()
    settings = main_window.training.settings_form.settings()
    assert settings.early_stopping == 0 and main_window.editor.spec().compile.optimizer == "adam"
    assert main_window.editor.spec().input_shape == (30,)
    assert main_window.training._dataset.name == "breast-cancer"


@pytest.mark.slow
def test_train_runs_every_run_and_overlays_them(main_window, qtbot, monkeypatch):
    # A two-run lesson on the small table, one epoch each: the sequencing is what is tested.
    base = lessons.get_lesson("07-binary-table")
    two = lessons.Lesson("test-two-runs", base.title, base.text, base.dataset, base.template,
                         {**base.settings, "epochs": 1},
                         (lessons.LessonRun({"en": "plain"}),
                          lessons.LessonRun({"en": "SGD"}, {"optimizer": "sgd", "learning_rate": 0.01})))
    controller = main_window.lessons_menu.controller
    controller.open_lesson(two)
    finished = []
    controller.lessonFinished.connect(finished.append)
    controller.train()
    qtbot.waitUntil(lambda: bool(finished), timeout=240_000)
    assert finished == [True]
    runs = main_window.training.runs
    assert runs.rowCount() == 2
    assert [r.status for r in runs.runs()] == ["completed", "completed"]
    assert "SGD" in runs.run_at(1).spec["name"]
    assert len(runs.checked_runs()) == 2
    assert "Done" in main_window.lessons_menu.dock.status.text()
    # The curve diagnosis beside the settings was fed every epoch of the run.
    assert len(main_window.training.diagnosis_view.history()["loss"]) == 1
