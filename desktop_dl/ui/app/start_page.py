"""The Start tab: three doors for a newcomer, plus opening a project and the recent ones.

The page knows nothing of the panels: it emits what the user chose and the window acts on it
(main_window wires the signals). Each door says what happens behind it, so a first click is
never a surprise:
  drawRequested      "Draw a digit (one-click model)": the Draw tab, training the model if none
  lessonsRequested   "Follow a lesson": the list of lessons (a menu under the button)
  buildRequested     "Build your own network": the Model tab with the palette
  openRequested      "Open project…"
  recentRequested    a recent project's path
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget)

PathRole = Qt.ItemDataRole.UserRole + 1


class DoorButton(QPushButton):
    """A large button with a title and a line that says what it does (both wrap)."""

    def __init__(self, title: str, text: str, parent=None):
        super().__init__(parent)
        self.setAccessibleName(title)
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.title_label = QLabel(title, self)
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.text_label = QLabel(text, self)
        self.text_label.setWordWrap(True)
        for label in (self.title_label, self.text_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label, 1, Qt.AlignmentFlag.AlignTop)
        self.setMinimumSize(220, 130)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self):
        return self.layout().sizeHint().expandedTo(self.minimumSize())

    def minimumSizeHint(self):
        return self.minimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return max(self.minimumHeight(), self.layout().totalHeightForWidth(width))


class StartPage(QScrollArea):
    drawRequested = Signal()
    lessonsRequested = Signal(object)     # the button to show the lesson list under
    buildRequested = Signal()
    openRequested = Signal()
    recentRequested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("startPage")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self)
        body.setObjectName("startPageBody")

        heading = QLabel(self.tr("Welcome to desktop_dl"), body)
        heading.setObjectName("startHeading")
        heading.setStyleSheet("font-size: 18pt; font-weight: bold;")
        intro = QLabel(self.tr("Build, train and use neural networks without writing code. "
                               "Where would you like to start?"), body)
        intro.setWordWrap(True)

        doors = self._build_doors(body)
        files = self._build_recent_projects(body)
        hint = QLabel(self.tr("You can come back to this page at any time: Help > Start page, "
                              "or the Start tab."), body)
        hint.setObjectName("startHint")
        hint.setWordWrap(True)
        hint.setEnabled(False)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(doors)
        layout.addSpacing(8)
        layout.addLayout(files)
        layout.addWidget(hint)
        layout.addStretch(1)
        body.setMaximumWidth(1100)
        self.setWidget(body)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.set_recent([])

    def _build_doors(self, body: QWidget) -> QHBoxLayout:
        """The three doors side by side: draw a digit, follow a lesson, build a network."""
        self.draw_door = DoorButton(
            self.tr("Draw a digit (one-click model)"),
            self.tr("Trains a small network on 5,000 handwritten digits (under a minute), then "
                    "recognises what you draw with the mouse."), body)
        self.draw_door.setObjectName("doorDraw")
        self.lesson_door = DoorButton(
            self.tr("Follow a lesson"),
            self.tr("Short exercises that set up a model, data and settings for you, explain "
                    "what to look for and train with one button."), body)
        self.lesson_door.setObjectName("doorLesson")
        self.build_door = DoorButton(
            self.tr("Build your own network"),
            self.tr("Drag layers from the palette into the stack; the shapes and parameter "
                    "counts update as you go. Then train it on a dataset."), body)
        self.build_door.setObjectName("doorBuild")
        self.draw_door.clicked.connect(self.drawRequested)
        self.lesson_door.clicked.connect(lambda: self.lessonsRequested.emit(self.lesson_door))
        self.build_door.clicked.connect(self.buildRequested)
        doors = QHBoxLayout()
        doors.setSpacing(12)
        for door in (self.draw_door, self.lesson_door, self.build_door):
            doors.addWidget(door, 1)
        return doors

    def _build_recent_projects(self, body: QWidget) -> QVBoxLayout:
        """Open project… and the recent projects (or a line saying there are none yet)."""
        self.open_button = QPushButton(self.tr("Open project…"), body)
        self.open_button.setObjectName("startOpenProject")
        self.open_button.clicked.connect(self.openRequested)
        recent_title = QLabel(self.tr("Recent projects"), body)
        recent_title.setStyleSheet("font-weight: bold;")
        self.recent_list = QListWidget(body)
        self.recent_list.setObjectName("startRecentProjects")
        self.recent_list.setAccessibleName(self.tr("Recent projects"))
        self.recent_list.setMinimumHeight(90)
        self.recent_list.itemActivated.connect(self._recent_chosen)
        self.recent_list.itemClicked.connect(self._recent_chosen)
        self.no_recent = QLabel(self.tr("No recent projects yet: projects you save or open are "
                                        "listed here."), body)
        self.no_recent.setObjectName("startNoRecent")
        self.no_recent.setWordWrap(True)
        self.no_recent.setEnabled(False)     # muted text

        files = QVBoxLayout()
        files_row = QHBoxLayout()
        files_row.addWidget(recent_title, 1)
        files_row.addWidget(self.open_button)
        files.addLayout(files_row)
        files.addWidget(self.no_recent)
        files.addWidget(self.recent_list)
        return files

    def set_recent(self, paths: list[str]) -> None:
        """Show these project files, newest first (missing ones are listed, greyed, with a note)."""
        self.recent_list.clear()
        for path in paths:
            item = QListWidgetItem(f"{Path(path).name}   \u2014   {Path(path).parent}")
            item.setData(PathRole, path)
            item.setToolTip(path)
            if not Path(path).exists():
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("%s (not found)") % path)
            self.recent_list.addItem(item)
        self.recent_list.setVisible(bool(paths))
        self.no_recent.setVisible(not paths)

    def _recent_chosen(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.recentRequested.emit(item.data(PathRole))


__all__ = ["StartPage", "DoorButton"]
