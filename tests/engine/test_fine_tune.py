"""Fine-tuning with `desktop-dl train --from`: a model learns another writer population without
forgetting MNIST (replayed bundled digits), and reports accuracy before and after."""
import json

import numpy as np
import pytest

from desktop_dl.cli import main
from desktop_dl.engine.fine_tune import FineTuneError, replay_mix


def test_replay_mix_repeats_a_handful_and_adds_as_many_replayed():
    x_new = np.ones((10, 28, 28, 1), np.float32)
    y_new = np.full(10, 3, np.int32)
    x_old = np.zeros((500, 28, 28, 1), np.float32)
    y_old = np.arange(500, dtype=np.int64) % 10
    x, y, replayed = replay_mix(x_new, y_new, x_old, y_old, repeat_to=100)
    assert replayed == 100 and len(y) == 200
    assert (x[:, 0, 0, 0] == 1).sum() == 100             # the new ten, ten times each
    assert y.dtype == np.int32 and x.dtype == np.float32
    assert not np.all(y[:100] == 3)                      # shuffled together
    with pytest.raises(FineTuneError):
        replay_mix(x_new[:0], y_new[:0], x_old, y_old)


def test_from_needs_a_keras_file(tmp_path, capsys):
    onnx = tmp_path / "m.onnx"
    onnx.write_bytes(b"x")
    code = main(["train", "--from", str(onnx), "--dataset", "mnist-5k", "--out", str(tmp_path / "o")])
    assert code == 2
    assert ".keras" in capsys.readouterr().err


@pytest.mark.slow
def test_fine_tuning_on_other_writers_helps_them_and_keeps_mnist(tmp_path, capsys, digit_onnx_model):
    from uci_digits import uci_digits_28

    x, y = uci_digits_28(tmp_path / "png", count=500)
    data = tmp_path / "uci.npz"
    np.savez(data, x_train=x[:300], y_train=y[:300], x_test=x[300:], y_test=y[300:])
    code = main(["train", "--from", str(digit_onnx_model.keras_path), "--dataset", str(data),
                 "--validation-split", "0", "--out", str(tmp_path / "tuned"), "--quiet"])
    assert code == 0
    final = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    # Full figures (issue 20's note): 200 other UCI digits ~+15 points, MNIST within 1 point.
    assert final["accuracy_after"] >= final["accuracy_before"] + 0.10, final
    assert final["replay_accuracy_after"] >= final["replay_accuracy_before"] - 0.02, final
    assert final["replayed_samples"] > 0
    assert (tmp_path / "tuned" / "model.onnx").is_file()
    print("FINE-TUNE", json.dumps({k: v for k, v in final.items() if "accuracy" in k}))


def test_a_model_with_random_shear_saves_and_loads_for_fine_tuning(tmp_path):
    """Keras 3.15's RandomShear(0.2) would not load again after saving; ours does."""
    from desktop_dl.core.templates import load_template
    from desktop_dl.engine.fine_tune import load_model_for_fine_tuning
    from desktop_dl.engine.keras_build import build_model

    model = build_model(load_template("digits-drawing"))
    model.save(tmp_path / "m.keras")
    loaded = load_model_for_fine_tuning(tmp_path / "m.keras")
    shear = next(layer for layer in loaded.layers if type(layer).__name__ == "RandomShear")
    assert tuple(shear.x_factor) == (0.0, 0.3)


def test_from_refuses_data_of_another_shape(tmp_path, capsys):
    import keras

    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    model.save(tmp_path / "digits.keras")
    code = main(["train", "--from", str(tmp_path / "digits.keras"), "--dataset", "iris",
                 "--out", str(tmp_path / "o")])
    assert code == 2
    err = capsys.readouterr().err
    assert "(28, 28, 1)" in err and "iris" in err and "(4,)" in err
