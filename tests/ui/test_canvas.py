"""The Draw tab with real mouse events: drawing, undo, clear, eraser, live recognition of drawn
digits by a model trained in the session, "That's wrong", broken models, the activation view."""
import json

import numpy as np
import pytest
from PySide6.QtCore import Qt

from canvas_drawing import draw_stroke, one, seven, zero, to_widget
from tiny_models import tiny_digit_onnx
from desktop_dl.core.digit_preprocess import CENTRE, centre_of_mass, ink_bbox
from desktop_dl.ui.draw.canvas import DrawingCanvas


@pytest.fixture
def panel(make_canvas_panel):
    return make_canvas_panel()


@pytest.fixture
def canvas(qtbot):
    widget = DrawingCanvas()
    qtbot.addWidget(widget)
    widget.resize(300, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _wait_for_label(qtbot, panel, text):
    qtbot.waitUntil(lambda: panel.prediction_label.text() == text, timeout=2000)


# -- the canvas alone -------------------------------------------------------------------------------
def test_every_mouse_event_becomes_a_point_and_ink(qtbot, canvas):
    assert canvas.is_empty()
    moves = draw_stroke(qtbot, canvas, [(0.5, 0.2), (0.5, 0.8)], steps=40)
    # press + every move + release, none merged or dropped
    assert canvas.point_count() == moves + 2 == 42
    assert not canvas.is_empty()
    ink = canvas.ink_array(crop=False)
    top, left, bottom, right = ink_bbox(ink)
    side = canvas.image_size().width()
    # a vertical bar about 0.6 of the square tall, one brush wide, around the middle column
    assert abs((bottom - top) / side - (0.6 + canvas.brush_width() / 280)) < 0.03
    assert abs((left + right) / 2 / side - 0.5) < 0.02
    # anti-aliased: grey levels at the edges, full ink inside
    assert ink.max() == 1.0 and ((ink > 0.05) & (ink < 0.95)).any()


def test_a_thousand_moves_in_one_stroke_are_all_kept(qtbot, canvas):
    moves = draw_stroke(qtbot, canvas, [(0.2, 0.2), (0.8, 0.8), (0.2, 0.8)], steps=600)
    assert moves == 1200
    assert canvas.point_count() == 1202 and canvas.points_received == 1202


def test_undo_and_clear(qtbot, canvas):
    draw_stroke(qtbot, canvas, [(0.3, 0.3), (0.7, 0.3)])
    first = canvas.ink_array(crop=False).copy()
    draw_stroke(qtbot, canvas, [(0.5, 0.3), (0.5, 0.8)])
    assert len(canvas.strokes()) == 2
    canvas.undo()
    assert len(canvas.strokes()) == 1
    # re-rendering the strokes gives back exactly the drawing before the second stroke
    np.testing.assert_array_equal(canvas.ink_array(crop=False), first)
    canvas.clear()
    assert canvas.is_empty() and canvas.strokes() == []
    canvas.undo()          # right after Clear, Undo brings the drawing back
    assert len(canvas.strokes()) == 1
    np.testing.assert_array_equal(canvas.ink_array(crop=False), first)


def test_keyboard_undo_and_clear(qtbot, canvas):
    draw_stroke(qtbot, canvas, [(0.3, 0.3), (0.7, 0.3)])
    draw_stroke(qtbot, canvas, [(0.5, 0.3), (0.5, 0.8)])
    assert canvas.hasFocus() or canvas.focusPolicy() == Qt.FocusPolicy.StrongFocus
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.strokes()) == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert canvas.is_empty()


def test_eraser_and_right_button_remove_ink(qtbot, canvas):
    draw_stroke(qtbot, canvas, [(0.2, 0.5), (0.8, 0.5)])
    before = canvas.ink_array(crop=False).sum()
    canvas.set_eraser(True)
    draw_stroke(qtbot, canvas, [(0.5, 0.3), (0.5, 0.7)])
    after_eraser = canvas.ink_array(crop=False).sum()
    assert after_eraser < before * 0.95
    canvas.set_eraser(False)
    draw_stroke(qtbot, canvas, [(0.3, 0.3), (0.3, 0.7)], button=Qt.MouseButton.RightButton)
    assert canvas.ink_array(crop=False).sum() < after_eraser
    assert [s.eraser for s in canvas.strokes()] == [False, True, True]


