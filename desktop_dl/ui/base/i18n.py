"""The interface language: which one, Qt translators for it, and a check that Chinese can be drawn.

Choice, strongest first: the DESKTOP_DL_LANG environment variable (`zh_CN` or `en`; tests and
scripts use it), the preference saved by the Preferences dialog, the system locale.
Our own strings come from resources/i18n/desktop_dl_<lang>.qm (built by
resources/i18n/update_translations.py); Qt's standard dialogs from qtbase_<lang>.qm in PySide6's
translations folder. Translators must be installed before any widget is built: widgets set
their texts once, in their constructors.
"""
from __future__ import annotations

import logging
import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QFontDatabase

from desktop_dl import APP_NAME, ORG_NAME
from desktop_dl.paths import resource

log = logging.getLogger(__name__)

ENV_VAR = "DESKTOP_DL_LANG"
SETTINGS_KEY = "ui/language"          # "system", "en" or "zh_CN"
SYSTEM = "system"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
# Shown in the language's own script, as every app does, so a user can find their language.
LANGUAGE_NAMES = {ENGLISH: "English", CHINESE: "简体中文"}

_installed: list[QTranslator] = []    # kept alive here: Qt does not own installed translators
_current = ENGLISH
_font_warned = False


def normalise(code: str | None) -> str | None:
    """`zh_CN`, `zh-cn`, `zh`, `zh_Hans_CN`, `en_US.UTF-8`… → one of LANGUAGES, or None if unknown."""
    if not code:
        return None
    text = code.strip().split(".")[0].replace("-", "_").lower()
    if text in ("zh", "zh_cn", "zh_hans", "zh_hans_cn", "zh_sg", "chinese"):
        return CHINESE
    if text == "en" or text.startswith("en_") or text in ("c", "posix", "english"):
        return ENGLISH
    return None


def system_language() -> str:
    """Chinese for a simplified-Chinese system locale, English for every other."""
    locale = QLocale.system()
    if locale.language() == QLocale.Language.Chinese and locale.script() != QLocale.Script.TraditionalHanScript:
        return CHINESE
    return ENGLISH


def settings() -> QSettings:
    return QSettings(ORG_NAME, APP_NAME)


def saved_preference(store: QSettings | None = None) -> str:
    """The Preferences dialog's choice: SYSTEM, ENGLISH or CHINESE."""
    value = (store or settings()).value(SETTINGS_KEY, SYSTEM)
    return normalise(str(value)) or SYSTEM


def save_preference(choice: str, store: QSettings | None = None) -> None:
    if choice != SYSTEM and normalise(choice) is None:
        raise ValueError(f"unknown language {choice!r}")
    store = store or settings()
    store.setValue(SETTINGS_KEY, choice if choice == SYSTEM else normalise(choice))
    store.sync()


def env_override() -> str | None:
    """The language forced by DESKTOP_DL_LANG, or None. An unknown value is reported, not fatal."""
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return None
    lang = normalise(raw)
    if lang is None:
        log.warning("%s=%r is not a language desktop_dl knows (use zh_CN or en); ignoring it.",
                    ENV_VAR, raw)
    return lang


def choose_language(store: QSettings | None = None) -> str:
    """DESKTOP_DL_LANG > the saved preference > the system locale."""
    forced = env_override()
    if forced:
        return forced
    pref = saved_preference(store)
    return pref if pref != SYSTEM else system_language()


def current_language() -> str:
    """The language whose translators are installed now (ENGLISH before any install)."""
    return _current


def qm_path(lang: str):
    return resource("i18n", f"desktop_dl_{lang}.qm")


def remove_translators(app: QCoreApplication | None = None) -> None:
    """Back to the English source strings."""
    global _current
    app = app or QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
    _current = ENGLISH


def install_translators(app: QCoreApplication | None, lang: str) -> str:
    """Install Qt's and our translators for `lang` (replacing earlier ones); returns the language.

    Widgets built afterwards show the language; widgets already built keep their texts.
    """
    global _current
    app = app or QCoreApplication.instance()
    lang = normalise(lang) or ENGLISH
    remove_translators(app)
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
    _current = lang
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
