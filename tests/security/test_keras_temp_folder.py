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
