"""Projects in the real main window: the File menu, the title, closing, and a full round trip
through the real layer editor, dataset browser, training panel and drawing panel."""
import shutil

import numpy as np
import pytest
from PySide6.QtWidgets import QMenu

from desktop_dl.core.project import load_project
from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec

from test_project_controller import Answers  # noqa: E402  (same folder: the scripted user)


def table_spec():
    return ModelSpec((4,), [LayerSpec("Dense", {"units": 12, "activation": "relu"}),
                            LayerSpec("Dropout", {"rate": 0.25}),
                            LayerSpec("Dense", {"units": 3, "activation": "softmax"})],
                     CompileSpec("rmsprop", 0.002), name="iris net")


def open_window(qtbot, answers=None):
    from desktop_dl.ui.app.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    window.project.prompts = answers or Answers(save_changes="discard")
    window.show()
    return window


def test_file_menu_starts_with_the_project_actions(main_window):
    names = [a.objectName() for a in main_window.file_menu.actions()]
    assert names[:2] == ["newProject", "openProject"]
    assert isinstance(main_window.file_menu.actions()[2].menu(), QMenu)
    assert names[3:5] == ["saveProject", "saveProjectAs"]
    assert main_window.windowTitle() == "Untitled[*] \u2014 desktop_dl"


@pytest.mark.slow
def test_a_project_round_trips_through_the_real_panels(qtbot, tmp_path):
    from desktop_dl.engine.trainer import TrainSettings
    from desktop_dl.paths import resource
    from desktop_dl.ui.train.training_runs import RunRecord

    data = tmp_path / "iris.csv"
    shutil.copy(resource("datasets", "iris.csv"), data)
    first = open_window(qtbot)
    assert not first.isWindowModified()
    first.editor.set_spec(table_spec())
    assert first.isWindowModified()                       # the title shows the mark at once
    with qtbot.waitSignal(first.browser.datasetChanged, timeout=20000):
        first.browser.load_source({"path": str(data), "options": {"target": "species"}})
    first.training.settings_form.set_settings(TrainSettings(batch_size=16, epochs=7,
                                                            early_stopping=2))
    curve = np.linspace(1, 0.2, 30).tolist()
    run = RunRecord("r1", "Run 1", "2026-11-23T11:00:00", table_spec().to_dict(),
                    {"epochs": 7, "batch_size": 16}, {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.7, 0.5]},
                    {"test_accuracy": 0.93}, batch_x=list(range(30)), batch_loss=curve,
                    wrong_images=np.zeros((2, 28, 28), np.uint8), weights=b"PK\x03\x04 keras bytes", kept=True)
    first.training.runs.set_runs([run])
    first.training.projectStateChanged.emit()
    path = tmp_path / "iris.ddl"
    assert first.project._save_to(path)
    assert first.windowTitle() == "iris.ddl[*] \u2014 desktop_dl" and not first.isWindowModified()

    saved = load_project(path)
    assert saved.spec.to_dict() == table_spec().to_dict()
    assert saved.dataset.path == str(data) and saved.dataset.sha256
    assert saved.training["epochs"] == 7 and saved.runs[0].weights == b"PK\x03\x04 keras bytes"

    second = open_window(qtbot)
    with qtbot.waitSignal(second.browser.datasetChanged, timeout=20000):
        assert second.project.open_project(path)
    assert second.editor.spec().to_dict() == table_spec().to_dict()
    assert second.editor.undo_stack.count() == 0           # a fresh history for the opened project
    settings = second.training.settings_form.settings()
    # The optimizer travels in the spec (its one home); the Train tab keeps the run settings.
    assert (second.editor.spec().compile.optimizer, settings.batch_size, settings.epochs,
            settings.early_stopping) == ("rmsprop", 16, 7, 2)
    back = second.training.runs.runs()[0]
    assert (back.id, back.history, back.metrics, back.batch_loss, back.weights) == \
           ("r1", run.history, run.metrics, curve, run.weights)
    np.testing.assert_array_equal(back.wrong_images, run.wrong_images)
    assert second.browser.current_dataset().source == str(data)
    qtbot.waitUntil(lambda: second.training._dataset is not None, timeout=5000)
    assert second.training._dataset.source == str(data)     # training uses the project's data
    qtbot.wait(400)                                          # the debounced check has run
    assert not second.isWindowModified()
    assert second.windowTitle() == "iris.ddl[*] \u2014 desktop_dl"


def test_closing_with_unsaved_changes_can_be_cancelled(qtbot):
    answers = Answers(save_changes="cancel")
    window = open_window(qtbot, answers)
    window.editor.set_spec(table_spec())
    window.close()
    assert window.isVisible() and answers.asked == [("save_changes", ("Untitled",))]
    answers.answers["save_changes"] = "discard"
    window.close()
    assert not window.isVisible()


def test_the_window_offers_work_a_crashed_session_left(qtbot, tmp_path):
    crashed = open_window(qtbot)
    crashed.editor.set_spec(table_spec())
    assert crashed.project.autosave()
    crashed.project._lock.unlock()                       # the process died; its files remain
    crashed.project.autosave_timer.stop()

    answers = Answers(recover=True)
    from desktop_dl.ui.app.main_window import MainWindow
    window = MainWindow()                                # recovery is offered right after start-up
    qtbot.addWidget(window)
    window.project.prompts = answers
    window.show()
    qtbot.waitUntil(lambda: window.editor.spec().to_dict() == table_spec().to_dict(), timeout=5000)
    assert window.isWindowModified() and answers.asked[0][0] == "recover"


def test_a_fresh_window_is_not_modified_until_the_user_changes_something(qtbot, tmp_path):
    window = open_window(qtbot)
    qtbot.waitUntil(lambda: window.browser.current_dataset() is not None, timeout=20000)
    qtbot.wait(20)
    assert not window.isWindowModified()        # the start-up dataset and model are no edit
    window.browser.test_spin.setValue(0.3)      # the user's split
    assert window.isWindowModified()
    assert window.project._save_to(tmp_path / "split.ddl") and not window.isWindowModified()
    window.editor.set_spec(table_spec())        # an edit on the Model tab ...
    assert window.isWindowModified()
    window.editor.undo_stack.undo()             # ... undone: back to what the file holds
    assert not window.isWindowModified()
