"""`desktop-dl data`: the dataset as the app reads it, as text and as documented JSON."""
import json
import re
from pathlib import Path

import numpy as np

from desktop_dl.cli import build_parser, main
from desktop_dl.commands.data import reader_options

FIELD = Path(__file__).resolve().parent.parent / "data" / "field"
JSON_KEYS = {"name", "title", "source", "kind", "task", "samples", "input_shape", "classes",
             "reader", "columns", "split", "notes", "warnings"}


def test_table_as_json_with_reader_choices_and_notes(capsys):
    path = FIELD / "01-semicolon-decimal-comma" / "messwerte.csv"
    assert main(["data", str(path), "--target", "klasse", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(info) == JSON_KEYS
    assert (info["kind"], info["task"], info["samples"], info["input_shape"]) == \
        ("table", "binary", 120, [4])
    assert info["reader"] == {"delimiter": ";", "decimal": ",", "thousands": None,
                              "encoding": "utf-8", "header": True}
    assert [c["type"] for c in info["columns"]] == ["numeric"] * 4 + ["categorical"]
    assert sum(c["count"] for c in info["classes"]) == 120
    assert any("decimal comma" in n for n in info["notes"])


def test_plain_output_names_classes_and_every_note(capsys):
    assert main(["data", str(FIELD / "10-labels-1-to-10" / "digits_1to10.npz")]) == 0
    out = capsys.readouterr().out
    assert "image, multiclass" in out and "10 (63)" in out and "mapped to class numbers" in out


def test_reader_flags_change_the_reading(capsys, tmp_path):
    (tmp_path / "t.csv").write_text("1;2;a\n3;4;b\n5;6;a\n")
    assert main(["data", str(tmp_path / "t.csv"), "--header", "yes", "--json",
                 "--target", "a"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["samples"] == 2 and info["reader"]["header"] is True
    assert main(["data", str(tmp_path / "t.csv"), "--header", "no", "--delimiter", ";"]) == 0
    assert "samples      3" in capsys.readouterr().out


def test_samples_file_holds_model_ready_arrays(tmp_path, capsys):
    out = tmp_path / "ready.npz"
    assert main(["data", str(FIELD / "09-macosx-phantom-class" / "pets"), "--size", "16",
                 "--samples", str(out), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["samples_file"] == str(out) and info["classes"][1]["name"] == "dog"
    with np.load(out) as f:
        assert f["x"].shape == (10, 16, 16, 1) and f["x"].dtype == np.float32
        assert f["x"].max() <= 1.0 and f["class_names"].tolist() == ["cat", "dog"]
        assert sorted(f["y"].tolist()) == [0] * 5 + [1] * 5 and set(f["split"].tolist()) <= {0, 1, 2}


def test_unreadable_data_exits_2_with_a_message(capsys, tmp_path):
    (tmp_path / "x.csv").write_text("just one line of words\n")
    assert main(["data", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("desktop-dl data: error:") and "Traceback" not in err


def test_train_takes_the_same_reader_flags():
    args = build_parser().parse_args(
        ["train", "--template", "x", "--dataset", "t.csv", "--target", "y", "--delimiter", "tab",
         "--decimal", ",", "--encoding", "utf-16", "--header", "no", "--missing", "fill"])
    assert reader_options(args) == {"target": "y", "delimiter": "\t", "decimal": ",",
                                    "text_encoding": "utf-16", "header": "no", "missing": "fill"}


def test_help_documents_every_json_key(capsys):
    import pytest
    with pytest.raises(SystemExit):
        main(["data", "--help"])
    epilog = capsys.readouterr().out.split("`--json` prints")[1]
    assert all(re.search(rf"\b{key}\b", epilog) for key in JSON_KEYS | {"samples_file"})
