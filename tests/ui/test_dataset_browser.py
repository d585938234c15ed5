"""The dataset browser: bundled MNIST, histogram, grid scrolling and filtering, tables, imports,
errors that keep the current dataset, split controls, project state."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop_dl.ui.data.dataset_browser import DatasetBrowser
from desktop_dl.ui.data.dataset_grid_model import SampleIndexRole


@pytest.fixture
def browser(qtbot):
    widget = DatasetBrowser()
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitUntil(lambda: widget.current_dataset() is not None, timeout=10000)
    yield widget


def _load(qtbot, browser, name_or_path, **options):
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.load(name_or_path, **options)
    return browser.current_dataset()


def test_starts_with_bundled_mnist_and_histogram_shows_500_per_class(browser):
    ds = browser.current_dataset()
    assert ds.name == "mnist-5k"
    assert browser.histogram.heights().tolist() == [500] * 10
    assert browser.histogram.labels() == [str(d) for d in range(10)]
    assert browser.fact_values["samples"].text() == "5,000"
    assert browser.fact_values["input"].text() == "(28, 28, 1)"
    assert browser.fact_values["splits"].text() == "4,000 / 500 / 500"
    assert "(batch, 28, 28, 1)" in browser.preprocessing_label.text()
    assert browser.dataset_list.currentItem().text() == "MNIST digits (5,000)"


def test_sample_grid_scrolls_and_shows_sample_facts(browser, qtbot):
    grid = browser.grid
    assert grid.model().rowCount() == 5000
    last_item = grid.model().index(4999)
    qtbot.waitUntil(lambda: grid.visualRect(last_item).isValid(), timeout=5000)   # batched layout done
    bar = grid.verticalScrollBar()
    for value in np.linspace(0, bar.maximum(), 12).astype(int):
        bar.setValue(int(value))
        grid.viewport().repaint()
    assert bar.value() == bar.maximum()
    bottom = grid.indexAt(grid.viewport().rect().center())
    assert bottom.isValid() and bottom.row() > 4000   # we really are at the end
    rect = grid.visualRect(bottom)
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    sample = bottom.data(SampleIndexRole)
    assert f"Sample {sample}" in browser.sample_view.caption.text()
    facts = browser.sample_view.facts.text()
    assert "(batch, 28, 28, 1)" in facts and "ndim 3" in facts and "float32" in facts
    assert browser.sample_view.pixel_model.rowCount() == 28
    raw = browser.current_dataset().raw_sample(sample)
    pixel = browser.sample_view.pixel_model.index(14, 14).data()
    assert pixel == str(int(raw[14, 14]))


def test_mixed_order_shows_every_class_on_the_first_page(browser):
    model, ds = browser.grid_model, browser.current_dataset()
    assert browser.mixed_check.isChecked()
    first_page = {ds.label(model.sample_index(r)) for r in range(60)}
    assert first_page == set(range(10))
    assert sorted(model.sample_index(r) for r in range(5000)) == list(range(5000))
    browser.mixed_check.setChecked(False)
    assert {ds.label(model.sample_index(r)) for r in range(60)} == {0}    # the file is sorted
    assert ds.label(model.sample_index(4999)) == 9


def test_dropping_a_file_imports_it(browser, qtbot, tmp_path):
    from PySide6.QtCore import QMimeData, QPoint, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    path = tmp_path / "mnist.npz"
    rng = np.random.default_rng(2)
    np.savez(path, x=rng.integers(0, 255, (40, 28, 28), dtype=np.uint8), y=np.arange(40) % 10)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    browser.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.dropEvent(drop)
    assert len(browser.current_dataset()) == 40


def test_class_filter_shows_only_that_class(browser):
    combo = browser.class_filter
    combo.setCurrentIndex(combo.findData(7))
    model = browser.grid_model
    assert model.rowCount() == 500
    labels = {browser.current_dataset().label(model.sample_index(r)) for r in range(0, 500, 37)}
    assert labels == {7}
    assert model.index(0).data() == "7"
    combo.setCurrentIndex(0)
    assert model.rowCount() == 5000


def test_table_dataset_shows_rows_and_column_statistics(browser, qtbot):
    ds = _load(qtbot, browser, "wine")
    assert ds.name == "wine" and browser.samples_stack.currentWidget() is browser.rows_view
    assert browser.rows_model.rowCount() == 178 and browser.rows_model.columnCount() == 14
    assert browser.rows_model.index(0, 0).data() == "14.23"
    assert browser.stats_model.rowCount() == 14
    assert browser.stats_model.index(0, 1).data() == "numeric"
    assert browser.histogram.heights().tolist() == [59, 71, 48]
    browser.rows_view.setCurrentIndex(browser.rows_model.index(5, 2))
    facts = browser.row_facts.text()
    assert "Row 5" in facts and "(13,)" in facts and "(batch, 13)" in facts and "float32" in facts
    ds = _load(qtbot, browser, "diabetes")
    assert ds.task == "regression" and browser.histogram.heights().sum() == 442


def test_split_controls_update_sizes_and_flow_into_training(browser, qtbot):
    browser.validation_spin.setValue(0.2)
    browser.test_spin.setValue(0.3)
    browser.seed_spin.setValue(5)
    assert browser.fact_values["splits"].text() == "2,500 / 1,000 / 1,500"
    with qtbot.waitSignal(browser.useForTraining) as signal:
        qtbot.mouseClick(browser.use_button, Qt.MouseButton.LeftButton)
    dataset = signal.args[0]
    assert dataset.name == "mnist-5k"
    assert dataset.split_options == {"validation": 0.2, "test": 0.3, "seed": 5}
    assert dataset.splits(**dataset.split_options).sizes()["test"] == 1500


def test_bad_file_shows_a_message_and_keeps_the_current_dataset(browser, qtbot, tmp_path):
    bad = tmp_path / "ragged.csv"
    bad.write_text("a,b,label\n1,2,x\n3,4\n")
    with qtbot.waitSignal(browser.loadFailed, timeout=10000) as signal:
        browser.import_path(str(bad), ask=False)
    assert "ragged" in signal.args[0]
    assert browser.current_dataset().name == "mnist-5k"
    assert browser.banner.isVisible() and "line 3 has 2" in browser.banner_label.text()
    assert browser.histogram.heights().tolist() == [500] * 10


def test_import_npz_is_remembered_as_recent(browser, qtbot, tmp_path):
    rng = np.random.default_rng(1)
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=rng.integers(0, 255, (300, 28, 28), dtype=np.uint8),
             y_train=np.arange(300) % 10, x_test=rng.integers(0, 255, (50, 28, 28), dtype=np.uint8),
             y_test=np.arange(50) % 10)
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.import_path(str(path), ask=False)
    ds = browser.current_dataset()
    assert len(ds) == 350 and not browser.test_spin.isEnabled()       # the file's own test split
    assert browser.fact_values["splits"].text() == "270 / 30 / 50"
    titles = [browser.dataset_list.item(i).text() for i in range(browser.dataset_list.count())]
    assert "mnist.npz" in titles
    again = DatasetBrowser()
    qtbot.addWidget(again)
    assert any(s["path"] == str(path) for s in again.recent_sources())


def test_project_state_round_trip(browser, qtbot, tmp_path):
    path = tmp_path / "iris-copy.csv"
    path.write_text(open(__import__("desktop_dl.paths", fromlist=["x"]).resource(
        "datasets", "iris.csv")).read())
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.import_path(str(path), ask=False, target="species")
    browser.seed_spin.setValue(3)
    state = browser.project_state()
    assert state["dataset"]["path"] == str(path) and state["dataset"]["options"] == {"target": "species"}
    assert len(state["dataset"]["sha256"]) == 64 and state["split"]["seed"] == 3
    other = DatasetBrowser()
    qtbot.addWidget(other)
    other.show()
    qtbot.waitUntil(lambda: other.current_dataset() is not None, timeout=10000)
    with qtbot.waitSignal(other.datasetChanged, timeout=10000):
        other.restore_project_state(state)
    assert other.current_dataset().name == "iris-copy"
    assert other.seed_spin.value() == 3 and other.current_dataset().split_options["seed"] == 3
    assert not other.banner.isVisible()


def test_browser_is_in_the_main_window(main_window):
    assert main_window.findChild(QWidget, "datasetBrowser") is main_window.browser


def test_hidden_browser_loads_but_draws_only_when_shown(qtbot):
    hidden = DatasetBrowser()
    qtbot.addWidget(hidden)
    qtbot.waitUntil(lambda: hidden.current_dataset() is not None, timeout=10000)
    assert hidden._histogram is None and hidden.grid_model.rowCount() == 0
    assert hidden.project_state()["dataset"] == {"name": "mnist-5k"}
    hidden.show()
    assert hidden.histogram.heights().tolist() == [500] * 10
    assert hidden.grid_model.rowCount() == 5000


def test_restoring_a_project_whose_file_changed_warns(browser, qtbot, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("a,b,label\n" + "\n".join(f"{i},{i % 7},{'xy'[i % 2]}" for i in range(30)))
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.import_path(str(path), ask=False)
    state = browser.project_state()
    path.write_text(path.read_text() + "\n99,1,x")
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.restore_project_state(state)
    assert len(browser.current_dataset()) == 31
    assert browser.banner.isVisible() and "has changed" in browser.banner_label.text()
    path.unlink()
    with qtbot.waitSignal(browser.loadFailed, timeout=10000) as signal:
        browser.restore_project_state(state)
    assert "does not exist" in signal.args[0] and len(browser.current_dataset()) == 31


def test_imdb_and_cifar_files_copied_by_hand(browser, qtbot, tmp_path):
    import io
    import pickle
    import tarfile

    reviews = np.empty(6, dtype=object)
    for i in range(6):
        reviews[i] = list(range(1, 4 + i))
    np.savez(tmp_path / "imdb.npz", x_train=reviews, y_train=np.array([0, 1] * 3),
             x_test=reviews, y_test=np.array([1, 0] * 3))
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.import_path(str(tmp_path / "imdb.npz"), ask=False)
    assert browser.current_dataset().kind == "sequence"
    assert browser.samples_stack.currentWidget() is browser.sequence_label
    assert "[negative]" in browser.sequence_label.text()
    assert "int32" in browser.preprocessing_label.text()

    archive = tmp_path / "cifar-10-python.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in ("data_batch_1", "test_batch"):
            blob = pickle.dumps({b"data": np.random.default_rng(0).integers(0, 255, (20, 3072), dtype=np.uint8),
                                 b"labels": [i % 10 for i in range(20)]})
            info = tarfile.TarInfo("cifar-10-batches-py/" + name)
            info.size = len(blob)
            tar.addfile(info, io.BytesIO(blob))
    with qtbot.waitSignal(browser.datasetChanged, timeout=10000):
        browser.import_path(str(archive), ask=False)
    ds = browser.current_dataset()
    assert ds.input_shape == (32, 32, 3) and ds.class_names[3] == "cat"
    browser.grid.setCurrentIndex(browser.grid_model.index(2))
    assert "(batch, 32, 32, 3)" in browser.sample_view.facts.text()
    assert "R " in browser.sample_view.pixel_model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_streamed_file_shows_its_grid_while_decompressing(browser, qtbot, tmp_path):
    from PySide6.QtGui import QPixmap

    from desktop_dl.core.datasets.streamed_array import StreamedArray

    rng = np.random.default_rng(3)
    x = rng.integers(0, 255, (7000, 28, 28), dtype=np.uint8)
    np.savez_compressed(tmp_path / "mnist.npz", x_train=x[:6000], y_train=np.arange(6000) % 10,
                        x_test=x[6000:], y_test=np.arange(1000) % 10)
    ds = _load(qtbot, browser, str(tmp_path / "mnist.npz"))
    assert isinstance(ds.x, StreamedArray)
    assert not browser.mixed_check.isChecked()           # file order: not sorted by class
    model = browser.grid_model
    last = model.index(model.rowCount() - 1)
    qtbot.waitUntil(lambda: isinstance(last.data(Qt.ItemDataRole.DecorationRole), QPixmap),
                    timeout=10000)
    browser.grid.setCurrentIndex(last)
    qtbot.waitUntil(lambda: "Sample 6999" in browser.sample_view.caption.text(), timeout=5000)


def test_at_most_two_datasets_stay_cached(browser, qtbot):
    from desktop_dl.ui.data.dataset_browser import MAX_CACHED_DATASETS

    for name in ("iris", "wine", "diabetes", "mnist-5k"):
        _load(qtbot, browser, name)
    assert MAX_CACHED_DATASETS == 2 and len(browser._loaded) == 2
    assert [d.name for d in browser._loaded.values()] == ["diabetes", "mnist-5k"]
