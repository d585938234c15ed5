"""The window trains through the training process: the Data tab's split is the one used, and
TensorFlow never loads in the window's own process.

Run in a fresh interpreter, so "tensorflow not in sys.modules" means something even when other
tests of the session imported it.
"""
import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

SCRIPT = r'''
import json, sys, time
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

app = QApplication([])
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.ui.app.main_window import MainWindow

def wait_until(condition, seconds):
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        QTest.qWait(20)

window = MainWindow()
window.show()
browser, panel = window.browser, window.training
wait_until(lambda: browser.current_dataset() is not None, 30)
window.tabs.setCurrentWidget(browser)
browser.test_spin.setValue(0.3)                          # the split, on the Data tab only
QTest.mouseClick(browser.use_button, Qt.MouseButton.LeftButton)
window.editor.set_spec(ModelSpec((28, 28, 1), [
    LayerSpec("Flatten", {}), LayerSpec("Dense", {"units": 10, "activation": "softmax"})]))
form = panel.settings_form
form.epochs.setValue(1)
form.batch_size.setValue(256)
finished = []
panel.trainingFinished.connect(lambda: finished.append(True))
QTest.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
wait_until(lambda: finished, 240)
print(json.dumps({"error": panel.last_error, "test_samples": int(panel.confusion.model.counts.sum()),
                  "runs": panel.runs.rowCount(),
                  "heavy": [m for m in ("tensorflow", "keras", "onnx2tf", "tf2onnx") if m in sys.modules]}))
window.project.prompts.save_changes = lambda name: "discard"
window.close()
'''


def test_test_split_on_the_data_tab_gives_1500_test_samples_and_no_tensorflow_here():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["error"] is None and report["runs"] == 1
    assert report["test_samples"] == 1500                # 30 % of 5,000 in the confusion matrix
    assert report["heavy"] == []                        # TensorFlow stayed in the worker


def test_a_refused_run_marks_the_output_layer_in_the_editor(qtbot, main_window):
    import numpy as np

    from desktop_dl.core.datasets.dataset import ImageDataset
    from desktop_dl.core.spec import LayerSpec, ModelSpec

    window = main_window
    y = np.repeat(np.arange(11), 10)
    x = np.random.default_rng(0).integers(0, 256, (len(y), 28, 28), dtype=np.uint8)
    window.training.set_dataset(ImageDataset("eleven", "eleven", x, y, [str(c) for c in range(11)]))
    window.editor.set_spec(ModelSpec((28, 28, 1), [
        LayerSpec("Flatten", {}), LayerSpec("Dense", {"units": 10, "activation": "softmax"})]))
    with qtbot.waitSignal(window.training.trainingFinished, timeout=30000):
        window.training.start()
    assert "11 classes" in window.training.message.text()
    assert window.editor.selected_layer_index() == 1                 # the Dense(10) head
    assert "11 classes" in window.editor.properties.error.text()
