"""`desktop-dl datasets` and the personal digits entry."""
import json

import numpy as np

from desktop_dl.cli import main
from desktop_dl.core.datasets import list_builtin, load_dataset
from desktop_dl.paths import user_data_dir


def test_datasets_command_lists_builtins_as_json(capsys):
    assert main(["datasets", "--json"]) == 0
    entries = {e["name"]: e for e in json.loads(capsys.readouterr().out)}
    assert {"mnist-5k", "breast-cancer", "wine", "iris", "diabetes"} <= set(entries)
    assert entries["mnist-5k"]["input_shape"] == [28, 28, 1]
    assert entries["diabetes"]["task"] == "regression"


def test_datasets_command_plain(capsys):
    assert main(["datasets"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("mnist-5k") and "(28, 28, 1)" in lines[0]


def test_my_digits_appears_when_the_file_exists():
    path = user_data_dir() / "personal_digits.npz"
    path.unlink(missing_ok=True)
    assert "my-digits" not in [i.name for i in list_builtin()]
    x = np.zeros((4, 28, 28), np.uint8)
    np.savez(path, x=x, y=np.array([1, 2, 1, 2], np.uint8),
             strokes=np.array(["[]"] * 4))
    try:
        assert "my-digits" in [i.name for i in list_builtin()]
        ds = load_dataset("my-digits")
        assert len(ds) == 4 and ds.class_names == [str(d) for d in range(10)]
        assert ds.class_counts().tolist()[:3] == [0, 2, 2]
    finally:
        path.unlink()
