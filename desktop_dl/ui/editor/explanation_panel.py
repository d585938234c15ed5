"""The "What is this?" panel: the selected layer explained, with its figures in this model.

`ExplanationPanel.show_layer(spec, index)` (index None: the Input row) renders
`core.explanations.explain` in the interface language; the layer editor calls it when the
selection or the spec changes.

Laying out the rich text costs 1.5-3 ms, the largest part of an edit's GUI time. So a hidden panel
renders when it is shown, and edits of the layer already shown are coalesced: its figures follow
REFRESH_MS after the last of a burst of edits (dragging a spin box re-lays the text once, not per
step). Selecting another layer renders at once.
"""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop_dl.core import explanations
from desktop_dl.ui.base import i18n

REFRESH_MS = 120


class ExplanationPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("explanationPanel")
        self.heading = QLabel(self.tr("What is this?"), self)
        self.heading.setObjectName("explanationHeading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("explanationText")
        self.browser.setOpenLinks(False)
        self.browser.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.browser, 1)
        self.explanation: explanations.Explanation | None = None
        self._pending: tuple | None = None      # (spec, index, analysis) not rendered yet
        self._shown_key: tuple | None = None    # (id(spec), index) of the text shown
        self._refresh = QTimer(self, singleShot=True, interval=REFRESH_MS)
        self._refresh.timeout.connect(self.flush)
        self.clear()

    def clear(self) -> None:
        self.explanation = None
        self._pending = self._shown_key = None
        self._refresh.stop()
        self._html = ""
        self.browser.setHtml("<p style='color:#5f6b76'>%s</p>" % escape(
            self.tr("Select a layer to see what it does to the tensor, when to use it, what its "
                    "parameters mean, and its numbers in this model.")))

    def show_layer(self, spec, index: int | None, analysis=None) -> None:
        """Explain layer `index` of `spec` (None: the Input row): now for another layer, shortly
        for the one already shown, when shown for a hidden panel."""
        if index is not None and not 0 <= index < len(spec.layers):
            self.clear()
            return
        self._pending = (spec, index, analysis)
        if not self.isVisible():
            return                              # showEvent renders it
        if (id(spec), index) == self._shown_key:
            self._refresh.start()
        else:
            self.flush()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.flush()

    def flush(self) -> None:
        """Render what was asked for last (tests and the timer call it)."""
        self._refresh.stop()
        if self._pending is None:
            return
        spec, index, analysis = self._pending
        self._pending = None
        self._shown_key = (id(spec), index)
        if index is not None and not 0 <= index < len(spec.layers):
            self.clear()
            return
        e = explanations.explain(spec, index, i18n.current_language(), analysis=analysis)
        self.explanation = e
        h = e.headings
        # The user's own numbers first: the panel is often short, and they are what changes.
        parts = [f"<h3 style='margin:0'>{escape(e.title)}</h3>"]
        if e.figures:
            rows = "".join(f"<li>{escape(line)}</li>" for line in e.figures)
            parts.append(f"<p style='margin-bottom:0'><b>{escape(h['numbers'])}</b></p>"
                         f"<ul style='margin-top:2px; background:#eef4fb'>{rows}</ul>")
        if e.error:
            parts.append(f"<p style='color:#8a1c1c'><b>{escape(h['problem'])}</b>"
                         f"{escape(e.error)}</p>")
        if e.what:
            parts.append(f"<p>{escape(e.what)}</p>")
        if e.when:
            parts.append(f"<p><b>{escape(h['when'])}</b>{escape(e.when)}</p>")
        if e.params:
            rows = "".join(
                f"<tr><td style='padding-right:8px'><tt>{escape(name)}</tt></td>"
                f"<td style='padding-right:8px'><tt>{escape(value)}</tt></td>"
                f"<td>{escape(meaning)}</td></tr>" for name, value, meaning in e.params)
            parts.append(f"<p style='margin-bottom:2px'><b>{escape(h['params'])}</b></p>"
                         f"<table cellspacing='0' cellpadding='2'>{rows}</table>")
        html = "".join(parts)
        if html != self._html:          # most edits leave the selected layer's text unchanged
            self._html = html
            self.browser.setHtml(html)

    def plain_text(self) -> str:
        self.flush()
        return self.browser.toPlainText()
