"""`desktop-dl data PATH_OR_NAME`: the dataset exactly as the app reads it, before training.

    desktop-dl data measurements.csv --target klasse [--delimiter ';'] [--decimal ,]
                    [--encoding cp1252] [--header auto|yes|no] [--missing drop|fill]
                    [--size 28] [--color grayscale|rgb] [--json] [--samples OUT.npz]

Prints the kind, task, sample count, input shape, per-column types (tables), classes with
their counts and original labels, the reader's choices (delimiter, decimal mark, encoding,
header) and every note and warning. The same reader code as the window runs.

`--json` prints one object with these keys (stable; new keys may be added, none removed):
  name, title, source     str (source: the file or folder; null for built-ins in memory)
  kind                    "image" | "table" | "sequence"
  task                    "binary" | "multiclass" | "regression" | "multilabel"
  samples                 int, every sample the file holds
  input_shape             [int, ...], one sample as the model receives it
  classes                 [{"index": int, "name": str, "count": int}], [] for regression;
                          name is the label as the data wrote it ("10" where the data said 10)
  reader                  tables: {"delimiter", "decimal", "thousands" (str|null), "encoding",
                          "header" (bool)}; null for other kinds
  columns                 tables: [{"name", "type" ("numeric"|"categorical"), "missing",
                          "target" (bool), and "min", "max", "mean", "std" (numeric) or
                          "categories" (int, categorical)}]; [] for other kinds
  split                   {"train", "validation", "test"}: sample counts of the default split
                          (validation 0.1, test 0.1), or {"error": str} when it cannot be split
  notes                   [str]: what the reader found and decided
  warnings                [str]: what it changed, skipped or left out
  samples_file            str, only with --samples
`--samples OUT.npz` writes the model-ready arrays the trainer gets (seeded split, validation
0.1, test 0.1): x (float32, N × input_shape, train then validation then test), y (int32 class
index, or float32 target), split (uint8: 0 train, 1 validation, 2 test), class_names (str).
Exit status: 0 read, 2 the data cannot be read as asked (the message says why).
"""
from __future__ import annotations
from desktop_dl.core.i18n import _

import json
from pathlib import Path

READER_FLAGS = ("delimiter", "decimal", "encoding", "header", "missing")


def add_reader_flags(parser) -> None:
    """The table reader's choices as flags (shared by `data` and `train`)."""
    group = parser.add_argument_group("table reading (CSV/TSV/TXT; detected when not given)")
    group.add_argument("--delimiter", metavar="CHAR",
                       help=_("column separator: ',', ';', tab ('\\t' or 'tab'), '|' or 'space'"))
    group.add_argument("--decimal", choices=[".", ","], help=_("decimal mark of the numbers"))
    group.add_argument("--encoding", metavar="NAME",
                       help=_("text encoding, e.g. utf-8, utf-16, cp1252, gbk"))
    group.add_argument("--header", choices=["auto", "yes", "no"], default="auto",
                       help=_("is the first row a header? (auto: by the types of the rows "
                              "below)"))
    group.add_argument("--missing", choices=["drop", "fill"], default=None,
                       help=_("rows with a missing value: drop them, or fill with the training "
                              "mean / most common value (default: drop)"))


def reader_options(args) -> dict:
    """load_dataset options from the reader flags (only those given)."""
    options = {}
    if getattr(args, "target", None):
        options["target"] = args.target
    for flag, option in (("delimiter", "delimiter"), ("decimal", "decimal"),
                         ("encoding", "text_encoding"), ("missing", "missing")):
        value = getattr(args, flag, None)
        if value:
            options[option] = "\t" if flag == "delimiter" and value in ("\\t", "tab") else value
    if getattr(args, "header", "auto") not in (None, "auto"):
        options["header"] = args.header
    return options


def describe_dataset(ds) -> dict:
    """The JSON object documented above (without samples_file)."""
    classes = []
    if ds.is_classification():
        counts = ds.class_counts()
        classes = [{"index": i, "name": str(n), "count": int(counts[i]) if i < len(counts) else 0}
                   for i, n in enumerate(ds.class_names)]
    reader = getattr(ds, "reader", None)
    columns = ds.column_statistics() if hasattr(ds, "column_statistics") else []
    try:
        split = ds.split_sizes(0.1, 0.1, 0)
    except Exception as exc:   # noqa: BLE001 - a too-small dataset: say so instead of failing
        split = {"error": str(exc)}
    return {"name": ds.name, "title": ds.title, "source": ds.source, "kind": ds.kind,
            "task": ds.task, "samples": len(ds), "input_shape": list(ds.input_shape),
            "classes": classes, "reader": reader.to_dict() if reader else None,
            "columns": columns, "split": split, "notes": list(getattr(ds, "notes", [])),
            "warnings": list(ds.warnings)}


