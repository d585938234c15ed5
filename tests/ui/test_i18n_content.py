"""Core content (catalogue help, rules, datasets, templates) shows in Chinese in a Chinese UI."""
import re

import pytest
from PySide6.QtWidgets import QApplication

from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.datasets.registry import list_builtin, load_dataset
from desktop_dl.core.losses import RULES
from desktop_dl.core.templates import list_templates
from desktop_dl.ui.base import content_i18n, i18n

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese(qapp):
    i18n.install_translators(qapp, "zh_CN")
    yield
    i18n.remove_translators(qapp)


def test_every_core_text_has_chinese(chinese):
    texts = [t.help for t in CATALOGUE.values()] + [p.help for t in CATALOGUE.values() for p in t.params]
    texts += list(RULES.values())
    texts += [x for info in list_builtin() for x in (info.title, info.description)]
    texts += [x for info in list_templates() for x in (info.title, info.description)]
    missing = [t for t in texts if t and not CJK.search(content_i18n.localise(t))]
    assert missing == []


def test_loaded_dataset_descriptions_and_unknown_text(chinese):
    for info in list_builtin():
        if info.name != "mnist-5k":          # the table datasets load in milliseconds
            assert CJK.search(content_i18n.dataset_description(load_dataset(info.name)))
    assert CJK.search(content_i18n.dataset_description(load_dataset("mnist-5k")))
    assert content_i18n.localise("my own dataset.csv") == "my own dataset.csv"
    assert content_i18n.param_label("kernel_size") == "kernel_size"


def test_english_is_left_alone():
    assert i18n.current_language() == "en"
    help_text = CATALOGUE["Dense"].help
    assert content_i18n.localise(help_text) == help_text
    assert content_i18n.rule("binary", RULES["binary"]) == RULES["binary"]
    assert content_i18n.param_label("units") is None


def test_a_broken_rule_is_shown_in_chinese(chinese):
    from desktop_dl.core.losses import check_loss
    message = check_loss("binary_crossentropy", 10, "softmax", "Dense")
    shown = content_i18n.localise(message)
    assert "规则：" in shown and "Dense(1, sigmoid)" in shown
