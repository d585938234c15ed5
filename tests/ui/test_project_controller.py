"""The project controller with small real panels: save/open, the unsaved mark, closing, recovery."""
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QMainWindow, QWidget

from desktop_dl.core import atomic_write
from desktop_dl.core.project import content_sha256, load_project
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.ui.app.project_controller import ProjectController


class Panel(QWidget):
    """A panel that keeps its state in a dict, like the real panels do in their models."""
    projectStateChanged = Signal()
    runFinished = Signal()

    def __init__(self, state=None):
        super().__init__()
        self.state = dict(state or {})
        self.restored = []

    def project_state(self):
        return dict(self.state)

    def restore_project_state(self, state):
        self.restored.append(state)
        self.state = dict(state)

    def change(self, **values):
        self.state.update(values)
        self.projectStateChanged.emit()


class Answers:
    """The user's answers to the controller's questions, scripted per test."""
    interactive = True

    def __init__(self, **answers):
        self.answers = answers
        self.asked = []
        self.warnings = []
        self.notes = []

    def tr(self, text):
        return text

    def _answer(self, question, *args):
        self.asked.append((question, args))
        return self.answers.get(question)

    def save_changes(self, name, question=None):
        return self._answer("save_changes", name, *([question] if question else []))

    def open_path(self, folder):
        return self._answer("open_path", folder)

    def save_path(self, suggestion):
        return self._answer("save_path", suggestion)

    def recover(self, files):
        return self._answer("recover", files)

    def locate_dataset(self, ref, message):
        return self._answer("locate_dataset", ref, message)

    def warn(self, message, title=""):
        self.warnings.append(message)

    def note(self, message):
        self.notes.append(message)


def spec():
    return ModelSpec((4,), [LayerSpec("Dense", {"units": 3, "activation": "relu"}), LayerSpec("Dense", {"units": 1})])


def make(qtbot, tmp_path, answers=None, **panel_states):
    window = QMainWindow()
    qtbot.addWidget(window)
    panels = {name: Panel(state) for name, state in panel_states.items()}
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    controller = ProjectController(window, panels, prompts=answers or Answers(), settings=settings,
                                   recovery_dir=tmp_path / "recovery", autosave_ms=60_000)
    return window, panels, controller


def states(tmp_path):
    data = tmp_path / "table.csv"
    data.write_text("a,b,y\n1,2,0\n")
    return dict(
        editor={"spec": spec(), "selected": 1},
        browser={"dataset": {"name": "table", "path": str(data), "options": {"target": "y"}},
                 "preview_rows": 5},
        training={"training": {"epochs": 4, "batch_size": 8},
                  "runs": [{"id": "r1", "name": "Run 1", "history": {"loss": [1.0, 0.5]},
                            "metrics": {"test_loss": 0.4}, "kept": True, "weights": b"PKweights",
                            "batch_loss": np.linspace(0, 1, 50, dtype=np.float32)}]},
        canvas={"pen": 16})


def test_save_then_open_restores_every_panel(qtbot, tmp_path):
    window, panels, ctl = make(qtbot, tmp_path, Answers(save_path=str(tmp_path / "first")), **states(tmp_path))
    assert ctl.save()                                   # untitled: asks where
    path = tmp_path / "first.ddl"
    assert ctl.path == path and path.exists()
    assert window.windowTitle() == "first.ddl[*] \u2014 desktop_dl" and not window.isWindowModified()

    project = load_project(path)
    assert project.spec.to_dict() == spec().to_dict()
    assert project.dataset.sha256 == content_sha256(tmp_path / "table.csv")
    assert project.runs[0].weights == b"PKweights" and project.training == {"epochs": 4, "batch_size": 8}

    # a second window opens it: each panel gets back exactly what it gave
    window2, panels2, ctl2 = make(qtbot, tmp_path, **{k: {} for k in panels})
    assert ctl2.open_project(path)
    for name, panel in panels.items():
        got = panels2[name].state
        assert set(got) == set(panel.state), name
    assert panels2["editor"].state["spec"].to_dict() == spec().to_dict()
    assert panels2["editor"].state["selected"] == 1
    ds = panels2["browser"].state["dataset"]
    assert ds["path"] == str(tmp_path / "table.csv") and ds["options"] == {"target": "y"}
    run = panels2["training"].state["runs"][0]
    assert run["weights"] == b"PKweights" and run["history"] == {"loss": [1.0, 0.5]}
    np.testing.assert_array_equal(run["batch_loss"], np.linspace(0, 1, 50, dtype=np.float32))
    assert not window2.isWindowModified() and ctl2.recent_files() == [str(path)]