def json_help() -> str:
    """The `--json` and `--samples` part of this module's doc, for `desktop-dl data --help`."""
    text = __doc__
    return text[text.index("`--json` prints"):text.index("Exit status")].strip()


def write_samples(ds, path: Path, seed: int = 0) -> None:
    """Model-ready arrays as the trainer gets them (see the module doc)."""
    import numpy as np

    s = ds.splits(validation=0.1, test=0.1, seed=seed)
    x = np.concatenate([s.x_train, s.x_val, s.x_test])
    y = np.concatenate([s.y_train, s.y_val, s.y_test])
    split = np.repeat(np.arange(3, dtype=np.uint8), [len(s.y_train), len(s.y_val), len(s.y_test)])
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, x=x, y=y, split=split,
                        class_names=np.array(list(ds.class_names), dtype=np.str_))


def _plain(info: dict) -> str:
    shape = "(" + ", ".join(str(s) for s in info["input_shape"]) + \
        ("," if len(info["input_shape"]) == 1 else "") + ")"
    lines = [f"{info['name']}: {info['kind']}, {info['task']}",
             f"  source       {info['source'] or '(built in)'}",
             f"  samples      {info['samples']:,}",
             _("  input shape  {shape}", shape=shape)]
    if info["classes"]:
        listed = ", ".join(f"{c['name']} ({c['count']})" for c in info["classes"][:30])
        more = f", … ({len(info['classes'])} classes)" if len(info["classes"]) > 30 else ""
        lines.append(f"  classes      {listed}{more}")
    split = info["split"]
    if "error" in split:
        lines.append(f"  split        {split['error']}")
    else:
        lines.append(f"  split        {split['train']} train, {split['validation']} validation, "
                     f"{split['test']} test")
    reader = info["reader"]
    if reader:
        delim = {"\t": "tab", " ": "space"}.get(reader["delimiter"], repr(reader["delimiter"]))
        lines.append(_("  reader       delimiter {delim}, decimal {reader!r}, thousands "
                       "{reader2!r}, encoding {reader3}, header {value}",
                       delim=delim, reader=reader['decimal'], reader2=reader['thousands'], reader3=reader['encoding'], value='yes' if reader['header'] else 'no'))
    if info["columns"]:
        lines.append("  columns")
        width = max(len(c["name"]) for c in info["columns"])
        for c in info["columns"]:
            if c["type"] == "numeric" and "min" in c:
                detail = f"{c['min']:.4g}..{c['max']:.4g}, mean {c['mean']:.4g}"
            else:
                detail = f"{c.get('categories', 0)} categories" if c["type"] != "numeric" else ""
            mark = "  (target)" if c["target"] else ""
            lines.append(f"    {c['name']:<{width}}  {c['type']:<11}  {detail}  "
                         f"missing {c['missing']}{mark}")
    for title, key, mark in (("notes", "notes", "-"), ("warnings", "warnings", "!")):
        if info[key]:
            lines.append(f"  {title}")
            lines += [f"    {mark} {text}" for text in info[key]]
    if info.get("samples_file"):
        lines.append(_("  model-ready arrays written to {info}", info=info['samples_file']))
    return "\n".join(lines)


def run(args) -> int:
    """Run `desktop-dl data`: read args.dataset with the reader options, print its description
    (plain text, or JSON with --json) and with --samples write the model-ready arrays. Returns
    exit status 0; a file that cannot be read raises a UserError (DatasetError), which the CLI
    prints and turns into exit status 2."""
    from desktop_dl.core.datasets import load_dataset

    options = reader_options(args)
    if getattr(args, "size", None):
        options["size"] = args.size
    if getattr(args, "color", None):
        options["color"] = args.color
    ds = load_dataset(args.dataset, **options)
    info = describe_dataset(ds)
    if args.samples:
        write_samples(ds, Path(args.samples))
        info["samples_file"] = str(args.samples)
    print(json.dumps(info, indent=2, default=_json_default) if args.json else _plain(info))
    return 0


def _json_default(value):
    import numpy as np

    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON: {type(value).__name__}")
