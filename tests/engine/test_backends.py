"""The Keras backend as a per-process choice, and what a run records about where it ran."""
import numpy as np
import pytest

from desktop_dl.core.datasets.splits import Splits
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.engine import backends, devices
from desktop_dl.engine.run_folder import history_document
from desktop_dl.engine.trainer import Trainer, TrainingError, TrainSettings

keras = pytest.importorskip("keras")


def test_spellings_and_unknown_names():
    assert backends.normalise("TF") == "tensorflow"
    assert backends.normalise("PyTorch") == "torch"
    assert backends.normalise("jax") == "jax"
    with pytest.raises(backends.BackendError, match="'mxnet'.*tensorflow, jax or torch"):
        backends.normalise("mxnet")


def test_the_default_is_tensorflow_where_it_is_installed():
    assert backends.installed_backends()[0] == backends.default_backend()
    if backends.is_installed("tensorflow"):
        assert backends.default_backend() == "tensorflow"


def test_keras_keeps_the_backend_it_started_with():
    running = keras.backend.backend()
    assert backends.active_backend() == running
    assert backends.select_backend(running) == running
    other = next(b for b in backends.BACKENDS if b != running)
    if not backends.is_installed(other):
        with pytest.raises(backends.BackendError, match="not installed.*pip install"):
            backends.select_backend(other)
    else:
        with pytest.raises(backends.BackendError, match="needs a new process"):
            backends.select_backend(other)


def test_a_child_process_gets_the_backend_and_its_determinism_settings():
    assert backends.child_environment("tensorflow") == {"KERAS_BACKEND": "tensorflow"}
    env = backends.child_environment("jax")
    assert env["KERAS_BACKEND"] == "jax" and "--xla_gpu_deterministic_ops=true" in env["XLA_FLAGS"]
    assert backends.child_environment("torch")["CUBLAS_WORKSPACE_CONFIG"]


def test_versions_name_keras_and_the_backend():
    running = keras.backend.backend()
    found = backends.versions(running)
    assert found["keras"] == keras.__version__ and running in found


def test_features_say_what_each_backend_lacks():
    assert backends.FEATURES["jax"].multi_process and not backends.FEATURES["tensorflow"].multi_process
    assert not backends.FEATURES["torch"].multi_gpu and "JAX" in backends.FEATURES["torch"].notes
    assert "20585" in backends.FEATURES["tensorflow"].notes


def test_a_run_is_described_by_its_device_names():
    found = [devices.DeviceInfo("cpu", "cpu", "Test CPU, 2 cores"),
             devices.DeviceInfo("gpu:0", "gpu", "NVIDIA H200", 143_771),
             devices.DeviceInfo("gpu:1", "gpu", "NVIDIA H200", None)]
    assert devices.describe(["gpu:0"], found) == "GPU:0 NVIDIA H200 (140 GB)"
    assert devices.describe(["gpu:0", "gpu:1"], found) == "GPU:0 NVIDIA H200 (140 GB) + GPU:1 NVIDIA H200"
    assert devices.describe(["cpu"], found) == "CPU Test CPU, 2 cores"


@pytest.mark.parametrize("error", [
    RuntimeError("RESOURCE_EXHAUSTED: Out of memory while trying to allocate 1610612736 bytes."),
    RuntimeError("CUDA out of memory. Tried to allocate 1.50 GiB (GPU 0; 79.1 GiB total capacity)"),
])
def test_jax_and_torch_gpu_oom_suggest_a_smaller_batch(error):
    text = devices.explain_failure(error, ["gpu:0"], 1024)
    assert "GPU ran out of memory" in text and "batches of 1024" in text and "512" in text


def _tiny_splits(n=32):
    rng = np.random.default_rng(0)
    x = rng.random((n, 4), dtype=np.float32)
    y = (x.sum(axis=1) > 2).astype(np.int32)
    return Splits(x, y, x[:8], y[:8], x[:0], y[:0], task="binary")


def test_a_run_asking_for_another_backend_says_how_to_start_it():
    running = keras.backend.backend()
    other = next(b for b in backends.BACKENDS if b != running)
    spec = ModelSpec((4,), [LayerSpec("Dense", {"units": 1, "activation": "sigmoid"})])
    with pytest.raises(TrainingError, match=f"KERAS_BACKEND={other}"):
        Trainer(spec, _tiny_splits(), TrainSettings(epochs=1, backend=other)).run()


def test_history_records_device_backend_and_versions():
    spec = ModelSpec((4,), [LayerSpec("Dense", {"units": 1, "activation": "sigmoid"})])
    settings = TrainSettings(epochs=1, batch_size=16, backend=keras.backend.backend())
    result = Trainer(spec, _tiny_splits(), settings).run()
    doc = history_document(result, settings)
    assert doc["backend"] == keras.backend.backend()
    assert doc["device"].startswith("CPU ") or doc["device"].startswith("GPU:0 ")
    assert doc["versions"]["keras"] == keras.__version__
    assert doc["settings"]["backend"] == keras.backend.backend()


def test_keras_device_names_per_backend():
    assert devices.keras_device_name("jax", "cpu") == "cpu:0"
    assert devices.keras_device_name("jax", "gpu:1") == "gpu:1"
    # On PyTorch "cpu:0" trains nothing (Keras copies the weights into each step): use "cpu".
    assert devices.keras_device_name("torch", "cpu") == "cpu"
    assert devices.keras_device_name("torch", "gpu:0") == "gpu:0"
    assert devices.keras_device_name("torch", "gpu:0", cuda=False) == "mps"


def test_cli_names_a_missing_backend_and_how_to_install_it(monkeypatch, capsys, tmp_path):
    from desktop_dl.cli import main

    real = backends.is_installed
    monkeypatch.setattr(backends, "is_installed", lambda name: name != "torch" and real(name))
    code = main(["train", "--backend", "torch", "--template", "mnist-dense", "--dataset", "mnist-5k",
                 "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 2 and "PyTorch backend is not installed" in err and "desktop-dl[torch]" in err
    assert "Traceback" not in err and not (tmp_path / "run").exists()
