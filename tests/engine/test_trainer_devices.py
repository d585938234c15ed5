"""Devices, schedules and optimizer settings of the trainer (CPU here; GPU paths by their messages)."""
import numpy as np
import pytest

from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec
from desktop_dl.engine import devices
from desktop_dl.engine.schedules import make_schedule, schedule_callbacks
from desktop_dl.engine.trainer import Trainer, TrainSettings

keras = pytest.importorskip("keras")


def test_the_cpu_is_listed_first_and_auto_falls_back_to_it():
    found = devices.list_devices()
    assert found[0].id == "cpu" and found[0].kind == "cpu" and found[0].name
    gpus = [d for d in found if d.kind == "gpu"]
    assert devices.resolve("auto", found) == ([gpus[0].id] if gpus else ["cpu"])
    assert devices.resolve("CPU", found) == ["cpu"]


def test_an_unknown_device_is_a_user_error_naming_the_choices():
    cpu_only = [devices.DeviceInfo("cpu", "cpu", "test CPU")]
    with pytest.raises(devices.DeviceError, match="no device 'gpu:3'.*cpu"):
        devices.resolve("gpu:3", cpu_only)
    two = cpu_only + [devices.DeviceInfo("gpu:0", "gpu", "A"), devices.DeviceInfo("gpu:1", "gpu", "B")]
    assert devices.resolve("gpu:0,gpu:1", two) == ["gpu:0", "gpu:1"]
    with pytest.raises(devices.DeviceError, match="not both"):
        devices.resolve("cpu,gpu:0", two)


def test_gpu_failures_become_messages_a_learner_can_act_on():
    import tensorflow as tf
    oom = tf.errors.ResourceExhaustedError(None, None, "OOM when allocating tensor with shape[512,64,26,26]")
    text = devices.explain_failure(oom, ["gpu:0"], 512)
    assert "GPU ran out of memory" in text and "batches of 512" in text and "256" in text
    driver = tf.errors.InternalError(None, None, "cuDNN launch failure: CUDA driver version is insufficient")
    assert "NVIDIA driver" in devices.explain_failure(driver, ["gpu:0"], 64)
    assert devices.explain_failure(ValueError("shapes differ"), ["cpu"], 64) is None


def test_training_is_placed_on_the_chosen_device():
    with devices.placement(["cpu"]):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    value = model.weights[0].value
    # TensorFlow and PyTorch tensors name one device; a JAX array lists the devices it lives on.
    where = str(value.device) if hasattr(value, "device") else " ".join(map(str, value.devices()))
    assert "CPU" in where.upper()


def test_mixed_precision_is_only_used_on_gpus():
    with devices.precision_policy(True, ["cpu"]) as used:
        assert not used and keras.config.dtype_policy().name == "float32"


def test_step_and_cosine_schedules():
    step = make_schedule("step", 0.1, steps_per_epoch=10, epochs=30)
    assert float(step(0)) == pytest.approx(0.1)
    assert float(step(99)) == pytest.approx(0.1)
    assert float(step(100)) == pytest.approx(0.05)        # halved after 10 epochs
    cosine = make_schedule("cosine", 0.1, steps_per_epoch=10, epochs=5)
    assert float(cosine(0)) == pytest.approx(0.1) and float(cosine(50)) == pytest.approx(0.0, abs=1e-7)
    assert make_schedule("plateau", 0.1, 10, 5) == 0.1
    assert isinstance(schedule_callbacks("plateau", "val_loss")[0], keras.callbacks.ReduceLROnPlateau)
    assert schedule_callbacks("cosine", "val_loss") == []


def test_a_spec_trains_with_the_optimizer_and_schedule_of_the_settings():
    from desktop_dl.core.datasets import Splits
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 6)).astype("float32")
    y = (x[:, 0] + x[:, 1] > 0).astype("int64")
    splits = Splits(x[:160], y[:160], x[160:], y[160:], x[:0], y[:0], task="binary")
    spec = ModelSpec((6,), [LayerSpec("Dense", {"units": 8, "activation": "relu"}),
                            LayerSpec("Dense", {"units": 1, "activation": "sigmoid"})],
                     compile=CompileSpec("adam", 0.001))
    settings = TrainSettings(optimizer="sgd", learning_rate=0.2, momentum=0.9, nesterov=True,
                             schedule="cosine", epochs=3, batch_size=40)
    result = Trainer(spec, splits, settings).run()
    opt = result.model.optimizer
    assert type(opt).__name__ == "SGD" and opt.nesterov and opt.momentum == pytest.approx(0.9)
    assert result.model.loss == "binary_crossentropy"        # the classic rule for one sigmoid unit
    rates = result.history["learning_rate"]
    assert rates[0] < 0.2 and rates[0] > rates[1] > rates[2]  # cosine decay, per batch
    assert result.history["val_accuracy"][-1] > 0.8
