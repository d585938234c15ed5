"""Strokes → 28×28 at MNIST's scale: the same digit at any size and brush gives the same image."""
import time

import numpy as np
import pytest

from desktop_dl.core.digit_paths import STYLES, digit_drawings, make_drawing
from desktop_dl.core.stroke_raster import (MIN_EXTENT_UNITS, drawing_extent, flatten_stroke,
                                           is_too_small, rasterize_strokes)
from desktop_dl.paths import resource


def _strokes(drawing, width=20.0, units=280.0):
    return [{"points": [(u * units, v * units, 1.0) for u, v in s], "width": width, "eraser": False}
            for s in drawing.strokes]


def _placed(label, style, size, centre, seed=3):
    return make_drawing(label, style, np.random.default_rng(seed), size=size, centre=centre)


def test_empty_and_eraser_only_give_zeros():
    assert not rasterize_strokes([]).any()
    eraser = [{"points": [(10, 10, 1), (50, 50, 1)], "width": 20, "eraser": True}]
    assert not rasterize_strokes(eraser).any()
    assert rasterize_strokes([]).shape == (28, 28) and rasterize_strokes([]).dtype == np.float32


@pytest.mark.parametrize("label,style", [(1, "serif"), (4, "open"), (7, "crossed"), (8, "two-circles")])
def test_three_sizes_and_three_brushes_give_the_same_image(label, style):
    images = []
    for size, centre in ((0.28, (0.3, 0.7)), (0.55, (0.5, 0.5)), (0.85, (0.5, 0.5))):
        drawing = _placed(label, style, size, centre)
        for width in (6.0, 20.0, 44.0):
            images.append(rasterize_strokes(_strokes(drawing, width)))
    reference = images[4]
    for i, image in enumerate(images):
        # The brush changes nothing; the size only anti-aliasing and mouse jitter, and the
        # whole-pixel placement by centre of mass may differ by one pixel.
        assert _shift_distance(image, reference) < 0.03, i
        assert image.max() == pytest.approx(1.0)
    for size in range(3):
        np.testing.assert_array_equal(images[3 * size], images[3 * size + 2])


def _shift_distance(a, b):
    """Mean absolute difference, at the best shift of at most one pixel."""
    return min(np.abs(np.roll(a, (dr, dc), axis=(0, 1)) - b).mean()
               for dr in (-1, 0, 1) for dc in (-1, 0, 1))


def test_brush_width_does_not_change_stroke_thickness_but_the_old_path_did():
    from desktop_dl.core.digit_preprocess import mnist_normalize
    from PIL import Image, ImageDraw

    drawing = _placed(0, "oval", 0.3, (0.5, 0.5))
    masses = []
    old_masses = []
    for width in (6.0, 44.0):
        masses.append(rasterize_strokes(_strokes(drawing, width)).sum())
        # What painting the canvas and scaling the ink image did: the brush scales with it.
        img = Image.new("L", (280, 280), 0)
        draw = ImageDraw.Draw(img)
        for s in drawing.strokes:
            draw.line([(u * 280, v * 280) for u, v in s], fill=255, width=int(width), joint="curve")
        old_masses.append(mnist_normalize(np.asarray(img, np.float32) / 255).sum())
    assert masses[1] == pytest.approx(masses[0], rel=0.05)
    assert old_masses[1] > 2 * old_masses[0]       # a thick brush on a small digit: a blob


def test_ink_matches_mnist_pen():
    """Rendered drawings carry as much ink per digit as MNIST digits of the same class (±15 %)."""
    data = np.load(resource("mnist_5k.npz"))
    x, y = data["x"].astype(np.float32) / 255, data["y"]
    drawings = digit_drawings(per_style=2, seed=5)
    ours = np.array([rasterize_strokes(_strokes(d)).sum() for d in drawings])
    labels = np.array([d.label for d in drawings])
    ratio = np.mean([ours[labels == k].mean() / x[y == k].sum(axis=(1, 2)).mean() for k in range(10)])
    assert 0.85 < ratio < 1.15


def test_eraser_removes_ink_relative_to_the_pen():
    drawing = _placed(1, "stick", 0.6, (0.5, 0.5))
    strokes = _strokes(drawing, 20)
    full = rasterize_strokes(strokes)
    # Erase across the middle of the stick with the same brush.
    erased = rasterize_strokes(strokes + [{"points": [(100, 140, 1), (180, 140, 1)], "width": 20,
                                           "eraser": True}])
    assert erased.sum() < 0.95 * full.sum()


def test_pressure_thins_the_stroke():
    line = [(140, 40 + i * 4, 1.0) for i in range(50)]
    light = [(x, y, 0.05) for x, y, _ in line]
    # A second, full-pressure stroke fixes the scale so only the width can differ.
    frame = {"points": [(60, 40, 1), (60, 236, 1)], "width": 20, "eraser": False}
    heavy = rasterize_strokes([frame, {"points": line, "width": 20}])
    thin = rasterize_strokes([frame, {"points": light, "width": 20}])
    assert thin.sum() < 0.9 * heavy.sum()


def test_flatten_follows_the_canvas_curve_through_both_ends():
    pts = [(0, 0, 1), (10, 0, 1), (10, 10, 1), (20, 10, 1)]
    line = flatten_stroke(pts)
    assert tuple(line[0, :2]) == (0, 0) and tuple(line[-1, :2]) == (20, 10)
    assert line[:, 2].min() == pytest.approx(1.0)


def test_too_small_only_for_a_really_tiny_drawing():
    tiny = [{"points": [(100, 100, 1), (100 + MIN_EXTENT_UNITS / 2, 105, 1)], "width": 20}]
    assert is_too_small(tiny)
    small_digit = _strokes(_placed(2, "classic", 0.25, (0.5, 0.5)))      # ~70 units tall
    assert drawing_extent(small_digit) > 60
    assert not is_too_small(small_digit)
    assert not is_too_small([])


def test_fast_enough_for_every_mouse_move():
    drawing = _placed(8, "s-loop", 0.8, (0.5, 0.5))
    strokes = _strokes(drawing)
    rasterize_strokes(strokes)
    started = time.perf_counter()
    for _ in range(20):
        rasterize_strokes(strokes)
    assert (time.perf_counter() - started) / 20 < 0.01      # ~1 ms here; 10 ms on a busy machine


def test_every_style_is_drawable():
    for label, styles in STYLES.items():
        for style in styles:
            image = rasterize_strokes(_strokes(_placed(label, style, 0.5, (0.5, 0.5))))
            assert image.max() == pytest.approx(1.0), (label, style)
