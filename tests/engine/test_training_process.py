"""engine.training_process: training in a worker process, events over a pipe, a crash survived.

Real processes and real (tiny) Keras runs; no Qt. Slow: each worker imports TensorFlow.
"""
import json
import os
import signal

import numpy as np
import pytest

from desktop_dl.core.datasets.dataset import ImageDataset
from desktop_dl.core.spec import LayerSpec, ModelSpec
from desktop_dl.engine.run_pipeline import prepare_run, set_split
from desktop_dl.engine import backends
from desktop_dl.engine.training_process import FAULT_VARIABLE, TrainingProcess
from desktop_dl.engine.trainer import TrainSettings

pytestmark = pytest.mark.slow


def plan_for(folder, epochs=2, per_class=60, batch_size=8):
    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(3), per_class)
    x = rng.integers(0, 256, (len(y), 28, 28), dtype=np.uint8)
    x[y == 1, :14] = 255                      # learnable: the classes differ in brightness
    data = ImageDataset("gen", "generated", x, y, ["a", "b", "c"])
    set_split(data, validation=0.2, test=0.2)
    spec = ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}),
                                   LayerSpec("Dense", {"units": 3, "activation": "softmax"})])
    return prepare_run(spec, data, TrainSettings(epochs=epochs, batch_size=batch_size), folder=folder)


@pytest.fixture
def process():
    p = TrainingProcess()
    yield p
    p.close()


def test_a_run_streams_events_and_pause_resume_stop_reach_the_worker(tmp_path, process):
    process.start()
    assert process.wait_for({"ready"}, 120) is not None        # warm: Keras already imported
    events = []
    process.run(plan_for(tmp_path / "one", epochs=2))
    result = process.wait_for({"result", "error"}, 120, events)
    assert result[0] == "result", result
    outcome = result[1]
    assert outcome.result.status == "completed" and outcome.result.model is None
    assert outcome.files.keras_path.is_file() and outcome.files.onnx_path.is_file()
    assert (tmp_path / "one" / "best.keras").is_file()
    kinds = [e[0] for e in events]
    assert kinds.index("begin") < kinds.index("batches") < kinds.index("epoch") < kinds.index("status")
    assert [e[1] for e in events if e[0] == "epoch"] == [0, 1]
    process.wait_for({"finished"}, 10)

    # Stop while paused: the run ends in its first epoch, keeping its weights.
    first_pid = process.pid
    process.run(plan_for(tmp_path / "two", epochs=50, per_class=200))
    assert process.wait_for({"batches"}, 60) is not None
    process.pause()
    process.stop()
    result = process.wait_for({"result"}, 60)
    assert result[1].result.status == "stopped"
    assert process.pid == first_pid                             # the same warm worker


@pytest.mark.parametrize("how", ["kill", "abort"])
def test_a_worker_that_dies_mid_run_is_reported_and_the_next_run_works(tmp_path, process,
                                                                       monkeypatch, how):
    if how == "abort":          # an abort inside the worker (as a crash in TensorFlow would)
        monkeypatch.setenv(FAULT_VARIABLE, "abort-after-epoch:2")
    process.start()
    events = []
    plan = plan_for(tmp_path / "dies", epochs=200, per_class=200)
    process.run(plan)
    # two finished epochs: one checkpoint on disk, two points on the curves
    while sum(e[0] == "epoch" for e in events) < 2:
        assert process.wait_for({"epoch", "crashed"}, 120, events) is not None
        if events[-1][0] == "crashed":
            break
    if how == "kill":
        os.kill(process.pid, signal.SIGKILL)
    crashed = process.wait_for({"crashed"}, 60, events)
    assert crashed is not None, [e[0] for e in events]
    _, message, outcome = crashed
    assert ("SIGKILL" if how == "kill" else "SIGABRT") in message
    assert "curves so far are kept" in message and "fresh training process" in message
    assert outcome.result.epochs_run >= 2 and len(outcome.result.history["loss"]) >= 2
    assert outcome.files.keras_path == tmp_path / "dies" / "best.keras"
    assert outcome.files.keras_path.is_file()
    history = json.loads((tmp_path / "dies" / "history.json").read_text())
    assert history["status"] == "failed" and len(history["epochs"]) >= 2
    assert not process.alive and events[-1] == ("finished",)

    monkeypatch.delenv(FAULT_VARIABLE, raising=False)
    process.run(plan_for(tmp_path / "next", epochs=1))         # a fresh worker starts
    result = process.wait_for({"result", "error", "crashed"}, 120)
    assert result[0] == "result" and result[1].result.status == "completed"


@pytest.mark.skipif(not backends.is_installed("jax"), reason="needs JAX (pip install desktop-dl[jax])")
def test_each_run_trains_on_its_own_backend_in_a_worker_started_with_it(tmp_path, process):
    # The Train tab's backend (Preferences) reaches the next run without restarting the app: the
    # worker is started with that backend's environment, and a new backend gets a new worker.
    first = plan_for(tmp_path / "jax", epochs=1)
    first.settings.backend = "jax"
    process.run(first)
    result = process.wait_for({"result", "error"}, 240)
    assert result[0] == "result", result
    assert process.backend == "jax" and result[1].result.backend == "jax"
    history = json.loads((tmp_path / "jax" / "history.json").read_text())
    assert history["backend"] == "jax" and history["versions"]["jax"]
    assert result[1].files.onnx_path.is_file()       # exported through a TensorFlow process
    process.wait_for({"finished"}, 10)
    jax_pid = process.pid

    second = plan_for(tmp_path / "tf", epochs=1)
    second.settings.backend = "tensorflow"
    process.run(second)
    result = process.wait_for({"result", "error"}, 240)
    assert result[0] == "result", result
    assert result[1].result.backend == "tensorflow" and process.pid != jax_pid
