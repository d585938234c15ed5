"""ONNX export of a model trained on JAX or PyTorch, done by a TensorFlow-backend child process.

tf2onnx converts TensorFlow graphs, and Keras fixes its backend per process, so the parent saves
the model as .keras, writes the parity inputs and *its own* outputs for them (the model as
trained), and runs `python -m desktop_dl.engine.onnx_export_process REQUEST.json` with
KERAS_BACKEND=tensorflow. The child loads the .keras file safely (keras_io.load_keras), converts
it with `export_onnx` and checks ONNX Runtime against the parent's outputs, so the parity check
means the same as on TensorFlow: the file computes what the trained model computes. It writes a
JSON answer: the ExportReport, or the error (a ParityError keeps its report).
"""
from __future__ import annotations
from desktop_dl.core.i18n import _

import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CHILD_TIMEOUT_S = 900


def export_in_tensorflow_process(model, path, *, metadata: dict, parity_inputs: np.ndarray,
                                 reference_outputs: np.ndarray, parity_source: str, opset: int,
                                 tolerance: float, progress) -> "ExportReport":  # noqa: F821
    """What `export_onnx` returns, computed by a TensorFlow child process (see the module doc).

    Raises ExportError (or ParityError with its report) as export_onnx does; ExportError also
    when TensorFlow is not installed or the child process fails.
    """
    from desktop_dl.engine import backends
    from desktop_dl.engine.onnx_export import ExportError

    if not backends.is_installed("tensorflow"):
        raise ExportError(_("ONNX export converts through TensorFlow (tf2onnx), which is not "
                            "installed here: pip install \"tensorflow>=2.21\", then export "
                            "model.keras again (desktop-dl export model.keras --format onnx)."))
    progress(_("Saving the model for the TensorFlow converter…"))
    with tempfile.TemporaryDirectory(prefix="ddl-onnx-") as tmp:
        folder = Path(tmp)
        model.save(folder / "model.keras")
        np.save(folder / "inputs.npy", parity_inputs)
        np.save(folder / "reference.npy", reference_outputs)
        request = {"keras": str(folder / "model.keras"), "inputs": str(folder / "inputs.npy"),
                   "reference": str(folder / "reference.npy"), "out": str(Path(path).resolve()),
                   "answer": str(folder / "answer.json"), "metadata": metadata, "opset": opset,
                   "tolerance": tolerance, "parity_source": parity_source}
        (folder / "request.json").write_text(json.dumps(request, default=_plain), encoding="utf-8")
        progress(_("Converting to ONNX in a TensorFlow process…"))
        env = {**os.environ, **backends.child_environment("tensorflow")}
        try:
            completed = subprocess.run(
                [sys.executable, "-m", "desktop_dl.engine.onnx_export_process",
                 str(folder / "request.json")], env=env, capture_output=True, text=True,
                timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise ExportError(_("The ONNX conversion did not finish within {value} minutes; "
                                "model.keras is kept, export it later with desktop-dl export.",
                                value=CHILD_TIMEOUT_S // 60)) from None
        answer_path = folder / "answer.json"
        if not answer_path.is_file():
            last = (completed.stderr or "").strip().splitlines()[-3:]
            raise ExportError(_("The TensorFlow export process ended without an answer (exit "
                                "status {returncode}): {names}",
                                returncode=completed.returncode, names=' '.join(last)[:400]))
        answer = json.loads(answer_path.read_text(encoding="utf-8"))
    return _report_from_answer(answer)


def _report_from_answer(answer: dict):
    from desktop_dl.engine.onnx_export import ExportError, ExportReport, ParityError

    report = None
    if answer.get("report"):
        data = dict(answer["report"])
        data["path"] = Path(data["path"])
        data["input_shape"] = tuple(data["input_shape"])
        report = ExportReport(**data)
    if answer.get("ok"):
        return report
    if answer.get("error_type") == "ParityError" and report is not None:
        raise ParityError(answer["error"], report)
    raise ExportError(answer.get("error") or _("The ONNX export failed in the TensorFlow "
                                               "process."))


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON-able: {type(value).__name__}")


def _child(request_path: str) -> int:
    from desktop_dl.engine import backends

    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    answer_path = Path(request["answer"])
    answer: dict = {"ok": False}
    try:
        backends.select_backend("tensorflow")
        from desktop_dl.engine.keras_io import load_keras
        from desktop_dl.engine.onnx_export import ParityError, export_onnx

        model = load_keras(request["keras"])
        try:
            report = export_onnx(model, request["out"], metadata=request["metadata"],
                                 parity_inputs=np.load(request["inputs"]),
                                 reference_outputs=np.load(request["reference"]),
                                 parity_source=request["parity_source"], opset=request["opset"],
                                 tolerance=request["tolerance"])
            answer = {"ok": True, "report": dataclasses.asdict(report)}
        except ParityError as exc:
            answer = {"ok": False, "error": str(exc), "error_type": "ParityError",
                      "report": dataclasses.asdict(exc.report)}
    except Exception as exc:  # every failure goes back as words; the parent raises ExportError
        answer = {"ok": False, "error": str(exc), "error_type": type(exc).__name__}
    answer_path.write_text(json.dumps(answer, default=_plain), encoding="utf-8")
    return 0 if answer["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(_child(sys.argv[1]))