class StackPanel(Panel):
    """A panel whose edits are undo commands, like the model editor."""

    def __init__(self, state=None):
        super().__init__(state)
        from PySide6.QtGui import QUndoStack
        self.undo_stack = QUndoStack(self)

    def change(self, **values):
        from PySide6.QtGui import QUndoCommand
        panel, before = self, dict(self.state)

        class Edit(QUndoCommand):
            def redo(self):
                panel.state.update(values)

            def undo(self):
                panel.state = dict(before)
        self.undo_stack.push(Edit())


def test_the_unsaved_mark_follows_counted_changes(qtbot, tmp_path):
    window, panels, ctl = make(qtbot, tmp_path, **states(tmp_path))
    assert not window.isWindowModified()
    assert window.windowTitle().startswith("Untitled[*]")
    panels["canvas"].change(pen=30)
    assert window.isWindowModified()                    # shown at once, nothing gathered
    panels["canvas"].change(pen=16)                     # a panel without undo: a change is a change
    assert window.isWindowModified()
    ctl._save_to(tmp_path / "p.ddl")
    assert not window.isWindowModified()


def test_undoing_back_to_the_saved_state_clears_the_mark(qtbot, tmp_path):
    window = QMainWindow()
    qtbot.addWidget(window)
    editor = StackPanel({"spec": spec()})
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    ctl = ProjectController(window, {"editor": editor}, prompts=Answers(), settings=settings,
                            recovery_dir=tmp_path / "recovery", autosave_ms=60_000)
    assert not window.isWindowModified()
    editor.change(selected=3)
    assert window.isWindowModified()
    editor.undo_stack.undo()                            # back where the project started
    assert not window.isWindowModified()
    editor.change(selected=4)
    assert ctl._save_to(tmp_path / "p.ddl") and not window.isWindowModified()
    editor.undo_stack.undo()
    assert window.isWindowModified()                    # the file holds selected=4
    editor.undo_stack.redo()
    assert not window.isWindowModified()


def test_saving_runs_in_a_job_while_the_window_keeps_its_timers(qtbot, tmp_path, monkeypatch):
    """The zip is built off the GUI thread: a 10 ms timer keeps firing during a slow save."""
    import threading
    import time

    from PySide6.QtCore import QTimer

    from desktop_dl.core import project as project_module
    window, panels, ctl = make(qtbot, tmp_path, **states(tmp_path))
    weights = tmp_path / "run.keras"
    weights.write_bytes(b"PK\x03\x04" + bytes(3_000_000))
    panels["training"].change(runs=[{"id": f"r{i}", "history": {"loss": [1.0]}, "kept": True,
                                     "weights_path": str(weights)} for i in range(5)])
    gui_thread = threading.get_ident()
    threads = []
    real = project_module.project_bytes

    def slow_project_bytes(project):
        threads.append(threading.get_ident())
        time.sleep(0.4)                                 # a big project on a slow disk
        return real(project)
    monkeypatch.setattr(project_module, "project_bytes", slow_project_bytes)
    ticks = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    assert ctl._save_to(tmp_path / "runs.ddl")
    timer.stop()
    assert threads and threads[0] != gui_thread
    assert len(ticks) >= 10                             # ~40 in 0.4 s; none if the GUI waited
    assert max(b - a for a, b in zip(ticks, ticks[1:])) < 0.2
    project = load_project(tmp_path / "runs.ddl")
    assert len(project.runs) == 5 and len(project.runs[0].weights) == 3_000_004
    assert not window.isWindowModified()


