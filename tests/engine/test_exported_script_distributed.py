"""The exported MNIST script trains as two keras.distribution processes on 127.0.0.1 (JAX, CPU)."""
import json
import os
import socket
import subprocess
import sys

import pytest

from desktop_dl.core.codegen import generate_script
from desktop_dl.core.templates import load_template
from desktop_dl.engine import backends

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not backends.is_installed("jax"), reason="needs JAX (pip install desktop-dl[jax])")
def test_two_processes_train_in_step_and_the_first_saves_the_model(tmp_path):
    script = tmp_path / "mnist_dense.py"
    script.write_text(generate_script(load_template("mnist-dense"), "mnist-5k"), encoding="utf-8")
    address = f"127.0.0.1:{_free_port()}"
    procs = []
    for rank in range(2):
        env = {**os.environ, "KERAS_BACKEND": "jax", "KERAS_DISTRIBUTION_JOB_ADDRESSES": address,
               "KERAS_DISTRIBUTION_NUM_PROCESSES": "2", "KERAS_DISTRIBUTION_PROCESS_ID": str(rank),
               "JAX_PLATFORMS": "cpu"}
        procs.append(subprocess.Popen([sys.executable, str(script), "--epochs", "1",
                                       "--out", str(tmp_path / "model.keras")], cwd=tmp_path,
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    outputs = []
    try:
        for proc in procs:
            out, err = proc.communicate(timeout=240)
            assert proc.returncode == 0, err[-3000:]
            outputs.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    assert [o["process"] for o in outputs] == [0, 1] and all(o["processes"] == 2 for o in outputs)
    # One model trained in step: the same (global) metrics on both ranks.
    assert outputs[0]["final"] == outputs[1]["final"]
    assert outputs[0]["final"]["val_accuracy"] > 0.7
    assert (tmp_path / "model.keras").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mnist_dense.py", "model.keras"]
