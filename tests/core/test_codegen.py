"""Python export: readable scripts that compile (the Keras run is in tests/engine)."""
import ast

import pytest

from desktop_dl.core.codegen import generate_script, layer_code
from desktop_dl.core.errors import SpecError
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.core.templates import load_template, template_names


@pytest.mark.parametrize("name", template_names())
@pytest.mark.parametrize("dataset", [None, "mnist-5k", "diabetes", "imdb"])
def test_every_template_gives_valid_python(name, dataset):
    source = generate_script(load_template(name), dataset)
    tree = ast.parse(source)
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert {"build_model", "load_data", "main"} <= functions
    assert "keras.Sequential([" in source and "model.compile(" in source and "model.fit(" in source


def test_layers_show_only_what_differs_from_keras_defaults():
    assert layer_code(LayerSpec("Dense", {"units": 10, "activation": "softmax"})) == \
        'layers.Dense(10, activation="softmax")'
    assert layer_code(LayerSpec("Dense", {"units": 1, "activation": "linear"})) == \
        "layers.Dense(1)"
    assert layer_code(LayerSpec("Conv2D", {"filters": 32, "kernel_size": [3, 5],
                                           "padding": "same"})) == \
        'layers.Conv2D(32, (3, 5), padding="same", activation="relu")'
    assert layer_code(LayerSpec("LSTM", {"units": 32, "return_sequences": True})) == \
        "layers.LSTM(32, return_sequences=True)"
    assert layer_code(LayerSpec("Reshape", {"target_shape": [784]})) == "layers.Reshape((784,))"
    assert layer_code(LayerSpec("Rescaling", {})) == "layers.Rescaling(1 / 255)"


def test_script_content_for_mnist_and_tables():
    source = generate_script(load_template("mnist-cnn"), "mnist-5k")
    assert 'keras.Input(shape=(28, 28, 1))' in source
    assert 'loss="sparse_categorical_crossentropy"' in source
    assert "keras.datasets" not in source and "np.load(path, allow_pickle=False)" in source
    assert "DATA_FILE = " in source and "mnist_5k.npz'" in source
    assert "keras.optimizers.Adam(learning_rate=0.003)" in source
    source = generate_script(load_template("tabular-regression"), "diabetes")
    assert "target = 'progression'" in source and 'loss="mse"' in source
    assert 'metrics=["mae"]' in source
    source = generate_script(load_template("lstm-classifier"), "imdb")
    assert 'keras.Input(shape=(200,), dtype="int32")' in source
    assert "pad_sequences(x, maxlen=200)" in source


def test_a_broken_model_is_not_exported():
    with pytest.raises(SpecError, match="layer 1 \\(Conv2D\\): Conv2D needs an image"):
        generate_script(ModelSpec((10,), [LayerSpec("Conv2D", {})]))
    with pytest.raises(SpecError, match="no layers"):
        generate_script(ModelSpec((10,), []))


def _load_data_function(source):
    """The script's load_data (with its helpers, DATA_FILE and SPLIT) alone, runnable without Keras."""
    import numpy as np
    tree = ast.parse(source)
    keep = [n for n in tree.body
            if isinstance(n, ast.FunctionDef)
            and n.name in ("load_data", "to_input", "split_indices", "split_share")
            or isinstance(n, ast.Assign) and n.targets[0].id in ("DATA_FILE", "SPLIT")]
    namespace = {"np": np}
    exec(compile(ast.Module(keep, []), "load_data", "exec"), namespace)
    return namespace["load_data"]


@pytest.mark.parametrize("table,features,task", [("breast-cancer", 30, "binary"),
                                                 ("wine", 13, "multiclass"),
                                                 ("diabetes", 10, "regression")])
def test_table_loaders_read_the_bundled_csv(table, features, task):
    from desktop_dl.paths import resource
    units, activation = {"binary": (1, "sigmoid"), "multiclass": (3, "softmax"),
                         "regression": (1, "linear")}[task]
    spec = ModelSpec((features,), [LayerSpec("Dense", {"units": units, "activation": activation})])
    source = generate_script(spec, table)
    file = source.split("DATA_FILE = ")[1].splitlines()[0]
    assert file.endswith(".csv'") and str(resource("datasets")) in file
    (x, y), (x_val, y_val), (x_test, y_test) = _load_data_function(source)(ast.literal_eval(file))
    assert x.shape[1:] == (features,) and len(x) == len(y) > 100
    assert abs(float(x.mean())) < 1e-3, "features are standardised with the training split's statistics"
    assert len(y) + len(y_val) + len(y_test) > 140
    if task == "regression":
        assert y.dtype.kind == "f"
    else:
        assert sorted(set(y.tolist())) == list(range(units if units > 1 else 2))


def test_mnist_loader_reads_the_bundled_npz():
    from desktop_dl.paths import resource
    source = generate_script(load_template("mnist-dense"), "mnist-5k")
    (x, y), (x_val, y_val), (x_test, y_test) = _load_data_function(source)(str(resource("mnist_5k.npz")))
    assert x.shape == (4000, 28, 28, 1) and x.dtype == "float32" and 0 <= x.min() < x.max() <= 1
    assert y.shape == (4000,) and len(y_val) == len(y_test) == 500
