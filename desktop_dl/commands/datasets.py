"""`desktop-dl datasets [--json]`: the built-in datasets (no network, no TensorFlow).

Plain output is one line per dataset: name, task, samples and input shape; the name is what
`desktop-dl train --dataset NAME` takes. Files and folders can be given to --dataset too.
"""
from __future__ import annotations

import json

from desktop_dl.core.i18n import _


def describe(name: str) -> dict:
    """The built-in dataset `name` as a JSON-ready dict: name, title, kind, task, samples (int),
    input_shape (list of int), classes (list of str), description. Loads the dataset (no
    network); an unknown name raises DatasetError."""
    from desktop_dl.core.datasets.registry import load_dataset

    ds = load_dataset(name)
    return {"name": ds.name, "title": ds.title, "kind": ds.kind, "task": ds.task,
            "samples": len(ds), "input_shape": list(ds.input_shape),
            "classes": list(ds.class_names), "description": ds.description}


def run(args) -> int:
    """Run `desktop-dl datasets`: print every built-in dataset, one line each (name, task, samples,
    input shape, title) or a JSON list of describe() dicts with --json. Returns exit status 0."""
    from desktop_dl.core.datasets.registry import list_builtin

    entries = [describe(info.name) for info in list_builtin()]
    if args.json:
        print(json.dumps(entries, indent=2))
        return 0
    width = max(len(e["name"]) for e in entries)
    for e in entries:
        shape = "(" + ", ".join(str(s) for s in e["input_shape"]) + ("," if len(e["input_shape"]) == 1 else "") + ")"
        details = _("{samples:>6} samples  input {shape}", samples=e["samples"], shape=shape)
        print(f"{e['name']:<{width}}  {e['task']:<10}  {details}  {e['title']}")
    return 0
