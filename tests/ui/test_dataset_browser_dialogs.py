"""Import dialogs and the Keras download dialog (offline message, progress, result)."""
import functools
import http.server
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel

from desktop_dl.ui.data.dataset_browser import DatasetBrowser
from desktop_dl.ui.data.dataset_import_dialogs import (ImageFolderDialog, KerasDownloadDialog,
                                                  TableImportDialog)

CSV = "height;colour;weight;kind\n" + "\n".join(
    f"{150 + i};{('red', 'green', 'blue')[i % 3]};{50 + (i * 7) % 30};{'cat' if i % 2 else 'dog'}"
    for i in range(40))


@pytest.fixture(autouse=True)
def private_downloads(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras-home"))
    monkeypatch.setenv("DESKTOP_DL_DATA", str(tmp_path / "data"))


def test_table_dialog_proposes_the_task_and_returns_the_choices(qtbot, tmp_path):
    path = tmp_path / "animals.csv"
    path.write_text(CSV)
    dialog = TableImportDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.columns == ["height", "colour", "weight", "kind"]
    assert dialog.target.currentText() == "kind"
    assert "binary" in dialog.proposal.text()
    dialog.target.setCurrentText("weight")
    assert "regression" in dialog.proposal.text()
    dialog.target.setCurrentText("kind")
    dialog.missing_fill.setChecked(True)
    dialog.encoding.setCurrentIndex(1)
    assert dialog.options() == {"target": "kind", "missing": "fill", "encoding": "ordinal"}


def test_importing_a_csv_through_the_dialog(qtbot, tmp_path):
    path = tmp_path / "animals.csv"
    path.write_text(CSV)
    browser = DatasetBrowser()
    qtbot.addWidget(browser)
    browser.show()
    qtbot.waitUntil(lambda: browser.current_dataset() is not None, timeout=10000)

    def accept_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, TableImportDialog)
        dialog.target.setCurrentText("colour")
        dialog.accept()

    QTimer.singleShot(50, accept_dialog)
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.import_path(str(path))
    ds = browser.current_dataset()
    assert ds.task == "multiclass" and ds.class_names == ["blue", "green", "red"]
    assert ds.input_shape == (4,)                     # height, weight, kind one-hot (2)
    assert browser.rows_model.columnCount() == 4


def test_image_folder_dialog_options(qtbot, tmp_path):
    for cls in ("a", "b"):
        (tmp_path / cls).mkdir()
        Image.fromarray(np.zeros((8, 8), np.uint8)).save(tmp_path / cls / "0.png")
    dialog = ImageFolderDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.size.setValue(32)
    dialog.color.setCurrentIndex(1)
    assert dialog.options() == {"size": 32, "color": "rgb"}


def test_download_dialog_offline_says_how_to_import(qtbot):
    dialog = KerasDownloadDialog()
    qtbot.addWidget(dialog)
    dialog.origin = "http://desktop-dl.invalid/"      # never resolves: a real network failure
    assert dialog.selected_key() == "mnist"
    dialog.start_download()
    with qtbot.waitSignal(dialog.job.finished, timeout=20000):
        pass
    assert "could not reach desktop-dl.invalid" in dialog.status.text()
    assert "Import file…" in dialog.status.text()
    assert dialog.download_button.isEnabled() and not dialog.cancel_button.isEnabled()


def test_download_dialog_downloads_with_progress(qtbot, tmp_path):
    root = tmp_path / "served"
    root.mkdir()
    rng = np.random.default_rng(0)
    np.savez(root / "mnist.npz", x_train=rng.integers(0, 255, (3000, 28, 28), dtype=np.uint8),
             y_train=np.arange(3000) % 10, x_test=rng.integers(0, 255, (100, 28, 28), dtype=np.uint8),
             y_test=np.arange(100) % 10)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        browser = DatasetBrowser()
        qtbot.addWidget(browser)
        browser.show()
        qtbot.waitUntil(lambda: browser.current_dataset() is not None, timeout=10000)
        dialog = KerasDownloadDialog(browser)
        qtbot.addWidget(dialog)
        dialog.downloaded.connect(browser.add_dataset)
        dialog.origin = f"http://127.0.0.1:{server.server_address[1]}/"
        progress = []
        dialog.start_download()
        dialog.job.progress.connect(lambda value: progress.append(value.fraction))
        with qtbot.waitSignal(browser.datasetChanged, timeout=20000):
            pass
        assert progress and progress[-1] == 1.0
        assert len(browser.current_dataset()) == 3100
        assert browser.fact_values["splits"].text() == "2,700 / 300 / 100"
    finally:
        server.shutdown()
        server.server_close()


