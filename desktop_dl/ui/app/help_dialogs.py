"""Help menu pages: Getting Started, Keyboard shortcuts, and the log folder.

Texts go through tr() (Chinese in resources/i18n); the shortcut list is read from the window's
own actions, so it cannot drift from what the keys really do.
"""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QMenu, QTableWidget,
                               QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget)


class GettingStartedDialog(QDialog):
    """A short tour: the three ways in, the four tabs, where to get help. The text scrolls."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("gettingStartedDialog")
        self.setWindowTitle(self.tr("Getting Started"))
        self.text = QTextBrowser(self)
        self.text.setObjectName("gettingStartedText")
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(self.html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def html(self) -> str:
        parts = [
            "<h2>" + self.tr("Getting Started") + "</h2>",
            "<p>" + self.tr("desktop_dl lets you build, train and use neural networks without "
                            "writing code. Three ways in, all on the Start tab:") + "</p><ol>",
            "<li>" + self.tr("<b>Draw a digit.</b> One click trains a small network on 5,000 "
                             "handwritten digits (under a minute). Then draw a digit on the Draw "
                             "tab with the mouse: the answer and how sure the network is update as "
                             "you draw. If it is wrong, press <i>That's wrong…</i> and pick the "
                             "right digit.") + "</li>",
            "<li>" + self.tr("<b>Follow a lesson.</b> The Lessons menu sets up a model, data and "
                             "settings, and explains what to look for. Press <i>Train this "
                             "lesson</i> and read the curves on the Train tab.") + "</li>",
            "<li>" + self.tr("<b>Build your own network.</b> On the Model tab, drag layers from "
                             "the palette into the stack (or double-click them). Each row shows "
                             "the output shape and the number of parameters; problems are listed "
                             "below with a fix. Pick a dataset on the Data tab, press <i>Use for "
                             "training</i>, then <i>Start training</i> on the Train tab.") + "</li>",
            "</ol><h3>" + self.tr("The four tabs") + "</h3><ul>",
            "<li>" + self.tr("<b>Model</b>: the network, layer by layer. Every edit can be "
                             "undone (Ctrl+Z).") + "</li>",
            "<li>" + self.tr("<b>Data</b>: bundled digits, your own files and folders, Keras "
                             "datasets.") + "</li>",
            "<li>" + self.tr("<b>Train</b>: settings, live curves, a diagnosis of them, and "
                             "every run you made.") + "</li>",
            "<li>" + self.tr("<b>Draw</b>: try an image model with the mouse.") + "</li>",
            "</ul><h3>" + self.tr("Saving") + "</h3><p>",
            self.tr("File > Save project keeps the model, the data it uses, the settings and the "
                    "runs in one .ddl file. Work is also saved for recovery every few minutes."),
            "</p><h3>" + self.tr("When something goes wrong") + "</h3><p>",
            self.tr("Messages say what happened and what to do. Everything shown is also written "
                    "to the log (Help > Open the log folder), which helps when you report a "
                    "problem."),
            "</p>",
        ]
        return "".join(parts)


class ShortcutsDialog(QDialog):
    """Every menu action that has a key, and the canvas keys (which live on the canvas itself)."""

    def __init__(self, menus: list[QMenu], parent=None):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = shortcut_rows(menus)
        rows += [(self.tr("Draw"), self.tr("Undo the last stroke (on the canvas)"),
                  QKeySequence(QKeySequence.StandardKey.Undo).toString(QKeySequence.SequenceFormat.NativeText)),
                 (self.tr("Draw"), self.tr("Clear the canvas"), self.tr("Delete")),
                 (self.tr("Draw"), self.tr("Erase while drawing"), self.tr("Right mouse button"))]
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Menu"), self.tr("Command"), self.tr("Keys")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(560, 520)


def shortcut_rows(menus: list[QMenu]) -> list[tuple[str, str, str]]:
    """(menu title, command, keys) for every action with a shortcut in these menus and submenus."""
    rows = []

    def walk(menu: QMenu, title: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), title)
            elif not action.isSeparator() and not action.shortcut().isEmpty():
                rows.append((title, action.text().replace("&", "").rstrip("…").strip(),
                             action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))
    for menu in menus:
        walk(menu, menu.title().replace("&", "").split("(")[0].strip())
    return rows


def open_log_folder(parent: QWidget | None = None) -> str:
    """Open user_data_dir()/logs in the file manager; returns the folder (also when no file
    manager could be started, so the caller can show the path)."""
    from desktop_dl.app_logging import log_dir
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
    return str(folder)


__all__ = ["GettingStartedDialog", "ShortcutsDialog", "shortcut_rows", "open_log_folder"]
