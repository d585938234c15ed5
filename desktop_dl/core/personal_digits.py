"""The user's own handwriting, collected from "That's wrong" on the drawing canvas.

One compressed NumPy file, `user_data_dir()/personal_digits.npz` (docs/ARCHITECTURE.md):
  x        uint8 N×28×28, white ink on black like MNIST (what the model saw)
  y        uint8 N, the right label the user gave
  strokes  str N, one JSON document per sample: {"size": [w, h], "strokes": [{"width": w,
           "eraser": false, "points": [[x, y, pressure], ...]}, ...]} so a drawing can be
           re-rendered later (other preprocessing, other sizes)
The dataset registry lists it as `my-digits` once it exists, so it can be added to training.
Plain Python + numpy: no Qt here; the canvas hands over its strokes as plain lists.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from desktop_dl.core.atomic_write import write_bytes_atomic
from desktop_dl.core.datasets.registry import personal_digits_path
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import _

__all__ = ["PersonalDigits", "append_personal_digit", "load_personal_digit_arrays",
           "personal_digits_path", "strokes_to_json"]


@dataclass
class PersonalDigits:
    """The user's saved canvas digits: x (N, 28, 28) uint8, y (N,) uint8 labels, and each sample's
    strokes as JSON text ("" when it has none)."""
    x: np.ndarray          # uint8 N×28×28
    y: np.ndarray          # uint8 N
    strokes: list[str]     # JSON per sample

    def __len__(self) -> int:
        return len(self.y)

    def drawing(self, i: int) -> dict[str, Any]:
        """The raw strokes of sample i, decoded."""
        return json.loads(self.strokes[i]) if self.strokes[i] else {"size": None, "strokes": []}

    def images(self) -> np.ndarray:
        """float32 N×28×28 in 0..1: each drawing rasterised again from its strokes the way the
        canvas reads drawings now (core.stroke_raster), or the stored image when it has none."""
        from desktop_dl.core.stroke_raster import rasterize_strokes

        out = self.x.astype(np.float32) / 255.0
        for i in range(len(self)):
            strokes = self.drawing(i).get("strokes") if self.strokes[i] else None
            if strokes:
                image = rasterize_strokes(strokes)
                if image.any():
                    out[i] = image
        return out


def strokes_to_json(strokes: Sequence[dict[str, Any]], size: tuple[int, int] | None = None) -> str:
    """Compact JSON for a drawing; coordinates rounded to 0.01 px, pressure to 0.001."""
    clean = []
    for stroke in strokes:
        points = [[round(float(p[0]), 2), round(float(p[1]), 2),
                   round(float(p[2]) if len(p) > 2 else 1.0, 3)] for p in stroke.get("points", ())]
        clean.append({"width": round(float(stroke.get("width", 1.0)), 2),
                      "eraser": bool(stroke.get("eraser", False)), "points": points})
    return json.dumps({"size": list(size) if size else None, "strokes": clean},
                      separators=(",", ":"))


def load_personal_digit_arrays(path: Path | None = None) -> PersonalDigits:
    """Everything saved so far; an empty collection when there is no file yet.

    Raises DatasetError when the file cannot be read or is damaged (images not (N, 28, 28), or
    counts of images, labels and strokes differ).
    """
    path = Path(path) if path else personal_digits_path()
    if not path.is_file():
        return PersonalDigits(np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.uint8), [])
    try:
        with np.load(path, allow_pickle=False) as data:
            x = np.asarray(data["x"], dtype=np.uint8)
            y = np.asarray(data["y"], dtype=np.uint8)
            strokes = [str(s) for s in data["strokes"]] if "strokes" in data.files else [""] * len(y)
    except Exception as exc:   # zip, key or format trouble: all mean the same to the user
        raise DatasetError(
            _("Your personal digits file '{path}' cannot be read ({error}). Move it aside to "
              "start a new collection.", path=path, error=exc.__class__.__name__)) from None
    if x.shape[1:] != (28, 28) or len(x) != len(y) or len(strokes) != len(y):
        raise DatasetError(
            _("Your personal digits file '{path}' is damaged ({count} images, {count2} labels, "
              "{count3} drawings). Move it aside to start a new collection.",
              path=path, count=len(x), count2=len(y), count3=len(strokes)))
    return PersonalDigits(x, y, strokes)


def append_personal_digit(image28: np.ndarray, label: int, strokes_json: str = "",
                          path: Path | None = None) -> int:
    """Add one corrected drawing; returns how many the collection now holds.

    `image28` is the (28, 28) float image in 0..1 the model saw (ink high); it is stored as
    uint8 0..255 like MNIST. The file is rewritten atomically, so a crash never loses the
    earlier samples.

    Raises DatasetError for a label outside 0..9 (and ValueError, a programming error, for an image
    that is not 28×28).
    """
    image28 = np.asarray(image28, dtype=np.float32)
    if image28.shape != (28, 28):
        raise ValueError(f"a personal digit is 28×28, got {image28.shape}")
    label = int(label)
    if not 0 <= label <= 9:
        raise DatasetError(_("A digit label is 0 to 9, not {label}.", label=label))
    path = Path(path) if path else personal_digits_path()
    current = load_personal_digit_arrays(path)
    pixels = np.clip(np.rint(image28 * 255.0), 0, 255).astype(np.uint8)
    x = np.concatenate([current.x, pixels[None]])
    y = np.concatenate([current.y, np.array([label], np.uint8)])
    strokes = np.array(current.strokes + [strokes_json], dtype=np.str_)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, x=x, y=y, strokes=strokes)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, buffer.getvalue())
    return len(y)