def test_download_dialog_offers_import_by_hand(qtbot):
    dialog = KerasDownloadDialog()
    qtbot.addWidget(dialog)
    dialog.list.setCurrentRow(1)                       # Fashion-MNIST comes as four files
    with qtbot.waitSignal(dialog.importByHand) as signal:
        qtbot.mouseClick(dialog.by_hand_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["folder"]


def test_importing_an_image_folder_through_the_dialog(qtbot, tmp_path):
    tmp_path = tmp_path / "shapes"      # beside the private data folder, not around it
    tmp_path.mkdir()
    rng = np.random.default_rng(0)
    for cls in ("circle", "square", "triangle"):
        (tmp_path / cls).mkdir()
        for i in range(4):
            Image.fromarray(rng.integers(0, 255, (30, 30, 3), dtype=np.uint8)).save(tmp_path / cls / f"{i}.png")
    (tmp_path / "circle" / "notes.txt").write_text("not an image")
    browser = DatasetBrowser()
    qtbot.addWidget(browser)
    browser.show()
    qtbot.waitUntil(lambda: browser.current_dataset() is not None, timeout=10000)

    def accept_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ImageFolderDialog)
        dialog.size.setValue(16)
        dialog.color.setCurrentIndex(1)
        dialog.accept()

    QTimer.singleShot(50, accept_dialog)
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.import_path(str(tmp_path))
    ds = browser.current_dataset()
    assert ds.input_shape == (16, 16, 3) and ds.class_names == ["circle", "square", "triangle"]
    assert browser.histogram.heights().tolist() == [4, 4, 4]
    assert "notes.txt" in browser.notes_label.text() and browser.notes_label.isVisible()


FIELD = Path(__file__).resolve().parent.parent / "data" / "field"


def test_table_dialog_shows_the_detected_reading_and_a_live_preview(qtbot):
    dialog = TableImportDialog(FIELD / "01-semicolon-decimal-comma" / "sensor_klein.csv")
    qtbot.addWidget(dialog)
    assert "semicolon" in dialog.delimiter.currentText()
    assert "comma" in dialog.decimal.currentText() and "utf-8" in dialog.text_encoding.currentText()
    assert dialog.header.isChecked()
    preview = dialog.preview
    assert [preview.horizontalHeaderItem(c).text() for c in range(3)] == \
        ["temperatur", "druck", "ausfall"]
    assert preview.item(0, 0).text() == "19.5"                  # read as a number
    dialog.decimal.setCurrentIndex(dialog.decimal.findData("."))   # the user says: point
    assert preview.item(0, 0).text() != "19.5"
    dialog.decimal.setCurrentIndex(0)
    dialog.header.setChecked(False)                             # the first row becomes data
    assert preview.horizontalHeaderItem(0).text() == "column_1" and preview.rowCount() == 8
    assert dialog.options()["header"] == "no"
    dialog.header.setChecked(True)
    dialog.target.setCurrentText("ausfall")
    assert dialog.options() == {"target": "ausfall", "missing": "drop", "encoding": "onehot",
                                "header": "yes"}


def test_table_dialog_reports_a_bad_choice_and_blocks_ok(qtbot):
    dialog = TableImportDialog(FIELD / "03-trailing-delimiter" / "patients.csv")
    qtbot.addWidget(dialog)
    dialog.delimiter.setCurrentIndex(dialog.delimiter.findData(";"))
    assert not dialog.ok_button.isEnabled() and "only one column" in dialog.preview_error.text()
    dialog.delimiter.setCurrentIndex(0)
    assert dialog.ok_button.isEnabled() and dialog.columns == ["age", "bmi", "bp", "outcome"]


def test_data_tab_shows_the_reader_notes(qtbot):
    browser = DatasetBrowser()
    qtbot.addWidget(browser)
    browser.show()
    qtbot.waitUntil(lambda: browser.current_dataset() is not None, timeout=10000)
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.import_path(str(FIELD / "09-macosx-phantom-class" / "pets"), ask=False, size=16)
    assert browser.notes_label.isVisible()
    assert "__MACOSX/" in browser.notes_label.text()


def test_image_folder_dialog_lists_the_classes_of_a_zip(qtbot, tmp_path):
    import zipfile
    source = FIELD / "09-macosx-phantom-class" / "pets"
    with zipfile.ZipFile(tmp_path / "pets.zip", "w") as z:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                z.write(path, path.relative_to(source).as_posix())
    dialog = ImageFolderDialog(tmp_path / "pets.zip")
    qtbot.addWidget(dialog)
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert any("cat, dog" in t and "__MACOSX" not in t for t in texts)
