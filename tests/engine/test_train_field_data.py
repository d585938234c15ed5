"""`desktop-dl train` on the field's data files: each trains (exit 0) with the handed spec."""
import json
from pathlib import Path

import pytest

from desktop_dl.cli import main

pytestmark = pytest.mark.slow
FIELD = Path(__file__).resolve().parent.parent / "data" / "field"


@pytest.mark.parametrize("model, dataset, extra", [
    ("03-trailing-delimiter/spec3.json", "03-trailing-delimiter/patients.csv",
     ["--target", "outcome"]),
    ("06-rgba-transparent-folder/spec_img2.json", "06-rgba-transparent-folder/shapes", []),
    ("09-macosx-phantom-class/spec_pets.json", "09-macosx-phantom-class/pets", []),
    ("mnist-cnn", "10-labels-1-to-10/digits_1to10.npz", []),
])
def test_field_data_trains(tmp_path, capsys, model, dataset, extra):
    source = ["--spec", str(FIELD / model)] if model.endswith(".json") else ["--template", model]
    code = main(["train", *source, "--dataset", str(FIELD / dataset),
                 "--epochs", "1", "--out", str(tmp_path / "run"), *extra])
    out = capsys.readouterr().out
    assert code == 0, out
    assert json.loads(out.strip().splitlines()[-1])["status"] == "completed"
    assert "data: " in out                         # the reader's notes are printed first
