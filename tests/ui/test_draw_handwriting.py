"""Issue 20 on the Draw tab, with real mouse events: the same digit at any size and brush reads
the same, the "How sure is it?" strip, the handwriting score, and "Learn my handwriting"."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from canvas_drawing import draw_digit
from desktop_dl.core.digit_paths import digit_drawings, make_drawing


@pytest.fixture
def panel(make_canvas_panel, digit_onnx_model):
    widget = make_canvas_panel(1100, 760)
    assert widget.set_model_path(digit_onnx_model.onnx_path)
    yield widget
    widget.shutdown()


def _draw(qtbot, panel, drawing, brush):
    panel.canvas.clear()
    draw_digit(qtbot, panel.canvas, drawing, brush=brush)
    panel.recognize_now()
    return panel.last_prediction


@pytest.mark.parametrize("label,style", [(7, "plain"), (3, "round"), (4, "open")])
def test_same_digit_at_three_sizes_and_three_brushes_reads_the_same(qtbot, panel, label, style):
    answers = []
    # ~80 px tall (the size new users draw that used to read as 8), medium, and almost full.
    for size, centre in ((0.22, (0.35, 0.6)), (0.5, (0.5, 0.5)), (0.85, (0.5, 0.5))):
        drawing = make_drawing(label, style, np.random.default_rng(7), size=size, centre=centre)
        for brush in (6.0, 20.0, 44.0):
            prediction = _draw(qtbot, panel, drawing, brush)
            answers.append((prediction.label, prediction.confidence))
    assert {a for a, _ in answers} == {str(label)}, answers
    confidences = [c for _, c in answers]
    assert max(confidences) - min(confidences) < 0.05, answers
    assert "draw bigger" not in panel.confidence_label.text()


def test_how_sure_strip_shows_variants_after_a_pause(qtbot, panel):
    drawing = make_drawing(7, "crossed", np.random.default_rng(1), size=0.6, centre=(0.5, 0.5))
    _draw(qtbot, panel, drawing, 20.0)
    strip = panel.robustness
    with qtbot.waitSignal(strip.computed, timeout=3000):
        pass                                    # computed only once the drawing pauses
    keys = [r[0] for r in strip.results]
    assert keys[0] == "original" and len(keys) == 18
    assert strip.results[0][1] == panel.last_prediction.label
    flips = [r for r in strip.results if r[3]]
    assert all(r[1] != strip.results[0][1] for r in flips)
    assert ("changes for" in strip.summary.text()) == bool(flips)
    panel.canvas.clear()
    strip.compute_now()
    assert strip.results == []


@pytest.mark.slow
def test_learn_my_handwriting_after_ten_corrections(qtbot, panel):
    box = panel.handwriting
    assert not box.learn_button.isEnabled()          # nothing corrected yet
    drawings = [d for d in digit_drawings(per_style=1, seed=4) if d.label in (1, 4, 6, 7, 9)]
    chosen = []
    for label in (1, 4, 6, 7, 9):
        chosen += [d for d in drawings if d.label == label][:2]
    for drawing in chosen:                            # ten corrections through the real buttons
        _draw(qtbot, panel, drawing, 20.0)
        qtbot.mouseClick(panel.wrong_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(panel.correction_buttons[drawing.label], Qt.MouseButton.LeftButton)
    assert "Your 10 digits" in box.score_label.text()
    assert box.learn_button.isEnabled()
    old_model = panel.recognizer.path

    box.training_options = {"epochs": 1}
    qtbot.mouseClick(box.learn_button, Qt.MouseButton.LeftButton)
    assert box.is_running() and box.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not box.is_running(), timeout=180000)
    result = box.last_result
    assert result is not None, box.result_label.text()
    assert result["held_out"] == 5 and result["trained_on"] == 5
    text = box.result_label.text()
    assert "Before → after" in text and "held-out" in text and "MNIST" in text
    assert box.keep_button.isVisible() and box.discard_button.isVisible()
    assert panel.recognizer.path == old_model        # nothing changes until the user keeps it

    qtbot.mouseClick(box.keep_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: str(panel.recognizer.path) == result["onnx_path"], timeout=10000)
    assert "Kept" in box.result_label.text()
    drawing = make_drawing(7, "plain", np.random.default_rng(2), size=0.6, centre=(0.5, 0.5))
    assert _draw(qtbot, panel, drawing, 20.0) is not None     # the kept model reads the canvas
    assert "Your 10 digits" in box.score_label.text()
