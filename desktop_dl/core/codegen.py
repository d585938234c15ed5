"""Spec → a readable, runnable Keras script (`keras.Sequential([...])`, compile, fit).

The script is what a learner would write after the tutorials: one layer per line with only the
arguments that differ from Keras's defaults, the loss chosen by the classic rules, and a data
loader that reads the run's own data offline (the bundled MNIST subset, the user's npz or CSV
table, by path) with the app's preprocessing and split; Keras's IMDB is the one download. It
trains on one machine, all GPUs of one machine, or several processes with keras.distribution on
JAX (core/codegen_data.py holds those parts).

Specs and run folders come from files other people send, so no text from them is ever pasted into
the script as code: strings become Python literals through `_q` (repr), docstring and comment text
goes through `_doc_text`/`_comment_text` (quotes, backslashes and control characters escaped), and
numbers through int()/float(). tests/core/test_codegen_hostile.py checks the result with `ast`.
"""
from __future__ import annotations

import re
import textwrap

from desktop_dl.core.catalogue import CATALOGUE
from desktop_dl.core.errors import SpecError
from desktop_dl.core.loss_choice import resolve_loss
from desktop_dl.core.shapes import analyse
from desktop_dl.core.i18n import _

# Keras's own defaults, so the script shows only what the user changed.
_KERAS_DEFAULTS = {
    "activation": "linear", "use_bias": True, "strides": 1, "padding": "valid",
    "depth_multiplier": 1, "return_sequences": False, "momentum": 0.99, "epsilon": 0.001,
    "center": True, "scale": True, "fill_mode": "reflect", "offset": 0.0,
    "mode": "horizontal_and_vertical",
}
_OPTIMIZER_CLASSES = {"sgd": "SGD", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW",
                      "adagrad": "Adagrad"}
_DATASET_TASKS = {"mnist-5k": "multiclass", "my-digits": "multiclass", "imdb": "binary"}


def _q(text) -> str:
    """A Python string literal for `text`, double-quoted like the tutorials when possible."""
    text = str(text)
    literal = repr(text)
    if '"' not in text and literal.startswith("'"):
        # repr chose single quotes, so `text` has no quote of either kind: swapping is safe.
        literal = '"' + literal[1:-1] + '"'
    return literal


def _doc_text(text) -> str:
    """`text` made safe inside a triple-quoted docstring: backslashes, quotes and every
    non-printable character escaped (newlines kept), so it can never close the string."""
    out = []
    for ch in str(text):
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n" or ch.isprintable():
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)


def _comment_text(text) -> str:
    """One line of comment text: no line breaks or control characters."""
    return "".join(ch if ch.isprintable() else " " for ch in str(text))


def _dim(value) -> str:
    return "None" if value is None else str(int(value))


