"""Collect every string a person can see in a window: widgets on every tab, menus and their
actions, tooltips, tab titles, table headers, combo-box items, dock titles and plot axes.

Used by tests/ui/test_i18n_walk.py (and handy from a shell to list untranslated strings).
"""
from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QComboBox,
                               QDockWidget, QGroupBox, QLabel, QLineEdit, QMenu, QTabWidget,
                               QTextEdit, QWidget)

from desktop_dl.core.catalogue import ACTIVATIONS, CATALOGUE, GROUPS
from desktop_dl.core.losses import LOSSES

# Names that stay as they are in every language, and nothing else: Keras's own names (layer
# types, parameter keywords, activations, losses, metrics, optimizers, padding values), NumPy's
# (dtypes, shape, ndim), products and formats, units, key names, language names and codes, and
# the people and licence a dataset credits. Every other Latin word is an untranslated string.
ALLOWED = set(CATALOGUE) | set(ACTIVATIONS) | set(LOSSES) | {p.name for t in CATALOGUE.values() for p in t.params} | {
    # Keras and NumPy names
    "Keras", "accuracy", "loss", "val_loss", "val_accuracy", "binary_accuracy", "mse", "mae",
    "adam", "sgd", "rmsprop", "adamw", "adagrad", "Adam", "RMSprop", "SGD", "AdamW", "Adagrad",
    "Nesterov", "ReLU", "valid", "same", "causal", "None", "NaN", "opset", "MirroredStrategy",
    "MultiWorkerMirroredStrategy", "DataParallel",
    "float32", "float16", "int32", "uint8", "dtype", "ndim", "shape", "true", "false",  # JSON
    # products and formats
    "desktop_dl", "ONNX", "Runtime", "TensorFlow", "SavedModel", "Lite", "Serving", "MNIST",
    "CPU", "GPU", "GPUs", "CUDA", "NVIDIA", "Python", "NumPy", "IDX", "CSV", "TSV", "JSON", "PNG",
    "JPEG", "BMP", "HDF5", "onnx", "keras", "py", "json", "npz", "csv", "tsv", "gz", "ddl", "txt",
    "ubyte", "tar", "mnist", "imdb", "boston_housing", "cifar", "python", "IMDB", "CIFAR",
    "Windows", "Mac", "CR", "LF", "Excel", "EXIF", "CMYK", "RGB", "GIF", "TIFF", "WebP", "PDF",
    "EPS", "PostScript", "zip", "ZIP", "BOM", "DS_Store", "Thumbs",
    "onnxruntime", "tf2onnx", "skl2onnx", "PyTorch", "JAX", "torch", "safetensors", "pickle",
    "flatbuffer", "tflite", "Protobuf", "IR",
    # units and keys
    "px", "MB", "KB", "GB", "KiB", "ms", "s", "min", "h", "F1",
    "Ctrl", "Shift", "Alt", "Del", "Delete", "Enter", "Esc", "PgUp", "PgDown", "Home", "End",
    "Tab", "Backspace", "Space", "Ins", "Return",
    # language names and codes, text encodings (named as they are)
    "English", "DESKTOP_DL_LANG", "KERAS_BACKEND", "en", "zh_CN", "UTF", "GBK", "JIS", "Latin", "cp1252",
    # credited people and licences (MNIST: CC BY-SA 3.0, LeCun, Cortes and Burges)
    "CC", "BY", "SA", "LeCun", "Cortes", "Burges", "Yann", "Corinna", "Christopher",
}
WORD = re.compile(r"[A-Za-z][A-Za-z_0-9]*")
CJK = re.compile(r"[\u4e00-\u9fff]")


def plain(text: str) -> str:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def foreign_words(text: str, allowed=ALLOWED) -> list[str]:
    """Latin-letter words of `text` that are not allowed to stay untranslated."""
    text = plain(text).replace("&", "")
    text = re.sub(r"`[^`]*`", " ", text)                       # code the user may type
    text = re.sub(r"(?:[A-Za-z]:)?(?:[/\\][^\s/\\]+){2,}[/\\]?", " ", text)   # paths: the user's files
    text = re.sub(r"\b\w+(?:\.\w+)+(?:\([^)]*\))?", " ", text)    # dotted names: onnx.save, model.ir_version
    text = re.sub(r"\S*\.(onnx|keras|py|json|npz|csv|tsv|gz|ddl|png|h5)\b", " ", text)  # file names
    text = text.replace("\u200b", "")
    text = re.sub(r"\b[a-z0-9]+(?:[-_][a-z0-9]+)+\b", " ", text)   # identifiers: mnist-cnn, kernel_size
    text = re.sub(r"\b[A-Za-z]+\(.*?\)", lambda m: m.group(0) if m.group(0).split("(")[0] not in allowed else " ", text)
    out = []
    for word in WORD.findall(text):
        if word in allowed or word.lower() in allowed or len(word) == 1:
            continue
        if re.fullmatch(r"[A-Z]\d*|[a-z]\d+|x\d+|e\d+", word):    # x, w1, 1e-3 pieces
            continue
        out.append(word)
    return out


