"""Walk the whole main window in Chinese and in English: no untranslated visible string in
Chinese, no Chinese in English; and the translation file itself is complete and consistent."""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop_dl.paths import resource
from desktop_dl.ui.base import i18n

sys.path.insert(0, str(Path(__file__).parent))
from i18n_walk import CJK, foreign_words, visible_texts  # noqa: E402

TS = resource("i18n", "desktop_dl_zh_CN.ts")


def _window(qtbot, lang):
    from desktop_dl.ui.app.main_window import MainWindow

    i18n.install_translators(QApplication.instance(), lang)
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def zh_window(qtbot):
    window = _window(qtbot, "zh_CN")
    yield window
    window.close()
    i18n.remove_translators()


@pytest.fixture
def en_window(qtbot):
    window = _window(qtbot, "en")
    yield window
    window.close()


def _open_extras(window):
    """Show what only appears after a click: a lesson's dock, a selected layer's panels."""
    from PySide6.QtGui import QAction
    window.findChild(QAction, "lesson-04-dropout").trigger()
    QApplication.processEvents()


def test_chinese_window_has_no_untranslated_visible_string(zh_window):
    _open_extras(zh_window)
    texts = visible_texts(zh_window)
    assert len(texts) > 200, "the walk should see the whole window"
    untranslated = [(where, text[:120], words) for where, text in texts
                    if (words := foreign_words(text))]
    assert untranslated == []
    assert sum(bool(CJK.search(t)) for _, t in texts) > len(texts) / 2


def test_english_window_shows_no_chinese(en_window):
    _open_extras(en_window)
    texts = visible_texts(en_window)
    assert len(texts) > 200
    assert [(w, t) for w, t in texts if CJK.search(t)] == []


def test_walk_notices_an_untranslated_string(zh_window):
    """The walk can fail: an English label added to the Chinese window is caught."""
    from PySide6.QtWidgets import QLabel
    label = QLabel("Untranslated words here", zh_window.training)
    label.show()
    texts = visible_texts(zh_window)
    assert any(foreign_words(t) == ["Untranslated", "words", "here"] for _, t in texts)


def _messages():
    root = ET.parse(TS).getroot()
    for context in root.iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
            yield (context.findtext("name"), message.findtext("source"), translation.get("type"),
                   forms)


PLACEHOLDER = re.compile(r"%(?:\.\d+)?[a-zA-Z%]|%\d")
TAG = re.compile(r"</?([a-z]+)[^>]*>")


def test_every_string_is_translated_with_its_placeholders_and_tags():
    messages = list(_messages())
    assert len(messages) > 400
    problems = []
    for context, source, kind, forms in messages:
        for text in forms:
            if kind in ("unfinished", "vanished", "obsolete") or not text:
                problems.append((context, source, "not translated"))
            elif PLACEHOLDER.findall(source) != PLACEHOLDER.findall(text):   # % formats in order
                problems.append((context, source, "placeholders differ: " + text))
            elif sorted(TAG.findall(source)) != sorted(TAG.findall(text)):
                problems.append((context, source, "HTML tags differ: " + text))
            elif "&" in source.replace("&&", "") and re.search(r"&\w", source) and not re.search(r"&\w", text):
                problems.append((context, source, "lost its keyboard shortcut: " + text))
    assert problems == []


def test_compiled_translation_is_up_to_date(tmp_path):
    """The committed .qm is what lrelease makes of the committed .ts."""
    script = resource("i18n", "update_translations.py")
    sys.path.insert(0, str(script.parent))
    import update_translations
    for lang in ("zh_CN", "en"):          # en: the plural forms only
        out = tmp_path / f"check_{lang}.qm"
        subprocess.run(update_translations.tool("lrelease") + [str(resource("i18n", f"desktop_dl_{lang}.ts")),
                                                               "-qm", str(out)], check=True, capture_output=True)
        assert out.read_bytes() == resource("i18n", f"desktop_dl_{lang}.qm").read_bytes(), \
            "run python resources/i18n/update_translations.py --release"


def _dialogs(tmp_path):
    from desktop_dl.core.spec import LayerSpec, ModelSpec
    from desktop_dl.ui.data.dataset_import_dialogs import ImageFolderDialog, KerasDownloadDialog, TableImportDialog
    from desktop_dl.ui.app.export_dialog import ExportDialog
    from desktop_dl.ui.app.help_dialogs import GettingStartedDialog, ShortcutsDialog
    from desktop_dl.ui.app.preferences import PreferencesDialog
    from desktop_dl.ui.editor.template_dialog import TemplateDialog

    # The user's own names (files, columns, classes) are content, so they are Chinese here.
    table = tmp_path / "表格.csv"
    table.write_text("长,宽,类别\n1,2,甲\n3,4,乙\n5,6,甲\n7,8,乙\n", encoding="utf-8")
    folder = tmp_path / "图片"
    for name in ("猫", "狗"):
        (folder / name).mkdir(parents=True)
    spec = ModelSpec((4,), [LayerSpec("Dense", {"units": 1, "activation": "sigmoid"})])
    return [PreferencesDialog(), TemplateDialog(), ExportDialog(spec=spec), TableImportDialog(table),
            ImageFolderDialog(folder), KerasDownloadDialog(), GettingStartedDialog(), ShortcutsDialog([])]


def test_dialogs_in_chinese_have_no_untranslated_visible_string(qtbot, tmp_path):
    i18n.install_translators(QApplication.instance(), "zh_CN")
    try:
        found = []
        for dialog in _dialogs(tmp_path):
            qtbot.addWidget(dialog)
            dialog.show()
            QApplication.processEvents()
            texts = visible_texts(dialog)
            found += [(type(dialog).__name__, where, text[:100], words) for where, text in texts
                      if (words := foreign_words(text))]
            dialog.close()
        assert found == [], "\n".join(map(str, found))
    finally:
        i18n.remove_translators()
