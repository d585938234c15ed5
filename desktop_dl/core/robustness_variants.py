""""How sure is it?": the drawn digit shifted, scaled, turned, slanted and drawn thinner or
thicker, to show what a digit model is and is not invariant to.

The variants are made from what the model sees (the 28×28 image) for the geometric changes —
the canvas' preprocessing already undoes the drawing's own position and size, so moving the
strokes would show nothing — and from the strokes for the pen (MNIST's pen made thinner or
thicker, `core.stroke_raster`). Plain numpy + Pillow; ~1 ms for the whole set.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
from PIL import Image

from desktop_dl.core.stroke_raster import MNIST_PEN, rasterize_strokes


@dataclass(frozen=True)
class Variant:
    """One changed copy of a digit: a stable key, its group (shift, scale, rotate, shear, pen), a
    short caption, and the `image` (28, 28) float32 0..1, ink high."""
    key: str            # stable id, e.g. "shift_left_3"
    group: str          # "shift" | "scale" | "rotate" | "shear" | "pen"
    label: str          # short English caption, e.g. "← 3 px" (the UI translates its parts)
    image: np.ndarray   # (28, 28) float32 0..1, ink high


# (key, group, caption, (dx, dy, scale, degrees, shear)) — 28×28 pixels, degrees anticlockwise.
_GEOMETRIC = (
    ("shift_left", "shift", "← 3 px", (-3, 0, 1.0, 0, 0)),
    ("shift_right", "shift", "→ 3 px", (3, 0, 1.0, 0, 0)),
    ("shift_up", "shift", "↑ 3 px", (0, -3, 1.0, 0, 0)),
    ("shift_down", "shift", "↓ 3 px", (0, 3, 1.0, 0, 0)),
    ("scale_70", "scale", "× 0.7", (0, 0, 0.7, 0, 0)),
    ("scale_85", "scale", "× 0.85", (0, 0, 0.85, 0, 0)),
    ("scale_120", "scale", "× 1.2", (0, 0, 1.2, 0, 0)),
    ("rotate_-30", "rotate", "↻ 30°", (0, 0, 1.0, -30, 0)),
    ("rotate_-15", "rotate", "↻ 15°", (0, 0, 1.0, -15, 0)),
    ("rotate_15", "rotate", "↺ 15°", (0, 0, 1.0, 15, 0)),
    ("rotate_30", "rotate", "↺ 30°", (0, 0, 1.0, 30, 0)),
    ("shear_-30", "shear", "slant ‹", (0, 0, 1.0, 0, -0.3)),
    ("shear_30", "shear", "slant ›", (0, 0, 1.0, 0, 0.3)),
)
# Pens relative to MNIST's (2.4 px of 28).
_PENS = (("pen_50", "pen", "pen × 0.5", 0.5), ("pen_75", "pen", "pen × 0.75", 0.75),
         ("pen_150", "pen", "pen × 1.5", 1.5), ("pen_200", "pen", "pen × 2", 2.0))


def transform28(image: np.ndarray, dx: float = 0, dy: float = 0, scale: float = 1.0,
                degrees: float = 0.0, shear: float = 0.0) -> np.ndarray:
    """`image` (28×28 float) moved by (dx, dy) px, scaled about its centre, turned `degrees`
    anticlockwise and slanted (x += shear × (centre − y)), bilinear, background 0."""
    h, w = image.shape
    cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
    a = math.radians(degrees)
    # Forward map (about the centre): p' = S·R·Sh·(p − c) + c + d; Pillow wants the inverse.
    cos, sin = math.cos(a), math.sin(a)
    forward = np.array([[cos, sin], [-sin, cos]]) @ np.array([[1.0, -shear], [0.0, 1.0]]) * scale
    inverse = np.linalg.inv(forward)
    offset = np.array([cx, cy]) - inverse @ (np.array([cx + dx, cy + dy]))
    coeffs = (inverse[0, 0], inverse[0, 1], offset[0], inverse[1, 0], inverse[1, 1], offset[1])
    out = Image.fromarray(np.asarray(image, np.float32), mode="F").transform(
        (w, h), Image.Transform.AFFINE, coeffs, resample=Image.Resampling.BILINEAR, fillcolor=0.0)
    return np.clip(np.asarray(out, np.float32), 0.0, 1.0)


def make_variants(image28: np.ndarray, strokes: Sequence[Any] | None = None) -> list[Variant]:
    """The original (key "original") then 13 geometric and, with `strokes`, 4 pen variants."""
    image28 = np.asarray(image28, np.float32)
    out = [Variant("original", "original", "as drawn", image28)]
    for key, group, caption, (dx, dy, s, deg, sh) in _GEOMETRIC:
        out.append(Variant(key, group, caption, transform28(image28, dx, dy, s, deg, sh)))
    if strokes:
        for key, group, caption, factor in _PENS:
            out.append(Variant(key, group, caption, rasterize_strokes(strokes, pen=MNIST_PEN * factor)))
    return out
