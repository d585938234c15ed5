"""The data and distribution parts of an exported script: offline, on the run's own data.

The script reads the file the run trained on (the bundled MNIST subset, the user's npz or CSV
table, by path), preprocesses it as the app does and makes the same seeded, stratified split with
a verbatim copy of `core.datasets.splits.split_indices` (tests/core/test_codegen_offline.py checks
that the copy gives the same indices). It then trains on one machine, on all GPUs of one machine
(`--all-gpus`: DataParallel on JAX, MirroredStrategy on TensorFlow) or on several processes/hosts
with `keras.distribution` on JAX, configured the Keras way by KERAS_DISTRIBUTION_JOB_ADDRESSES /
KERAS_DISTRIBUTION_NUM_PROCESSES / KERAS_DISTRIBUTION_PROCESS_ID; each process trains on its shard.

Every string put into the script goes through repr(), never through an f-string quote; text in
the docstring is escaped by the caller (core/codegen.py).
"""
from __future__ import annotations

import inspect
import textwrap

from desktop_dl.core.datasets import splits as _splits

DEFAULT_SPLIT = {"validation": 0.1, "test": 0.1, "seed": 0}


def split_function_source() -> str:
    """`split_share` and `split_indices` as the script carries them (the app's own code, so the
    split is the same)."""
    source = "\n\n\n".join(textwrap.dedent(inspect.getsource(function)).rstrip()
                         for function in (_splits.split_share, _splits.split_indices))
    # The script has no DatasetError and checks the fractions itself: keep only the splitting.
    lines = [line for line in source.splitlines() if "check_fractions" not in line]
    source = "\n".join(lines).replace("raise DatasetError(", "raise SystemExit(")
    return source.replace(" -> tuple[np.ndarray, np.ndarray, np.ndarray]", "").replace(
        "labels: np.ndarray | None = None", "labels=None") + "\n"


def image_loader(input_shape, input_dtype: str) -> str:
    """load_data(path) for an image npz (x/y, or Keras's x_train/y_train/x_test/y_test)."""
    return f'''def load_data(path):
    """The run's images: an .npz with x and y (or x_train, y_train, x_test, y_test), pixels
    scaled to 0..1 with a channel axis, then the app's seeded, stratified split.
    Returns (x_train, y_train), (x_val, y_val), (x_test, y_test)."""
    with np.load(path, allow_pickle=False) as data:
        if "x_train" in data:
            x, y = data["x_train"], data["y_train"]
            x_fixed, y_fixed = data["x_test"], data["y_test"]
        else:
            x, y, x_fixed, y_fixed = data["x"], data["y"], None, None
    y = y.astype("int64")
    if x_fixed is None:
        train, val, test = split_indices(len(y), SPLIT["validation"], SPLIT["test"], SPLIT["seed"], y)
        parts = [(x[i], y[i]) for i in (train, val, test)]
    else:  # the file brings its own test split
        train, val, _ = split_indices(len(y), SPLIT["validation"], 0.0, SPLIT["seed"], y)
        parts = [(x[train], y[train]), (x[val], y[val]), (x_fixed, y_fixed.astype("int64"))]
    return [(to_input(images), labels.astype("int32")) for images, labels in parts]


def to_input(images):
    """uint8 pixels → float32 in 0..1 with a channel axis, as the app feeds its models."""
    if images.dtype == np.uint8:
        out = images.astype("float32")
        out *= np.float32(1 / 255)
    else:
        out = images.astype("float32", copy=True)
        if out.size and out.max() > 1.0:
            out /= 255.0
    return out.reshape((-1, {", ".join(map(str, input_shape))})).astype({input_dtype!r})
'''


def table_loader(title: str, file: str, target: str, task: str, input_shape) -> str:
    """load_data(path) for a numeric CSV table: the app's split, standardised with the TRAINING
    split's means and deviations (core/datasets/table_preprocessing.py)."""
    y_line = ('y = data[target].astype("float32")' if task == "regression" else
              "y = np.unique(data[target], return_inverse=True)[1]  # class names → 0, 1, ...")
    strat = "None" if task == "regression" else "y"
    dims = ", ".join(map(str, input_shape))
    return f'''def load_data(path):
    """The {title} table ({file}); the target column is {target!r}. Each feature is
    standardised with the training split's mean and deviation, as in the app."""
    data = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    target = {target!r}
    features = [n for n in data.dtype.names if n != target]
    x = np.stack([data[n].astype("float64") for n in features], axis=1)
    {y_line}
    train, val, test = split_indices(len(y), SPLIT["validation"], SPLIT["test"], SPLIT["seed"], {strat})
    mean, std = x[train].mean(axis=0), x[train].std(axis=0)
    x = ((x - mean) / np.where(std > 1e-12, std, 1.0)).astype("float32").reshape((-1, {dims}))
    return [(x[i], y[i]) for i in (train, val, test)]
'''