def test_brush_width_and_resize_keep_the_drawing(qtbot, canvas):
    canvas.set_brush_width(40)
    draw_stroke(qtbot, canvas, [(0.5, 0.3), (0.5, 0.7)])
    ink = canvas.ink_array(crop=False).copy()
    top, left, bottom, right = ink_bbox(ink)
    # the model's ink is 280 units square: the stroke is 40 wide, 0.4 × 280 + 40 tall
    assert canvas.image_size().width() == 280
    assert abs((right - left) - 40) <= 2 and abs((bottom - top) - (112 + 40)) <= 3
    small = canvas.display_size().width()
    canvas.resize(600, 600)
    qtbot.waitUntil(lambda: canvas.display_size().width() > 500)
    assert canvas.display_size().width() > 1.9 * small
    # a bigger window shows the same drawing and the model reads exactly the same ink
    np.testing.assert_array_equal(canvas.ink_array(crop=False), ink)
    shown = canvas.grab().toImage()
    middle = to_widget(canvas, 0.5, 0.5)
    assert shown.pixelColor(middle).lightness() < 40          # ink on screen, at the new size
    assert shown.pixelColor(to_widget(canvas, 0.5 + 40 / 280, 0.5)).lightness() > 200


def test_strokes_round_trip_through_load_strokes(qtbot, canvas):
    draw_stroke(qtbot, canvas, [(0.3, 0.3), (0.6, 0.5), (0.4, 0.8)])
    saved = [s.to_dict() for s in canvas.strokes()]
    ink = canvas.ink_array(crop=False).copy()
    canvas.clear()
    canvas.load_strokes(json.loads(json.dumps(saved)))
    np.testing.assert_array_equal(canvas.ink_array(crop=False), ink)


def test_pen_pressure_changes_the_width_and_touch_draws(qtbot, canvas):
    from PySide6.QtCore import QEvent, QPoint, QPointF
    from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
    from PySide6.QtTest import QTest

    pen = QPointingDevice("test pen", 1001, QInputDevice.DeviceType.Stylus,
                          QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure, 1, 3)

    def tablet(kind, u, v, pressure):
        pos = QPointF(to_widget(canvas, u, v))
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else Qt.MouseButton.LeftButton
        event = QTabletEvent(kind, pen, pos, canvas.mapToGlobal(pos), pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
                             Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton, buttons)
        qtbot.wait(0)
        from PySide6.QtWidgets import QApplication
        QApplication.sendEvent(canvas, event)
        return event.isAccepted()

    # light at the top, pressing harder going down
    assert tablet(QEvent.Type.TabletPress, 0.5, 0.15, 0.05)
    for i in range(1, 50):
        tablet(QEvent.Type.TabletMove, 0.5, 0.15 + 0.7 * i / 49, 0.05 + 0.95 * i / 49)
    tablet(QEvent.Type.TabletRelease, 0.5, 0.85, 1.0)
    assert canvas.point_count() == 50
    ink = canvas.ink_array(crop=False) > 0.5
    light, firm = ink[int(0.2 * 280)].sum(), ink[int(0.8 * 280)].sum()
    assert firm >= canvas.brush_width() - 2 and light <= 0.72 * firm

    device = QTest.createTouchDevice()
    QTest.touchEvent(canvas, device).press(0, to_widget(canvas, 0.1, 0.5)).commit()
    for i in range(1, 20):
        QTest.touchEvent(canvas, device).move(0, to_widget(canvas, 0.1 + 0.3 * i / 19, 0.5)).commit()
    QTest.touchEvent(canvas, device).release(0, to_widget(canvas, 0.4, 0.5)).commit()
    assert len(canvas.strokes()) == 2 and len(canvas.strokes()[1].points) == 20
    assert ink_bbox(canvas.ink_array(crop=False))[1] < 0.15 * 280      # touch ink reaches the left


# -- the panel, no model ---------------------------------------------------------------------------
def test_without_a_model_the_panel_offers_to_train_one(qtbot, panel):
    qtbot.wait(20)     # let the start-up model lookup run: nothing to find here
    assert panel.recognizer is None
    assert panel.train_prompt.isVisible() and panel.train_button.isVisible()
    assert panel.prediction_label.text() == ""
    one(qtbot, panel.canvas)
    qtbot.waitUntil(lambda: panel.last_image28 is not None, timeout=2000)
    # no guess, but the model's-eye view already shows the MNIST-style 28×28 image
    assert panel.prediction_label.text() == ""
    seen = panel.model_input_view.values()
    assert seen.shape == (28, 28)
    r, c = centre_of_mass(seen)
    assert abs(r - CENTRE) <= 0.5 and abs(c - CENTRE) <= 0.5


