"""The "How sure is it?" variants: right directions, sizes and pens, quick to make."""
import time

import numpy as np
import pytest

from desktop_dl.core.digit_preprocess import centre_of_mass
from desktop_dl.core.robustness_variants import make_variants, transform28


def _blob_at_top():
    image = np.zeros((28, 28), np.float32)
    image[4:8, 13:15] = 1.0
    return image


def test_geometry_moves_the_ink_the_way_the_caption_says():
    image = _blob_at_top()
    row, col = centre_of_mass(image)
    assert centre_of_mass(transform28(image, dx=3))[1] == pytest.approx(col + 3, abs=0.01)
    assert centre_of_mass(transform28(image, dy=-3))[0] == pytest.approx(row - 3, abs=0.01)
    assert centre_of_mass(transform28(image, degrees=-30))[1] > col + 2      # clockwise: top goes right
    assert centre_of_mass(transform28(image, degrees=30))[1] < col - 2
    assert centre_of_mass(transform28(image, shear=0.3))[1] > col + 2       # leaning forward
    assert centre_of_mass(transform28(image, scale=0.7))[0] > row + 2        # towards the centre
    np.testing.assert_allclose(transform28(image), image, atol=1e-6)


def test_variants_with_strokes_include_thinner_and_thicker_pens():
    strokes = [{"points": [(140, 40, 1), (140, 240, 1)], "width": 20},
               {"points": [(100, 60, 1), (140, 40, 1)], "width": 20}]
    from desktop_dl.core.stroke_raster import rasterize_strokes
    image = rasterize_strokes(strokes)
    variants = make_variants(image, strokes)
    keys = [v.key for v in variants]
    assert keys[0] == "original" and len(keys) == len(set(keys)) == 18
    ink = {v.key: v.image.sum() for v in variants}
    assert ink["pen_50"] < ink["original"] < ink["pen_200"]
    assert all(v.image.shape == (28, 28) and v.image.dtype == np.float32 for v in variants)
    assert len(make_variants(image)) == 14                  # no strokes: no pen variants


def test_fast_enough_to_run_when_drawing_pauses():
    from desktop_dl.core.digit_paths import make_drawing
    from desktop_dl.core.stroke_raster import rasterize_strokes
    drawing = make_drawing(8, "s-loop", np.random.default_rng(0), size=0.9, centre=(0.5, 0.5))
    strokes = [{"points": [(u * 280, v * 280, 1.0) for u, v in s], "width": 20} for s in drawing.strokes]
    image = rasterize_strokes(strokes)
    make_variants(image, strokes)
    started = time.perf_counter()
    make_variants(image, strokes)
    assert time.perf_counter() - started < 0.05            # ~5 ms here
