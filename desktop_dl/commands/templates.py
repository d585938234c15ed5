"""`desktop-dl templates`: the model templates, one per line (name and title) or as JSON."""
from __future__ import annotations

import json
from dataclasses import asdict


def run(args) -> int:
    """Run `desktop-dl templates`: print each model template's name and title, or with --json a
    list of the template info plus input_shape (list of int), layers (count) and params (total
    parameter count from core.shapes.analyse). Returns exit status 0."""
    from desktop_dl.core.shapes import analyse
    from desktop_dl.core.templates import list_templates, load_template

    infos = list_templates()
    if args.json:
        items = []
        for info in infos:
            spec = load_template(info.name)
            items.append({**asdict(info), "input_shape": list(spec.input_shape),
                          "layers": len(spec.layers), "params": analyse(spec).total})
        print(json.dumps(items, indent=2, ensure_ascii=False))
        return 0
    width = max((len(i.name) for i in infos), default=0) + 2
    for info in infos:
        print(f"{info.name:<{width}}{info.title}")
    return 0
