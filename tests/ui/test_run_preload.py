"""The Train tab's preload imports what Start needs, on a thread, and never TensorFlow."""
import subprocess
import sys

CHECK = """
import sys, threading
from desktop_dl.ui.train.run_preload import RUN_MODULES, preload_run_modules
thread = preload_run_modules()
assert thread is not None and thread is not threading.current_thread()
thread.join(60)
assert preload_run_modules() is None                     # once per process
missing = [m for m in RUN_MODULES if m not in sys.modules]
heavy = [m for m in ("tensorflow", "keras", "onnxruntime") if m in sys.modules]
print(missing, heavy)
"""


def test_preload_imports_the_run_modules_and_no_tensorflow():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[] []"
