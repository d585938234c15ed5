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
    assert template_training("digits-drawing")["epochs"] > template_training("mnist-cnn")["epochs"]
    assert template_training("mnist-cnn") == {"epochs": 5, "batch_size": 64}
    assert template_training(None) == {"epochs": 5, "batch_size": 64}


def test_mnist_cnn_is_unchanged():
    spec = load_template("mnist-cnn")
    assert [layer.type for layer in spec.layers] == [
        "Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense"]
    assert spec.compile.learning_rate == 0.003
