"""benchmarks/gpu_check.py keeps working: its CPU-only mode, tiny, as CI runs it."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "gpu_check.py"


@pytest.mark.slow
def test_gpu_check_runs_in_cpu_only_mode(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}   # it imports no desktop_dl
    proc = subprocess.run([sys.executable, str(SCRIPT), "--cpu-only", "--epochs", "2", "--samples", "400",
                           "--json", str(tmp_path / "summary.json")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary == json.loads(proc.stdout.strip().splitlines()[-1])
    cpu = summary["runs"]["cpu"]
    assert cpu["samples_per_second"] > 0 and 0.0 <= cpu["val_accuracy"] <= 1.0
    assert "CPU" in proc.stdout and "samples/s" in proc.stdout and summary["ok"]
    assert summary["checks"]["onnxruntime_cuda"]["status"] == "skipped"
