"""`desktop-dl summary`: a model.summary()-like table computed without TensorFlow.

Exit status: 0 when the model is valid, 1 when it has problems (they are printed too).
"""
from __future__ import annotations

import json
import sys

from desktop_dl.core.i18n import _, ngettext
from desktop_dl.core.losses import task_name


def load_spec(args):
    """The spec named by --template or --spec: a spec JSON, or a project (.ddl) whose model is
    used (SpecError/ProjectError, UserErrors, when it cannot be)."""
    from desktop_dl.core.spec import ModelSpec
    from desktop_dl.core.templates import load_template
    if getattr(args, "template", None):
        return load_template(args.template)
    if str(args.spec).lower().endswith(".ddl"):
        from desktop_dl.core.project import ProjectError, load_project
        project = load_project(args.spec)
        if project.spec is None:
            raise ProjectError(_("{spec} holds no model yet.", spec=args.spec))
        return project.spec
    return ModelSpec.load(args.spec)


def run(args) -> int:
    """Run `desktop-dl summary`: analyse the spec from load_spec(args) without TensorFlow and print
    a Keras-like table (format_table) or JSON with --json (layers with names, totals, problems,
    and the chosen loss). Returns 0 when the model is valid, 1 when it has problems;
    SpecError/ProjectError from load_spec reach the CLI (exit 2)."""
    from desktop_dl.core.errors import SpecError
    from desktop_dl.core.loss_choice import resolve_loss
    from desktop_dl.core.shapes import analyse, layer_names

    spec = load_spec(args)
    analysis = analyse(spec)
    names = layer_names(spec)
    loss = None
    if analysis.output_shape is not None and spec.layers:
        try:
            loss = resolve_loss(spec)
        except SpecError:
            loss = None
    if args.json:
        data = {"name": spec.name, **analysis.to_dict()}
        for entry, name in zip(data["layers"], names):
            entry["name"] = name
        if loss is not None:
            data["loss"] = {"loss": loss.loss, "metrics": loss.metrics, "task": loss.task,
                            "rule": loss.rule}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(format_table(spec, analysis, names, loss))
    return 0 if analysis.ok else 1


def _shape(shape) -> str:
    if shape is None:
        return "?"
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"


def format_table(spec, analysis, names, loss=None) -> str:
    """The model.summary()-like table as one str: a row per layer (name (type), output shape,
    parameter count; ? where the shape is unknown), total/trainable/non-trainable parameter
    counts, the loss and metrics when `loss` (a core.loss_choice result) is given, then the
    analysis' problems and hints. `analysis` is a core.shapes.analyse() result, `names` the
    layer names in order."""
    rows = [("input (InputLayer)", _shape(analysis.input_shape), "0")]
    for report, name in zip(analysis.layers, names):
        rows.append((f"{name} ({report.type})", _shape(report.output_shape),
                     f"{report.params:,}" if report.output_shape is not None else "?"))
    w0 = max(28, max(len(r[0]) for r in rows) + 2)
    w1 = max(24, max(len(r[1]) for r in rows) + 2)
    w2 = max(12, max(len(r[2]) for r in rows))
    rule = "=" * (w0 + w1 + w2)
    layer_head, shape_head, param_head = _("Layer (type)"), _("Output Shape"), _("Param #")
    lines = [_('Model: "{name}"', name=spec.name), rule,
             f"{layer_head:<{w0}}{shape_head:<{w1}}{param_head:>{w2}}", rule]
    lines += [f"{a:<{w0}}{b:<{w1}}{c:>{w2}}" for a, b, c in rows]
    unknown = any(r.output_shape is None for r in analysis.layers)
    lines += [rule,
              _("Total params: {total:,}", total=analysis.total) +
              (_(" so far (layers marked ? are unknown until the problems below are fixed)")
               if unknown else ""),
              _("Trainable params: {trainable:,}", trainable=analysis.trainable),
              _("Non-trainable params: {non_trainable:,}", non_trainable=analysis.non_trainable)]
    if loss is not None:
        lines.append(_("Loss: {loss}, metrics: {metrics} ({task})", loss=loss.loss,
                       metrics=", ".join(loss.metrics), task=task_name(loss.task)))
    if analysis.problems:
        lines.append("")
        lines.append(ngettext("{n} problem:", "{n} problems:", len(analysis.problems)))
        for p in analysis.problems:
            lines.append(f"  {_where(spec, p.index)}: {p.message}")
    for p in analysis.hints:
        lines.append(_("  hint, {where}: {message}", where=_where(spec, p.index), message=p.message))
    return "\n".join(lines)


def _where(spec, index) -> str:
    if index is None:
        return _("model")
    return _("layer {number} ({type})", number=index + 1, type=spec.layers[index].type)


if __name__ == "__main__":  # pragma: no cover - use `desktop-dl summary`
    sys.exit("use: desktop-dl summary --template NAME | --spec FILE")