def test_a_save_that_fails_in_its_job_says_why(qtbot, tmp_path):
    answers = Answers()
    window, panels, ctl = make(qtbot, tmp_path, answers, canvas={"pen": 1})
    panels["canvas"].change(pen=2)
    assert not ctl._save_to(tmp_path / "no such folder" / "p.ddl")
    assert "p.ddl" in answers.warnings[-1] and window.isWindowModified()


@pytest.mark.parametrize("answer, closes, saved", [("cancel", False, False), ("discard", True, False),
                                                   ("save", True, True)])
def test_closing_with_unsaved_changes_asks(qtbot, tmp_path, answer, closes, saved):
    answers = Answers(save_changes=answer)
    window, panels, ctl = make(qtbot, tmp_path, answers, **states(tmp_path))
    path = tmp_path / "p.ddl"
    ctl._save_to(path)
    before = path.read_bytes()
    assert ctl.confirm_close()                          # unchanged: no question
    assert answers.asked == []
    panels["editor"].change(selected=2)
    assert ctl.confirm_close() is closes
    assert answers.asked == [("save_changes", ("p.ddl",))]
    assert (path.read_bytes() != before) is saved
    if saved:
        assert load_project(path).panels["editor"]["selected"] == 2


def test_new_and_open_ask_first_and_cancel_keeps_everything(qtbot, tmp_path):
    answers = Answers(save_changes="cancel")
    window, panels, ctl = make(qtbot, tmp_path, answers, **states(tmp_path))
    panels["canvas"].change(pen=3)
    assert not ctl.new_project() and panels["canvas"].state["pen"] == 3
    answers.answers["save_changes"] = "discard"
    assert ctl.new_project()
    # a new project is what the panels started with
    assert panels["canvas"].restored[-1] == {"pen": 16} and not window.isWindowModified()
    assert panels["editor"].state["spec"].to_dict() == spec().to_dict()


def test_a_failed_save_keeps_the_old_file_and_says_so(qtbot, tmp_path, monkeypatch):
    answers = Answers()
    window, panels, ctl = make(qtbot, tmp_path, answers, **states(tmp_path))
    path = tmp_path / "p.ddl"
    assert ctl._save_to(path)
    before = path.read_bytes()
    panels["editor"].change(selected=7)

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(atomic_write.os, "replace", full_disk)
    assert not ctl.save()
    assert path.read_bytes() == before
    assert "the disk is full" in answers.warnings[-1] and "unchanged" in answers.warnings[-1]
    assert window.isWindowModified()
    assert [p.name for p in tmp_path.glob(".p.ddl*")] == []     # the temporary file is gone


def test_a_damaged_project_gives_its_message(qtbot, tmp_path):
    answers = Answers()
    window, panels, ctl = make(qtbot, tmp_path, answers, canvas={"pen": 1})
    bad = tmp_path / "bad.ddl"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    assert not ctl.open_project(bad)
    assert "bad.ddl is damaged" in answers.warnings[-1]
    assert panels["canvas"].restored == [] and ctl.path is None


def test_recovery_after_a_crash(qtbot, tmp_path):
    window, panels, ctl = make(qtbot, tmp_path, **states(tmp_path))
    project_path = tmp_path / "work.ddl"
    ctl._save_to(project_path)
    assert not ctl.autosave()                           # nothing unsaved: nothing to write
    panels["canvas"].change(pen=42)
    assert ctl.autosave()
    assert ctl.recovery_path.exists()
    # the process dies: its lock is released by the OS, its files stay behind
    ctl._lock.unlock()
    ctl.autosave_timer.stop()

    answers = Answers(recover=True)
    window2, panels2, ctl2 = make(qtbot, tmp_path, answers, **{k: {} for k in panels})
    files = ctl2.orphaned_recovery_files()
    assert [f.path for f in files] == [ctl.recovery_path] and files[0].project_path == str(project_path)
    assert ctl2.offer_recovery()
    assert panels2["canvas"].state["pen"] == 42
    assert panels2["training"].state["runs"][0]["weights"] == b"PKweights"
    assert ctl2.path == project_path and window2.isWindowModified()
    assert window2.windowTitle().startswith("work.ddl[*]")
    assert not ctl.recovery_path.exists()               # taken over by the new session
    assert ctl2.recovery_path.exists()


