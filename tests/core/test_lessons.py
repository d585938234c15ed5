"""Every lesson sets up a trainable configuration from built-in data, in both languages."""
import dataclasses
import re

import pytest

from desktop_dl.core import lessons
from desktop_dl.core.datasets.registry import builtin_names
from desktop_dl.core.loss_choice import check_output_for_task
from desktop_dl.core.shapes import analyse

CJK = re.compile(r"[\u4e00-\u9fff]")
TRAIN_SETTINGS_FIELDS = {"optimizer", "learning_rate", "momentum", "nesterov", "schedule",
                         "batch_size", "epochs", "validation_split", "early_stopping", "seed",
                         "device", "mixed_precision", "checkpoint_path", "backend",
                         "initial_weights"}
ALL = lessons.list_lessons()


def test_the_issue_s_seven_lessons_are_there():
    assert len(ALL) == 7
    assert [l.dataset for l in ALL] == ["diabetes", "mnist-5k", "mnist-5k", "breast-cancer",
                                        "mnist-5k", "mnist-5k", "breast-cancer"]
    assert len(lessons.get_lesson("04-dropout").runs) == 2
    assert len(lessons.get_lesson("05-optimizers").runs) == 4
    with pytest.raises(lessons.LessonError):
        lessons.get_lesson("no-such-lesson")


@pytest.mark.parametrize("lesson", ALL, ids=[l.name for l in ALL])
def test_lesson_sets_up_a_trainable_configuration(lesson):
    assert lesson.dataset in builtin_names()           # built-in: no network needed
    dataset = None
    for run in range(len(lesson.runs)):
        setup = lessons.lesson_setup(lesson, run, dataset=dataset)
        dataset = setup.dataset
        analysis = analyse(setup.spec)
        assert analysis.ok, analysis.problems
        assert tuple(setup.spec.input_shape) == tuple(dataset.input_shape)
        n_classes = len(dataset.class_names) or None
        assert check_output_for_task(setup.spec, dataset.task, n_classes) is None
        assert set(setup.settings) <= TRAIN_SETTINGS_FIELDS
        assert setup.settings["epochs"] >= 1 and setup.settings["batch_size"] >= 1
        if len(lesson.runs) > 1:
            assert setup.label and setup.label in setup.spec.name


def test_runs_differ_the_way_the_lesson_says():
    dropout = lessons.get_lesson("04-dropout")
    plain, with_dropout = (lessons.lesson_setup(dropout, i).spec for i in (0, 1))
    assert [l.type for l in plain.layers] == ["Dense", "Dense", "Dense"]
    assert [l.type for l in with_dropout.layers] == ["Dense", "Dropout", "Dense", "Dropout", "Dense"]
    assert with_dropout.layers[1].params == {"rate": 0.5}
    assert plain.input_shape == with_dropout.input_shape == (30,)
    opt = lessons.get_lesson("05-optimizers")
    setups = [lessons.lesson_setup(opt, i) for i in range(4)]
    # The spec is the one home of the optimizer and learning rate; the run settings defer to it.
    assert [(s.spec.compile.optimizer, s.spec.compile.learning_rate) for s in setups] == [
        ("sgd", 0.01), ("sgd", 0.1), ("adam", 0.001), ("adam", 0.01)]
    assert all(s.settings["optimizer"] is None and s.settings["learning_rate"] is None
               for s in setups)
    assert lessons.lesson_setup(lessons.get_lesson("06-early-stopping")).settings["early_stopping"] == 3


@pytest.mark.parametrize("lesson", ALL, ids=[l.name for l in ALL])
def test_lesson_texts_in_both_languages(lesson):
    for lang, is_chinese in (("en", False), ("zh_CN", True)):
        title, text = lesson.title_in(lang), lesson.text_in(lang)
        assert title and len(text) > 80
        assert bool(CJK.search(title + text)) is is_chinese
        for i in range(len(lesson.runs)):
            if len(lesson.runs) > 1:
                assert bool(CJK.search(lesson.run_label(i, lang))) is is_chinese or lang == "zh_CN"
    assert lessons.lesson_setup(lesson, 0, "zh_CN").label == lesson.run_label(0, "zh_CN")


def test_a_damaged_lesson_file_says_so(tmp_path):
    bad = tmp_path / "99-bad.json"
    bad.write_text('{"format": "desktop_dl.lesson", "title": {}}', encoding="utf-8")
    with pytest.raises(lessons.LessonError, match="99-bad.json"):
        lessons._load(bad)
