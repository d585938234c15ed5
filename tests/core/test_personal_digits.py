"""The personal digits file: append, read back, listed as my-digits, damage reported."""
import json

import numpy as np
import pytest

from desktop_dl.core.datasets import registry
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.personal_digits import (
    append_personal_digit, load_personal_digit_arrays, personal_digits_path, strokes_to_json)


def test_appending_builds_an_mnist_like_file(data_dir):
    assert "my-digits" not in registry.builtin_names()
    assert len(load_personal_digit_arrays()) == 0
    image = np.zeros((28, 28), np.float32)
    image[4:24, 13:15] = 1.0
    image[4, 12] = 0.5
    drawing = strokes_to_json([{"width": 18, "eraser": False,
                                "points": [(140.123, 40, 0.5), (140, 240)]}], size=(280, 280))
    assert append_personal_digit(image, 1, drawing) == 1
    assert append_personal_digit(np.zeros((28, 28)), 7) == 2

    path = personal_digits_path()
    assert path == data_dir / "personal_digits.npz"
    with np.load(path, allow_pickle=False) as raw:
        assert raw["x"].dtype == np.uint8 and raw["x"].shape == (2, 28, 28)
        assert raw["y"].tolist() == [1, 7]
        assert raw["x"][0, 4, 13] == 255 and raw["x"][0, 4, 12] == 128
        assert len(raw["strokes"]) == 2

    saved = load_personal_digit_arrays()
    assert saved.drawing(0) == {"size": [280, 280], "strokes": [
        {"width": 18.0, "eraser": False, "points": [[140.12, 40.0, 0.5], [140.0, 240.0, 1.0]]}]}
    assert saved.drawing(1)["strokes"] == []

    # the dataset browser sees it as my-digits, ready for training
    assert "my-digits" in registry.builtin_names()
    dataset = registry.load_dataset("my-digits")
    assert len(dataset) == 2 and dataset.label(1) == 7


def test_bad_labels_and_damaged_files_are_reported(data_dir):
    with pytest.raises(DatasetError, match="0 to 9"):
        append_personal_digit(np.zeros((28, 28)), 12)
    personal_digits_path().write_bytes(b"not a zip")
    with pytest.raises(DatasetError, match="cannot be read"):
        load_personal_digit_arrays()
    with pytest.raises(DatasetError, match="Move it aside"):
        append_personal_digit(np.zeros((28, 28)), 3)


def test_strokes_json_is_compact_and_round_trips():
    text = strokes_to_json([{"width": 3.333, "eraser": True, "points": [[1.005, 2, 0.12345]]}])
    assert " " not in text
    assert json.loads(text)["strokes"][0] == {"width": 3.33, "eraser": True,
                                              "points": [[1.0, 2.0, 0.123]]}
