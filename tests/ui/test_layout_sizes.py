"""The window at 1024×680, 1280×800 and 1920×1080, in English and Chinese: every tab, first with
the startup model alone, then with a lesson's dock open beside it (the tightest case). At each
size: the window really is that size, no cell of the shape/params columns is elided or hidden
behind a scrollbar, no visible widget is smaller than its minimumSizeHint.

Screenshots go to $DESKTOP_DL_SCREENSHOTS when it is set, else to the test's temporary folder.
docs/screenshots/layout/ was made under Xvfb with the real xcb platform:
    DESKTOP_DL_SCREENSHOTS=docs/screenshots/layout xvfb-run -a -s "-screen 0 1920x1080x24" \
        env QT_QPA_PLATFORM=xcb python -m pytest tests/ui/test_layout_sizes.py
"""
import os
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from desktop_dl.ui.base import i18n

sys.path.insert(0, str(Path(__file__).parent))
from layout_check import SIZES, elided_cells, layout_problems, settle  # noqa: E402


def _tabs(window):
    return [window.start_page, window.editor, window.browser, window.training, window.canvas_panel]


def check_all_sizes(window, shots: Path, lang: str) -> list[str]:
    """Resize to each size, visit each tab; (problems found, with where)."""
    problems = []
    for with_lesson in (False, True):
        if with_lesson:
            window.findChild(QAction, "lesson-04-dropout").trigger()
            settle(window)
        for size in SIZES:
            window.resize(*size)
            settle(window)
            for tab in _tabs(window):
                window.tabs.setCurrentWidget(tab)
                settle(window)
                where = f"{lang} {size[0]}×{size[1]} {tab.objectName()}" + (" + lesson" if with_lesson else "")
                problems += [f"{where}: {p}" for p in layout_problems(window, size)]
                if tab is window.editor or (with_lesson and tab in (window.start_page, window.canvas_panel)):
                    name = f"{lang}_{size[0]}x{size[1]}_{tab.objectName()}{'_lesson' if with_lesson else ''}.png"
                    assert window.grab().save(str(shots / name))
    return problems


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_layout_holds_at_three_sizes(qtbot, tmp_path, lang):
    from desktop_dl.ui.app.main_window import MainWindow

    shots = Path(os.environ.get("DESKTOP_DL_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    i18n.install_translators(QApplication.instance(), lang)
    try:
        window = MainWindow()
        window.project.prompts.interactive = False     # under xcb: no "Save changes?" at close
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        problems = check_all_sizes(window, shots, lang)
        window.close()
    finally:
        i18n.remove_translators()
    assert problems == []
    assert len(list(shots.glob(f"{lang}_*.png"))) >= 3 * 4


def test_the_check_sees_an_elided_shape(main_window, qtbot):
    """The checker is not blind: squeeze the shape column and it reports the cut cells."""
    from desktop_dl.ui.editor.layer_stack_model import COL_PARAMS, COL_SHAPE

    main_window.tabs.setCurrentWidget(main_window.editor)
    main_window.resize(1280, 800)
    settle(main_window)
    view = main_window.editor.view
    assert elided_cells(view, [COL_SHAPE, COL_PARAMS]) == []
    view.header().resizeSection(COL_SHAPE, 40)
    found = elided_cells(view, [COL_SHAPE])
    assert found and "shows as" in found[0] and "…" in found[0]
