"""Spec → Keras: building, compiling with the loss rules, optimizers, and the exported script."""
import numpy as np
import pytest

from desktop_dl.core.codegen import generate_script
from desktop_dl.core.errors import SpecError
from desktop_dl.core.shapes import analyse
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.core.templates import load_template, template_names
from desktop_dl.engine.keras_build import build_model, compile_model, keras_kwargs, make_optimizer


def test_build_uses_input_dtype_names_and_tuples():
    model = build_model(load_template("lstm-classifier"))
    assert model.inputs[0].dtype == "int32"
    assert [l.name for l in model.layers[1:]] == ["embedding", "lstm", "lstm_1", "dense"]
    assert model.name == "lstm-classifier"
    assert keras_kwargs("Conv2D", {"kernel_size": [3, 5]})["kernel_size"] == (3, 5)


def test_a_broken_spec_raises_a_user_error():
    with pytest.raises(SpecError, match=r"layer 2 \(Conv2D\): Conv2D needs an image"):
        build_model(ModelSpec((28, 28, 1), [LayerSpec("Flatten"), LayerSpec("Conv2D")]))
    with pytest.raises(SpecError, match="no layers"):
        build_model(ModelSpec((3,), []))
    one_unit_softmax = ModelSpec((3,), [LayerSpec("Dense", {"units": 1, "activation": "softmax"})])
    with pytest.raises(SpecError, match="softmax over one unit"):
        build_model(one_unit_softmax)
    assert build_model(one_unit_softmax, strict=False).count_params() == 4


@pytest.mark.parametrize("name", ["sgd", "rmsprop", "adam", "adamw", "adagrad"])
def test_make_optimizer(name):
    opt = make_optimizer(name, 0.01, momentum=0.9 if name in ("sgd", "rmsprop") else 0.0,
                         nesterov=name == "sgd")
    assert type(opt).__name__.lower() == name
    assert float(opt.learning_rate) == pytest.approx(0.01)
    if name == "sgd":
        assert opt.momentum == 0.9 and opt.nesterov


def test_optimizer_schedules_and_errors():
    import keras
    opt = make_optimizer("adam", 0.1, schedule={"type": "exponential_decay", "decay_steps": 10,
                                                "decay_rate": 0.5})
    assert isinstance(opt._learning_rate, keras.optimizers.schedules.ExponentialDecay)
    opt = make_optimizer("sgd", 0.1, schedule={"type": "cosine_decay", "decay_steps": 10})
    assert isinstance(opt._learning_rate, keras.optimizers.schedules.CosineDecay)
    with pytest.raises(SpecError, match="Unknown optimizer 'lbfgs'"):
        make_optimizer("lbfgs", 0.1)
    with pytest.raises(SpecError, match="positive"):
        make_optimizer("adam", 0)
    with pytest.raises(SpecError, match="schedule"):
        make_optimizer("adam", 0.1, schedule={"type": "warp"})


def test_compile_follows_the_rules_and_trains_a_step():
    spec = load_template("tabular-binary")
    model = build_model(spec)
    choice = compile_model(model, spec)
    assert choice.loss == "binary_crossentropy" and choice.task == "binary"
    x = np.random.default_rng(0).normal(size=(16, 30)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    history = model.fit(x, y, epochs=1, batch_size=8, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    spec = load_template("mnist-dense")
    model = build_model(spec)
    choice = compile_model(model, spec, task="multiclass", one_hot=True,
                           optimizer={"name": "sgd", "learning_rate": 0.1})
    assert choice.loss == "categorical_crossentropy"
    assert type(model.optimizer).__name__ == "SGD"


@pytest.mark.slow
def test_generated_scripts_build_the_same_models():
    """exec() each template's exported script and compare its model with the analysis."""
    for name in template_names():
        spec = load_template(name)
        namespace = {"__name__": "desktop_dl_generated"}
        exec(compile(generate_script(spec, "mnist-5k"), f"{name}.py", "exec"), namespace)
        model = namespace["build_model"]()
        analysis = analyse(spec)
        assert model.count_params() == analysis.total, name
        assert [tuple(l.output.shape) for l in model.layers] == \
            [r.output_shape for r in analysis.layers], name


@pytest.mark.slow
def test_generated_script_runs_end_to_end(tmp_path):
    import subprocess
    import sys
    spec = ModelSpec((3,), [LayerSpec("Dense", {"units": 1, "activation": "linear"})],
                     name="linear")
    spec.compile.loss = "mse"
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    np.savez(tmp_path / "data.npz", x=x, y=x @ np.array([1.0, -2.0, 0.5], dtype="float32"))
    script = tmp_path / "linear.py"
    script.write_text(generate_script(spec), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "data.npz"),
                           "--epochs", "2"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Epoch 2/2" in proc.stdout and "Total params: 4" in proc.stdout
    assert (tmp_path / "linear.keras").is_file()
