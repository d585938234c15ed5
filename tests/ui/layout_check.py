"""What "the layout holds" means, measured on a real window (offscreen or xcb):

- no cell of a table's shape/params columns is elided: the text is compared with what
  `fontMetrics().elidedText` makes of it in the width the cell really has, and the cell lies
  inside the viewport (not behind a horizontal scrollbar);
- no visible widget is smaller than its `minimumSizeHint` (a squeezed widget clips its text).

Used by tests/ui/test_layout_sizes.py (offscreen) and tests/xvfb/ (xcb).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractScrollArea, QApplication,
                               QLabel, QScrollBar,
                               QSplitterHandle, QStyle, QTabBar, QWidget)

SIZES = [(1024, 680), (1280, 800), (1920, 1080)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def column_titles(view: QAbstractItemView) -> list[str]:
    model = view.model()
    return [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())]


def elided_cells(view: QAbstractItemView, columns: list[int]) -> list[str]:
    """'row r, column "title": "text" shows as "elided"' for every cell that does not fit."""
    model = view.model()
    style = view.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    metrics = view.fontMetrics()
    titles = column_titles(view)
    viewport = view.viewport().rect()
    out = []
    for row in range(model.rowCount()):
        for col in columns:
            index = model.index(row, col, QModelIndex())
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if text in (None, ""):
                continue
            text = str(text)
            rect = view.visualRect(index)
            where = f'row {row}, column "{titles[col]}"'
            if rect.isEmpty() or rect.left() < 0 or rect.right() > viewport.right():
                out.append(f'{where}: "{text}" is outside the visible area {viewport.width()} px wide '
                           f"(cell {rect.left()}..{rect.right()})")
                continue
            available = rect.width() - 2 * margin
            if index.data(Qt.ItemDataRole.DecorationRole) is not None:
                available -= view.iconSize().width() if view.iconSize().isValid() else 16
                available -= 4
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, available)
            if shown != text:
                out.append(f'{where}: "{text}" shows as "{shown}" ({available} px for '
                           f"{metrics.horizontalAdvance(text)} px)")
    return out


def hidden_rows(view: QAbstractItemView) -> list[str]:
    """Rows that cannot be reached: below the viewport with no vertical scrollbar to get there."""
    model = view.model()
    if model.rowCount() == 0 or view.verticalScrollBar().isVisible():
        return []
    last = model.index(model.rowCount() - 1, 0)
    rect = view.visualRect(last)
    if rect.bottom() > view.viewport().height():
        return [f"the last row ({last.data()}) is cut off and there is no scrollbar"]
    return []


def _ignored(widget: QWidget) -> bool:
    # Qt's own helpers size themselves by the container (scroll bars, splitter handles, the
    # corner and viewport widgets of scroll areas, tab bar scrollers); none shows text.
    if isinstance(widget, (QScrollBar, QSplitterHandle)):
        return True
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractScrollArea) and widget is parent.viewport():
        return True
    if isinstance(parent, QTabBar):
        return True
    name = widget.objectName()
    return name.startswith("qt_") and name not in ("qt_scrollarea_viewport",)


def undersized_widgets(window: QWidget) -> list[str]:
    """Visible widgets smaller than their minimumSizeHint (class, object name, sizes)."""
    out = []
    for widget in [window] + window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow() and widget is not window or _ignored(widget):
            continue
        hint = widget.minimumSizeHint()
        if not hint.isValid():
            continue
        # A widget that is deliberately allowed smaller (explicit minimum below its hint, as a
        # scroll area's is) follows its minimumSize, which is what layouts honour.
        want_w = widget.minimumWidth() or hint.width()
        want_h = widget.minimumHeight() or hint.height()
        if isinstance(widget, (QLabel, QAbstractButton)):
            # Text: an explicit minimum below the text's own would clip it.
            want_w, want_h = max(want_w, hint.width()), max(want_h, hint.height())
        if widget.sizePolicy().horizontalPolicy().value & 0x4:     # IgnoreFlag: hint not used
            want_w = widget.minimumWidth()
        if widget.sizePolicy().verticalPolicy().value & 0x4:
            want_h = widget.minimumHeight()
        if widget.width() < want_w or widget.height() < want_h:
            text = ""
            for attr in ("text", "title", "windowTitle"):
                value = getattr(widget, attr, None)
                if callable(value):
                    try:
                        text = str(value())[:40]
                    except TypeError:
                        continue
                    if text:
                        break
            out.append(f"{type(widget).__name__} {widget.objectName()!r} {text!r}: "
                       f"{widget.width()}×{widget.height()} < {want_w}×{want_h}")
    return out


def settle(window: QWidget, rounds: int = 6) -> None:
    app = QApplication.instance()
    for _ in range(rounds):
        app.processEvents()
    window.repaint()
    app.processEvents()


def tables_of(window) -> list[tuple[str, QAbstractItemView, list[int]]]:
    """(name, view, the shape/params columns that must never be elided) for each table."""
    from desktop_dl.ui.editor.layer_stack_model import COL_PARAMS, COL_SHAPE
    editor = window.editor
    return [("layer stack", editor.view, [COL_SHAPE, COL_PARAMS]),
            ("model summary", editor.summary.table, [0, 1, 2])]


def layout_problems(window, size: tuple[int, int] | None = None) -> list[str]:
    problems = []
    if size is not None and (window.width(), window.height()) != tuple(size):
        hint = window.minimumSizeHint()
        problems.append(f"the window is {window.width()}×{window.height()}, not {size[0]}×{size[1]} "
                        f"(its minimum is {hint.width()}×{hint.height()})")
    for name, view, columns in tables_of(window):
        if not view.isVisible():
            continue
        problems += [f"{name}: {p}" for p in elided_cells(view, columns) + hidden_rows(view)]
    problems += undersized_widgets(window)
    return problems
