"""The interface language: choice order, translators, the Preferences dialog, the font check."""
import logging
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from desktop_dl.ui.base import i18n


@pytest.fixture
def store(tmp_path):
    return tmp_path / "preferences.json"        # the language (core.i18n, readable without Qt)


@pytest.fixture
def qt_store(tmp_path):
    return QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)   # the backend


@pytest.fixture
def zh_main_window(qtbot):
    """The real main window built with the Chinese translators installed."""
    from desktop_dl.ui.app.main_window import MainWindow

    i18n.install_translators(QApplication.instance(), "zh_CN")
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    i18n.remove_translators()


@pytest.mark.parametrize("raw, expected", [
    ("zh_CN", "zh_CN"), ("zh-cn", "zh_CN"), ("zh", "zh_CN"), ("zh_Hans_CN", "zh_CN"),
    ("en", "en"), ("en_US.UTF-8", "en"), ("C", "en"), ("fr_FR", None), ("", None), (None, None),
])
def test_language_codes_are_normalised(raw, expected):
    assert i18n.normalise(raw) == expected


def test_environment_beats_preference_beats_system(store, monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    assert i18n.choose_language(store) == i18n.system_language()
    i18n.save_preference("zh_CN", store)
    assert i18n.saved_preference(store) == "zh_CN"
    assert i18n.choose_language(store) == "zh_CN"
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    assert i18n.choose_language(store) == "en"
    i18n.save_preference("en", store)
    monkeypatch.setenv(i18n.ENV_VAR, "zh_CN")
    assert i18n.choose_language(store) == "zh_CN"


def test_unknown_environment_value_is_reported_and_ignored(store, monkeypatch, caplog):
    monkeypatch.setenv(i18n.ENV_VAR, "klingon")
    i18n.save_preference("zh_CN", store)
    with caplog.at_level(logging.WARNING):
        assert i18n.choose_language(store) == "zh_CN"
    assert "klingon" in caplog.text


def test_unknown_preference_is_refused(store):
    with pytest.raises(ValueError):
        i18n.save_preference("xx", store)


def test_translators_install_and_remove(qapp):
    assert i18n.qm_path("zh_CN").exists(), "run resources/i18n/update_translations.py"
    try:
        assert i18n.install_translators(qapp, "zh_CN") == "zh_CN"
        assert i18n.current_language() == "zh_CN"
        assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
        # Qt's own qtbase_zh_CN.qm: standard buttons and dialogs.
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        # Installing again replaces, never stacks.
        i18n.install_translators(qapp, "zh_CN")
        assert len(i18n._installed) == 2
    finally:
        i18n.remove_translators(qapp)
    assert i18n.current_language() == "en"
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


def test_main_window_in_chinese(zh_main_window):
    menus = [a.text() for a in zh_main_window.menuBar().actions()]
    assert menus[:2] == ["文件(&F)", "编辑(&E)"]
    tabs = [zh_main_window.tabs.tabText(i) for i in range(zh_main_window.tabs.count())]
    assert tabs[:2] == ["开始", "模型"]


def test_preferences_dialog_saves_language_and_says_when(qtbot, store, qt_store, monkeypatch):
    from desktop_dl.ui.app.preferences import PreferencesDialog

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    dialog = PreferencesDialog(store=qt_store, language_file=store)
    qtbot.addWidget(dialog)
    assert "restart" in dialog.note.text()
    assert dialog.chosen_language() == i18n.SYSTEM
    dialog.language.setCurrentIndex(dialog.language.findData("zh_CN"))
    dialog.accept()
    assert i18n.saved_preference(store) == "zh_CN"
    again = PreferencesDialog(store=qt_store, language_file=store)
    qtbot.addWidget(again)
    assert again.chosen_language() == "zh_CN"


def test_preferences_dialog_names_the_environment_override(qtbot, store, qt_store, monkeypatch):
    from desktop_dl.ui.app.preferences import PreferencesDialog

    monkeypatch.setenv(i18n.ENV_VAR, "zh_CN")
    dialog = PreferencesDialog(store=qt_store, language_file=store)
    qtbot.addWidget(dialog)
    assert "DESKTOP_DL_LANG" in dialog.note.text()


def test_edit_menu_opens_preferences(main_window, qtbot, monkeypatch):
    from PySide6.QtGui import QAction
    from desktop_dl.ui.app.preferences import PreferencesDialog

    shown = []
    monkeypatch.setattr(PreferencesDialog, "exec", lambda self: shown.append(self) or 0)
    action = main_window.findChild(QAction, "preferencesAction")
    assert action in main_window.edit_menu.actions()
    action.trigger()
    assert len(shown) == 1


def test_chinese_font_is_found_here_and_missing_one_warns_once(caplog, monkeypatch):
    # This machine (and CI, see .ci/run) installs fonts-noto-cjk.
    assert i18n.chinese_font_families(), "install fonts-noto-cjk"
    assert i18n.warn_if_no_chinese_font() is True
    monkeypatch.setattr(i18n, "_font_warned", False)
    with caplog.at_level(logging.WARNING, logger="desktop_dl.ui.base.i18n"):
        assert i18n.warn_if_no_chinese_font([]) is False
        assert i18n.warn_if_no_chinese_font([]) is False
    warnings = [r for r in caplog.records if "covers Chinese" in r.getMessage()]
    assert len(warnings) == 1
    assert "fonts-noto-cjk" in warnings[0].getMessage()


_APP_PROBE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
def report():
    window = next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow))
    print("MENUS", "|".join(a.text() for a in window.menuBar().actions()), flush=True)
    app.quit()
QTimer.singleShot(0, report)
from desktop_dl.ui.app import app as desktop_app
desktop_app.main([])
"""


@pytest.mark.parametrize("lang, file_menu", [("zh_CN", "文件(&F)"), ("en", "&File")])
def test_environment_variable_sets_the_app_language(lang, file_menu, tmp_path):
    env = dict(os.environ, DESKTOP_DL_LANG=lang, QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(tmp_path))
    env.pop("DESKTOP_DL_QUIT_AFTER_SHOW", None)
    out = subprocess.run([sys.executable, "-c", _APP_PROBE], env=env, capture_output=True,
                         text=True, timeout=120)
    line = next((l for l in out.stdout.splitlines() if l.startswith("MENUS")), None)
    assert line is not None, out.stderr[-2000:]
    assert line.split(" ", 1)[1].split("|")[0] == file_menu
