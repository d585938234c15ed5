"""Mouse paths of hand-drawn digits in the styles people really use, generated with variation.

The honest evaluation set for drawn-digit recognition (issue 20): MNIST digits were written with
a pen on paper and scanned; people using the app draw with a mouse, in their own styles — serif
and plain 1s, crossed 7s, open and closed 4s, 6s and 9s, 2s with a loop. `digit_drawings()` gives
such drawings as point lists in the canvas' 0..1 square (y down), each with its style, size and
position, so a benchmark or test can replay them through the real canvas widget with mouse
events (tests/ui/canvas_drawing.py) or rasterise them directly (core.stroke_raster).

Every drawing is a style's skeleton (a few strokes in a unit box) bent by a random affine map
(rotation ±10°, shear -0.1..0.3, aspect 0.75..1.2), each control point nudged (±3 % of the box: no
two hands are the same), sampled like a mouse (a point every ~1.5 % of the box, ±0.4 % jitter)
and placed at a random size (a fifth to four fifths of the square) and position. Plain numpy.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

Point = tuple[float, float]


def _arc(cx: float, cy: float, rx: float, ry: float, start_deg: float, end_deg: float,
         n: int = 0) -> list[Point]:
    """Points on an ellipse; angles clockwise from 12 o'clock (screen y points down)."""
    n = n or max(6, int(abs(end_deg - start_deg) / 15))
    out = []
    for i in range(n + 1):
        a = math.radians(start_deg + (end_deg - start_deg) * i / n)
        out.append((cx + rx * math.sin(a), cy - ry * math.cos(a)))
    return out


def _line(*points: Point) -> list[Point]:
    return list(points)


# Each style: a list of strokes, each a list of control points in a unit box (x right, y down).
STYLES: dict[int, dict[str, list[list[Point]]]] = {
    0: {
        "oval": [_arc(0.5, 0.5, 0.3, 0.46, 0, 375)],
        "anticlockwise": [_arc(0.5, 0.5, 0.32, 0.46, 20, -350)],
        "round": [_arc(0.5, 0.5, 0.4, 0.46, -10, 355)],
    },
    1: {
        "stick": [_line((0.5, 0.03), (0.5, 0.97))],
        "serif": [_line((0.36, 0.2), (0.52, 0.03), (0.52, 0.97))],
        "serif-base": [_line((0.36, 0.2), (0.52, 0.03), (0.52, 0.97)),
                       _line((0.34, 0.97), (0.7, 0.97))],
        "slanted": [_line((0.62, 0.03), (0.42, 0.97))],
    },
    2: {
        "classic": [_arc(0.5, 0.3, 0.3, 0.26, -70, 110) + _line((0.16, 0.95), (0.86, 0.95))],
        "loop": [_arc(0.5, 0.3, 0.3, 0.26, -70, 120)
                 + _arc(0.24, 0.86, 0.09, 0.08, 20, -300) + _line((0.86, 0.93))],
        "straight-neck": [_arc(0.5, 0.28, 0.3, 0.24, -80, 90)
                          + _line((0.5, 0.55), (0.15, 0.95), (0.85, 0.95))],
    },
    3: {
        "round": [_arc(0.48, 0.27, 0.28, 0.23, -60, 180) + _arc(0.48, 0.73, 0.32, 0.24, 0, 240)],
        "flat-top": [_line((0.18, 0.05), (0.8, 0.05), (0.42, 0.42))
                     + _arc(0.48, 0.7, 0.32, 0.26, -20, 240)],
        "pointed": [_arc(0.45, 0.27, 0.28, 0.23, -60, 120) + _line((0.38, 0.5))
                    + _arc(0.45, 0.73, 0.32, 0.24, -30, 240)],
    },
    4: {
        "open": [_line((0.42, 0.03), (0.12, 0.64), (0.88, 0.64)), _line((0.66, 0.3), (0.66, 0.97))],
        "closed": [_line((0.66, 0.97), (0.66, 0.03), (0.1, 0.64), (0.9, 0.64))],
        "open-top": [_line((0.2, 0.03), (0.18, 0.58), (0.86, 0.58)), _line((0.68, 0.03), (0.68, 0.97))],
    },
    5: {
        "two-strokes": [_line((0.26, 0.05), (0.22, 0.45)) + _arc(0.46, 0.68, 0.32, 0.27, -50, 215),
                        _line((0.26, 0.05), (0.82, 0.05))],
        "one-stroke": [_line((0.82, 0.05), (0.26, 0.05), (0.22, 0.45))
                       + _arc(0.46, 0.68, 0.32, 0.27, -50, 215)],
    },
    6: {
        "closed": [_arc(0.78, 0.7, 0.58, 0.66, -8, -90) + _arc(0.5, 0.72, 0.3, 0.24, 270, -95)],
        "open": [_arc(0.78, 0.7, 0.58, 0.66, -8, -90) + _arc(0.5, 0.72, 0.3, 0.24, 270, -30)],
        "straight": [_line((0.7, 0.03), (0.22, 0.68)) + _arc(0.5, 0.72, 0.3, 0.24, 270, -95)],
    },
    7: {
        "plain": [_line((0.14, 0.05), (0.86, 0.05), (0.42, 0.97))],
        "crossed": [_line((0.14, 0.05), (0.86, 0.05), (0.42, 0.97)), _line((0.36, 0.5), (0.8, 0.5))],
        "serif": [_line((0.14, 0.22), (0.14, 0.05), (0.86, 0.05), (0.42, 0.97))],
    },
    8: {
        "s-loop": [_arc(0.5, 0.26, 0.26, 0.23, 80, -180) + _arc(0.5, 0.73, 0.3, 0.25, 0, 180)
                   + _arc(0.5, 0.73, 0.3, 0.25, 180, 360) + _arc(0.5, 0.26, 0.26, 0.23, 180, 80)],
        "two-circles": [_arc(0.5, 0.26, 0.24, 0.23, 0, 365), _arc(0.5, 0.74, 0.3, 0.25, 0, 365)],
    },
    9: {
        "straight-stem": [_arc(0.46, 0.3, 0.3, 0.27, 90, -275) + _line((0.76, 0.3), (0.72, 0.97))],
        "curved-stem": [_arc(0.46, 0.3, 0.3, 0.27, 90, -275) + _line((0.76, 0.3), (0.72, 0.7))
                        + _arc(0.5, 0.7, 0.22, 0.27, 90, 200)],
        "open": [_arc(0.46, 0.3, 0.3, 0.27, 70, -250), _line((0.76, 0.12), (0.74, 0.97))],
    },
}


