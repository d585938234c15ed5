"""File > Export…: the dialog exports on a Job, reports parity, and refuses what it cannot do."""
import shutil

import pytest

from desktop_dl.ui.app.export_dialog import ExportDialog, open_export_dialog


@pytest.fixture
def run_keras(digit_onnx_model, tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    path = folder / "model.keras"
    shutil.copy(digit_onnx_model.keras_path, path)
    return path


def _export(qtbot, dialog, fmt, out):
    dialog.set_format(fmt)
    dialog.path_edit.setText(str(out))
    dialog.export_button.click()
    assert dialog.job is not None
    qtbot.waitUntil(lambda: not dialog.job.is_running(), timeout=120_000)


@pytest.mark.slow
def test_onnx_export_from_dialog_shows_parity(qtbot, run_keras, tmp_path, digit_onnx_model):
    from desktop_dl.engine.recognizer import Recognizer

    dialog = ExportDialog(keras_path=run_keras, dataset="mnist-5k", model_title="Run 1")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Run 1" in dialog.source_label.text()
    assert dialog.opset.isVisible() and dialog.opset.value() == 18
    exported = []
    dialog.exported.connect(lambda fmt, path: exported.append((fmt, path)))
    out = tmp_path / "digits.onnx"
    _export(qtbot, dialog, "onnx", out)
    assert dialog.last_error == ""
    text = dialog.status.text()
    assert "digits.onnx" in text and "validation samples" in text and "largest difference" in text
    assert exported == [("onnx", str(out))]
    rec = Recognizer.open(out)
    assert rec.metadata["dataset"] == "mnist-5k"
    assert (rec.predict(digit_onnx_model.x_test[:200]).argmax(1) == digit_onnx_model.y_test[:200]).mean() > 0.93
    # The close button works again once the job is over.
    assert dialog.close_button.isEnabled() and not dialog.progress.isVisible()


def test_python_script_needs_only_the_spec(qtbot, tmp_path):
    from desktop_dl.core.templates import load_template

    dialog = ExportDialog(spec=load_template("mnist-dense"))
    qtbot.addWidget(dialog)
    dialog.show()
    for fmt in ("onnx", "keras", "savedmodel"):
        assert not dialog.radio[fmt].isEnabled()
    dialog.set_format("onnx")                       # falls back to what is possible
    assert dialog.current_format() == "python" and not dialog.opset.isVisible()
    assert dialog.path_edit.text().endswith(".py")
    out = tmp_path / "dense.py"
    _export(qtbot, dialog, "python", out)
    assert "Dense" in out.read_text() and "Wrote dense.py" in dialog.status.text()


def test_errors_show_in_the_dialog(qtbot, run_keras, tmp_path):
    dialog = ExportDialog(keras_path=run_keras)
    qtbot.addWidget(dialog)
    _export(qtbot, dialog, "keras", tmp_path / "missing" / "copy.keras")
    assert "Export failed:" in dialog.status.text() and "does not exist" in dialog.status.text()
    assert "Traceback" not in dialog.status.text()
    dialog.path_edit.setText("")
    dialog.export_button.click()
    assert "Choose where to save" in dialog.status.text()


def test_format_switch_keeps_the_name(qtbot, run_keras, tmp_path):
    dialog = ExportDialog(keras_path=run_keras)
    qtbot.addWidget(dialog)
    dialog.set_format("onnx")
    dialog.path_edit.setText(str(tmp_path / "mine.onnx"))
    dialog.set_format("savedmodel")
    assert dialog.path_edit.text() == str(tmp_path / "mine_savedmodel")
    dialog.set_format("keras")
    assert dialog.path_edit.text() == str(tmp_path / "mine.keras")


def test_file_menu_has_export(main_window, qtbot):
    actions = {a.objectName(): a for a in main_window.file_menu.actions()}
    assert "exportAction" in actions
    dialog = open_export_dialog(main_window)
    qtbot.waitExposed(dialog)
    assert dialog.isVisible() and dialog.parent() is main_window
    dialog.reject()
    assert not dialog.isVisible()


def test_dialog_uses_the_selected_or_latest_run(main_window, qtbot, run_keras):
    from desktop_dl.ui.train.training_runs import RunRecord

    def record(i, **kw):
        return RunRecord(id=f"r{i}", name=f"Run {i}", created="", spec={}, settings={}, history={},
                         metrics={}, dataset="mnist-5k", **kw)

    runs = main_window.training.runs
    runs.add_run(record(1, keras_path=str(run_keras)))
    runs.add_run(record(2))                                        # failed run: no model
    dialog = open_export_dialog(main_window)
    assert dialog.keras_path == run_keras and dialog.dataset == "mnist-5k" and "Run 1" in dialog.source_label.text()
    assert dialog.radio["onnx"].isEnabled()
    dialog.reject()
    # A run restored from a project file carries its .keras bytes instead of a file.
    runs.add_run(record(3, weights=run_keras.read_bytes()))
    dialog = open_export_dialog(main_window)
    assert dialog.keras_path.name == "model.keras" and dialog.keras_path.read_bytes() == run_keras.read_bytes()
    assert "Run 3" in dialog.source_label.text()
    dialog.reject()
    assert not dialog.keras_path.exists()        # the temporary copy is removed with the dialog


@pytest.mark.slow
def test_exported_onnx_can_go_to_the_draw_tab(main_window, qtbot, run_keras, tmp_path):
    from desktop_dl.ui.train.training_runs import RunRecord

    main_window.training.runs.add_run(RunRecord(
        id="r1", name="Run 1", created="", spec={}, settings={}, history={}, metrics={},
        dataset="mnist-5k", keras_path=str(run_keras)))
    dialog = open_export_dialog(main_window)
    assert not dialog.draw_button.isVisible()
    out = tmp_path / "for_drawing.onnx"
    _export(qtbot, dialog, "onnx", out)
    assert dialog.draw_button.isVisible()
    dialog.draw_button.click()
    assert not dialog.isVisible()
    canvas = main_window.canvas_panel
    qtbot.waitUntil(lambda: canvas.recognizer is not None and canvas.recognizer.path == out,
                    timeout=10000)                   # its session opens in a job
    assert main_window.tabs.currentWidget() is main_window.canvas_panel
