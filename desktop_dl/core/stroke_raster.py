"""Drawn strokes → the 28×28 image an MNIST model expects, with MNIST's pen whatever the brush.

MNIST digits were written with one kind of pen and scaled so the digit fills a 20 px box, so a
stroke is ~2 px of 28 whatever the writer's size. Scaling the canvas' ink image instead keeps the
brush: a digit drawn 80 px tall with a 20 px brush has strokes a quarter of its height, which
become blobs in the 20 px box (such digits were read as 8 at 84–97 %), and a thin brush on a big
digit gives hairlines. The canvas keeps every stroke as a point list, so we rasterise those
instead: the centre lines are scaled so the digit (plus the pen) fills the box, and drawn with a
pen of MNIST_PEN pixels at 8× supersampling (the area reduction gives MNIST's grey edges). Then
`mnist_normalize` crops, scales to 20 px and centres by mass exactly as for a photo. A small and
a large drawing of the same shape, with any brush, give the same 28×28 image.

Strokes are smoothed the way the canvas paints them (quadratic curves through the midpoints of
successive points), a pen's pressure keeps its relative effect on the width, and eraser strokes
remove ink with their width relative to the pen's. Plain numpy + Pillow; a few hundred
microseconds for a typical digit, so the canvas can call it on every mouse move.
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

import numpy as np
from PIL import Image, ImageDraw

from desktop_dl.core.digit_preprocess import BOX, SIZE, mnist_normalize

# MNIST's pen in pixels of the 28×28 field, measured on the bundled digits: drawn paths rendered
# at this width have the same mean ink (sum of grey levels) as MNIST digits of the same class.
MNIST_PEN = 2.4
SUPERSAMPLE = 8
# A drawing whose longest side is below this many canvas units (the canvas square is 280) is
# too small to read: a mouse gives whole screen pixels, so its shape is a few steps of jitter.
MIN_EXTENT_UNITS = 14.0

__all__ = ["MNIST_PEN", "MIN_EXTENT_UNITS", "rasterize_strokes", "drawing_extent", "is_too_small",
           "flatten_stroke"]


def _field(stroke: Any, name: str, default=None):
    if isinstance(stroke, dict):
        return stroke.get(name, default)
    return getattr(stroke, name, default)


def flatten_stroke(points: Sequence[Sequence[float]], samples: int = 4) -> np.ndarray:
    """The centre line the canvas paints, as an (N, 3) float array of x, y, pressure factor.

    Point i adds the quadratic curve from mid(i-2, i-1) to mid(i-1, i) bent towards i-1, each
    sampled at `samples` points; the line starts at the first point and ends at the last."""
    pts = np.asarray([(p[0], p[1], p[2] if len(p) > 2 else 1.0) for p in points], dtype=np.float64)
    if len(pts) == 0:
        return np.zeros((0, 3))
    pts[:, 2] = 0.4 + 0.6 * np.sqrt(np.clip(pts[:, 2], 0.0, 1.0))     # as the canvas paints it
    if len(pts) < 3:
        return pts
    mids = (pts[:-1] + pts[1:]) / 2.0
    t = np.linspace(0.0, 1.0, samples + 1)[1:, None]
    # Curve k runs from mids[k] to mids[k+1] with control point pts[k+1].
    a, b, c = mids[:-1, None, :], pts[1:-1, None, :], mids[1:, None, :]
    curves = ((1 - t) ** 2 * a + 2 * (1 - t) * t * b + t ** 2 * c).reshape(-1, 3)
    return np.concatenate([pts[:1], mids[:1], curves, pts[-1:]])


def _ink_lines(strokes: Iterable[Any]) -> tuple[list[tuple[np.ndarray, float, bool]], float]:
    """[(centre line, brush width, eraser)] and the median ink brush width."""
    lines, widths = [], []
    for stroke in strokes:
        points = _field(stroke, "points", ()) or ()
        if len(points) == 0:
            continue
        eraser = bool(_field(stroke, "eraser", False))
        width = float(_field(stroke, "width", 1.0) or 1.0)
        lines.append((flatten_stroke(points), width, eraser))
        if not eraser:
            widths.append(width)
    return lines, float(np.median(widths)) if widths else 1.0


def drawing_extent(strokes: Iterable[Any]) -> float:
    """Longest side of the box around the ink strokes' points, in canvas units (0 if none).

    The smoothed curve lies inside its points' hull, so the raw points give the same box."""
    boxes = []
    for stroke in strokes:
        points = _field(stroke, "points", ()) or ()
        if len(points) and not _field(stroke, "eraser", False):
            xy = np.asarray([(p[0], p[1]) for p in points], dtype=np.float64)
            boxes.append((xy.min(axis=0), xy.max(axis=0)))
    if not boxes:
        return 0.0
    lo = np.min([b[0] for b in boxes], axis=0)
    hi = np.max([b[1] for b in boxes], axis=0)
    return float(max(hi - lo))


