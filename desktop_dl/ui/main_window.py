"""The main window's public import path (`from desktop_dl.ui.main_window import MainWindow`).

Tools outside the package (screenshots, scripts) import the window from here; the class lives
in `desktop_dl.ui.app.main_window`, the top of the ui layers.
"""
from desktop_dl.ui.app.main_window import MainWindow

__all__ = ["MainWindow"]