# -- with the model trained in this session -----------------------------------------------------------
@pytest.mark.slow
def test_drawn_digits_are_recognised_live(qtbot, panel, digit_onnx_model):
    assert panel.set_model_path(digit_onnx_model.onnx_path)
    assert "digit_cnn.onnx" in panel.model_label.text()
    assert not panel.train_prompt.isVisible()
    shots = {}
    for digit, draw in (("1", one), ("0", zero), ("7", seven)):
        panel.canvas.clear()
        _wait_for_label(qtbot, panel, "")
        draw(qtbot, panel.canvas)
        _wait_for_label(qtbot, panel, digit)
        probabilities = panel.bars.probabilities()
        assert probabilities.shape == (10,) and int(np.argmax(probabilities)) == int(digit)
        assert panel.confidence_label.text().endswith("% sure")
        shots[digit] = panel.grab()
    assert not shots["7"].isNull()

    # clearing the canvas takes the guess away
    panel.clear_button.click()
    _wait_for_label(qtbot, panel, "")
    assert panel.bars.probabilities() is None and panel.model_input_view.values() is None
    # Undo (after Clear) brings the 7 back, and its guess
    panel.undo_button.click()
    _wait_for_label(qtbot, panel, "7")
    # undoing the diagonal leaves a bar that is no longer a confident 7
    panel.undo_button.click()
    qtbot.waitUntil(lambda: len(panel.canvas.strokes()) == 1)
    qtbot.wait(30)
    assert panel.last_prediction is not None and panel.canvas.point_count() == 8


@pytest.mark.slow
def test_thats_wrong_saves_the_drawing_to_my_digits(qtbot, panel, digit_onnx_model, data_dir):
    from desktop_dl.core.datasets import registry
    from desktop_dl.core.personal_digits import load_personal_digit_arrays

    panel.set_model_path(digit_onnx_model.onnx_path)
    assert not panel.wrong_button.isEnabled()          # nothing drawn, nothing to correct
    seven(qtbot, panel.canvas)
    _wait_for_label(qtbot, panel, "7")
    image = panel.last_image28.copy()
    strokes = [s.to_dict() for s in panel.canvas.strokes()]
    assert panel.wrong_button.isEnabled()
    qtbot.mouseClick(panel.wrong_button, Qt.MouseButton.LeftButton)
    assert panel.correction_box.isVisible()
    qtbot.mouseClick(panel.correction_buttons[1], Qt.MouseButton.LeftButton)

    saved = load_personal_digit_arrays()
    assert len(saved) == 1 and saved.y.tolist() == [1]
    np.testing.assert_array_equal(saved.x[0], np.clip(np.rint(image * 255), 0, 255).astype(np.uint8))
    drawing = saved.drawing(0)
    assert len(drawing["strokes"]) == 2
    assert [len(s["points"]) for s in drawing["strokes"]] == [len(s["points"]) for s in strokes]
    assert (data_dir / "personal_digits.npz").is_file()
    assert "my-digits" in registry.builtin_names()
    assert "Saved as a 1" in panel.status_label.text()
    # ready for the next digit
    assert panel.canvas.is_empty() and not panel.correction_box.isVisible()
    _wait_for_label(qtbot, panel, "")


@pytest.mark.slow
def test_a_broken_model_file_keeps_the_previous_model(qtbot, panel, digit_onnx_model, tmp_path, monkeypatch):
    assert panel.set_model_path(digit_onnx_model.onnx_path)
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"\x08\x07garbage that is not a protobuf model")
    assert not panel.set_model_path(broken)
    assert panel.model_message.isVisible()
    message = panel.model_message.text()
    assert "broken.onnx" in message and "keeps using digit_cnn.onnx" in message
    assert panel.recognizer.path == digit_onnx_model.onnx_path
    one(qtbot, panel.canvas)
    _wait_for_label(qtbot, panel, "1")

    # the project file keeps the model, the brush and the activation toggle
    panel.width_slider.setValue(30)
    state = panel.project_state()
    assert state == {"model_path": str(digit_onnx_model.onnx_path), "brush_width": 30.0,
                     "show_activations": False}
    from desktop_dl.ui.draw.canvas_panel import CanvasPanel
    other = CanvasPanel()
    qtbot.addWidget(other)
    import threading

    from desktop_dl.engine.recognizer import Recognizer
    threads, real_open = [], Recognizer.open.__func__

    def open_and_note(cls, *args, **kwargs):
        threads.append(threading.get_ident())
        return real_open(cls, *args, **kwargs)
    monkeypatch.setattr(Recognizer, "open", classmethod(open_and_note))
    other.restore_project_state(dict(state, show_activations=True))
    assert other.recognizer is None                     # the session opens in a job ...
    qtbot.waitUntil(lambda: other.recognizer is not None and other.activation_model is not None,
                    timeout=10000)
    assert threads and threading.get_ident() not in threads     # ... never on the GUI thread
    assert other.recognizer.path == digit_onnx_model.onnx_path
    assert other.canvas.brush_width() == 30 and other.activation_toggle.isChecked()


