"""Shared test set-up: headless Qt, and user folders/settings that never touch the real home."""
import os
import tempfile

# Before Qt or TensorFlow load: headless Qt, quiet TensorFlow, private settings and data folders.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
_home = tempfile.mkdtemp(prefix="desktop_dl-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_home, "config")
os.environ["DESKTOP_DL_DATA"] = os.path.join(_home, "data")
os.environ.setdefault("DESKTOP_DL_LANG", "en")

# tests/xvfb drive a real X server (Qt's xcb platform, xdotool): .ci/run runs them in a step of
# their own under Xvfb; everywhere else (offscreen) they are not collected at all.
collect_ignore = [] if os.environ["QT_QPA_PLATFORM"] == "xcb" else ["xvfb"]

import pytest  # noqa: E402


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Private user data for this test (personal digits, the default digit model, runs) and no
    remembered Draw tab model."""
    from PySide6.QtCore import QSettings

    from desktop_dl import APP_NAME, ORG_NAME

    monkeypatch.setenv("DESKTOP_DL_DATA", str(tmp_path))
    QSettings(ORG_NAME, APP_NAME).remove("canvas/model_path")
    return tmp_path


@pytest.fixture
def make_canvas_panel(qtbot, data_dir):
    """make_canvas_panel(width=1000, height=640): a Draw tab panel on private user data, shown
    offscreen."""
    def make(width: int = 1000, height: int = 640):
        from desktop_dl.ui.draw.canvas_panel import CanvasPanel

        widget = CanvasPanel()
        qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget
    return make


@pytest.fixture
def main_window(qtbot):
    """The real main window, shown offscreen, closed after the test."""
    from desktop_dl.ui.app.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


@pytest.fixture(scope="session")
def digit_onnx_model(tmp_path_factory):
    """A small CNN trained on bundled MNIST digits (~97% test accuracy, ~15 s), exported to ONNX.

    Returns an object with `onnx_path`, `keras_path`, `x_test` (N×28×28×1 float32 in 0..1),
    `y_test`, `class_names` and the `report` of export_onnx. Built once per test session.
    """
    import types

    import keras
    import numpy as np

    from desktop_dl.engine.onnx_export import export_onnx
    from desktop_dl.paths import resource

    data = np.load(resource("mnist_5k.npz"))
    x = (data["x"].astype("float32") / 255.0)[..., None]
    y = data["y"].astype("int64")
    order = np.random.default_rng(0).permutation(len(x))  # the file is sorted by class
    x, y = x[order], y[order]
    x_train, y_train, x_test, y_test = x[:4000], y[:4000], x[4000:], y[4000:]

    keras.utils.set_random_seed(0)
    layers = keras.layers
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(16, 5, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(32, 5, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(10, activation="softmax"),
    ], name="digit_cnn")
    model.compile(keras.optimizers.Adam(2e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=3, batch_size=32, verbose=0)

    folder = tmp_path_factory.mktemp("digit_model")
    class_names = [str(i) for i in range(10)]
    keras_path = folder / "digit_cnn.keras"
    model.save(keras_path)
    report = export_onnx(model, folder / "digit_cnn.onnx", parity_inputs=x_test[:64], metadata={
        "class_names": class_names, "task": "multiclass", "kind": "image", "dataset": "mnist-5k",
        "preprocessing": {"pixel_scale": 1 / 255, "kind": "image", "digit_normalisation": "mnist"}})
    return types.SimpleNamespace(onnx_path=report.path, keras_path=keras_path, x_test=x_test,
                                 y_test=y_test, class_names=class_names, report=report)
