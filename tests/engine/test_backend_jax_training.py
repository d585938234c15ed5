"""TensorFlow and JAX train the same template on the same seed to the same accuracy, and a
JAX-trained model exports to the same checked ONNX file (through a TensorFlow child process).

One test, two runs of the issue's command (`desktop-dl train --template mnist-cnn --dataset
mnist-5k --epochs 5`), ~2 minutes on two CPU cores: the JAX run goes through `main()` of this
TensorFlow-backed test process, so it also checks that the CLI starts a child process for it.
"""
import json

import pytest

from desktop_dl.cli import main
from desktop_dl.engine import backends
from desktop_dl.engine.onnx_export import read_metadata

pytestmark = pytest.mark.slow


def _train(backend, out, capsys):
    code = main(["train", "--backend", backend, "--template", "mnist-cnn", "--dataset", "mnist-5k",
                 "--epochs", "5", "--seed", "0", "--out", str(out)])
    lines = capsys.readouterr().out.strip().splitlines()
    assert code == 0, lines[-5:]
    assert any(line.startswith(f"backend {backend}, device CPU ") or
               line.startswith(f"backend {backend}, device GPU:") for line in lines), lines[:3]
    return json.loads(lines[-1])


@pytest.mark.skipif(not backends.is_installed("jax"), reason="needs JAX (pip install desktop-dl[jax])")
def test_tensorflow_and_jax_agree_and_the_jax_model_exports_to_onnx(tmp_path, capsys):
    tf_final = _train("tensorflow", tmp_path / "tf", capsys)
    jax_final = _train("jax", tmp_path / "jax", capsys)

    # The bar for the JAX command, and the two backends within 2 points of each other.
    assert jax_final["metrics"]["val_accuracy"] >= 0.95
    for key in ("val_accuracy", "test_accuracy"):
        assert abs(jax_final["metrics"][key] - tf_final["metrics"][key]) <= 0.02, (key, tf_final, jax_final)

    history = json.loads((tmp_path / "jax" / "history.json").read_text())
    assert history["backend"] == "jax" and history["versions"]["jax"]
    assert history["device"].startswith(("CPU ", "GPU:"))
    assert json.loads((tmp_path / "tf" / "history.json").read_text())["backend"] == "tensorflow"

    # Same ONNX metadata either way; the JAX file's parity was measured against the JAX model.
    tf_meta = read_metadata(tmp_path / "tf" / "model.onnx")
    jax_meta = read_metadata(tmp_path / "jax" / "model.onnx")
    assert jax_meta["parity"]["ok"] and jax_meta["parity"]["source"] == "validation samples"
    assert jax_meta["parity"]["max_abs_diff"] <= 1e-4
    assert jax_meta["training_backend"] == "jax" and tf_meta["training_backend"] == "tensorflow"
    assert set(jax_meta) == set(tf_meta)
    for key in ("class_names", "task", "kind", "input", "preprocessing", "dataset", "opset"):
        assert jax_meta[key] == tf_meta[key], key
