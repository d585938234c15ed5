"""The one translation mechanism for text made outside Qt widgets: `_()` and `ngettext()`.

Plain Python (gettext underneath, no Qt), so core, engine, the CLI and the widgets all use it;
modelled on napari's `napari.utils.translations.trans`. Messages carry named placeholders, filled
after translation so a translator can reorder them::

    from desktop_dl.core.i18n import _, ngettext
    raise SpecError(_("Layer {index} ({type}) needs a positive number of units.", index=i, type=t))
    ngettext("{n} layer", "{n} layers", n)          # n is passed to the placeholders too

Text defined at import time (a dict of rules, a registry entry) is marked with `N_()`, which only
marks it for extraction; the code that shows it calls `_(text)` then.

The catalogs are desktop_dl/resources/locale/<lang>/LC_MESSAGES/desktop_dl.po (translations,
kept in git) and the compiled .mo beside it (committed too, so a wheel carries them); both are
refreshed by `python -m desktop_dl.core.i18n_catalogs` (Babel). Qt widgets keep their own `tr()`
and .ts/.qm files; ui/base/i18n.py installs the Qt translators for the SAME language, chosen here.

The language is chosen once at start-up (`set_language(choose_language())`), strongest first:
the DESKTOP_DL_LANG environment variable (`zh_CN` or `en`), the preference saved by the
Preferences dialog (a small JSON file in the user data folder, readable without Qt), the system
locale. Until then the first `_()` call chooses it the same way.
"""
from __future__ import annotations

import gettext as _gettext
import json
from contextlib import contextmanager
import locale
import logging
import os
import sys
from pathlib import Path

from desktop_dl.paths import resource, user_data_dir

log = logging.getLogger(__name__)

DOMAIN = "desktop_dl"
ENV_VAR = "DESKTOP_DL_LANG"
SYSTEM = "system"
ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
# Shown in the language's own script, as every app does, so a user can find their language.
LANGUAGE_NAMES = {ENGLISH: "English", CHINESE: "简体中文"}
PREFERENCE_FILE = "preferences.json"

_current: str | None = None                 # None until chosen
_translation: _gettext.NullTranslations = _gettext.NullTranslations()


def normalise(code: str | None) -> str | None:
    """`zh_CN`, `zh-cn`, `zh`, `zh_Hans_CN`, `en_US.UTF-8`… → one of LANGUAGES, or None if unknown."""
    if not code:
        return None
    text = str(code).strip().split(".")[0].replace("-", "_").lower()
    if text in ("zh", "zh_cn", "zh_hans", "zh_hans_cn", "zh_sg", "chinese"):
        return CHINESE
    if text == "en" or text.startswith("en_") or text in ("c", "posix", "english"):
        return ENGLISH
    return None


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


def system_language() -> str:
    """Chinese for a simplified-Chinese system locale (LC_ALL, LC_MESSAGES, LANG, then the C
    library's locale), English for every other, including traditional Chinese (zh_TW, zh_HK)."""
    candidates = [os.environ.get(name) for name in ("LC_ALL", "LC_MESSAGES", "LANG")]
    try:
        candidates.append(locale.getlocale()[0])
    except ValueError:
        pass
    if sys.platform == "win32":
        try:
            import ctypes
            candidates.append(locale.windows_locale.get(ctypes.windll.kernel32.GetUserDefaultUILanguage()))
        except (AttributeError, OSError):
            pass
    for raw in candidates:
        if raw and raw.split(".")[0] not in ("C", "POSIX", ""):
            return normalise(raw) or ENGLISH
    return ENGLISH


def preference_path() -> Path:
    """The file that remembers the interface language: <user data dir>/preferences.json."""
    return user_data_dir() / PREFERENCE_FILE


def saved_preference(path: Path | None = None) -> str:
    """The Preferences dialog's choice: SYSTEM, ENGLISH or CHINESE (SYSTEM if none or unreadable)."""
    path = path or preference_path()
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("language", SYSTEM)
    except (OSError, ValueError, AttributeError):
        return SYSTEM
    return normalise(value) or SYSTEM


def save_preference(choice: str, path: Path | None = None) -> None:
    """Remember SYSTEM, ENGLISH or CHINESE for the next start. ValueError for another value."""
    if choice != SYSTEM and normalise(choice) is None:
        raise ValueError(f"unknown language {choice!r}")
    path = path or preference_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        data = data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        data = {}
    data["language"] = choice if choice == SYSTEM else normalise(choice)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def choose_language(path: Path | None = None, system: str | None = None) -> str:
    """DESKTOP_DL_LANG > the saved preference (`path`: its file) > the system locale.

    `system` is the system's language when the caller knows it better (the app asks Qt's
    QLocale, which reads the desktop's setting on Windows and macOS too); else system_language().
    """
    forced = env_override()
    if forced:
        return forced
    pref = saved_preference(path)
    if pref != SYSTEM:
        return pref
    return normalise(system) or system_language()


def locale_dir() -> Path:
    """The folder of the compiled gettext catalogs (<resources>/locale)."""
    return resource("locale")


def set_language(lang: str) -> str:
    """Translate every later `_()` into `lang` (unknown → English); returns the language used.

    Called once at start-up (the app, the CLI); tests call it to switch.
    """
    global _current, _translation
    lang = normalise(lang) or ENGLISH
    if lang == ENGLISH:
        _translation = _gettext.NullTranslations()
    else:
        try:
            _translation = _gettext.translation(DOMAIN, str(locale_dir()), languages=[lang])
        except OSError:
            log.warning("No translation catalog %s.mo for %s in %s; messages stay in English.",
                        DOMAIN, lang, locale_dir())
            _translation = _gettext.NullTranslations()
    _current = lang
    return lang


@contextmanager
def language(lang: str | None):
    """Translate into `lang` inside the block (None: leave the language as it is), then restore.

    For code that is asked for a given language (tests, `explain(spec, i, "zh_CN")`); the app
    itself sets the language once and never switches.
    """
    previous = current_language()
    target = normalise(lang) if lang else previous
    if target == previous:
        yield previous
        return
    set_language(target)
    try:
        yield target
    finally:
        set_language(previous)


def current_language() -> str:
    """The language `_()` translates into (chosen on first use if nobody chose it yet)."""
    if _current is None:
        set_language(choose_language())
    return _current


def _fill(text: str, values: dict) -> str:
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        # A broken translation must never hide the message: log it and fall back.
        log.warning("Cannot fill %r with %s: %s", text, sorted(values), exc)
        return text


def _(message: str, /, **values) -> str:
    """`message` in the current language, its `{name}` placeholders filled from `values`.

    A message not in the catalog (a user's own title, say) comes back unchanged; "" stays ""
    (gettext would return the catalog's header). With no `values`, braces are left as they are.
    """
    if not message:
        return message
    current_language()
    return _fill(_translation.gettext(message), values)


def ngettext(singular: str, plural: str, n: int, /, **values) -> str:
    """The form of a counted message for `n` (English: 1 → singular, else plural; Chinese has one
    form), with `{n}` and the other placeholders filled."""
    current_language()
    return _fill(_translation.ngettext(singular, plural, n), {"n": n, **values})


def gettext(message: str) -> str:
    """The bare catalog lookup, nothing filled: for code that formats itself (argparse)."""
    current_language()
    return _translation.gettext(message) if message else message


def plural_gettext(singular: str, plural: str, n: int) -> str:
    """The bare plural lookup, nothing filled (argparse's ngettext)."""
    current_language()
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark text for extraction without translating it now (translate it with `_()` when shown)."""
    return message


