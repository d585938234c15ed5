"""The `desktop-dl` command: help, version, sub-command help, and one-line errors without tracebacks."""
import json
import subprocess
import sys

import pytest

from desktop_dl import __version__
from desktop_dl.cli import build_parser, main

SUBCOMMANDS = ["templates", "datasets", "summary", "train", "export", "predict"]


def run_cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "desktop_dl", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_version_through_python_m():
    out = run_cli("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"desktop-dl {__version__}"


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage: desktop-dl " + command in capsys.readouterr().out


def test_top_level_help_lists_subcommands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for command in SUBCOMMANDS:
        assert command in text


def test_model_source_is_required_and_exclusive(capsys):
    parser = build_parser()
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(["summary"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        parser.parse_args(["summary", "--template", "a", "--spec", "b.json"])
    assert "not allowed with" in capsys.readouterr().err


def test_epochs_must_be_positive(capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["train", "--template", "mnist-cnn", "--dataset", "mnist-5k",
                                   "--epochs", "0"])
    assert exc.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("args, words", [
    (["summary", "--template", "no-such-template"], "no-such-template"),
    (["summary", "--spec", "/nonexistent/model.json"], "model.json"),
    (["train", "--template", "mnist-dense", "--dataset", "/nonexistent/data.npz", "--epochs", "1"],
     "data.npz"),
    (["train", "--template", "no-such-template", "--dataset", "mnist-5k"], "no-such-template"),
    (["predict", "/nonexistent/model.onnx", "/nonexistent/digit.png"], "model.onnx"),
])
def test_user_errors_are_one_clear_line_and_a_nonzero_exit(args, words):
    out = run_cli(*args)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    error_lines = [l for l in out.stderr.splitlines() if "error:" in l]
    assert len(error_lines) == 1, out.stderr
    assert words in error_lines[0]


def test_unreadable_spec_is_a_clear_error(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{ this is not json")
    out = run_cli("summary", "--spec", str(bad))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "broken.json" in out.stderr and "not valid JSON" in out.stderr


def test_listing_commands_print_json():
    for command in ("templates", "datasets"):
        out = run_cli(command, "--json")
        assert out.returncode == 0, out.stderr
        assert isinstance(json.loads(out.stdout), list)


def test_a_reader_that_goes_away_is_not_an_internal_error():
    """`desktop-dl templates | head -1`: the closed pipe ends the command quietly (no traceback,
    no "internal error"), with the shell's status for SIGPIPE."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "desktop_dl", "templates"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()          # hang up before it writes: its first print meets a closed pipe
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 141), err
    assert "internal error" not in err and "Traceback" not in err
