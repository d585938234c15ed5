"""core.i18n: one `_()` for every message made outside Qt; the language chosen once, by one rule."""
import json
import re

import pytest

from desktop_dl.core import i18n
from desktop_dl.core.i18n import _, ngettext

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese():
    with i18n.language("zh_CN"):
        yield


def test_english_is_the_source_text_with_named_placeholders_filled():
    assert i18n.current_language() == "en"          # tests/conftest.py sets DESKTOP_DL_LANG=en
    assert _("Unknown layer type {name!r}.{hint}", name="Dens", hint="") == "Unknown layer type 'Dens'."
    assert ngettext("{n} problem:", "{n} problems:", 1) == "1 problem:"
    assert ngettext("{n} problem:", "{n} problems:", 3) == "3 problems:"


def test_chinese_from_the_catalog(chinese):
    assert _("Unknown layer type {name!r}.{hint}", name="Dens", hint="") == "未知的层类型 'Dens'。"
    assert ngettext("{n:,} weight", "{n:,} weights", 401408) == "401,408 个权重"
    assert ngettext("{n} problem:", "{n} problems:", 1) == "1 个问题："


def test_text_that_is_not_in_the_catalog_passes_through(chinese):
    assert _("my own dataset") == "my own dataset"
    assert _("") == ""                               # gettext would give the catalog header
    assert _("{braces} stay when nothing is filled") == "{braces} stay when nothing is filled"


def test_a_placeholder_the_caller_forgot_never_hides_the_message(caplog):
    assert _("Layer {index} is broken", other=1) == "Layer {index} is broken"
    assert "Cannot fill" in caplog.text


def test_language_switch_is_scoped_and_restored():
    with i18n.language("zh_CN") as lang:
        assert lang == "zh_CN" and i18n.current_language() == "zh_CN"
        assert CJK.search(_("The curves look fine."))
    assert i18n.current_language() == "en"
    assert _("The curves look fine.") == "The curves look fine."
    assert i18n.set_language("klingon") == "en"    # unknown → English, never an error


@pytest.mark.parametrize("raw, expected", [
    ("zh_CN", "zh_CN"), ("zh-cn", "zh_CN"), ("zh", "zh_CN"), ("zh_Hans_CN", "zh_CN"),
    ("en", "en"), ("en_US.UTF-8", "en"), ("C", "en"), ("fr_FR", None), ("", None), (None, None),
])
def test_language_codes_are_normalised(raw, expected):
    assert i18n.normalise(raw) == expected


def test_environment_beats_preference_beats_system(tmp_path, monkeypatch):
    prefs = tmp_path / "preferences.json"
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert i18n.system_language() == "zh_CN"
    assert i18n.choose_language(prefs) == "zh_CN"
    assert i18n.choose_language(prefs, system="en_GB") == "en"     # the app passes Qt's locale
    i18n.save_preference("en", prefs)
    assert json.loads(prefs.read_text())["language"] == "en"
    assert i18n.choose_language(prefs) == "en"
    monkeypatch.setenv(i18n.ENV_VAR, "zh_CN")
    assert i18n.choose_language(prefs) == "zh_CN"
    i18n.save_preference("system", prefs)
    monkeypatch.delenv(i18n.ENV_VAR)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert i18n.choose_language(prefs) == "en"


def test_a_damaged_or_unknown_preference_means_system(tmp_path):
    prefs = tmp_path / "preferences.json"
    prefs.write_text("{not json")
    assert i18n.saved_preference(prefs) == "system"
    with pytest.raises(ValueError):
        i18n.save_preference("xx", prefs)
    i18n.save_preference("zh_CN", prefs)             # a damaged file is replaced, not fatal
    assert i18n.saved_preference(prefs) == "zh_CN"


def test_core_messages_follow_the_language(chinese):
    from desktop_dl.core.shapes import analyse
    from desktop_dl.core.spec import LayerSpec, ModelSpec
    spec = ModelSpec((784,), [LayerSpec("Conv2D"), LayerSpec("Dense", {"units": 10, "activation": "softmax"})])
    message = analyse(spec).problems[0].message
    assert message.startswith("Conv2D 需要图像（高、宽、通道），但输入是长度为 784 的向量")
    assert "(28, 28, 1)" in message


def test_the_shape_cache_keeps_languages_apart():
    from desktop_dl.core.shapes import analyse
    from desktop_dl.core.spec import LayerSpec, ModelSpec
    spec = ModelSpec((784,), [LayerSpec("Conv2D")])
    english = analyse(spec).problems[0].message
    with i18n.language("zh_CN"):
        assert CJK.search(analyse(spec).problems[0].message)
    assert analyse(spec).problems[0].message == english
