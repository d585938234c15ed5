"""The classic output-layer / loss rules."""
import pytest

from desktop_dl.core.errors import SpecError
from desktop_dl.core.loss_choice import resolve_loss
from desktop_dl.core.losses import RULES, choice_for_task
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.core.templates import load_template


def last(units, activation):
    return LayerSpec("Dense", {"units": units, "activation": activation})


@pytest.mark.parametrize("layer,task,loss,metrics", [
    (last(1, "sigmoid"), "binary", "binary_crossentropy", ["accuracy"]),
    (last(10, "softmax"), "multiclass", "sparse_categorical_crossentropy", ["accuracy"]),
    (last(5, "sigmoid"), "multilabel", "binary_crossentropy", ["binary_accuracy"]),
    (last(1, "linear"), "regression", "mse", ["mae"]),
    (last(3, "relu"), "regression", "mse", ["mae"]),
])
def test_task_is_inferred_from_the_last_layer(layer, task, loss, metrics):
    choice = resolve_loss(layer)
    assert (choice.task, choice.loss, choice.metrics) == (task, loss, metrics)
    assert choice.rule == RULES[task]


def test_explicit_tasks():
    assert resolve_loss(last(10, "softmax"), "multiclass", one_hot=True).loss == \
        "categorical_crossentropy"
    binary = choice_for_task("binary")
    assert (binary.output_units, binary.output_activation) == (1, "sigmoid")
    assert choice_for_task("regression").output_activation == "linear"
    with pytest.raises(SpecError, match="Unknown task 'ranking'"):
        choice_for_task("ranking")


def test_spec_settings_win_over_auto():
    spec = load_template("tabular-regression")
    assert resolve_loss(spec).loss == "mse" and resolve_loss(spec).metrics == ["mae"]
    spec = load_template("mnist-cnn")
    assert resolve_loss(spec).loss == "sparse_categorical_crossentropy"
    spec.compile.metrics = ["auto", "top_k_categorical_accuracy"]
    assert resolve_loss(spec).metrics == ["accuracy", "top_k_categorical_accuracy"]
    spec.compile.loss = "categorical_crossentropy"
    assert resolve_loss(spec).loss == "categorical_crossentropy"


def test_recurrent_output_and_dropout_are_seen_through():
    spec = ModelSpec((10, 2), [LayerSpec("LSTM", {"units": 1})])
    assert resolve_loss(spec).task == "regression"
    spec = ModelSpec((4,), [last(1, "sigmoid"), LayerSpec("Dropout", {"rate": 0.1})])
    assert resolve_loss(spec).task == "binary"


def test_output_must_fit_the_dataset_task():
    from desktop_dl.core.loss_choice import check_output_for_task
    cnn = load_template("mnist-cnn")
    assert check_output_for_task(cnn, "multiclass", 10) is None
    message = check_output_for_task(cnn, "multiclass", 3)
    assert message.startswith("The dataset has 3 classes, but the model ends with "
                              "Dense(10, softmax) — end with Dense(3, softmax).")
    assert "binary" in check_output_for_task(cnn, "binary") and "Dense(1, sigmoid)" in \
        check_output_for_task(cnn, "binary")
    assert check_output_for_task(load_template("imdb-binary"), "binary") is None
    assert check_output_for_task(load_template("tabular-regression"), "regression") is None
    assert "linear" in check_output_for_task(load_template("imdb-binary"), "regression")
    assert check_output_for_task(load_template("imdb-binary"), "multilabel", 1) is None
    with pytest.raises(SpecError):
        check_output_for_task(cnn, "ranking")
