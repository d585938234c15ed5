"""Whatever Keras unpacks while loading goes into a private folder that is removed, also on failure."""
import tempfile

import pytest

import hostile_files as hf
from desktop_dl.core.errors import ModelFileError


@pytest.mark.slow
def test_a_failed_load_leaves_nothing_in_the_temp_folder(tmp_path, monkeypatch):
    from desktop_dl.engine import keras_io

    outer = tmp_path / "tmp"
    outer.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(outer))
    # Passes the pre-check, has assets (so Keras unpacks the whole archive), and weights that do
    # not match the layers, so Keras fails after unpacking.
    path = hf.write_keras(tmp_path / "broken.keras", hf.keras_config(hf.small_dense()),
                          weights=hf._weights_h5({"layers/dense/vars/0": (3, 3)}),
                          extra={"assets/vocabulary.txt": b"a\nb\n"})
    with pytest.raises(ModelFileError, match="broken.keras"):
        keras_io.load_keras(path)
    assert list(outer.iterdir()) == []
    assert tempfile.tempdir == str(outer)          # the setting is restored


@pytest.mark.slow
def test_keras_unpacks_into_the_private_folder_only_during_a_load(tmp_path):
    from keras.src.saving import saving_lib

    from desktop_dl.engine import keras_io

    original = saving_lib.get_temp_dir
    with keras_io._keras_scratch_folder() as scratch:
        made = saving_lib.get_temp_dir()
        assert made.startswith(scratch) and tempfile.gettempdir() != scratch
    assert saving_lib.get_temp_dir is original
    import os
    assert not os.path.exists(made)
