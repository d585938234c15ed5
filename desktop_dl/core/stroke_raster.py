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
# Points closer than this along a stroke (pixels of the 28×28 field) are merged before drawing.
MIN_STEP_PX = 0.4
# A drawing whose longest side is below this many canvas units (the canvas square is 280) is
# too small to read: a mouse gives whole screen pixels, so its shape is a few steps of jitter.
MIN_EXTENT_UNITS = 14.0

__all__ = ["MNIST_PEN", "MIN_EXTENT_UNITS", "rasterize_strokes", "drawing_extent", "is_too_small",
           "flatten_stroke"]


def _field(stroke: Any, name: str, default=None):
    if isinstance(stroke, dict):
        return stroke.get(name, default)
    return getattr(stroke, name, default)


# Converted point arrays of the strokes seen last, by the identity of their point list: the canvas
# re-reads the whole drawing on every mouse move, but only the current stroke grows (by appending).
_ARRAYS: dict[int, tuple[Sequence, np.ndarray]] = {}
_ARRAYS_KEPT = 64


def _points_array(points: Sequence) -> np.ndarray:
    """(N, 3) float64 x, y, pressure of a stroke's points; the converted prefix of a growing
    list is reused."""
    cached = _ARRAYS.get(id(points))
    done = 0
    if cached is not None and cached[0] is points:
        done = len(cached[1])
        if done == len(points):
            return cached[1]
        if done > len(points):      # the list shrank (not the canvas' way): start again
            done = 0
    fresh = _to_array(points[done:])
    arr = np.concatenate([cached[1], fresh]) if done else fresh
    if len(_ARRAYS) >= _ARRAYS_KEPT:
        _ARRAYS.clear()
    _ARRAYS[id(points)] = (points, arr)       # holding the list keeps its id from being reused
    return arr


def _to_array(points: Sequence) -> np.ndarray:
    if len(points) == 0:
        return np.zeros((0, 3))
    try:        # the canvas' (x, y, pressure) tuples: one C-level conversion
        pts = np.array(points, dtype=np.float64)
    except ValueError:      # mixed (x, y) and (x, y, pressure) points
        pts = np.array([(p[0], p[1], p[2] if len(p) > 2 else 1.0) for p in points], dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] < 2:
        raise ValueError(f"stroke points must be (x, y) or (x, y, pressure), got shape {pts.shape}")
    if pts.shape[1] == 2:
        pts = np.column_stack([pts, np.ones(len(pts))])
    return pts[:, :3]


def flatten_stroke(points: Sequence[Sequence[float]], samples: int = 4,
                   min_step: float = 0.0) -> np.ndarray:
    """The centre line the canvas paints, as an (N, 3) float array of x, y, pressure factor.

    Point i adds the quadratic curve from mid(i-2, i-1) to mid(i-1, i) bent towards i-1, each
    sampled at `samples` points; the line starts at the first point and ends at the last.
    Points closer than `min_step` (same units) along the stroke are merged first, and then each
    curve gets only as many samples (up to `samples`) as its longest step needs."""
    pts = _points_array(points)
    if min_step > 0 and len(pts) > 2:
        pts = pts[_spaced(pts[:, :2], min_step)]
        # Dense points need no subdivision: only long steps (a fast flick) get curve samples.
        longest = float(np.hypot(*np.diff(pts[:, :2], axis=0).T).max()) if len(pts) > 1 else 0.0
        samples = int(np.clip(np.ceil(longest / (2 * min_step)), 1, samples))
    pts = pts.copy()
    if len(pts) == 0:
        return pts
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
    """[(centre line, brush width, eraser)] and the median ink brush width. Points closer than
    MIN_STEP_PX of the final 28×28 field are merged (a 1,000 Hz mouse gives many per pixel)."""
    raw, widths = [], []
    for stroke in strokes:
        points = _field(stroke, "points", ()) or ()
        if len(points) == 0:
            continue
        eraser = bool(_field(stroke, "eraser", False))
        width = float(_field(stroke, "width", 1.0) or 1.0)
        raw.append((points, width, eraser))
        if not eraser:
            widths.append(width)
    step = 0.0
    extent = _extent([_points_array(p) for p, _, e in raw if not e])
    if extent > 0:
        step = MIN_STEP_PX * extent / (BOX - MNIST_PEN)
    lines = [(flatten_stroke(p, min_step=step), w, e) for p, w, e in raw]
    return lines, float(np.median(widths)) if widths else 1.0


def _extent(arrays: list[np.ndarray]) -> float:
    if not arrays:
        return 0.0
    lo = np.min([a[:, :2].min(axis=0) for a in arrays], axis=0)
    hi = np.max([a[:, :2].max(axis=0) for a in arrays], axis=0)
    return float(max(hi - lo))


def drawing_extent(strokes: Iterable[Any]) -> float:
    """Longest side of the box around the ink strokes' points, in canvas units (0 if none).

    The smoothed curve lies inside its points' hull, so the raw points give the same box."""
    return _extent([_points_array(_field(s, "points", ()) or ()) for s in strokes
                    if len(_field(s, "points", ()) or ()) and not _field(s, "eraser", False)])


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


def _spaced(xy: np.ndarray, step: float) -> np.ndarray:
    """Indices of the points that keep about `step` between them along the line (first and
    last always): a 1,000 Hz mouse gives points a fraction of a pixel apart whose whole-pixel
    jitter would otherwise count as sharp turns, and costs time for nothing."""
    n = len(xy)
    if n <= 2:
        return np.arange(n)
    length = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    bucket = np.floor(length / step)
    keep = np.flatnonzero(np.diff(bucket, prepend=-1.0) > 0)
    if keep[-1] != n - 1:
        keep = np.append(keep, n - 1)
    return keep


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
