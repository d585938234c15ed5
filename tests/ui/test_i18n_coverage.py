"""With DESKTOP_DL_LANG=zh_CN, everything made outside the widgets is Chinese too: every problem
and hint the editor shows for a set of broken specs, every note of the field files in
tests/data/field (copies of /work/shared/field), and the CLI's errors and output.

"Chinese" means what the window walk means (i18n_walk.foreign_words): no Latin word outside the
allow-list of names (Keras's and NumPy's names, products, units, credited people).
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_dl.core import i18n
from desktop_dl.core.spec import LayerSpec, ModelSpec

sys.path.insert(0, str(Path(__file__).parent))
from i18n_walk import CJK, foreign_words, visible_texts  # noqa: E402

FIELD = Path(__file__).parents[1] / "data" / "field"
ROOT = Path(__file__).parents[2]


def L(type_name, **params):
    return LayerSpec(type_name, params)


def _softmax_out(n=10):
    return L("Dense", units=n, activation="softmax")


# One spec per kind of problem or hint the editor reports (core.shapes.analyse).
BROKEN_SPECS = {
    "conv after flatten": ModelSpec((28, 28, 1), [L("Flatten"), L("Conv2D"), _softmax_out()]),
    "conv on a table": ModelSpec((30,), [L("Conv2D")]),
    "conv on a sequence": ModelSpec((20, 3), [L("Conv2D")]),
    "conv on a 4-D input": ModelSpec((4, 4, 4, 4), [L("Conv2D")]),
    "conv on a free length": ModelSpec((None,), [L("Conv2D")]),
    "kernel too large": ModelSpec((4, 4, 1), [L("Conv2D", kernel_size=5)]),
    "pooling to nothing": ModelSpec((1, 1, 1), [L("MaxPooling2D")]),
    "conv1d on a table": ModelSpec((30,), [L("Conv1D")]),
    "conv1d on an image": ModelSpec((8, 8, 1), [L("Conv1D")]),
    "conv1d kernel too long": ModelSpec((2, 3), [L("Conv1D", kernel_size=5)]),
    "pool1d to nothing": ModelSpec((1, 3), [L("MaxPooling1D", pool_size=4)]),
    "lstm on a table": ModelSpec((30,), [L("LSTM")]),
    "dense on any length": ModelSpec((None,), [L("Embedding"), L("LSTM", return_sequences=True),
                                             L("GlobalAveragePooling1D"), L("Dense")]),
    "flatten on any length": ModelSpec((None, 4), [L("Flatten")]),
    "reshape mismatch": ModelSpec((784,), [L("Reshape", target_shape=[27, 27, 1])]),
    "reshape two -1": ModelSpec((784,), [L("Reshape", target_shape=[-1, -1])]),
    "reshape not a multiple": ModelSpec((10,), [L("Reshape", target_shape=[-1, 3])]),
    "embedding not first": ModelSpec((10,), [L("Dense"), L("Embedding")]),
    "embedding on floats": ModelSpec((10,), [L("Embedding")]),
    "embedding on an image": ModelSpec((8, 8, 1), [L("Embedding")], input_dtype="int32"),
    "int input without embedding": ModelSpec((10,), [L("Dense")], input_dtype="int32"),
    "softmax over one unit": ModelSpec((4,), [L("Dense", units=1, activation="softmax")]),
    "augmentation on a table": ModelSpec((4,), [L("RandomFlip")]),
    "unknown type": ModelSpec((4,), [L("Dens")]),
    "input as a layer": ModelSpec((4,), [L("Input")]),
    "unknown parameter": ModelSpec((4,), [L("Dense", unitz=3)]),
    "whole number": ModelSpec((4,), [L("Dense", units=0)]),
    "number": ModelSpec((4,), [L("Dropout", rate=2.0)]),
    "true or false": ModelSpec((4,), [L("Dense", use_bias="yes")]),
    "choice": ModelSpec((4,), [L("Dense", activation="swish2")]),
    "pair": ModelSpec((8, 8, 1), [L("Conv2D", kernel_size=[1, 2, 3])]),
    "shape list": ModelSpec((4,), [L("Reshape", target_shape="4")]),
    "input shape": ModelSpec((0,), [L("Dense")]),
    "input dtype": ModelSpec((4,), [L("Dense")], input_dtype="float64"),
    "dense on an image (hint)": ModelSpec((8, 8, 1), [L("Dense", units=3)]),
    "output not a vector (hint)": ModelSpec((8, 8, 1), [L("Conv2D")]),
    "dropout last (hint)": ModelSpec((4,), [L("Dense"), L("Dropout")]),
}
LOSS_MISMATCHES = [("binary_crossentropy", _softmax_out()),
                   ("sparse_categorical_crossentropy", L("Dense", units=1, activation="sigmoid")),
                   ("mse", _softmax_out())]


@pytest.fixture
def chinese():
    with i18n.language("zh_CN"):
        yield


def _without_user_content(text: str, names=()) -> str:
    """The message without what the user brought: the values and names it quotes back ('Dens',
    "my model"), the given names (files, columns, classes), and third-party details that follow
    "Details:" (ONNX Runtime's own words)."""
    for name in sorted(map(str, names), key=len, reverse=True):
        text = text.replace(name, "·")
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "·", text)
    return text.split("详情：")[0]