@dataclass
class DigitDrawing:
    """One synthetic digit as pen strokes: its label, style name, strokes of (x, y) points in the
    canvas' 0..1 square (y down), and its height as a fraction 0..1 of the square."""
    label: int
    style: str
    strokes: list[list[Point]]     # mouse points in the canvas' 0..1 square, y down
    size: float                    # height of the digit as a fraction of the square


def _smooth(points: list[Point], step: float) -> list[Point]:
    """Resample a control polyline every `step` (unit-box lengths), linear between points."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step))
        out += [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(1, n + 1)]
    return out


def make_drawing(label: int, style: str, rng: np.random.Generator, size: float | None = None,
                 centre: Point | None = None) -> DigitDrawing:
    """One drawing of `label` in `style`, varied with `rng` (see the module docstring).

    `size` is the digit's height as a fraction of the square (random 0.2..0.8 when None);
    `centre` its centre in the square (random, keeping the digit inside, when None)."""
    skeleton = STYLES[label][style]
    angle = math.radians(rng.uniform(-10, 10))
    shear = rng.uniform(-0.1, 0.3)      # people lean their digits forward more than back
    aspect = rng.uniform(0.75, 1.2)
    cos, sin = math.cos(angle), math.sin(angle)
    strokes = []
    for stroke in skeleton:
        nudged = [(x + rng.uniform(-0.03, 0.03), y + rng.uniform(-0.03, 0.03)) for x, y in stroke]
        pts = []
        for x, y in _smooth(nudged, 0.015):
            x, y = (x - 0.5) * aspect, y - 0.5
            x = x - shear * y
            pts.append((cos * x - sin * y, sin * x + cos * y))
        strokes.append(pts)
    size = float(rng.uniform(0.2, 0.8)) if size is None else float(size)
    all_pts = np.array([p for s in strokes for p in s])
    lo, hi = all_pts.min(axis=0), all_pts.max(axis=0)
    scale = size / max(hi[1] - lo[1], 1e-6)
    half = (hi - lo) * scale / 2
    if centre is None:
        margin = np.minimum(0.5, half + 0.03)
        centre = (float(rng.uniform(margin[0], 1 - margin[0])), float(rng.uniform(margin[1], 1 - margin[1])))
    mid = (lo + hi) / 2
    placed = []
    for s in strokes:
        placed.append([(float(np.clip(centre[0] + (x - mid[0]) * scale + rng.normal(0, 0.002), 0.005, 0.995)),
                        float(np.clip(centre[1] + (y - mid[1]) * scale + rng.normal(0, 0.002), 0.005, 0.995)))
                       for x, y in s])
    return DigitDrawing(label, style, placed, size)


def digit_drawings(per_style: int = 10, seed: int = 0) -> list[DigitDrawing]:
    """`per_style` drawings of every style of every digit (28 styles), in a fixed shuffled order."""
    rng = np.random.default_rng(seed)
    out = [make_drawing(label, style, rng)
           for label, styles in STYLES.items() for style in styles for _ in range(per_style)]
    order = rng.permutation(len(out))
    return [out[i] for i in order]
