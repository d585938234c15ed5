"""The Draw tab's words and cues: percentages that never overlap, the brush width in px, the
active tool, Clear going back to the pen, passing messages that pass, and plurals."""
import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from desktop_dl.ui.base import i18n

from canvas_drawing import one  # noqa: E402  (same folder: draws like a person)


@pytest.mark.parametrize("width", [150, 200, 240, 284, 400, 700])
def test_probability_labels_never_overlap(qtbot, width):
    from desktop_dl.ui.draw.probability_bars import ProbabilityBars

    bars = ProbabilityBars()
    qtbot.addWidget(bars)
    bars.resize(width, 150)
    bars.show()
    worst = np.array([0.74, 0.2, 0.02, 0.01, 0.01, 0.01, 0.005, 0.003, 0.001, 0.001], np.float32)
    for p in (worst, np.full(10, 0.1, np.float32), np.eye(10, dtype=np.float32)[3]):
        bars.set_probabilities(p)
        labels = bars.percent_labels()
        assert labels[0][0] == f"{round(100 * float(p.max()))}%", "the winner's percentage is always shown"
        rects = [r for _, r in labels]
        for i, a in enumerate(rects):
            assert a.left() >= 0 and a.right() <= width
            for b in rects[i + 1:]:
                assert not a.intersects(b), (width, labels)
        bars.grab()                                         # paints without error
    assert [t for t, _ in labels] == ["100%"]               # the last case: one certain digit
    bars.set_probabilities(worst)
    shown = [t for t, _ in bars.percent_labels()]
    assert shown[:2] == (["74%", "20%"] if width >= 400 else shown[:2]) and shown[0] == "74%"


def test_brush_width_in_px_tool_cue_and_clear_back_to_pen(qtbot):
    from desktop_dl.ui.draw.canvas_panel import CanvasPanel

    panel = CanvasPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.width_slider.setValue(30)
    assert panel.width_value.text() == "30 px" and panel.canvas.brush_width() == 30
    pen_cursor = panel.canvas.cursor().pixmap()
    assert abs(pen_cursor.width() - panel.canvas.brush_width_px()) <= 6   # the ring is the brush

    panel.eraser_button.click()
    assert panel.canvas.is_eraser() and panel.eraser_button.isChecked() and not panel.pen_button.isChecked()
    assert panel.canvas.cursor().pixmap().toImage() != pen_cursor.toImage()

    panel.pen_button.click()
    one(qtbot, panel.canvas)
    panel.eraser_button.click()
    panel.clear_button.click()
    assert panel.canvas.is_empty() and not panel.canvas.is_eraser() and panel.pen_button.isChecked()
    assert "pen" in panel.status_label.text()


def test_passing_messages_expire_and_go_when_the_user_draws(qtbot):
    from desktop_dl.ui.draw.canvas_panel import CanvasPanel

    panel = CanvasPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_status("Saved as a 1.", msecs=200)
    assert panel.status_label.text()
    qtbot.waitUntil(lambda: panel.status_label.text() == "", timeout=2000)
    panel.show_status("Saved as a 1.")
    one(qtbot, panel.canvas)                                 # the next action clears it
    assert panel.status_label.text() == ""


@pytest.mark.parametrize("lang, one_text, two_text", [
    ("en", "6,209 parameters · 1 problem", "6,209 parameters · 2 problems"),
    ("zh_CN", "6,209 个参数 · 1 个问题", "6,209 个参数 · 2 个问题")])
def test_plurals_come_from_the_translation_files(lang, one_text, two_text):
    i18n.install_translators(QApplication.instance(), lang)
    try:
        def text(n):
            return QCoreApplication.translate("LayerEditor", "%s parameters · %n problem(s)", "", n) % "6,209"
        assert (text(1), text(2)) == (one_text, two_text)
        saved = QCoreApplication.translate(
            "CanvasPanel", "Saved as a %d. You have %n digit(s) of your own; add “My digits” to "
            "training on the Data tab to teach the model your handwriting.", "", 1) % 7
        assert ("You have 1 digit of your own" in saved) if lang == "en" else ("1 个自己的数字" in saved)
    finally:
        i18n.remove_translators()