def test_a_running_session_is_not_offered_and_declining_discards(qtbot, tmp_path):
    window, panels, ctl = make(qtbot, tmp_path, **states(tmp_path))
    panels["canvas"].change(pen=5)
    assert ctl.autosave()
    answers = Answers(recover=False)
    _, _, other = make(qtbot, tmp_path, answers, canvas={})
    assert other.orphaned_recovery_files() == []        # ctl still holds its lock
    assert not other.offer_recovery() and answers.asked == []
    ctl._lock.unlock()
    assert not other.offer_recovery()
    assert answers.asked and not ctl.recovery_path.exists()


def test_a_clean_close_leaves_nothing_to_recover(qtbot, tmp_path):
    window, panels, ctl = make(qtbot, tmp_path, Answers(save_changes="discard"), **states(tmp_path))
    panels["canvas"].change(pen=5)
    assert ctl.autosave()
    assert ctl.confirm_close()
    assert list((tmp_path / "recovery").iterdir()) == []


def test_a_finished_run_autosaves(qtbot, tmp_path):
    window, panels, ctl = make(qtbot, tmp_path, **states(tmp_path))
    panels["training"].state["runs"] = panels["training"].state["runs"] + [{"id": "r2", "history": {"loss": [3.0]}}]
    panels["training"].runFinished.emit()
    qtbot.waitUntil(ctl.recovery_path.exists, timeout=3000)
    assert [r.id for r in load_project(ctl.recovery_path).runs] == ["r1", "r2"]


def test_a_moved_dataset_is_located_and_a_changed_one_reported(qtbot, tmp_path):
    s = states(tmp_path)
    window, panels, ctl = make(qtbot, tmp_path, **s)
    path = tmp_path / "p.ddl"
    ctl._save_to(path)
    moved = tmp_path / "moved.csv"
    (tmp_path / "table.csv").rename(moved)

    answers = Answers(locate_dataset=str(moved))
    _, panels2, ctl2 = make(qtbot, tmp_path, answers, **{k: {} for k in s})
    assert ctl2.open_project(path)
    assert answers.asked[0][0] == "locate_dataset" and "no longer at" in answers.asked[0][1][1]
    restored = panels2["browser"].state["dataset"]
    assert restored["path"] == str(moved) and set(restored) == {"name", "path", "options", "sha256"}
    assert restored["sha256"] == content_sha256(moved)  # the browser compares it with what it loads
    assert ctl2.wait_for_dataset_check()
    qtbot.wait(50)                                      # let a (wrong) note arrive, if any
    assert answers.notes == [] and answers.warnings == []   # same content: nothing to report
    assert ctl2.is_modified()                           # the new place is a change to save

    moved.write_text("a,b,y\n9,9,1\n")                  # now the data itself changes
    moved.rename(tmp_path / "table.csv")
    answers3 = Answers()
    _, panels3, ctl3 = make(qtbot, tmp_path, answers3, **{k: {} for k in s})
    assert ctl3.open_project(path)
    # The hash is compared in a background job, which notes the difference when it finishes.
    qtbot.waitUntil(lambda: any("has changed since the project was saved" in w
                                for w in answers3.notes), timeout=5000)

    (tmp_path / "table.csv").unlink()                   # gone, and the user does not locate it
    answers4 = Answers(locate_dataset=None)
    _, panels4, ctl4 = make(qtbot, tmp_path, answers4, **{k: {} for k in s})
    assert ctl4.open_project(path)
    assert "no longer at" in answers4.notes[-1]
    assert panels4["editor"].state["spec"].to_dict() == spec().to_dict()


def test_recent_projects_menu(qtbot, tmp_path):
    window, panels, ctl = make(qtbot, tmp_path, canvas={"pen": 1})
    for name in ("a", "b", "a"):
        ctl._save_to(tmp_path / f"{name}.ddl")
    assert ctl.recent_files() == [str(tmp_path / "a.ddl"), str(tmp_path / "b.ddl")]
    ctl._fill_recent_menu()
    texts = [a.text() for a in ctl.recent_menu.actions()]
    assert texts[:2] == ["&1 a.ddl", "&2 b.ddl"]
    ctl.recent_menu.actions()[1].trigger()
    assert ctl.path == tmp_path / "b.ddl"


