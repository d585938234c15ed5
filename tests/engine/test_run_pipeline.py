"""engine.run_pipeline.prepare_run: the checks before any training, and the split it makes.

prepare_run imports no TensorFlow, so these run in milliseconds; the ones that train are slow.
"""
import json
import logging
import subprocess
import sys

import numpy as np
import pytest

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.dataset import ImageDataset
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.run_checks import RunCheckError
from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec
from desktop_dl.engine.run_pipeline import execute, explain_fit_error, prepare_run, set_split
from desktop_dl.engine.trainer import TrainingError, TrainSettings


def images(n_classes: int, per_class: int = 20, class_names=None, labels=None) -> ImageDataset:
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(n_classes), per_class) if labels is None else np.asarray(labels)
    x = rng.integers(0, 256, (len(y), 28, 28), dtype=np.uint8)
    names = class_names or [str(c) for c in range(n_classes)]
    return ImageDataset("gen", "generated digits", x, y, names)


def head(units: int, activation: str = "softmax", **compile_args) -> ModelSpec:
    return ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                   LayerSpec("Dense", {"units": units, "activation": activation})],
                     CompileSpec(**compile_args), name="tiny")


def test_eleven_classes_for_ten_outputs_are_refused_naming_both_numbers():
    with pytest.raises(RunCheckError) as info:
        prepare_run(head(10), images(11), TrainSettings(epochs=1))
    message = str(info.value)
    assert "11 classes" in message and "Dense(10, softmax)" in message and "Dense(11, softmax)" in message
    assert "\n" not in message and info.value.where == "output" and info.value.layer == 1


def test_a_label_beyond_the_output_is_refused():
    # ten class names, but one label is 10 (as when digit 0 is stored as 10)
    data = images(10, labels=[*range(10)] * 3 + [10], class_names=[str(c) for c in range(10)])
    with pytest.raises(RunCheckError) as info:
        prepare_run(head(10), data)
    assert "up to 10" in str(info.value) and "10 outputs" in str(info.value)
    assert "subtract 1" in str(info.value)


def test_a_class_without_samples_is_refused_naming_it():
    data = images(3, labels=[1, 2] * 20, class_names=["__MACOSX", "cat", "dog"])
    with pytest.raises(RunCheckError) as info:
        prepare_run(head(3), data)
    assert "'__MACOSX'" in str(info.value) and "no samples" in str(info.value)


def test_regression_targets_with_a_softmax_output_are_refused():
    spec = ModelSpec((10,), [LayerSpec("Dense", {"units": 1, "activation": "softmax"})])
    with pytest.raises(RunCheckError) as info:
        prepare_run(spec, load_dataset("diabetes"))
    assert "numbers to predict" in str(info.value) and "linear" in str(info.value)


def test_a_loss_that_does_not_fit_the_output_is_refused():
    with pytest.raises(RunCheckError) as info:
        prepare_run(head(10, loss="binary_crossentropy"), images(10))
    assert "binary_crossentropy needs sigmoid" in str(info.value) and info.value.where == "loss"


def test_an_input_shape_that_does_not_fit_is_refused():
    spec = ModelSpec((8,), [LayerSpec("Dense", {"units": 10, "activation": "softmax"})])
    with pytest.raises(RunCheckError) as info:
        prepare_run(spec, images(10))
    assert "(8,)" in str(info.value) and "(28, 28, 1)" in str(info.value)


def test_an_empty_split_is_refused_and_a_zero_fraction_is_not():
    data = images(2, per_class=2)          # 10% of 2 per class rounds to none; too few to give one
    with pytest.raises(RunCheckError) as info:
        prepare_run(head(2), data)
    assert "validation split is empty" in str(info.value) and "10%" in str(info.value)
    set_split(data, validation=0.5, test=0.0)
    plan = prepare_run(head(2), data)
    assert plan.sizes() == {"train": 2, "validation": 2, "test": 0}


def test_a_small_class_still_gives_one_sample_to_each_split_asked_for():
    data = images(2, per_class=5)          # 10% of 5 rounds to none: one each, three to train
    plan = prepare_run(head(2), data)
    assert plan.sizes() == {"train": 6, "validation": 2, "test": 2}
    for y in (plan.splits.y_train, plan.splits.y_val, plan.splits.y_test):
        assert set(np.unique(y)) == {0, 1}


def test_the_split_is_the_dataset_s_own():
    mnist = load_dataset("mnist-5k")
    set_split(mnist, test=0.3)
    try:
        plan = prepare_run(head(10), mnist, TrainSettings(epochs=1))
        assert plan.sizes()["test"] == 1500 and plan.split_options["test"] == 0.3
        assert plan.dataset_info["split"] == {"validation": 0.1, "test": 0.3, "seed": 0}
        # stratified: every class in every split
        for y in (plan.splits.y_train, plan.splits.y_val, plan.splits.y_test):
            assert set(np.unique(y)) == set(range(10))
    finally:
        set_split(mnist, test=0.1)
    with pytest.raises(DatasetError):
        set_split(mnist, validation=0.5, test=0.5)