def _action_texts(actions, where: str, out: list) -> None:
    for action in actions:
        if action.isSeparator() or not action.isVisible():
            continue
        for kind, text in (("action", action.text()), ("tooltip", action.toolTip()),
                           ("status tip", action.statusTip())):
            if text and not (kind == "tooltip" and text.replace("&", "") == action.text().replace("&", "")):
                out.append((f"{where} › {kind}", text))
        if action.menu() is not None:
            sub = action.menu()
            out.append((f"{where} › menu", sub.title()))
            _action_texts(sub.actions(), f"{where} › {sub.title()}", out)


def _widget_texts(w: QWidget, out: list) -> None:
    name = w.objectName() or type(w).__name__
    if w.toolTip():
        out.append((f"{name} tooltip", w.toolTip()))
    if isinstance(w, QLabel) and w.text() and not w.pixmap():
        out.append((f"{name} label", w.text()))
    elif isinstance(w, QAbstractButton) and w.text():
        out.append((f"{name} button", w.text()))
    elif isinstance(w, QGroupBox) and w.title():
        out.append((f"{name} group", w.title()))
    elif isinstance(w, QLineEdit) and w.placeholderText():
        out.append((f"{name} placeholder", w.placeholderText()))
    elif isinstance(w, QTextEdit) and w.toPlainText():
        out.append((f"{name} text", w.toPlainText()))
    if isinstance(w, QComboBox):
        for i in range(w.count()):
            out.append((f"{name} item", w.itemText(i)))
    if isinstance(w, QTabWidget):
        for i in range(w.count()):
            out.append((f"{name} tab", w.tabText(i)))
            if w.tabToolTip(i):
                out.append((f"{name} tab tooltip", w.tabToolTip(i)))
    if isinstance(w, QDockWidget):
        out.append((f"{name} dock", w.windowTitle()))
    if isinstance(w, QAbstractItemView) and w.model() is not None:
        model = w.model()
        header = getattr(w, "horizontalHeader", None)
        if header is not None and header().isVisible():
            for section in range(model.columnCount(QModelIndex())):
                orientation = Qt.Orientation.Horizontal
                value = model.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
                if isinstance(value, str) and value:
                    out.append((f"{name} header", value))
    _plot_texts(w, name, out)
    _action_texts([a for a in w.actions() if not isinstance(w, QMenu)], name, out)


def _plot_texts(w: QWidget, name: str, out: list) -> None:
    plot_item = getattr(w, "getPlotItem", None)
    if plot_item is None:
        return
    item = plot_item()
    for side in ("left", "bottom", "right", "top"):
        axis = item.getAxis(side)
        if axis.isVisible() and axis.labelText:
            out.append((f"{name} {side} axis", axis.labelText))
    title = item.titleLabel.text if item.titleLabel is not None else ""
    if title:
        out.append((f"{name} title", title))
    legend = item.legend
    if legend is not None:
        for _sample, label in legend.items:
            if label.text:
                out.append((f"{name} legend", label.text))


def visible_texts(window) -> list[tuple[str, str]]:
    """(where, text) for everything on screen, visiting every tab of every tab widget."""
    app = QApplication.instance()
    out: list[tuple[str, str]] = [("window title", window.windowTitle())]
    seen: set[int] = set()

    def sweep():
        for w in [window] + window.findChildren(QWidget):
            if id(w) in seen or not w.isVisible() or isinstance(w, QMenu):
                continue
            seen.add(id(w))
            _widget_texts(w, out)

    sweep()
    for tabs in window.findChildren(QTabWidget):
        for i in range(tabs.count()):
            if not tabs.isVisible():
                continue
            tabs.setCurrentIndex(i)
            app.processEvents()
            sweep()
    if hasattr(window, "menuBar"):
        _action_texts(window.menuBar().actions(), "menu bar", out)
    return [(where, text) for where, text in out if text and text.strip()]
