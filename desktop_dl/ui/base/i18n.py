"""The interface language in the window: Qt translators for the language core.i18n chose, and a
check that Chinese can be drawn.

One rule for all text (core.i18n): the language is chosen once at start-up — DESKTOP_DL_LANG,
then the preference saved by the Preferences dialog, then the system locale (here read by Qt's
QLocale) — and both mechanisms get it: gettext (`core.i18n._`, for every message made outside a
widget: core, engine, CLI) and Qt's translators (`tr()` in widgets; our strings from
resources/i18n/desktop_dl_<lang>.qm, built by resources/i18n/update_translations.py, Qt's
standard dialogs from qtbase_<lang>.qm). Install before any widget is built: widgets set their
texts once, in their constructors.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFontDatabase

from desktop_dl.core import i18n as core_i18n
from desktop_dl.core.i18n import (CHINESE, ENGLISH, ENV_VAR, LANGUAGE_NAMES, LANGUAGES, SYSTEM,  # noqa: F401
                                  env_override, normalise, save_preference, saved_preference)
from desktop_dl import APP_NAME, ORG_NAME
from desktop_dl.paths import resource

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []    # kept alive here: Qt does not own installed translators
_font_warned = False


def settings() -> QSettings:
    """The app's Qt settings (window state, the training backend). The language preference is
    not here but in core.i18n's preferences.json, so that the CLI, which has no Qt, reads it."""
    return QSettings(ORG_NAME, APP_NAME)


def system_language() -> str:
    """Chinese for a simplified-Chinese system locale, English for every other."""
    locale = QLocale.system()
    if locale.language() == QLocale.Language.Chinese and locale.script() != QLocale.Script.TraditionalHanScript:
        return CHINESE
    return ENGLISH


def choose_language(path: Path | None = None) -> str:
    """DESKTOP_DL_LANG > the saved preference > the system locale (core.i18n's rule)."""
    return core_i18n.choose_language(path, system=system_language())


def current_language() -> str:
    """The interface language (ENGLISH until one is installed)."""
    return core_i18n.current_language()


def qm_path(lang: str):
    return resource("i18n", f"desktop_dl_{lang}.qm")


def remove_translators(app: QCoreApplication | None = None) -> None:
    """Back to the English source strings, in widgets and in core messages."""
    app = app or QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
    core_i18n.set_language(ENGLISH)


def install_translators(app: QCoreApplication | None, lang: str) -> str:
    """Make `lang` the interface language: gettext's catalog and Qt's translators (replacing
    earlier ones); returns the language.

    Widgets built afterwards show the language; widgets already built keep their texts.
    """
    app = app or QCoreApplication.instance()
    lang = normalise(lang) or ENGLISH
    remove_translators(app)
    lang = core_i18n.set_language(lang)
    if lang == ENGLISH:
        # Only the plural forms ("1 digit", "2 digits" from tr("%n digit(s)", "", n)).
        translator = QTranslator(app)
        if translator.load(f"desktop_dl_{ENGLISH}", str(qm_path(ENGLISH).parent)) and app is not None:
            app.installTranslator(translator)
            _installed.append(translator)
        return lang
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{lang}", qt_dir), (f"desktop_dl_{lang}", str(qm_path(lang).parent))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("No translation file %s.qm in %s; those texts stay in English.", name, folder)
    return lang


def chinese_font_families() -> list[str]:
    return list(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def warn_if_no_chinese_font(families: list[str] | None = None) -> bool:
    """True when some font covers Chinese; otherwise log a warning, once per process, in English
    (a Chinese warning would itself be drawn as boxes)."""
    global _font_warned
    if families is None:
        families = chinese_font_families()
    if families:
        return True
    if not _font_warned:
        _font_warned = True
        log.warning("No font on this system covers Chinese, so Chinese text shows as boxes. "
                    "Install a CJK font (on Debian/Ubuntu: sudo apt install fonts-noto-cjk) "
                    "or run with DESKTOP_DL_LANG=en.")
    return False


def setup_language(app: QCoreApplication) -> str:
    """Start-up: choose, install, check the font. Call before building any widget."""
    lang = install_translators(app, choose_language())
    warn_if_no_chinese_font()
    return lang