def test_optimizer_overrides_go_into_the_spec_that_runs():
    spec = head(10, optimizer="rmsprop", learning_rate=0.01)
    plan = prepare_run(spec, images(10), TrainSettings(optimizer="SGD", learning_rate=0.2))
    assert (plan.spec.compile.optimizer, plan.spec.compile.learning_rate) == ("sgd", 0.2)
    assert plan.settings.optimizer is None and plan.settings.learning_rate is None
    assert spec.compile.optimizer == "rmsprop"          # the caller's spec is not changed
    plan = prepare_run(spec, images(10), TrainSettings())
    assert (plan.spec.compile.optimizer, plan.spec.compile.learning_rate) == ("rmsprop", 0.01)


def test_two_classes_with_a_softmax_pair_train_as_multiclass():
    assert prepare_run(head(2), images(2)).task == "multiclass"
    assert prepare_run(head(1, "sigmoid"), images(2)).task == "binary"


def test_settings_no_run_can_use_are_refused():
    with pytest.raises(TrainingError, match="Unknown backend 'theano'"):
        prepare_run(head(10), images(10), TrainSettings(backend="theano"))
    with pytest.raises(TrainingError, match="not available yet"):
        prepare_run(head(10), images(10), TrainSettings(initial_weights="w.keras"))
    with pytest.raises(TrainingError, match="adamax"):
        prepare_run(head(10), images(10), TrainSettings(optimizer="adamax"))


def test_prepare_run_imports_no_tensorflow():
    code = ("import sys\n"
            "from desktop_dl.core.datasets import load_dataset\n"
            "from desktop_dl.core.templates import load_template\n"
            "from desktop_dl.engine.run_pipeline import prepare_run\n"
            "plan = prepare_run(load_template('mnist-cnn'), load_dataset('mnist-5k'))\n"
            "assert plan.sizes()['test'] == 500, plan.sizes()\n"
            "heavy = [m for m in ('tensorflow', 'keras', 'PySide6') if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_keras_errors_are_worded_for_the_user():
    settings = TrainSettings(batch_size=64)
    shapes = explain_fit_error(ValueError("Incompatible shapes: [64,10] vs. [64,5]\n  at line..."),
                               settings)
    assert "do not fit together" in shapes and "at line" not in shapes
    oom = explain_fit_error(RuntimeError("OOM when allocating tensor"), settings)
    assert "ran out of memory" in oom and "32" in oom
    other = explain_fit_error(RuntimeError("something odd"), settings)
    assert "RuntimeError: something odd" in other and "log" in other


@pytest.mark.slow
def test_a_keras_error_during_fit_is_a_failed_run_with_the_traceback_in_the_log(tmp_path, caplog):
    plan = prepare_run(head(3), images(3), TrainSettings(epochs=1, batch_size=8), folder=tmp_path)
    # Past the checks, break the arrays: Keras itself now raises inside fit.
    plan.splits.x_train = plan.splits.x_train[:, :20, :20]
    with caplog.at_level(logging.ERROR, logger="desktop_dl.engine.run_pipeline"):
        outcome = execute(plan)
    assert outcome.result.status == "failed"
    assert "Traceback" not in outcome.result.message and len(outcome.result.message) < 600
    assert any(r.exc_info for r in caplog.records)          # the traceback: the log only
    history = json.loads((tmp_path / "history.json").read_text())
    assert history["status"] == "failed"


@pytest.mark.slow
def test_execute_trains_and_records_what_ran(tmp_path):
    data = images(3, per_class=30)
    set_split(data, validation=0.2, test=0.2)
    plan = prepare_run(head(3, optimizer="sgd", learning_rate=0.05), data,
                       TrainSettings(epochs=2, batch_size=16, optimizer="adam"), folder=tmp_path)
    events = []

    class Listener:
        def on_epoch_end(self, epoch, logs):
            events.append(("epoch", epoch))

        def on_status(self, status):
            events.append(("status", status))

    outcome = execute(plan, Listener())
    assert outcome.result.status == "completed", outcome.result.message
    assert events == [("epoch", 0), ("epoch", 1), ("status", "export")]
    history = json.loads((tmp_path / "history.json").read_text())
    assert history["spec"]["compile"]["optimizer"] == "adam"
    assert history["dataset"]["sizes"] == {"train": 54, "validation": 18, "test": 18}
    assert history["dataset"]["split"] == {"validation": 0.2, "test": 0.2, "seed": 0}
    assert sum(map(sum, history["evaluation"]["confusion_matrix"])) == 18