DISTRIBUTION = '''def start_distribution(all_gpus):
    """(process id, number of processes, scope to build the model in).

    Several processes or hosts: keras.distribution on JAX, configured by
    KERAS_DISTRIBUTION_JOB_ADDRESSES / _NUM_PROCESSES / _PROCESS_ID. All GPUs of this machine
    (--all-gpus): DataParallel on JAX, MirroredStrategy on TensorFlow. Otherwise one device."""
    backend = keras.backend.backend()
    if os.environ.get("KERAS_DISTRIBUTION_NUM_PROCESSES") or os.environ.get("KERAS_DISTRIBUTION_JOB_ADDRESSES"):
        if backend != "jax":
            raise SystemExit("Training on several processes needs KERAS_BACKEND=jax: Keras 3 runs "
                             "keras.distribution on JAX (TensorFlow's MultiWorkerMirroredStrategy "
                             "does not work with Keras 3, keras-team/keras#20585).")
        import jax
        # CPU processes exchange gradients through gloo; GPUs use NCCL whatever this says.
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
        keras.distribution.initialize()
        # Each process reads its own shard (shard() below), so Keras must not shard again.
        keras.distribution.set_distribution(keras.distribution.DataParallel(auto_shard_dataset=False))
        return jax.process_index(), jax.process_count(), contextlib.nullcontext()
    if all_gpus and backend == "jax":
        keras.distribution.set_distribution(keras.distribution.DataParallel())
    elif all_gpus and backend == "tensorflow":
        import tensorflow as tf
        return 0, 1, tf.distribute.MirroredStrategy().scope()
    elif all_gpus:
        raise SystemExit("Keras has no multi-GPU training on PyTorch: use KERAS_BACKEND=jax or tensorflow.")
    return 0, 1, contextlib.nullcontext()


def shard(x, y, process_id, num_processes):
    """This process's equal share of the samples (every process needs the same count)."""
    count = len(y) // num_processes * num_processes
    return x[process_id:count:num_processes], y[process_id:count:num_processes]
'''


def header(data_text: str, run_line: str, stem: str, offline: bool) -> list[str]:
    """The docstring lines that say which data the script reads and how to launch it.

    `data_text` must already be docstring-safe (core/codegen.py's `_doc_text` escapes a path's
    backslashes and quotes, e.g. a file named '\"\"\".npz'); `run_line` and `stem` are made of
    file-name-safe characters only."""
    data = textwrap.fill("Data: " + ("offline, " if offline else "") + data_text, 96,
                         break_long_words=False, break_on_hyphens=False)
    return [*data.splitlines(), "",
            "Run it with the Keras backend of your choice (KERAS_BACKEND=tensorflow, jax or torch):",
            "  one machine (the CPU or one GPU); --epochs N overrides the epoch count:",
            f"    {run_line} [--epochs N]",
            "  all GPUs of one machine (DataParallel on JAX, MirroredStrategy on TensorFlow):",
            f"    {run_line} --all-gpus",
            "  several processes or hosts (JAX only, keras.distribution): start one process per",
            "  host or GPU, each with the same addresses (process 0's first) and its own id; each",
            "  trains on its shard of the data and process 0 saves the model; on CPUs the processes",
            "  exchange gradients through gloo:",
            "    export KERAS_BACKEND=jax",
            "    export KERAS_DISTRIBUTION_JOB_ADDRESSES=host0:1234,host1:1234",
            "    export KERAS_DISTRIBUTION_NUM_PROCESSES=2",
            "    export KERAS_DISTRIBUTION_PROCESS_ID=0     # 1 on the second process",
            f"    {run_line}",
            f"The trained model is saved as {stem}.keras (--out to change it); the last line printed",
            "is a JSON summary of the final metrics."]
