"""The Draw tab's own template: listed, marked default_for_drawing, with its training defaults;
mnist-cnn stays as the tutorial has it."""
import json

from desktop_dl.cli import main
from desktop_dl.core.templates import drawing_template_name, list_templates, load_template, template_training


def test_exactly_one_template_is_the_drawing_default():
    marked = [t.name for t in list_templates() if t.default_for_drawing]
    assert marked == ["digits-drawing"] == [drawing_template_name()]


def test_templates_json_says_which_is_default_for_drawing(capsys):
    assert main(["templates", "--json"]) == 0
    items = {item["name"]: item for item in json.loads(capsys.readouterr().out)}
    assert items["digits-drawing"]["default_for_drawing"] is True
    assert items["mnist-cnn"]["default_for_drawing"] is False
    assert items["digits-drawing"]["input_shape"] == [28, 28, 1]


def test_drawing_template_augments_like_drawing_and_trains_longer():
    spec = load_template("digits-drawing")
    kinds = [layer.type for layer in spec.layers]
    assert kinds[:4] == ["RandomRotation", "RandomShear", "RandomZoom", "RandomTranslation"]
    # Digits sit on black: pixels moved in from outside must be background, not mirrored ink.
    assert all(layer.params["fill_mode"] == "constant" for layer in spec.layers[:4])
    # People draw digits wider or narrower than MNIST's writers: the width zooms on its own.
    zoom = spec.layers[2].params
    assert zoom["width_factor"] != zoom["height_factor"]
    assert template_training("digits-drawing")["epochs"] > template_training("mnist-cnn")["epochs"]
    assert template_training("digits-drawing")["schedule"] == "cosine"
    assert template_training("mnist-cnn") == {"epochs": 5, "batch_size": 64, "schedule": "none"}
    assert template_training(None) == {"epochs": 5, "batch_size": 64, "schedule": "none"}


def test_a_template_training_block_of_the_wrong_kind_falls_back_to_the_defaults(tmp_path,
                                                                                  monkeypatch):
    from desktop_dl.core import templates

    bad = tmp_path / "odd.json"
    spec = json.loads((templates.templates_dir() / "mnist-cnn.json").read_text(encoding="utf-8"))
    spec["training"] = {"epochs": "ten", "batch_size": True, "schedule": "sometimes"}
    bad.write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setattr(templates, "_paths", lambda: {"odd": bad})
    assert template_training("odd") == templates.TRAINING_DEFAULTS


def test_train_takes_the_schedule_from_the_template_unless_told():
    from desktop_dl.cli import build_parser
    from desktop_dl.commands.train import settings_from_args

    parse = lambda *extra: build_parser().parse_args(
        ["train", "--template", "digits-drawing", "--dataset", "mnist-5k", *extra])
    assert settings_from_args(parse()).schedule == "cosine"
    assert settings_from_args(parse("--schedule", "none")).schedule == "none"


def test_mnist_cnn_is_unchanged():
    spec = load_template("mnist-cnn")
    assert [layer.type for layer in spec.layers] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense"]
    assert spec.compile.learning_rate == 0.003
