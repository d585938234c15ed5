"""The window on a real X server, driven by real X input (xdotool): what a newcomer does first."""
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "ui"))
from layout_check import SIZES, layout_problems, settle  # noqa: E402
from xdo import click, key, pump, screen_point, stroke, xdotool  # noqa: E402


def click_tab(window, widget) -> None:
    bar = window.tabs.tabBar()
    click(bar, bar.tabRect(window.tabs.indexOf(widget)).center())
    assert window.tabs.currentWidget() is widget


def canvas_point(canvas, u: float, v: float) -> tuple[int, int]:
    square = canvas._square()
    return screen_point(canvas, QPoint(round(square.x() + u * square.width()),
                                       round(square.y() + v * square.height())))


@pytest.mark.slow
def test_start_door_trains_a_model_and_a_drawn_seven_is_recognised(real_window, qtbot):
    window = real_window
    click_tab(window, window.start_page)
    click(window.start_page.draw_door)                      # "Draw a digit (one-click model)"
    panel = window.canvas_panel
    assert window.tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.recognizer is not None and not panel.is_training(), timeout=300_000)

    canvas = panel.canvas
    stroke([canvas_point(canvas, 0.28, 0.2), canvas_point(canvas, 0.72, 0.2)])
    stroke([canvas_point(canvas, 0.72, 0.2), canvas_point(canvas, 0.58, 0.5), canvas_point(canvas, 0.45, 0.82)])
    qtbot.waitUntil(lambda: panel.prediction_label.text() == "7", timeout=5000)
    assert canvas.point_count() > 20                        # many motion events, not two clicks
    assert panel.last_prediction.confidence > 0.5

    # Clear (a real click) empties the canvas and the answer.
    click(panel.clear_button)
    qtbot.waitUntil(lambda: panel.prediction_label.text() == "", timeout=3000)


def test_drag_a_layer_from_the_palette_into_the_stack_and_undo(real_window, qtbot):
    window = real_window
    editor = window.editor
    click_tab(window, editor)
    model = editor.model
    before = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert before[2] != "Dropout"

    palette = editor.palette_panel.view
    source = palette.visualRect(editor.palette_panel.index_of("Dropout")).center()
    target_row = editor.view.visualRect(model.index(1, 0))     # drop on the first Conv2D row
    start = screen_point(palette.viewport(), source)
    end = screen_point(editor.view.viewport(), target_row.center())
    middle = ((start[0] + end[0]) // 2, (start[1] + end[1]) // 2)
    stroke([start, (start[0] + 12, start[1] + 4), middle, end, (end[0] + 2, end[1])], step_s=0.02)
    qtbot.waitUntil(lambda: model.rowCount() == len(before) + 1, timeout=5000)
    after = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert after == before[:2] + ["Dropout"] + before[2:]    # right below the row it was dropped on

    click(editor.view, editor.view.visualRect(model.index(0, 0)).center())   # focus in the window
    key("ctrl+z")
    qtbot.waitUntil(lambda: model.rowCount() == len(before), timeout=3000)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == before


def test_resizing_the_real_window_keeps_the_layout(real_window, qtbot):
    window = real_window
    window.findChild(type(window.lessons_menu.actions()[0]), "lesson-04-dropout").trigger()
    wid = int(window.winId())
    for size in SIZES:
        xdotool("windowsize", "--sync", wid, *size)
        qtbot.waitUntil(lambda: (window.width(), window.height()) == size, timeout=5000)
        for tab in (window.start_page, window.editor, window.canvas_panel):
            click_tab(window, tab)
            settle(window)
            assert layout_problems(window, size) == [], (size, tab.objectName())


def test_switching_the_language_in_preferences(real_window, qtbot, monkeypatch):
    from desktop_dl.ui.app.main_window import MainWindow
    from desktop_dl.ui.app.preferences import PreferencesDialog
    from desktop_dl.ui.base import i18n

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    window = real_window
    # The dialog is modal (exec): the keys are queued first, then the dialog opens and takes them,
    # as a person's would be. The language list has the focus: End picks the last language
    # (简体中文), Return presses OK. A dialog still open after 30 s is closed (the test fails).
    keys = subprocess.Popen(["xdotool", "sleep", "2", "key", "End", "sleep", "0.5", "key", "Return"])
    seen = []
    QTimer.singleShot(1500, lambda: seen.append(QApplication.activeModalWidget()))
    QTimer.singleShot(30_000, lambda: QApplication.activeModalWidget() and QApplication.activeModalWidget().reject())
    window.show_preferences()                               # returns when the dialog closes
    keys.wait(10)
    assert isinstance(seen[0], PreferencesDialog) and seen[0].chosen_language() == i18n.CHINESE
    try:
        assert i18n.saved_preference() == i18n.CHINESE
        window.close()
        # "Takes effect after you restart": start-up chooses the language, then builds the window.
        assert i18n.setup_language(QApplication.instance()) == i18n.CHINESE
        second = MainWindow()
        second.project.prompts.interactive = False
        qtbot.addWidget(second)
        second.resize(1280, 800)
        second.show()
        qtbot.waitExposed(second)
        menus = [a.text() for a in second.menuBar().actions()]
        assert menus[0] == "文件(&F)" and second.tabs.tabText(0) == "开始"
        assert second.start_page.draw_door.title_label.text() == "手写数字（一键训练模型）"
        settle(second)
        assert layout_problems(second, (1280, 800)) == []
        second.close()
    finally:
        i18n.save_preference(i18n.SYSTEM)
        i18n.remove_translators()
