"""Draw tab: digits side by side each recognised with a frame, "Open picture…" for photos,
and model errors with a "Details…" part and "Load anyway" for a newer IR version."""
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from canvas_drawing import draw_stroke

FIELD = Path(__file__).resolve().parents[1] / "data" / "field"
_spec = importlib.util.spec_from_file_location(
    "photo_synth", Path(__file__).resolve().parents[1] / "core" / "photo_synth.py")
synth = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("photo_synth", synth)
_spec.loader.exec_module(synth)


@pytest.fixture
def panel(make_canvas_panel):
    return make_canvas_panel()


def _one_at(qtbot, canvas, u):
    draw_stroke(qtbot, canvas, [(u + 0.01, 0.2), (u, 0.5), (u - 0.01, 0.8)])


def _zero_at(qtbot, canvas, u):
    ellipse = [(u + 0.1 * np.sin(a), 0.5 - 0.28 * np.cos(a)) for a in np.linspace(0, 2 * np.pi, 25)]
    draw_stroke(qtbot, canvas, ellipse, steps=2)


def test_digits_drawn_side_by_side_are_each_recognised_with_a_frame(qtbot, panel, digit_onnx_model):
    assert panel.set_model_path(digit_onnx_model.onnx_path)
    # Each digit alone first: what the model reads for it (the test is about splitting, not the model).
    _zero_at(qtbot, panel.canvas, 0.7)
    qtbot.waitUntil(lambda: panel.prediction_label.text() != "", timeout=2000)
    zero_alone = panel.prediction_label.text()
    panel.canvas.clear()
    qtbot.waitUntil(lambda: panel.prediction_label.text() == "", timeout=2000)
    _one_at(qtbot, panel.canvas, 0.2)
    qtbot.waitUntil(lambda: panel.prediction_label.text() == "1", timeout=2000)
    assert panel.canvas.digit_boxes() == []              # one digit: no frames, as before
    _zero_at(qtbot, panel.canvas, 0.7)
    qtbot.waitUntil(lambda: panel.prediction_label.text() == "1" + zero_alone, timeout=2000)
    boxes = panel.canvas.digit_boxes()
    assert len(boxes) == 2 and boxes[0][3] <= boxes[1][1]          # left to right, apart
    assert [p.label for p in panel.last_predictions] == ["1", zero_alone]
    assert "2 digits, left to right" in panel.confidence_label.text()
    assert panel.model_input_view.values().shape == (28, 56)       # both 28 × 28 the model sees
    assert not panel.wrong_button.isEnabled()
    panel.undo_button.click()
    qtbot.waitUntil(lambda: panel.prediction_label.text() == "1", timeout=2000)
    assert panel.canvas.digit_boxes() == [] and panel.wrong_button.isEnabled()


def test_open_picture_reads_a_photo_of_digits(qtbot, panel, digit_onnx_model, tmp_path):
    assert panel.set_model_path(digit_onnx_model.onnx_path)
    x, y = synth.held_out_digits()
    rec_ok = [i for i in range(100) if panel.recognizer.predict_digit(x[i]).index == y[i]]
    pick = rec_ok[:3]
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(synth.make_photo([x[i] for i in pick], seed=5))
    _one_at(qtbot, panel.canvas, 0.5)                       # a drawing on the canvas before
    qtbot.waitUntil(lambda: panel.prediction_label.text() != "", timeout=2000)
    assert panel.open_picture(photo)
    qtbot.wait(100)                                         # no later canvas update replaces it
    assert panel.canvas.is_empty()
    assert panel.prediction_label.text() == "".join(str(y[i]) for i in pick)
    assert "photo.jpg, read as a photo" in panel.status_label.text()
    assert panel.model_input_view.values().shape == (28, 3 * 28)
    blank = tmp_path / "blank.png"
    from PIL import Image
    Image.new("L", (80, 80), 255).save(blank)
    assert not panel.open_picture(blank) and "looks blank" in panel.status_label.text()


def test_model_error_has_details_and_load_anyway_for_a_newer_ir(qtbot, panel):
    model = FIELD / "12-newer-ir-version" / "saved_with_onnx_1_23_defaults.onnx"
    assert not panel.set_model_path(model)
    assert "IR version 14" in panel.model_message.text()
    assert panel.details_button.isVisible() and panel.load_anyway_button.isVisible()
    panel.details_button.click()
    dialog = panel._details_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    assert "max supported IR version" in dialog.details_view.toPlainText()
    dialog.close()
    panel.load_anyway_button.click()
    qtbot.waitUntil(lambda: panel.recognizer is not None and panel.recognizer.path == model,
                    timeout=10000)                   # the session opens in a job
    assert not panel.model_message.isVisible() and not panel.details_button.isVisible()
    assert "loaded as IR version 13" in panel.status_label.text()
    QApplication.processEvents()
