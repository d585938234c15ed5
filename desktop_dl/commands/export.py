"""`desktop-dl export MODEL --format onnx|keras|savedmodel|python --out PATH`.

ONNX exports are checked (onnx.checker and a Keras/ONNX Runtime parity run) and refused when
they fail. `--dataset` supplies the parity samples and the metadata (class names, preprocessing);
without it, the run folder beside MODEL (history.json, spec.json) supplies the metadata and random
inputs are used for parity. Prints one line, then exits 0; 2 for a usage or file error.
"""
from __future__ import annotations


def run(args) -> int:
    """Run `desktop-dl export`: export args.model in args.format to args.out via
    engine.model_export.export_model and print its one-line message. Returns exit status 0; a
    usage or file error (a UserError) becomes exit status 2 in the CLI."""
    from desktop_dl.engine.model_export import export_model

    outcome = export_model(args.model, args.format, args.out, dataset=args.dataset, opset=args.opset)
    print(outcome.message)
    return 0
