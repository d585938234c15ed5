"""Where a GPU exists: a GPU run reaches the CPU run's accuracy on the same seed.

Users of another tool report GPU-trained accuracy far below CPU-trained accuracy; this catches
that class of bug (wrong kernels, a precision policy left on, data fed in another order). It runs
wherever the Keras backend of this test process sees a GPU (benchmarks/gpu_check.py checks the
same on a bare GPU machine with JAX or PyTorch).
"""
import pytest

from desktop_dl.core.datasets import load_dataset
from desktop_dl.core.templates import load_template
from desktop_dl.engine import devices
from desktop_dl.engine.trainer import Trainer, TrainSettings

HAS_GPU = any(d.kind == "gpu" for d in devices.list_devices())


@pytest.mark.slow
@pytest.mark.skipif(not HAS_GPU, reason="no GPU visible to this Keras backend")
def test_gpu_and_cpu_runs_agree_on_the_same_seed():
    dataset = load_dataset("mnist-5k")
    splits = dataset.splits(validation=0.1, test=0.1, seed=0)
    accuracy = {}
    for device in ("cpu", "gpu:0"):
        result = Trainer(load_template("mnist-cnn"), splits,
                         TrainSettings(epochs=3, batch_size=64, seed=0, device=device),
                         task=dataset.task).run()
        assert result.ok, result.message
        assert result.device.startswith(device.upper().split(":")[0])
        accuracy[device] = result.final_metrics()["val_accuracy"]
    assert abs(accuracy["gpu:0"] - accuracy["cpu"]) <= 0.02, accuracy
