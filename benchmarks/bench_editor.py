"""Layer editor speed: re-analysing a long stack, and one edit until every view has repainted.

Usage:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_editor.py [--layers 100 200] [--repeat 40]

For each stack size it prints, as median / 95th percentile / max in milliseconds (wall clock),
plus the median CPU time of this process (steadier when other work shares the machine):
  analyse          core.shapes.analyse(spec) alone (the re-validation done after every edit)
  <edit> → views   push the undo command, then process events until the stack, summary, totals,
                   problem list and property panel have updated and repainted
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def stack_spec(n_layers: int):
    """A plausible deep MLP: blocks of Dense(64, relu) → BatchNormalization → Dropout(0.2)."""
    from desktop_dl.core.catalogue import CATALOGUE
    from desktop_dl.core.spec import LayerSpec, ModelSpec

    block = [("Dense", {"units": 64, "activation": "relu"}), ("BatchNormalization", {}),
             ("Dropout", {"rate": 0.2})]
    layers = []
    while len(layers) < n_layers - 1:
        kind, params = block[len(layers) % 3]
        layers.append(LayerSpec(kind, {**CATALOGUE[kind].defaults(), **params}))
    layers.append(LayerSpec("Dense", {**CATALOGUE["Dense"].defaults(), "units": 10, "activation": "softmax"}))
    return ModelSpec((784,), layers, name=f"bench-{n_layers}")


def stats(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered):7.2f}   p95 {p95:7.2f}   max {ordered[-1]:7.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=int, nargs="+", default=[100, 200])
    ap.add_argument("--repeat", type=int, default=40)
    args = ap.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from desktop_dl.core.shapes import analyse
    from desktop_dl.ui.editor.layer_commands import InsertLayerCommand, MoveLayerCommand, SetParamCommand
    from desktop_dl.core.spec import LayerSpec
    from desktop_dl.ui.editor.layer_editor import LayerEditor

    for n in args.layers:
        spec = stack_spec(n)
        for _ in range(5):
            analyse(spec)
        samples = []
        for _ in range(args.repeat * 5):
            t = time.perf_counter()
            analyse(spec)
            samples.append((time.perf_counter() - t) * 1000)
        print(f"{n} layers")
        print(f"  analyse                  {stats(samples)}")

        editor = LayerEditor()
        editor.resize(1280, 800)
        editor.show()
        app.processEvents()
        t = time.perf_counter()
        editor.restore_project_state({"spec": spec.to_dict()})
        app.processEvents()
        print(f"  open the spec → views    {(time.perf_counter() - t) * 1000:7.2f} ms")
        editor._select_row(n // 2)
        app.processEvents()
        model = editor.model

        def timed(make_command) -> tuple[list[float], list[float]]:
            wall, cpu = [], []
            for i in range(args.repeat):
                command = make_command(i)
                t, c = time.perf_counter(), time.process_time()
                editor.undo_stack.push(command)
                app.processEvents()            # layout and repaint of every view
                wall.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            return wall, cpu

        middle = model.layer(n // 2 - (n // 2) % 3)   # a Dense in the middle of the stack
        edits = {
            "set units → views": lambda i: SetParamCommand(model, middle.uid, "units", 65 + i),
            "insert → views": lambda i: InsertLayerCommand(model, n // 2, LayerSpec("Dropout", {"rate": 0.1})),
            "move → views": lambda i: MoveLayerCommand(model, n // 2, n // 2 + 1),
        }
        for name, make in edits.items():
            editor.undo_stack.clear()
            wall, cpu = timed(make)
            print(f"  {name:<24} wall {stats(wall)}   | CPU median {statistics.median(cpu):6.2f} ms")
        undo, undo_cpu = [], []
        for _ in range(min(args.repeat, editor.undo_stack.count())):
            t, c = time.perf_counter(), time.process_time()
            editor.undo_stack.undo()
            app.processEvents()
            undo.append((time.perf_counter() - t) * 1000)
            undo_cpu.append((time.process_time() - c) * 1000)
        print(f"  {'undo → views':<24} wall {stats(undo)}   | CPU median {statistics.median(undo_cpu):6.2f} ms")
        print(f"  (analysis inside the last edit: {model.last_analysis_ms:.2f} ms; "
              f"{model.layer_count()} layers, {model.analysis().total:,} parameters)")
        editor.close()
        editor.deleteLater()
        app.processEvents()


if __name__ == "__main__":
    main()
