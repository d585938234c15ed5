"""Which output of a foreign ONNX classifier holds the class scores, and what kind of scores.

Files from other tools rarely put the scores first:
- scikit-learn's converter (skl2onnx) writes `label` (int64, N) first and `probabilities`
  second, either a float tensor (N, K) or, by default, a ZipMap: a sequence of maps
  class label → probability (ONNX-ML domain), whose labels are the class names;
- ONNX-ML classifiers (LinearClassifier, SVMClassifier, TreeEnsembleClassifier) carry their
  class labels in `classlabels_strings` / `classlabels_ints`;
- Keras/PyTorch exports give one float tensor (N, K), or (N, 1) for a sigmoid yes/no model.

`choose_scores(outputs, facts)` picks the float tensor (N, K≥2 or N, 1) or the ZipMap, skipping
integer label and string outputs, and refuses (ModelFileError listing every output's name, type
and shape) when none can be class scores: never a confident answer from the wrong tensor.
`score_kind_of(...)` says whether the scores are probabilities, logits or sigmoid outputs when
the graph shows it (Softmax / Sigmoid / ZipMap / ONNX-ML classifier as the producer); otherwise
the recognizer decides from the values (rows that sum to one are probabilities).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from desktop_dl.core.errors import ModelFileError
from desktop_dl.core.i18n import _

FLOAT_TYPES = ("tensor(float)", "tensor(double)", "tensor(float16)")
_SCORE_WORDS = ("prob", "score", "logit", "softmax", "output", "predictions")
_ML_CLASSIFIERS = ("LinearClassifier", "SVMClassifier", "TreeEnsembleClassifier")


@dataclass(frozen=True)
class ScoreOutput:
    """The model output that holds class scores: its name, form ("tensor": (N, K) floats, or
    "zipmap": ONNX-ML ZipMap, a sequence of label→score maps), the column count K when declared
    (None when free) and the labels in column order (ZipMap / classifier labels, else empty)."""
    name: str
    form: str                         # "tensor" or "zipmap"
    columns: int | None               # K when declared; None when the file leaves it free
    labels: tuple[str, ...] = ()      # ZipMap / classifier labels, in column order


def describe_outputs(outputs) -> str:
    """'label (tensor(int64), (?)), probabilities (tensor(float), (?, 10))' for messages."""
    return "; ".join(f"{o.name} ({o.type}, {_shape_text(o.shape)})" for o in outputs)


def choose_scores(path, outputs, facts) -> ScoreOutput:
    """The output holding class scores (see the module docstring), or ModelFileError.

    `outputs`: ONNX Runtime's NodeArg list (name, type, shape); `facts`: an
    engine.onnx_inspect.OnnxFacts or None when the file could not be parsed by onnx.
    """
    zipmap_labels = facts.zipmap_labels if facts else {}
    classifier_labels = tuple(facts.classifier_labels or ()) if facts else ()
    candidates: list[tuple[int, ScoreOutput]] = []
    for order, out in enumerate(outputs):
        if out.type.startswith("seq(map(") and "tensor(float)" in out.type:
            labels = tuple(zipmap_labels.get(out.name) or classifier_labels)
            candidates.append((-order + 100, ScoreOutput(out.name, "zipmap", len(labels) or None, labels)))
            continue
        if out.type not in FLOAT_TYPES:
            continue                     # int64 "label" outputs, strings, maps of other kinds
        shape = list(out.shape or [])
        if not shape:
            continue
        per_row = [d for d in shape[1:]]
        if any(isinstance(d, int) and d == 0 for d in per_row):
            continue
        known = all(isinstance(d, int) and d > 0 for d in per_row)
        columns = math.prod(per_row) if known else None
        if len(shape) == 1:
            columns = 1                  # (N,): one score per row, read as (N, 1)
        score = 0
        lowered = out.name.lower()
        if any(word in lowered for word in _SCORE_WORDS):
            score += 10
        if columns is not None and columns >= 2:
            score += 5
        if classifier_labels and columns == len(classifier_labels):
            score += 20
        labels = classifier_labels if classifier_labels and columns in (None, len(classifier_labels)) else ()
        candidates.append((score - order, ScoreOutput(out.name, "tensor", columns, labels)))
    if not candidates:
        raise ModelFileError(
            _("{name} has no output that can be read as class scores (a float tensor of shape "
              "(N, classes), or scikit-learn's probabilities). Its outputs: {describe_outputs}.",
              name=path.name, describe_outputs=describe_outputs(outputs)))
    return max(candidates, key=lambda c: c[0])[1]


def score_kind_of(chosen: ScoreOutput, facts) -> str:
    """'probabilities', 'logits', 'sigmoid' when the graph shows it, else 'auto'."""
    if chosen.form == "zipmap":
        return "probabilities"
    op = (facts.producer_op.get(chosen.name, "") if facts else "")
    if op in ("Softmax", "ZipMap") or op in _ML_CLASSIFIERS:
        return "probabilities"
    if op == "LogSoftmax":
        return "logits"                  # softmax(log p) = p
    if op == "Sigmoid":
        return "sigmoid"
    return "auto"


def zipmap_to_array(rows, labels: tuple[str, ...]) -> np.ndarray:
    """ORT's list of {label: probability} dicts (the ONNX-ML ZipMap operator's output, a sequence
    of maps) → (N, K) float32 in `labels` order (or the first row's key order when the labels are
    unknown or do not all match its keys); (0, len(labels)) for no rows."""
    rows = list(rows)
    if not rows:
        return np.zeros((0, len(labels)), np.float32)
    keys = list(rows[0].keys())
    by_text = {str(k): k for k in keys}
    order = [by_text[label] for label in labels if label in by_text] if labels else keys
    if len(order) != len(keys):
        order = keys
    return np.array([[float(row[k]) for k in order] for row in rows], dtype=np.float32)


def zipmap_labels(rows, labels: tuple[str, ...]) -> tuple[str, ...]:
    """The class names a ZipMap output gives, in column order."""
    if labels:
        return labels
    rows = list(rows)
    return tuple(str(k) for k in rows[0].keys()) if rows else ()


def _shape_text(shape) -> str:
    if shape is None:
        return "?"
    return "(" + ", ".join(str(d) if isinstance(d, int) and d > 0 else "?" for d in shape) + ")"
