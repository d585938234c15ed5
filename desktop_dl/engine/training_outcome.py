"""What a training run in the worker process hands back to the window (engine.training_process):
the picklable TrainingOutcome, and the wrong test samples' thumbnails, which stay on disk in the
run folder (MISTAKES_FILE) rather than in the window's memory."""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

MISTAKES_FILE = "mistakes.npz"


@dataclass
class TrainingOutcome:
    """What a finished (or crashed) run hands to the window; the Keras model stays on disk."""
    result: Any                         # engine.trainer.TrainResult, .model None
    files: Any                          # engine.run_folder.RunFiles, .export_report None
    spec: Any
    settings: Any
    dataset_name: str
    dataset_title: str
    used_default_dataset: bool = False
    class_names: list = field(default_factory=list)
    wrong_images_path: str | None = None     # MISTAKES_FILE in the run folder (image datasets)
    export_summary: str | None = None


def outcome_of(outcome, plan) -> TrainingOutcome:
    """A run_pipeline.RunOutcome → the picklable TrainingOutcome (model and export report dropped)."""
    result, files = outcome.result, outcome.files
    wrong = None
    ev = result.evaluation
    if ev is not None and len(ev.wrong_indices) and plan.dataset_info.get("kind") == "image":
        wrong = save_mistakes(files.folder, display_images(plan.splits.x_test[ev.wrong_indices]))
    summary = files.export_report.summary() if files.export_report is not None else None
    result = dataclasses.replace(result, model=None)
    files = dataclasses.replace(files, export_report=None)
    return TrainingOutcome(result, files, plan.spec, plan.settings, plan.dataset_info["name"],
                           plan.dataset_info.get("title", plan.dataset_info["name"]), False,
                           list(plan.class_names), wrong, summary)


def save_mistakes(folder, images: np.ndarray) -> str | None:
    """Write the wrong test samples' thumbnails (uint8 (n, h, w[, 3])) to MISTAKES_FILE in the run
    folder; the window loads them when its Mistakes view shows the run, so they never sit in the
    window's memory per run. None when the folder cannot be written (the view says so)."""
    path = Path(folder) / MISTAKES_FILE
    try:
        np.savez_compressed(path, images=np.ascontiguousarray(images, dtype=np.uint8))
    except OSError as exc:
        log.warning("mistakes not saved: %s", exc)
        return None
    return str(path)


def load_mistakes(path) -> np.ndarray | None:
    """The thumbnails save_mistakes wrote (uint8), or None if the file is gone or unreadable."""
    try:
        with np.load(path, allow_pickle=False) as data:
            images = data["images"]
    except (OSError, KeyError, ValueError) as exc:
        log.warning("mistakes not loaded from %s: %s", path, exc)
        return None
    return images if images.dtype == np.uint8 else None


def display_images(x: np.ndarray) -> np.ndarray:
    """Model inputs (n, h, w[, c]) in any range → uint8 (n, h, w[, c]) for thumbnails: each
    image min-max scaled to 0..255 on its own; a single channel is dropped to (n, h, w)."""
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    lo = x.min(axis=tuple(range(1, x.ndim)), keepdims=True)
    hi = x.max(axis=tuple(range(1, x.ndim)), keepdims=True)
    scaled = (x - lo) / np.maximum(hi - lo, 1e-12)
    return (scaled * 255).round().astype(np.uint8)
