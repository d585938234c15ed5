"""`desktop-dl summary` and `desktop-dl templates`: no TensorFlow, clear errors, exit codes."""
import json
import subprocess
import sys

from desktop_dl import cli
from desktop_dl.core.templates import template_names


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "desktop_dl", *args], capture_output=True,
                          text=True, timeout=60)


def test_summary_of_every_template_never_imports_tensorflow():
    code = (
        "import contextlib, io, json, sys\n"
        "from desktop_dl import cli\n"
        "from desktop_dl.core.templates import template_names\n"
        "out = {}\n"
        "for name in template_names():\n"
        "    buf = io.StringIO()\n"
        "    with contextlib.redirect_stdout(buf):\n"
        "        rc = cli.main(['summary', '--template', name, '--json'])\n"
        "    out[name] = [rc, json.loads(buf.getvalue())]\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('tensorflow', 'keras', 'PySide6', 'onnxruntime'))\n"
        "print(json.dumps({'heavy': heavy, 'out': out}))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    result = json.loads(proc.stdout)
    assert result["heavy"] == []
    assert set(result["out"]) == set(template_names())
    rc, dense = result["out"]["mnist-dense"]
    assert rc == 0 and dense["total"] == 407_050
    assert [l["output_shape"] for l in dense["layers"]] == [[None, 784], [None, 512], [None, 10]]
    assert [l["name"] for l in dense["layers"]] == ["flatten", "dense", "dense_1"]
    assert dense["loss"]["loss"] == "sparse_categorical_crossentropy"


def test_summary_table(capsys):
    assert cli.main(["summary", "--template", "mnist-cnn"]) == 0
    out = capsys.readouterr().out
    assert 'Model: "mnist-cnn"' in out
    assert "conv2d_1 (Conv2D)" in out and "(None, 11, 11, 64)" in out and "18,496" in out
    assert "Total params: 34,826" in out and "Non-trainable params: 0" in out


def test_summary_of_a_spec_file_with_problems(tmp_path, capsys):
    from desktop_dl.core.spec import LayerSpec, ModelSpec
    path = tmp_path / "broken.json"
    ModelSpec((784,), [LayerSpec("Conv2D", {})]).save(path)
    assert cli.main(["summary", "--spec", str(path)]) == 1
    out = capsys.readouterr().out
    assert "layer 1 (Conv2D): Conv2D needs an image" in out


def test_bad_template_and_bad_files_give_one_line_errors(tmp_path):
    proc = run_cli("summary", "--template", "nope")
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("desktop-dl summary: error: No template named 'nope'.")
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "desktop_dl.model_spec", "version": 99}')
    proc = run_cli("summary", "--spec", str(bad))
    assert proc.returncode == 2 and "newer desktop_dl" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_cli("summary", "--spec", str(tmp_path / "missing.json"))
    assert proc.returncode == 2 and "Cannot read" in proc.stderr


def test_malformed_spec_through_main(tmp_path, capsys):
    bad = tmp_path / "m.json"
    bad.write_text('{"format": "desktop_dl.model_spec", "version": 1, "input": {"shape": [0]}}')
    assert cli.main(["summary", "--spec", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("desktop-dl summary: error: m.json is malformed")


def test_templates_command(capsys):
    assert cli.main(["templates"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == template_names()
    assert cli.main(["templates", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    imdb = next(i for i in items if i["name"] == "imdb-binary")
    assert imdb["params"] == 160_305 and imdb["input_shape"] == [10000]
    assert all(i["title"] and i["description"] for i in items)