def test_personal_digits_travel_inside_the_project(qtbot, tmp_path, monkeypatch):
    from desktop_dl.core.personal_digits import append_personal_digit, personal_digits_path
    monkeypatch.setenv("DESKTOP_DL_DATA", str(tmp_path / "mine"))
    for label in (3, 7):
        image = np.zeros((28, 28), np.float32)
        image[5:20, 10 + label:14 + label] = 1.0
        append_personal_digit(image, label)
    window, panels, ctl = make(qtbot, tmp_path, browser={"dataset": {"name": "my-digits"}})
    path = tmp_path / "digits.ddl"
    assert ctl._save_to(path)
    saved = load_project(path).dataset
    assert saved.embedded["y"].tolist() == [3, 7] and saved.embedded["x"].shape == (2, 28, 28)

    # on this computer, the user's own collection is the same: the browser gets "my-digits"
    _, panels2, ctl2 = make(qtbot, tmp_path, browser={})
    assert ctl2.open_project(path)
    assert panels2["browser"].state["dataset"] == {"name": "my-digits"}

    # on another computer (another data folder) the digits arrive as a file of their own
    monkeypatch.setenv("DESKTOP_DL_DATA", str(tmp_path / "theirs"))
    assert not personal_digits_path().exists()
    _, panels3, ctl3 = make(qtbot, tmp_path, browser={})
    assert ctl3.open_project(path)
    entry = panels3["browser"].state["dataset"]
    assert set(entry) == {"path", "options"} and not personal_digits_path().exists()
    from desktop_dl.core.datasets.registry import load_dataset
    assert len(load_dataset(entry["path"])) == 2


def test_autosave_runs_on_its_timer_only_when_something_changed(qtbot, tmp_path):
    window = QMainWindow()
    qtbot.addWidget(window)
    panel = Panel({"pen": 1})
    ctl = ProjectController(window, {"canvas": panel}, prompts=Answers(),
                            settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                            recovery_dir=tmp_path / "recovery", autosave_ms=50)
    qtbot.wait(200)
    assert not ctl.recovery_path.exists()              # nothing changed: nothing written
    panel.change(pen=2)
    qtbot.waitUntil(ctl.recovery_path.exists, timeout=3000)
    assert load_project(ctl.recovery_path).panels["canvas"]["pen"] == 2
    ctl.shutdown()
    assert not ctl.recovery_path.exists()


def test_a_panel_that_rejects_its_saved_state_does_not_stop_the_others(qtbot, tmp_path):
    class Picky(Panel):
        def restore_project_state(self, state):
            int(state["pen"])                      # a value of the wrong kind in a damaged file

    path = tmp_path / "p.ddl"
    _, _, ctl = make(qtbot, tmp_path, canvas={"pen": "wide"}, editor={"spec": spec()})
    ctl._save_to(path)
    answers = Answers(save_changes="discard")
    window, panels, ctl2 = make(qtbot, tmp_path, answers, editor={})
    picky = Picky()
    ctl2.panels["canvas"] = picky
    assert ctl2.open_project(path)
    assert "Part of the project could not be restored (canvas: invalid literal" in answers.warnings[0]
    assert panels["editor"].state["spec"].to_dict() == spec().to_dict()