def is_too_small(strokes: Sequence[Any]) -> bool:
    """True when there is ink but its longest side is under MIN_EXTENT_UNITS: "draw bigger"."""
    has_ink = any(len(_field(s, "points", ()) or ()) and not _field(s, "eraser", False) for s in strokes)
    return has_ink and drawing_extent(strokes) < MIN_EXTENT_UNITS


def rasterize_strokes(strokes: Iterable[Any], pen: float = MNIST_PEN) -> np.ndarray:
    """A (28, 28) float32 image in 0..1, ink high, of the drawing as MNIST's pen would write it.

    `strokes`: dicts or objects with `points` (sequence of (x, y) or (x, y, pressure), canvas
    units, any scale), `width` (the brush, same units) and `eraser` (bool), in drawing order —
    what `DrawingCanvas.strokes()` and `personal_digits` hold. The brush width only matters
    relative to other strokes (pressure, eraser); the pen is `pen` pixels of the 28×28 field.
    An empty drawing (or one fully erased) gives all zeros.
    """
    lines, ink_width = _ink_lines(strokes)
    ink = [line for line, _, eraser in lines if not eraser]
    if not ink:
        return np.zeros((SIZE, SIZE), np.float32)
    xy = np.concatenate(ink)[:, :2]
    lo = xy.min(axis=0)
    extent = max(float(np.ptp(xy[:, 0])), float(np.ptp(xy[:, 1])), MIN_EXTENT_UNITS / 4)
    # The centre lines fill the box less the pen, so centre lines plus pen fill BOX pixels.
    scale = (BOX - pen) * SUPERSAMPLE / extent
    pen_px = pen * SUPERSAMPLE
    margin = int(math.ceil(pen_px)) + 2
    side = int(math.ceil(extent * scale)) + 2 * margin + 1
    canvas = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(canvas)
    for line, width, eraser in lines:
        relative = width / ink_width if eraser else 1.0
        fill = 0 if eraser else 255
        px = (line[:, :2] - lo) * scale + margin
        widths = pen_px * relative * line[:, 2]
        _draw_polyline(draw, px, widths, fill)
    return mnist_normalize(np.asarray(canvas, dtype=np.float32) * (1.0 / 255.0))


def _draw_polyline(draw: ImageDraw.ImageDraw, px: np.ndarray, widths: np.ndarray, fill: int) -> None:
    """Round-capped, round-joined polyline; runs of equal (rounded) width go in one call.

    Pillow's own `joint="curve"` loops in Python over every vertex (milliseconds per digit), so
    the segments go in one C call and discs are added only where the line turns enough for the
    outer corner to show a notch, and at the ends."""
    rounded = np.maximum(1, np.rint(widths)).astype(int)
    n = len(px)
    turns = np.zeros(n, dtype=bool)
    turns[0] = turns[-1] = True
    if n > 2:
        d1, d2 = px[1:-1] - px[:-2], px[2:] - px[1:-1]
        cross = np.abs(d1[:, 0] * d2[:, 1] - d1[:, 1] * d2[:, 0])
        dot = (d1 * d2).sum(axis=1)
        angle = np.arctan2(cross, dot)
        turns[1:-1] = angle > 0.35          # ~20°: below it the notch is under a tenth of a pixel
    start = 0
    while start < n:
        end = start + 1
        while end < n and rounded[end] == rounded[start]:
            end += 1
        # Include the next point so consecutive runs join.
        stop = min(n, end + 1)
        w = int(rounded[start])
        coords = [tuple(p) for p in px[start:stop].tolist()]
        if len(coords) > 1:
            draw.line(coords, fill=fill, width=w)
        r = w / 2.0
        marks = np.flatnonzero(turns[start:stop]) + start
        for x, y in px[np.unique(np.concatenate([marks, [start, stop - 1]]))].tolist():
            draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)
        start = end