def _literal(value) -> str:
    if isinstance(value, (list, tuple)):
        items = ", ".join(_literal(v) for v in value)
        return f"({items},)" if len(value) == 1 else f"({items})"
    if isinstance(value, float) and value == 1 / 255:
        return "1 / 255"
    if isinstance(value, str):
        return _q(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return _q(value)     # anything else is written as its text, never as code


def layer_code(layer) -> str:
    """`layers.Dense(10, activation="softmax")` for one LayerSpec."""
    layer_type = CATALOGUE[layer.type]
    full = layer_type.complete(layer.params)
    defaults = {**_KERAS_DEFAULTS, **layer_type.keras_defaults}
    positional = layer_type.positional
    args = [_literal(full[name]) for name in positional]
    for name, value in full.items():
        if name in positional or (name in defaults and defaults[name] == value):
            continue
        args.append(f"{name}={_literal(value)}")
    return f"layers.{layer.type}({', '.join(args)})"


def model_code(spec, indent: str = "    ") -> str:
    """The `build_model()` function of the script (imports `keras` and `layers` assumed)."""
    shape = _literal(tuple(None if d is None else int(d) for d in spec.input_shape))
    dtype = "" if spec.input_dtype == "float32" else f", dtype={_q(spec.input_dtype)}"
    lines = [f"{indent}keras.Input(shape={shape}{dtype}),"]
    lines += [f"{indent}{layer_code(layer)}," for layer in spec.layers]
    name = re.sub(r"[^A-Za-z0-9_]+", "_", spec.name).strip("_") or "model"
    body = "\n".join(indent + line for line in lines)
    return (f"def build_model():\n"
            f"{indent}return keras.Sequential([\n{body}\n{indent}], name={_q(name)})\n")


def _dataset_task(dataset: str | None) -> str | None:
    if dataset in _DATASET_TASKS:
        return _DATASET_TASKS[dataset]
    table = _table(dataset)
    return table.task if table else None


def _table(dataset):
    try:
        from desktop_dl.core.datasets.registry import TABLES
    except ImportError:  # the dataset package is optional for codegen
        return None
    for table in TABLES:
        if table.name == dataset:
            return table
    return None


def generate_script(spec, dataset: str | None = None, task: str | None = None,
                    epochs: int = 5, batch_size: int | None = None,
                    data_source: str | None = None, split: dict | None = None) -> str:
    """A runnable Python script that builds, compiles and trains `spec` on `dataset`.

    `dataset`: "mnist-5k"/"my-digits" or an imported image npz (read from `data_source`, the
    file the run used; the bundled/personal file by default), a built-in table name (its CSV
    file), "imdb" (keras.datasets.imdb, downloaded), or None (any .npz with arrays x and y,
    given on the command line). `split`: the run's {"validation", "test", "seed"} (default
    0.1, 0.1, 0), reproduced exactly. Raises SpecError for a model with problems.
    """
    _check_exportable(spec)
    choice = resolve_loss(spec, task or _dataset_task(dataset))
    optimizer = _optimizer_code(spec)
    if batch_size is None:
        batch_size = 128 if dataset in ("mnist-5k", "my-digits") else 32
    from desktop_dl.core import codegen_data

    split = _split_numbers(split)
    loader, data_file, data_text = _loader(spec, dataset, data_source, split)
    about = _doc_text(textwrap.fill(str(spec.description), 96))
    title = _doc_text(" ".join(str(spec.name).split()))
    stem = _file_stem(spec.name)
    run_line = f"python {stem}.py" + ("" if data_file else " DATA.npz")
    offline = dataset != "imdb"
    parts = [
        f'"""{title}: a Keras model generated by desktop_dl from a model spec.',
        "",
        *([about, ""] if about else []),
        *codegen_data.header(data_text, run_line, stem, offline),
        '"""',
        "import argparse",
        "import contextlib",
        "import json",
        "import os",
        "",
        "import numpy as np",
        "import keras",
        "from keras import layers",
        "",
        f"DATA_FILE = {data_file!r}",
        f"SPLIT = {split!r}",
        "",
        "",
        model_code(spec),
        "",
        loader,
        "",
        codegen_data.split_function_source(),
        "",
        codegen_data.DISTRIBUTION,
        "",
        *_main_source(stem, data_file, epochs, batch_size, choice, optimizer),
    ]
    return "\n".join(parts)


def _check_exportable(spec) -> None:
    """SpecError when the model has no layers or a problem `analyse` finds."""
    analysis = analyse(spec)
    if not spec.layers:
        raise SpecError(_("The model has no layers yet — add at least one layer."))
    if not analysis.ok:
        first = analysis.problems[0]
        where = "" if first.index is None else \
            _("layer {number} ({type}): ", number=first.index + 1, type=spec.layers[first.index].type)
        raise SpecError(_("Fix the model before exporting it as Python — {where}{problem}",
                          where=where, problem=first.message))


def _optimizer_code(spec) -> str:
    """The Keras optimizer expression for the spec's compile settings; SpecError when unknown."""
    opt = spec.compile.optimizer.lower()
    if opt not in _OPTIMIZER_CLASSES:
        raise SpecError(_("Unknown optimizer {name!r}; choose one of {names}.",
                          name=spec.compile.optimizer, names=", ".join(_OPTIMIZER_CLASSES)))
    return (f"keras.optimizers.{_OPTIMIZER_CLASSES[opt]}"
            f"(learning_rate={float(spec.compile.learning_rate)!r})")


def _main_source(stem: str, data_file: str | None, epochs: int, batch_size: int, choice,
                 optimizer: str) -> list[str]:
    """The lines of the script's main(): arguments, distribution, data, compile, fit, save."""
    metrics = "[" + ", ".join(_q(m) for m in choice.metrics) + "]"
    return [
        "def main():",
        f"    parser = argparse.ArgumentParser(description={_q(f'Train the {stem} model.')})",
        f'    parser.add_argument("data", nargs="?", default=DATA_FILE, help={_q(_data_help(data_file))})',
        f'    parser.add_argument("--epochs", type=int, default={int(epochs)})',
        f'    parser.add_argument("--batch-size", type=int, default={int(batch_size)},',
        '                        help="samples per step, all processes together")',
        '    parser.add_argument("--all-gpus", action="store_true",',
        '                        help="train on every GPU of this machine (JAX or TensorFlow)")',
        f'    parser.add_argument("--out", default={_q(stem + ".keras")}, help="where process 0 saves the model")',
        "    args = parser.parse_args()",
        "    if not args.data:",
        '        parser.error("give the data file (DATA)")',
        "",
        "    process_id, num_processes, scope = start_distribution(args.all_gpus)",
        "    keras.utils.set_random_seed(SPLIT[\"seed\"])",
        "    (x_train, y_train), (x_val, y_val), (x_test, y_test) = load_data(args.data)",
        "    x_train, y_train = shard(x_train, y_train, process_id, num_processes)",
        "    x_val, y_val = shard(x_val, y_val, process_id, num_processes)",
        "    with scope:",
        "        model = build_model()",
        *textwrap.wrap(_comment_text(choice.rule), 88, initial_indent="        # ",
                       subsequent_indent="        # ", break_on_hyphens=False),
        "        model.compile(",
        f"            optimizer={optimizer},",
        f"            loss={_q(choice.loss)},",
        f"            metrics={metrics},",
        "        )",
        "    if process_id == 0:",
        "        model.summary()",
        "    history = model.fit(x_train, y_train, epochs=args.epochs,",
        "                        batch_size=max(1, args.batch_size // num_processes),",
        "                        validation_data=(x_val, y_val) if len(y_val) else None, shuffle=True,",
        "                        verbose=2 if process_id == 0 else 0)",
        "    final = {k: float(v[-1]) for k, v in history.history.items()}",
        "    if len(y_test) and num_processes == 1:",
        "        test = model.evaluate(x_test, y_test, verbose=0, return_dict=True)",
        "        final.update({f\"test_{k}\": float(v) for k, v in test.items()})",
        "    # Reading replicated weights is a collective step: every process saves, process 0 keeps it.",
        "    model.save(args.out if process_id == 0 else f\"{args.out}.process{process_id}.keras\")",
        "    if process_id != 0:",
        "        os.remove(f\"{args.out}.process{process_id}.keras\")",
        "    print(json.dumps({\"process\": process_id, \"processes\": num_processes, \"final\": final}))",
        "",
        "",
        'if __name__ == "__main__":',
        "    main()",
        "",
    ]


def _data_help(data_file: str | None) -> str:
    if data_file:
        return f"the data file (default: the run's own, {data_file})"
    return "the data file: an .npz with arrays x and y"


def _file_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "model"


def _split_numbers(split: dict | None) -> dict:
    """The run's {"validation", "test", "seed"} as numbers (they are written into the script)."""
    from desktop_dl.core import codegen_data

    out = {**codegen_data.DEFAULT_SPLIT, **(split or {})}
    return {"validation": float(out["validation"]), "test": float(out["test"]),
            "seed": int(out["seed"])}


def _loader(spec, dataset, data_source, split) -> tuple[str, str | None, str]:
    """(the load_data function's source, the data file it reads by default or None, the
    header's sentence about the data, escaped for the docstring)."""
    from desktop_dl.core import codegen_data

    how = (f"the same seeded, stratified split as the app (validation {split['validation']:.0%}, "
           f"test {split['test']:.0%}, seed {split['seed']})")
    source = str(data_source) if data_source else _bundled_file(dataset)
    dims = tuple(_dim(d) for d in spec.input_shape)
    table = _table(dataset)
    if table is not None:
        return (codegen_data.table_loader(table.title, table.file, table.target, table.task, dims),
                source, _doc_text(f"the run's own data, the {table.title} table read from {source}, "
                                  f"each feature standardised with the training split's mean and "
                                  f"deviation, and {how}."))
    if dataset == "imdb":
        return _imdb_loader(spec), None, _doc_text(
            f"IMDB reviews, downloaded by keras.datasets.imdb on first use (the only loader that "
            f"needs the internet), with Keras's own test split and {how}.")
    if len(spec.input_shape) in (2, 3) and (source is None or source.endswith(".npz")):
        where = f"read from {source}" if source else "from the .npz file given as DATA"
        return (codegen_data.image_loader(dims, str(spec.input_dtype)), source, _doc_text(
            f"the run's own images ({dataset or 'an .npz with x and y'}), {where}, with the "
            f"app's preprocessing (pixels scaled to 0..1, a channel axis) and {how}."))
    return _npz_loader(spec), None, _doc_text(
        f"an .npz file with arrays x (samples × {' × '.join(dims)}) and y, given as DATA, split "
        f"as the app does: {how}.")


def _bundled_file(dataset: str | None) -> str | None:
    """The file desktop_dl itself reads for a built-in dataset (by path, for the script)."""
    if dataset == "mnist-5k":
        from desktop_dl.paths import resource
        return str(resource("mnist_5k.npz"))
    if dataset == "my-digits":
        from desktop_dl.core.datasets.registry import personal_digits_path
        return str(personal_digits_path())
    table = _table(dataset)
    if table is not None:
        from desktop_dl.paths import resource
        return str(resource("datasets", table.file))
    return None


def _imdb_loader(spec) -> str:
    first = spec.layers[0]
    if spec.input_dtype == "int32":
        words = first.params.get("input_dim", 10000) if first.type == "Embedding" else 10000
        words = int(words) if isinstance(words, int) and not isinstance(words, bool) else 10000
        body = f"        x = keras.utils.pad_sequences(x, maxlen={int(spec.input_shape[0] or 200)})"
    else:
        words = int(spec.input_shape[-1] or 10000)
        body = (f'        multi_hot = np.zeros((len(x), {words}), dtype="float32")\n'
                "        for i, word_ids in enumerate(x):\n"
                "            multi_hot[i, word_ids] = 1.0\n"
                "        x = multi_hot")
    return f'''def load_data(path=None):
    """IMDB movie reviews from keras.datasets (the {words} most frequent words); Keras's test
    split, the training part split into training and validation as the app does."""
    (x, y), (x_test, y_test) = keras.datasets.imdb.load_data(num_words={words})
    train, val, _ = split_indices(len(y), SPLIT["validation"], 0.0, SPLIT["seed"], y)
    parts = []
    for x, y in ((x[train], y[train]), (x[val], y[val]), (x_test, y_test)):
{body}
        parts.append((x, y.astype("float32")))
    return parts
'''


def _npz_loader(spec) -> str:
    dims = ", ".join(_dim(d) for d in spec.input_shape)
    return f'''def load_data(path):
    """Any .npz file holding arrays x (samples × {" × ".join(_dim(d) for d in spec.input_shape)}) and y,
    split as the app does (stratified by class when y holds whole numbers)."""
    with np.load(path, allow_pickle=False) as data:
        x, y = data["x"], data["y"]
    x = x.astype({_q(spec.input_dtype)}).reshape((-1, {dims}))
    labels = y if y.dtype.kind in "iub" and y.ndim == 1 else None
    train, val, test = split_indices(len(y), SPLIT["validation"], SPLIT["test"], SPLIT["seed"], labels)
    return [(x[i], y[i]) for i in (train, val, test)]
'''
