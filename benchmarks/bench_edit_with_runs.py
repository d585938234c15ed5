"""GUI-thread time of one model edit while the project holds 20 kept runs.

An edit pushes an undo command (the editor's views update) and then the project controller decides
the "modified" mark. Before issue 17 that check re-hashed the whole project, every kept run's .keras
bytes included (~110 ms at 20 runs); now it compares counters (ui/app/change_tracker.py). The
target is < 5 ms per edit. The "What is this?" text of the layer being edited follows once after a
burst of edits (ui/editor/explanation_panel.py); its cost is printed on its own line.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_edit_with_runs.py [--runs 20] [--repeat 20]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DESKTOP_DL_DATA", tempfile.mkdtemp(prefix="ddl-bench-"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--weights-mb", type=float, default=1.5, help="size of each run's .keras file")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()

    import numpy as np
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from desktop_dl.core.templates import load_template
    from desktop_dl.ui.app.main_window import MainWindow
    from desktop_dl.ui.editor.layer_commands import SetParamCommand
    from desktop_dl.ui.train.training_runs import RunRecord

    window = MainWindow()
    window.show()
    app.processEvents()
    spec = load_template("mnist-cnn")
    window.editor.set_spec(spec)
    rng = np.random.default_rng(0)
    folder = tempfile.mkdtemp(prefix="ddl-bench-runs-")
    runs = []
    for i in range(args.runs):
        weights = b"PK\x03\x04" + rng.bytes(int(args.weights_mb * 2**20))
        path = os.path.join(folder, f"run{i}.keras")
        with open(path, "wb") as f:
            f.write(weights)
        curve = np.linspace(1, 0.2, 300).tolist()
        runs.append(RunRecord(f"r{i}", f"Run {i + 1}", "2026-12-01T03:00:00", spec.to_dict(),
                              {"epochs": 5, "batch_size": 64},
                              {"loss": [1.0, 0.6, 0.4], "val_loss": [1.1, 0.7, 0.5]},
                              {"test_accuracy": 0.9}, batch_x=list(range(300)), batch_loss=curve,
                              keras_path=path, kept=True))   # trained here: weights in its folder
    window.training.runs.set_runs(runs)
    window.training.projectStateChanged.emit()
    window.project.refresh_modified()
    app.processEvents()

    model = window.editor.model
    dense = next(layer for layer in spec.layers if layer.type == "Dense")
    edit, check, total, explain = [], [], [], []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        window.editor.undo_stack.push(SetParamCommand(model, model.layer(len(spec.layers) - 1).uid,
                                                      "units", 10 + (i % 2)))
        app.processEvents()
        t1 = time.perf_counter()
        window.project.refresh_modified()           # what the debounced check does after an edit
        t2 = time.perf_counter()
        edit.append((t1 - t0) * 1000)
        check.append((t2 - t1) * 1000)
        total.append((t2 - t0) * 1000)
        t3 = time.perf_counter()
        window.editor.explanation.flush()           # once per burst of edits, not per edit
        app.processEvents()
        explain.append((time.perf_counter() - t3) * 1000)
    for name, values in (("edit → views", edit), ("modified check", check), ("per edit", total),
                         ("explanation", explain)):
        print(f"{name:>15}: median {statistics.median(values):7.2f} ms, max {max(values):7.2f} ms")
    print(f"({args.runs} kept runs of {args.weights_mb} MB; target: per edit < 5 ms)")
    window.project.prompts.save_changes = lambda name: "discard"
    window.close()


if __name__ == "__main__":
    main()
