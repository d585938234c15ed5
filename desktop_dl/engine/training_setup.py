"""What a Trainer run sets up before Keras' fit: seeds (and deterministic GPU kernels), the
model built from its spec, the optimizer (a rate or a schedule) and the compile for the task.

Split out of engine/trainer.py; Keras is imported inside the functions, so importing this module
does not import Keras.
"""
from __future__ import annotations


def seed_everything(seed: int, gpu: bool = False) -> None:
    """Python, numpy and backend seeds; on GPUs also deterministic kernels, per backend.

    Same seed, same numbers: GPU kernels (cuDNN convolutions, atomic reductions) are otherwise
    free to sum in any order. It costs GPU speed, the price of reproducibility; CPU kernels are
    already deterministic (tests/engine/test_trainer.py checks it). Backend-specific: TensorFlow
    switches it on here; JAX only through XLA_FLAGS set before JAX starts (backends.select_backend
    does it); PyTorch here, with the cuBLAS workspace select_backend sets.
    """
    import keras
    keras.utils.set_random_seed(seed)
    if not gpu:
        return
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf
        tf.config.experimental.enable_op_determinism()
    elif backend == "torch":
        import torch
        torch.use_deterministic_algorithms(True, warn_only=True)


def build_from_spec(spec):
    """The Keras model of a ModelSpec (engine.keras_build.build_model)."""
    from desktop_dl.engine.keras_build import build_model
    return build_model(spec)


def make_run_optimizer(name: str, rate, momentum: float, nesterov: bool):
    """A Keras optimizer `name` ("sgd", "adam", ...) with `rate`: a float, or a
    LearningRateSchedule from engine.schedules (engine.keras_build.make_optimizer takes both)."""
    from desktop_dl.engine.keras_build import make_optimizer
    return make_optimizer(name, rate if isinstance(rate, float) else 1.0, momentum, nesterov,
                          None if isinstance(rate, float) else rate)


def compile_for_task(model, spec, task: str, optimizer, one_hot: bool) -> None:
    """Compile `model` with the spec's loss and metrics (engine.keras_build.compile_model), or,
    for a bare keras.Model (`spec` None), the loss and metrics core.losses chooses for `task`."""
    if spec is not None:
        from desktop_dl.engine.keras_build import compile_model
        compile_model(model, spec, task, optimizer, one_hot=one_hot)
        return
    from desktop_dl.core.losses import choice_for_task
    choice = choice_for_task(task, one_hot)
    model.compile(optimizer=optimizer, loss=choice.loss, metrics=list(choice.metrics))
