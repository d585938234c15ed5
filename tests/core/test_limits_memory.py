"""Memory checks before work starts: a too-large input or run is refused with a useful message."""
import pytest

from desktop_dl.core.errors import UserError
from desktop_dl.core.limits import ResourceLimitError, available_memory, check_allocation
from desktop_dl.core.training_memory import (TrainingMemoryError, check_training_memory,
                                             estimate_training_memory)
from desktop_dl.core.spec import LayerSpec, ModelSpec

GB = 1024 ** 3


def conv_spec():
    return ModelSpec((28, 28, 1), [LayerSpec("Conv2D", {"filters": 32, "kernel_size": 3, "activation": "relu"}),
                                   LayerSpec("Flatten", {}), LayerSpec("Dense", {"units": 10})])


def test_available_memory_is_a_plausible_number():
    free = available_memory()
    assert free is not None and 64 * 1024 ** 2 < free < 64 * 1024 ** 4


def test_estimate_adds_data_weights_and_activations_times_batch():
    spec = conv_spec()
    small = estimate_training_memory(spec, 1000, 32, available=16 * GB)
    big_batch = estimate_training_memory(spec, 1000, 64, available=16 * GB)
    more_data = estimate_training_memory(spec, 2000, 32, available=16 * GB)
    # data: 1000 float32 images of 784 values (+ labels)
    assert small.data_bytes == 1000 * (784 * 4 + 8)
    # weights: (320 + 216330) trainable × (weight + gradient + 2 Adam slots) × 4 bytes
    assert small.weights_bytes == (320 + 216330) * 4 * 4
    assert big_batch.activation_bytes == 2 * small.activation_bytes
    assert more_data.data_bytes == 2 * small.data_bytes
    # activations per sample: input 784 + conv 26·26·32 + flatten 21632 + dense 10, kept 3×, float32
    assert small.activation_bytes == 32 * (784 + 21632 * 2 + 10) * 4 * 3
    assert small.fits and "This run needs about" in small.message()
    sgd = estimate_training_memory(spec, 1000, 32, optimizer="sgd", available=16 * GB)
    assert sgd.weights_bytes < small.weights_bytes


def test_a_run_that_will_not_fit_is_refused_with_advice():
    with pytest.raises(TrainingMemoryError) as caught:
        check_training_memory(conv_spec(), 60000, 8192, available=1 * GB)
    message = str(caught.value)
    assert isinstance(caught.value, UserError)
    assert "but only 1.0 GB is free" in message and "smaller batch size" in message
    # sequences: a free length counts as the length given
    lstm = ModelSpec((None, 8), [LayerSpec("LSTM", {"units": 16}), LayerSpec("Dense", {"units": 1})])
    short = estimate_training_memory(lstm, 100, 8, sequence_length=10, available=GB)
    long = estimate_training_memory(lstm, 100, 8, sequence_length=1000, available=GB)
    assert long.data_bytes > 50 * short.data_bytes


def test_check_allocation_refuses_what_cannot_fit():
    check_allocation(100, "tiny.npz", available=GB)
    with pytest.raises(ResourceLimitError, match=r"huge.idx needs 2.0 GB of memory, but only 1.0 GB is free"):
        check_allocation(2 * GB, "huge.idx", available=GB)