def test_locks_left_by_dead_sessions_are_tidied_away(qtbot, tmp_path):
    import subprocess
    import sys
    recovery = tmp_path / "recovery"
    recovery.mkdir()
    dead = recovery / "12345-dead.lock"
    code = ("import os\nfrom PySide6.QtCore import QLockFile\n"
            f"lock = QLockFile({str(dead)!r}); assert lock.tryLock(0)\nos._exit(0)\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert dead.exists()
    _, _, alive = make(qtbot, tmp_path, canvas={})
    _, _, ctl = make(qtbot, tmp_path, canvas={})
    assert ctl.orphaned_recovery_files() == []
    assert not dead.exists() and Path(alive._lock.fileName()).exists()


def test_no_new_or_open_while_training_runs(qtbot, tmp_path):
    class Training(Panel):
        running = True

        def is_running(self):
            return self.running

    answers = Answers(save_changes="discard")
    window, panels, ctl = make(qtbot, tmp_path, answers, canvas={"pen": 1})
    ctl._save_to(tmp_path / "p.ddl")
    training = Training({"runs": []})
    ctl.panels["training"] = training
    assert not ctl.new_project() and not ctl.open_project(tmp_path / "p.ddl")
    assert "Training is running" in answers.warnings[-1] and training.restored == []
    training.running = False
    assert ctl.open_project(tmp_path / "p.ddl")


def test_autosave_writes_in_a_job_and_a_save_meanwhile_leaves_no_stale_recovery(qtbot, tmp_path,
                                                                                 monkeypatch):
    import time

    from desktop_dl.ui.app import project_recovery     # where autosave writes the file

    window, panels, ctl = make(qtbot, tmp_path, **states(tmp_path))
    real_save = project_recovery.save_project

    def slow_save(project, path):
        time.sleep(0.5)                  # a big project: the zip takes a while
        real_save(project, path)

    monkeypatch.setattr(project_recovery, "save_project", slow_save)
    panels["canvas"].change(pen=7)
    started = time.perf_counter()
    assert ctl.autosave(background=True)
    assert time.perf_counter() - started < 0.3        # the window did not wait for the zip
    monkeypatch.setattr(project_recovery, "save_project", real_save)
    assert ctl._save_to(tmp_path / "saved.ddl")       # the user saves while it writes
    qtbot.waitUntil(lambda: not ctl._autosave_job.is_running(), timeout=5000)
    assert not ctl.recovery_path.exists()             # nothing stale to offer next time
    assert not window.isWindowModified()


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_dataset_path_to_a_device_or_fifo_never_freezes_the_window(qtbot, tmp_path, special):
    """A hostile project names /dev/zero or a pipe as its dataset: opening, checking and saving
    it stay quick (regular files only are hashed, in a background job), and the user is told."""
    import json
    import os
    import time
    import zipfile

    if special == "fifo":
        special = str(tmp_path / "pipe.csv")
        os.mkfifo(special)
    path = tmp_path / "hostile.ddl"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "desktop_dl.project", "version": 2,
                                                 "parts": ["dataset"], "panels": []}))
        zf.writestr("dataset.json", json.dumps({"name": "zeros", "path": special,
                                                "sha256": "0" * 64, "options": {}}))
    answers = Answers()
    window, panels, ctl = make(qtbot, tmp_path, answers, **{k: {} for k in states(tmp_path)})
    start = time.monotonic()
    assert ctl.open_project(path)
    qtbot.waitUntil(lambda: any("not a regular file" in n for n in answers.notes), timeout=5000)
    panels["browser"].state["dataset"] = {"name": "zeros", "path": special, "options": {}}
    assert ctl._save_to(tmp_path / "saved.ddl")          # hashing for the save refuses at once
    assert time.monotonic() - start < 5                  # and the event loop ran meanwhile


def test_a_project_naming_my_digits_without_them_does_not_take_the_users_own(qtbot, tmp_path):
    """Opening then saving such a file must not embed this computer's personal digits in it."""
    import json
    import zipfile

    from desktop_dl.core.personal_digits import append_personal_digit

    append_personal_digit(np.full((28, 28), 200, np.uint8), 7)          # the user's own digit
    path = tmp_path / "asks.ddl"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": "desktop_dl.project", "version": 2,
                                                 "parts": ["dataset"], "panels": []}))
        zf.writestr("dataset.json", json.dumps({"name": "my-digits", "path": None,
                                                "embedded": False, "options": {}}))
    answers = Answers()
    _, panels, ctl = make(qtbot, tmp_path, answers, **{k: {} for k in states(tmp_path)})
    assert ctl.open_project(path)
    assert any("does not carry them" in n for n in answers.notes)
    assert not panels["browser"].state.get("dataset")
    assert ctl._save_to(tmp_path / "back.ddl")
    saved = load_project(tmp_path / "back.ddl")
    assert saved.dataset is None or not saved.dataset.embedded
