"""The first hour: the Start tab's doors, Help, a fresh window that is not "modified", and
lessons/templates that ask before replacing unsaved work."""
import pytest
from PySide6.QtGui import QAction

from test_project_controller import Answers  # noqa: E402  (same folder: the scripted user)


def _settle(qtbot, ms=400):
    qtbot.wait(ms)


def test_a_fresh_window_opens_on_the_start_tab_and_is_not_modified(qtbot):
    from PySide6.QtCore import QSettings

    from desktop_dl import APP_NAME, ORG_NAME
    from desktop_dl.ui.app.main_window import MainWindow

    QSettings(ORG_NAME, APP_NAME).remove("window/tab_name")     # a first start
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    # The Data tab loads the bundled digits after the window paints: still "Untitled", unmarked.
    qtbot.waitUntil(lambda: window.browser.current_dataset() is not None, timeout=20000)
    _settle(qtbot)
    assert window.tabs.currentWidget() is window.start_page
    assert not window.isWindowModified() and window.windowTitle() == "Untitled[*] \u2014 desktop_dl"
    # A real edit is a change; undoing it is not.
    window.editor.insert_layer_type("Dense")
    assert window.isWindowModified()
    window.editor.undo_stack.undo()
    _settle(qtbot)
    assert not window.isWindowModified()
    window.close()


def test_the_three_doors_lead_where_they_say(main_window, qtbot, monkeypatch):
    page = main_window.start_page
    titles = [d.title_label.text() for d in (page.draw_door, page.lesson_door, page.build_door)]
    assert titles == ["Draw a digit (one-click model)", "Follow a lesson", "Build your own network"]

    # (The real one-click training behind this door is tests/xvfb's: here only that it starts.)
    started = []
    monkeypatch.setattr(main_window.canvas_panel, "train_default_model", lambda: started.append(True))
    had_model = main_window.canvas_panel.recognizer is not None
    page.draw_door.click()
    assert main_window.tabs.currentWidget() is main_window.canvas_panel
    assert started == ([] if had_model else [True])

    main_window.tabs.setCurrentWidget(page)
    page.lesson_door.click()
    menu = main_window.lessons_menu
    qtbot.waitUntil(menu.isVisible, timeout=3000)
    assert menu.geometry().top() >= page.lesson_door.mapToGlobal(page.lesson_door.rect().bottomLeft()).y() - 1
    menu.actions()[1].trigger()                           # a lesson chosen there: its model shows
    menu.hide()
    assert main_window.tabs.currentWidget() is main_window.editor
    assert main_window.lessons_menu.dock.isVisible()

    main_window.tabs.setCurrentWidget(page)

    page.build_door.click()
    assert main_window.tabs.currentWidget() is main_window.editor
    assert main_window.editor.palette_panel.search.hasFocus() or not main_window.isActiveWindow()
    assert "palette" in main_window.statusBar().currentMessage()


def test_recent_projects_are_listed_and_open(main_window, qtbot, tmp_path):
    path = tmp_path / "mine.ddl"
    main_window.project.prompts = Answers(save_changes="discard", save_path=str(path))
    assert main_window.project.save_as()
    page = main_window.start_page
    main_window.tabs.setCurrentWidget(page)
    assert page.recent_list.isVisibleTo(page) and not page.no_recent.isVisibleTo(page)
    item = page.recent_list.item(0)
    assert "mine.ddl" in item.text()
    main_window.editor.insert_layer_type("Dense")
    page.recentRequested.emit(str(path))                  # what a click on the item sends
    assert main_window.project.path == path and not main_window.isWindowModified()


def test_help_menu_has_getting_started_shortcuts_log_folder_and_start(main_window, qtbot, monkeypatch):
    from desktop_dl.app_logging import log_dir
    from desktop_dl.ui.app import help_dialogs
    from desktop_dl.ui.app.help_dialogs import GettingStartedDialog, ShortcutsDialog

    names = [a.objectName() for a in main_window.help_menu.actions() if not a.isSeparator()]
    assert names == ["startPageAction", "gettingStartedAction", "shortcutsAction", "logFolderAction",
                     "aboutAction"]
    main_window.tabs.setCurrentWidget(main_window.editor)
    main_window.findChild(QAction, "startPageAction").trigger()
    assert main_window.tabs.currentWidget() is main_window.start_page

    guide = GettingStartedDialog(main_window)
    qtbot.addWidget(guide)
    text = guide.text.toPlainText()
    assert "Draw a digit" in text and "Lessons menu" in text and "palette" in text

    shortcuts = ShortcutsDialog([main_window.file_menu, main_window.edit_menu, main_window.view_menu],
                                main_window)
    qtbot.addWidget(shortcuts)
    rows = {(shortcuts.table.item(r, 1).text(), shortcuts.table.item(r, 2).text())
            for r in range(shortcuts.table.rowCount())}
    assert ("Undo", "Ctrl+Z") in rows and ("Save project", "Ctrl+S") in rows and ("Model", "Ctrl+1") in rows

    opened = []
    monkeypatch.setattr(help_dialogs.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    main_window.findChild(QAction, "logFolderAction").trigger()
    assert opened == [str(log_dir())]
    assert str(log_dir()) in main_window.statusBar().currentMessage()


def _modify(window):
    window.editor.insert_layer_type("Dense")
    window.project.refresh_modified()
    assert window.isWindowModified()


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_a_lesson_asks_before_replacing_unsaved_work(main_window, tmp_path, answer):
    answers = Answers(save_changes=answer, save_path=str(tmp_path / "kept.ddl"))
    main_window.project.prompts = answers
    _modify(main_window)
    before = main_window.editor.spec().to_dict()
    main_window.findChild(QAction, "lesson-04-dropout").trigger()
    assert [q for q, _ in answers.asked][0] == "save_changes"
    assert "lesson replaces the model" in answers.asked[0][1][1]
    if answer == "cancel":
        assert main_window.editor.spec().to_dict() == before
        assert main_window.lessons_menu.controller.lesson is None
    else:
        assert main_window.editor.spec().input_shape == (30,)
    assert (tmp_path / "kept.ddl").exists() == (answer == "save")


def test_a_lesson_set_up_is_one_undoable_step(main_window):
    main_window.project.prompts = Answers(save_changes="discard")
    editor = main_window.editor
    before = editor.spec().to_dict()
    count = editor.undo_stack.count()
    main_window.findChild(QAction, "lesson-04-dropout").trigger()
    assert editor.undo_stack.count() == count + 1
    assert "lesson" in editor.undo_stack.undoText().lower()
    editor.undo_stack.undo()
    assert editor.spec().to_dict() == before


def test_a_template_asks_before_replacing_unsaved_work(main_window, monkeypatch):
    from desktop_dl.ui.editor import template_dialog

    answers = Answers(save_changes="cancel")
    main_window.project.prompts = answers
    _modify(main_window)
    before = main_window.editor.spec().to_dict()
    # The dialog is accepted with its first template, as a click on "Use template" would.
    monkeypatch.setattr(template_dialog.TemplateDialog, "exec", lambda self: 1)
    main_window.editor.new_from_template()
    assert answers.asked[0][0] == "save_changes" and main_window.editor.spec().to_dict() == before
    assert "template replaces the model" in answers.asked[0][1][1]
    answers.answers["save_changes"] = "discard"
    main_window.editor.new_from_template()
    assert main_window.editor.spec().to_dict() != before
