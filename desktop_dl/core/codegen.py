"""Spec → a readable, runnable Keras script (`keras.Sequential([...])`, compile, fit).

The script is what a learner would write after the tutorials: one layer per line with only the
arguments that differ from Keras's defaults, the loss chosen by the classic rules, and a data
loader for the named dataset (MNIST npz, a CSV table, Keras's IMDB, or any npz with x and y).

Specs come from files other people send, so no text from a spec is ever pasted into the script
as code: strings become Python literals through `_q` (repr), docstring and comment text goes
through `_doc_text`/`_comment_text` (quotes, backslashes and control characters escaped), and
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
                    epochs: int = 5, batch_size: int | None = None) -> str:
    """A runnable Python script that builds, compiles and trains `spec` on `dataset`.

    `dataset`: "mnist-5k"/"my-digits" (an MNIST-style npz, falling back to
    keras.datasets.mnist), a built-in table name (its CSV file), "imdb" (keras.datasets.imdb),
    or None (any .npz holding arrays x and y). Raises SpecError for a model with problems.
    """
    analysis = analyse(spec)
    if not spec.layers:
        raise SpecError(_("The model has no layers yet — add at least one layer."))
    if not analysis.ok:
        first = analysis.problems[0]
        where = "" if first.index is None else \
            _("layer {number} ({type}): ", number=first.index + 1, type=spec.layers[first.index].type)
        raise SpecError(_("Fix the model before exporting it as Python — {where}{problem}",
                          where=where, problem=first.message))
    choice = resolve_loss(spec, task or _dataset_task(dataset))
    opt = spec.compile.optimizer.lower()
    if opt not in _OPTIMIZER_CLASSES:
        raise SpecError(_("Unknown optimizer {name!r}; choose one of {names}.",
                          name=spec.compile.optimizer, names=", ".join(_OPTIMIZER_CLASSES)))
    if batch_size is None:
        batch_size = 128 if dataset in ("mnist-5k", "my-digits") else 32
    loader, data_arg = _loader(spec, dataset)
    about = _doc_text(textwrap.fill(str(spec.description), 96))
    title = _doc_text(" ".join(str(spec.name).split()))
    run_line = _doc_text(f"python {_file_stem(spec.name)}.py {data_arg}".rstrip())
    metrics = "[" + ", ".join(_q(m) for m in choice.metrics) + "]"
    optimizer = (f"keras.optimizers.{_OPTIMIZER_CLASSES[opt]}"
                 f"(learning_rate={float(spec.compile.learning_rate)!r})")
    data_help = _q(data_arg or "not used: the data is downloaded by Keras")
    parts = [
        f'"""{title}: a Keras model generated by desktop_dl from a model spec.',
        "",
        *([about, ""] if about else []),
        "Run it with:",
        f"    {run_line}",
        '"""',
        "import argparse",
        "",
        "import numpy as np",
        "import keras",
        "from keras import layers",
        "",
        "",
        model_code(spec),
        "",
        loader,
        "",
        "def main():",
        f"    parser = argparse.ArgumentParser(description={_q(f'Train the {_file_stem(spec.name)} model.')})",
        f'    parser.add_argument("data", nargs="?", default=None, help={data_help})',
        f'    parser.add_argument("--epochs", type=int, default={int(epochs)})',
        f'    parser.add_argument("--batch-size", type=int, default={int(batch_size)})',
        "    args = parser.parse_args()",
        "",
        "    model = build_model()",
        *textwrap.wrap(_comment_text(choice.rule), 92, initial_indent="    # ", subsequent_indent="    # ",
                       break_on_hyphens=False),
        "    model.compile(",
        f"        optimizer={optimizer},",
        f"        loss={_q(choice.loss)},",
        f"        metrics={metrics},",
        "    )",
        "    model.summary()",
        "    x, y = load_data(args.data)",
        "    model.fit(x, y, epochs=args.epochs, batch_size=args.batch_size, validation_split=0.1,",
        "              shuffle=True)",
        "",
        "",
        'if __name__ == "__main__":',
        "    main()",
        "",
    ]
    return "\n".join(parts)


def _file_stem(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "model"


def _loader(spec, dataset) -> tuple[str, str]:
    """(the load_data function's source, the command-line data argument to show)."""
    dims = ", ".join(_dim(d) for d in spec.input_shape)
    shape = f"(-1, {dims})"
    dtype = _q(spec.input_dtype)
    if dataset in ("mnist-5k", "my-digits"):
        return f'''def load_data(path=None):
    """MNIST digits: an .npz with x (N×28×28 uint8) and y, or else keras.datasets.mnist."""
    if path:
        with np.load(path) as data:
            x, y = data["x"], data["y"]
    else:
        (x, y), _ = keras.datasets.mnist.load_data()
    x = (x.astype("float32") / 255.0).reshape({shape})
    return x, y.astype("int64")
''', "[mnist_5k.npz]"
    table = _table(dataset)
    if table is not None:
        y_line = ('y = data[target].astype("float32")' if table.task == "regression" else
                  "y = np.unique(data[target], return_inverse=True)[1]  # class names → 0, 1, ...")
        return f'''def load_data(path):
    """The {_doc_text(table.title)} table ({_doc_text(table.file)}); the target column is {_doc_text(table.target)}."""
    if not path:
        raise SystemExit({_q(f"Give the path of {table.file}.")})
    data = np.genfromtxt(path, delimiter=",", names=True, dtype=None, encoding="utf-8")
    target = {_q(table.target)}
    features = [n for n in data.dtype.names if n != target]
    x = np.stack([data[n].astype("float32") for n in features], axis=1)
    x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-7)  # standardise each feature
    {y_line}
    return x.reshape({shape}), y
''', table.file
    if dataset == "imdb":
        first = spec.layers[0]
        if spec.input_dtype == "int32":
            words = first.params.get("input_dim", 10000) if first.type == "Embedding" else 10000
            words = int(words) if isinstance(words, int) and not isinstance(words, bool) else 10000
            body = f"    x = keras.utils.pad_sequences(x, maxlen={int(spec.input_shape[0] or 200)})"
        else:
            words = int(spec.input_shape[-1] or 10000)
            body = (f'    multi_hot = np.zeros((len(x), {words}), dtype="float32")\n'
                    "    for i, word_ids in enumerate(x):\n"
                    "        multi_hot[i, word_ids] = 1.0\n"
                    "    x = multi_hot")
        return f'''def load_data(path=None):
    """IMDB movie reviews from keras.datasets (the {words} most frequent words)."""
    (x, y), _ = keras.datasets.imdb.load_data(num_words={words})
{body}
    return x, y.astype("float32")
''', ""
    return f'''def load_data(path):
    """Any .npz file holding arrays x (samples × {" × ".join(_dim(d) for d in spec.input_shape)}) and y."""
    if not path:
        raise SystemExit("Give the path of an .npz file with arrays x and y.")
    with np.load(path) as data:
        x, y = data["x"], data["y"]
    return x.astype({dtype}).reshape({shape}), y
''', "data.npz"