def _untranslated(messages, names=(), need_chinese=True):
    """Messages with Latin words outside the allow-list, or (need_chinese) with no Chinese."""
    out = []
    for message in messages:
        words = foreign_words(_without_user_content(message, names))
        if words or (need_chinese and not CJK.search(message)):
            out.append((message, words))
    return out


def _editor_messages():
    from desktop_dl.core.loss_choice import check_output_for_task
    from desktop_dl.core.losses import TASKS
    from desktop_dl.core.shapes import analyse
    messages = {}
    for name, spec in BROKEN_SPECS.items():
        analysis = analyse(spec)
        found = [p.message for p in analysis.problems + analysis.hints]
        assert found, f"{name}: the spec should have a problem or a hint"
        messages[name] = found
    for loss, last in LOSS_MISMATCHES:
        spec = ModelSpec((4,), [last])
        spec.compile.loss = loss
        messages[loss] = [p.message for p in analyse(spec).problems]
    spec = ModelSpec((4,), [L("Dense", units=3, activation="relu")])
    messages["task"] = [check_output_for_task(spec, task, num_classes=5) for task in TASKS]
    return messages


def test_every_editor_problem_is_chinese(chinese):
    messages = _editor_messages()
    flat = [m for found in messages.values() for m in found]
    assert len(set(flat)) >= 40, "the broken specs should reach most kinds of problem"
    assert _untranslated(flat) == []


def test_the_editor_window_shows_the_problems_in_chinese(qtbot):
    """The same messages as the window shows them: the summary's problem list, the properties
    panel and the explanation of the broken layer."""
    from PySide6.QtWidgets import QApplication

    from desktop_dl.ui.app.main_window import MainWindow
    from desktop_dl.ui.base import i18n as ui_i18n
    ui_i18n.install_translators(QApplication.instance(), "zh_CN")
    try:
        window = MainWindow()
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        seen = []
        for name in ("conv after flatten", "embedding not first", "reshape mismatch",
                     "dense on an image (hint)", "unknown parameter"):
            window.editor.set_spec(BROKEN_SPECS[name])
            QApplication.processEvents()
            texts = visible_texts(window)
            seen += [(name, where, text[:100], words) for where, text in texts
                     if (words := foreign_words(text))]
        window.close()
        assert seen == []
    finally:
        ui_i18n.remove_translators()


# (file or folder under tests/data/field, options) as a user imports them.
FIELD_DATASETS = [
    ("01-semicolon-decimal-comma/messwerte.csv", {"target": "klasse"}),
    ("01-semicolon-decimal-comma/sensor_klein.csv", {"target": "ausfall"}),
    ("03-trailing-delimiter/patients.csv", {"target": "outcome"}),
    ("03-trailing-delimiter/patients.csv", {"target": "outcome", "missing": "fill"}),
    ("06-rgba-transparent-folder/shapes", {}),
    ("06-rgba-transparent-folder/shapes_la", {}),
    ("09-macosx-phantom-class/pets", {}),
    ("10-labels-1-to-10/digits_1to10.npz", {}),
    ("01-semicolon-decimal-comma/messwerte.csv", {"target": "no such column"}),
]


def _dataset_texts(path: Path, options: dict) -> list[str]:
    from desktop_dl.core.datasets import load_dataset
    from desktop_dl.core.errors import UserError
    try:
        dataset = load_dataset(str(path), **options)
    except UserError as exc:
        return [str(exc)]
    texts = [dataset.description, *dataset.warnings, *getattr(dataset, "notes", [])]
    return [t for t in texts if t]


@pytest.mark.parametrize("relative, options", FIELD_DATASETS)
def test_every_note_of_the_field_files_is_chinese(chinese, relative, options):
    texts = _dataset_texts(FIELD / relative, options)
    assert texts
    # The user's own names (files, folders, columns, classes) stay as they are.
    path = FIELD / relative
    assert _untranslated(texts, _user_names(path) | set(map(str, options.values()))) == []