@pytest.mark.slow
def test_activation_view_matches_the_models_layers(qtbot, panel, digit_onnx_model):
    import keras

    panel.set_model_path(digit_onnx_model.onnx_path)
    panel.activation_toggle.setChecked(True)
    assert panel.activation_scroll.isVisible()
    qtbot.waitUntil(lambda: panel.activation_model is not None, timeout=10000)   # opened in a job
    zero(qtbot, panel.canvas)
    _wait_for_label(qtbot, panel, "0")

    model = keras.models.load_model(digit_onnx_model.keras_path)
    expected = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Conv2D):
            h, w, c = layer.output.shape[1:]
            expected.append(("conv", (c, h, w)))
        elif isinstance(layer, keras.layers.Dense):
            expected.append(("dense", (layer.units,)))
    sections = panel.activation_view.sections()
    assert [(layer.kind, layer.shape) for layer, _ in sections] == expected
    # The view follows the drawing on its own timer (ACTIVATION_FPS), after the prediction.
    qtbot.waitUntil(lambda: sections[-1][1].values() is not None, timeout=2000)
    for (layer, view), (kind, shape) in zip(sections, expected):
        shown = view.values()
        assert shown is not None
        if kind == "conv":
            c, h, w = shape
            tiles = np.isfinite(shown)
            assert tiles.sum() == c * h * w         # every map, whole, in the mosaic
        else:
            assert np.isfinite(shown).sum() == shape[0]
    # the last layer's values are the probabilities the bars show
    last = sections[-1][1].values()
    # (the bars skip changes under 0.2 %, invisible on screen)
    np.testing.assert_allclose(last[np.isfinite(last)], panel.bars.probabilities(), atol=0.0025)
    kernel = next(l for l in model.layers if isinstance(l, keras.layers.Conv2D)).get_weights()[0]
    filters = panel.activation_view.filters_view.values()
    assert np.isfinite(filters).sum() == kernel.shape[3] * kernel.shape[0] * kernel.shape[1]

    # closing the view stops the extra work; drawing still recognises
    panel.activation_toggle.setChecked(False)
    assert not panel.activation_scroll.isVisible()
    panel.canvas.clear()
    one(qtbot, panel.canvas)
    _wait_for_label(qtbot, panel, "1")


@pytest.mark.slow
def test_one_click_default_model_can_be_cancelled_and_trained(qtbot, panel):
    from desktop_dl.engine import default_digit_model

    # A shorter run of the same real training (1 epoch on 800 digits) keeps the test quick.
    panel.default_training_options = {"epochs": 1, "limit": 800}
    assert panel.train_button.isVisible()
    qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    assert panel.is_training() and panel.progress.isVisible() and panel.cancel_button.isVisible()
    qtbot.waitUntil(lambda: "epoch 1 of 1" in panel.model_label.text(), timeout=60000)
    assert panel.progress.value() > 0 and panel.progress.format().endswith("%")
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_training(), timeout=60000)
    assert panel.recognizer is None and "cancelled" in panel.status_label.text()
    assert not default_digit_model.default_digit_model_path().exists()

    # corrected digits join the training set
    from desktop_dl.core.personal_digits import append_personal_digit
    append_personal_digit(np.eye(28, dtype=np.float32), 1)
    qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_training() and panel.recognizer is not None, timeout=120000)
    assert panel.recognizer is not None, panel.model_message.text()
    assert panel.recognizer.path == default_digit_model.default_digit_model_path()
    assert "trained in" in panel.status_label.text()
    assert "1 of your own digits" in panel.status_label.text()
    one(qtbot, panel.canvas)
    qtbot.waitUntil(lambda: panel.prediction_label.text() != "", timeout=2000)


def test_a_project_cannot_point_the_canvas_at_a_model_outside_the_app(qtbot, panel, data_dir,
                                                                      tmp_path_factory):
    """model_path in a project file is untrusted: followed only inside the app's folders or
    when it is the model the user opened in this app before."""
    outside = tiny_digit_onnx(tmp_path_factory.mktemp("elsewhere") / "theirs.onnx")
    before = panel.recognizer.path if panel.recognizer else None
    panel.restore_project_state({"model_path": str(outside)})
    assert (panel.recognizer.path if panel.recognizer else None) == before
    assert "theirs.onnx" in panel.model_message.text() and "not opened" in panel.model_message.text()

    (data_dir / "runs" / "r1").mkdir(parents=True)
    inside = tiny_digit_onnx(data_dir / "runs" / "r1" / "model.onnx")
    panel.restore_project_state({"model_path": str(inside)})
    qtbot.waitUntil(lambda: not panel.is_opening_model(), timeout=10000)   # opened in a job
    assert panel.recognizer.path == inside             # the app's own run folder: followed

    assert not panel._trusted_model_path(str(outside))
    assert panel.set_model_path(outside)               # the user opens it: remembered in settings
    assert panel._trusted_model_path(str(outside))
