"""Hostile .keras files are refused by the pre-check, before Keras is imported or builds anything."""
import json
import sys
import zipfile

import pytest

from desktop_dl.core import limits
from desktop_dl.core.errors import ModelFileError
from desktop_dl.engine.keras_file_check import (check_keras_archive, declared_weight_count,
                                                resolved_class)
import hostile_files as hf

EXPECTED = {
    "config_bomb": "config.json",
    "dense_20000": "number of weights",
    "module_not_text": "module of 'Dense' is list, not text",
    "class_not_text": "class name in its config is dict",
    "deep_nesting": "nesting",
    "dotted_lambda": "Lambda layer",
    "keras_evil_module": "from keras_evil.os, which is not part of Keras",
    "tfsm_layer": "TFSMLayer layer",
    "lookup_vocabulary_file": "vocabulary from the file '/etc/passwd'",
    "h5_declared_huge": "declares 1.5 GB but stores 0 bytes",
    "zip_slip": "outside the model's own folder",
    "asset_bomb": "zip bomb",
    "not_a_zip": "not a Keras .keras file",
}


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    return hf.keras_cases(tmp_path_factory.mktemp("keras"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_keras_file_is_refused_with_its_reason(cases, name):
    with pytest.raises(ModelFileError, match=None) as info:
        check_keras_archive(cases[name])
    assert EXPECTED[name] in str(info.value)
    assert cases[name].name in str(info.value)


def test_the_pre_check_does_not_import_keras(tmp_path):
    import subprocess
    path = hf.write_keras(tmp_path / "ok.keras", hf.keras_config(hf.small_dense()))
    code = ("import sys; from desktop_dl.engine.keras_file_check import check_keras_archive; "
            f"check_keras_archive({str(path)!r}); print('keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_a_plain_model_passes(tmp_path):
    path = hf.write_keras(tmp_path / "ok.keras", hf.keras_config(hf.small_dense()))
    assert check_keras_archive(path)["class_name"] == "Sequential"


def test_weights_are_multiplied_out_from_the_config():
    config = hf.keras_config(
        hf._layer("Dense", {"units": 10}, build=[None, 784]),
        hf._layer("Conv2D", {"filters": 32, "kernel_size": [3, 3]}, build=[None, 28, 28, 1]),
        hf._layer("LSTM", {"units": 8}, build=[None, 20, 4]),
        hf._layer("Embedding", {"input_dim": 1000, "output_dim": 16}))
    assert declared_weight_count(config) == 785 * 10 + (9 * 32 + 32) + 4 * 8 * (4 + 8 + 2) + 16000


def test_a_layer_without_build_config_counts_the_largest_declared_input():
    """Input (200, 100) -> Flatten -> Dense(20000) with no build_config: Keras would size the
    kernel from the flattened input (20000 x 20000), so the estimate must too."""
    config = hf.keras_config(hf._layer("Flatten", {}), hf._layer("Dense", {"units": 20000}))
    config["config"]["layers"][0]["config"]["batch_shape"] = [None, 200, 100]
    assert declared_weight_count(config) == 20001 * 20000


def test_the_class_is_checked_as_keras_resolves_it():
    assert resolved_class({"class_name": "layers.Lambda"}) == "Lambda"
    assert resolved_class({"class_name": "Custom>Lambda"}) == "Lambda"


def test_memory_limit_applies_to_declared_weights(tmp_path, monkeypatch):
    path = hf.write_keras(tmp_path / "big.keras", hf.keras_config(
        hf._layer("Dense", {"units": 4000}, build=[None, 4000])))
    monkeypatch.setattr(limits, "available_memory", lambda: 64 * 1024 ** 2)
    with pytest.raises(ModelFileError, match="big.keras .its 16,004,000 weights. needs"):
        check_keras_archive(path)


def test_config_that_is_not_an_object_or_json(tmp_path):
    path = hf.write_keras(tmp_path / "list.keras", "[1, 2]")
    with pytest.raises(ModelFileError, match="not an object"):
        check_keras_archive(path)
    path = hf.write_keras(tmp_path / "text.keras", "not json")
    with pytest.raises(ModelFileError, match="not valid JSON"):
        check_keras_archive(path)
    with zipfile.ZipFile(path) as zf:
        assert json.loads(zf.read("metadata.json"))
