"""Small parts of the layer editor's frame: the dismissable hint bar above the stack, and the
event filter that lets the properties' scroll area follow its content's height."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QToolButton


class ScrollRefit(QObject):
    """Re-measures a resizable scroll area's widget whenever that widget's layout changes.

    The properties' height depends on wrapped text; QScrollArea re-fits its widget only on a
    LayoutRequest of its own (the widget's goes to the viewport), so it would squeeze the
    editors instead of showing a scroll bar."""

    def __init__(self, scroll: QScrollArea, parent=None):
        super().__init__(parent)
        self._scroll = scroll

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            QApplication.postEvent(self._scroll, QEvent(QEvent.Type.LayoutRequest))
        return False


class InfoBar(QFrame):
    """A dismissable hint above the stack, with one action button."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("editorInfoBar")
        self.setStyleSheet("#editorInfoBar { background: #e3f2fd; border: 1px solid #90caf9; "
                           "border-radius: 4px; } QLabel { color: #0d47a1; }")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton(self)
        self.button.setObjectName("fixOutputButton")
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(self.tr("Hide this hint"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self.hide()