def _user_names(path: Path) -> set:
    """Names in a field file the messages may quote: the file and folder names, a table's
    column names, an image folder's class folders."""
    names = {path.name, path.stem, str(path.parent), str(path)}
    if path.suffix == ".csv":
        header = path.read_text(encoding="utf-8").splitlines()[0]
        names |= {c.strip() for c in re.split(r"[;,\t|]", header) if c.strip()}
    if path.is_dir():
        names |= {p.name for p in path.iterdir()}
    return names


def _cli(argv, capsys, monkeypatch):
    from desktop_dl import cli
    monkeypatch.setenv("DESKTOP_DL_LANG", "zh_CN")
    try:
        code = cli.main(argv)
    except SystemExit as exc:                  # argparse exits with 2 on a usage error
        code = exc.code
    finally:
        i18n.set_language("en")
    out, err = capsys.readouterr()
    return code, [line for line in (out + err).splitlines() if line.strip()]


def _cli_cases(tmp_path):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text(BROKEN_SPECS["conv after flatten"].to_json(), encoding="utf-8")
    fake_onnx = tmp_path / "model.onnx"
    fake_onnx.write_text("not a model", encoding="utf-8")
    sample = ROOT / "desktop_dl" / "resources" / "samples"
    image = next(sample.glob("*.png"))
    return [
        ["summary", "--spec", str(bad_json)],
        ["summary", "--spec", str(broken)],
        ["summary", "--spec", str(tmp_path / "missing.json")],
        ["summary", "--template", "no-such-template"],
        ["summary"],
        ["train", "--template", "mnist-dense", "--epochs", "x"],
        ["train", "--template", "mnist-dense", "--dataset", "no-such-dataset"],
        ["train", "--spec", str(FIELD / "03-trailing-delimiter" / "spec3.json"),
         "--dataset", str(FIELD / "01-semicolon-decimal-comma" / "messwerte.csv"), "--target", "nope"],
        ["predict", str(fake_onnx), str(image)],
        ["predict", str(FIELD / "12-newer-ir-version" / "saved_with_onnx_1_23_defaults.onnx"), str(image)],
        ["export", str(bad_json), "--format", "onnx", "--out", str(tmp_path / "x.onnx")],
    ]


def test_cli_errors_and_output_are_chinese(capsys, monkeypatch, tmp_path):
    from desktop_dl.core.datasets.registry import builtin_names
    from desktop_dl.core.templates import template_names
    own = {str(tmp_path), str(FIELD), str(ROOT), *builtin_names(), *template_names(),
           "no-such-dataset", "no-such-template", "nope",
           *_user_names(FIELD / "01-semicolon-decimal-comma" / "messwerte.csv")}
    found = []
    for argv in _cli_cases(tmp_path):
        code, lines = _cli(argv, capsys, monkeypatch)
        assert code != 0 and lines, argv
        for line in lines:
            line = re.sub(r"desktop-dl( \w+)?", "·", line)           # the command itself
            line = re.sub(r"(?<![\w-])--?[a-z][-\w]*( [A-Z_.]+)?|\b[A-Z][A-Z_.]+\b|\{[\w,]+\}", "·",
                          line)                             # options, metavars, {choices}
            line = _TABLE_ROW.sub("·", line)                        # Keras layer names
            if _untranslated([line], own, need_chinese=False):
                found.append((argv[0], line[:120], foreign_words(_without_user_content(line, own))))
    assert found == [], "\n".join(map(str, found))


# A summary table row starts with the Keras layer name and class: "conv2d_1 (Conv2D)".
_TABLE_ROW = re.compile(r"^\w+ \(\w+\)")


def test_the_summary_table_is_chinese(capsys, monkeypatch):
    code, lines = _cli(["summary", "--template", "mnist-cnn"], capsys, monkeypatch)
    assert code == 0
    rows = [_without_user_content(_TABLE_ROW.sub("·", line), ["mnist-cnn"]) for line in lines]
    assert [(row, w) for row in rows if (w := foreign_words(row))] == []
    assert any("参数总数" in line for line in lines) and any("输出形状" in line for line in lines)


def test_the_issue_command_prints_its_error_in_chinese(tmp_path):
    """`DESKTOP_DL_LANG=zh_CN desktop-dl summary --spec bad.json`, as a user runs it."""
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "something else"}), encoding="utf-8")
    env = {**__import__("os").environ, "DESKTOP_DL_LANG": "zh_CN", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "desktop_dl", "summary", "--spec", str(bad)],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 2
    assert run.stderr.strip() == ("desktop-dl summary: 错误：bad.json 不是 desktop_dl 模型规格"
                                  "（没有 \"format\": \"desktop_dl.model_spec\"）。")
