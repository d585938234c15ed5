"""The exported script reads the run's own data offline, with the app's preprocessing and split."""
import ast

import numpy as np
import pytest

from desktop_dl.core.codegen import generate_script
from desktop_dl.core.codegen_data import split_function_source
from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.datasets.splits import split_indices
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.core.templates import load_template


def _script_namespace(source):
    """The script's data functions and constants, run without Keras."""
    tree = ast.parse(source)
    keep = [n for n in tree.body
            if isinstance(n, ast.FunctionDef)
            and n.name in ("load_data", "to_input", "split_indices", "split_share", "shard")
            or isinstance(n, ast.Assign) and n.targets[0].id in ("DATA_FILE", "SPLIT")]
    namespace = {"np": np}
    exec(compile(ast.Module(keep, []), "script", "exec"), namespace)
    return namespace


def test_the_scripts_split_is_the_apps_split():
    namespace = {"np": np}
    exec(split_function_source(), namespace)
    labels = np.random.default_rng(1).integers(0, 7, size=503)
    small = np.repeat(np.arange(2), 5)      # classes of 5: each split still gets one of each
    for args in ((503, 0.1, 0.1, 0, labels), (503, 0.2, 0.0, 5, labels), (77, 0.15, 0.1, 3, None),
                 (10, 0.1, 0.1, 0, small)):
        for mine, theirs in zip(namespace["split_indices"](*args), split_indices(*args)):
            np.testing.assert_array_equal(mine, theirs)


@pytest.mark.parametrize("seed,validation", [(0, 0.1), (4, 0.2)])
def test_mnist_script_trains_on_the_same_arrays_as_the_run(seed, validation):
    split = {"validation": validation, "test": 0.1, "seed": seed}
    source = generate_script(load_template("mnist-cnn"), "mnist-5k", split=split)
    namespace = _script_namespace(source)
    assert namespace["SPLIT"] == split
    ours = namespace["load_data"](namespace["DATA_FILE"])
    app = load_dataset("mnist-5k").splits(validation=validation, test=0.1, seed=seed)
    for (x, y), (x_app, y_app) in zip(ours, [(app.x_train, app.y_train), (app.x_val, app.y_val),
                                             (app.x_test, app.y_test)]):
        np.testing.assert_array_equal(x, x_app)
        np.testing.assert_array_equal(y, y_app)


def test_a_bundled_table_is_split_and_scaled_as_in_the_app():
    spec = ModelSpec((13,), [LayerSpec("Dense", {"units": 3, "activation": "softmax"})])
    namespace = _script_namespace(generate_script(spec, "wine"))
    (x, y), (x_val, y_val), _ = namespace["load_data"](namespace["DATA_FILE"])
    app = load_dataset("wine").splits(validation=0.1, test=0.1, seed=0)
    np.testing.assert_allclose(x, app.x_train, atol=1e-5)
    np.testing.assert_allclose(x_val, app.x_val, atol=1e-5)
    np.testing.assert_array_equal(y, app.y_train)


def test_an_imported_npz_is_read_by_its_path(tmp_path):
    rng = np.random.default_rng(0)
    path = tmp_path / "scans.npz"
    np.savez(path, x=rng.integers(0, 256, size=(60, 28, 28), dtype=np.uint8),
             y=np.repeat(np.arange(3), 20))
    source = generate_script(load_template("mnist-dense"), "scans", data_source=str(path))
    namespace = _script_namespace(source)
    assert namespace["DATA_FILE"] == str(path)
    (x, y), _, _ = namespace["load_data"](namespace["DATA_FILE"])
    app = load_dataset(path).splits(validation=0.1, test=0.1, seed=0)
    np.testing.assert_array_equal(x, app.x_train)


def test_header_says_where_the_data_comes_from_and_how_to_launch():
    source = generate_script(load_template("mnist-dense"), "mnist-5k")
    doc = ast.get_docstring(ast.parse(source))
    assert "Data: offline, the run's own images (mnist-5k)" in doc and "mnist_5k.npz" in doc
    assert "seed 0" in doc and "--epochs N" in doc and "--all-gpus" in doc
    for name in ("KERAS_DISTRIBUTION_JOB_ADDRESSES", "KERAS_DISTRIBUTION_NUM_PROCESSES",
                 "KERAS_DISTRIBUTION_PROCESS_ID", "DataParallel", "MirroredStrategy"):
        assert name in doc
    assert "keras.datasets" not in source


def test_each_process_gets_an_equal_shard():
    namespace = _script_namespace(generate_script(load_template("mnist-dense"), "mnist-5k"))
    x = np.arange(11)
    parts = [namespace["shard"](x, x, i, 3)[1] for i in range(3)]
    assert [len(p) for p in parts] == [3, 3, 3]
    assert sorted(np.concatenate(parts).tolist()) == list(range(9))


def test_strings_enter_the_script_through_repr(tmp_path):
    odd = tmp_path / 'it\'s """quoted""" \\ here.npz'
    source = generate_script(load_template("mnist-dense"), "x", data_source=str(odd))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")         # no invalid escape in the docstring either
        tree = ast.parse(source)
    assert ast.get_docstring(tree).startswith("mnist-dense")
    assert _script_namespace(source)["DATA_FILE"] == str(odd)
