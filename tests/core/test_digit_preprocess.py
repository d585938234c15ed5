"""MNIST-style preprocessing against cases computed by hand."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from desktop_dl.core.digit_preprocess import (
    CENTRE, centre_of_mass, ink_bbox, load_digit_image, mnist_normalize)
from desktop_dl.core.errors import DatasetError, UserError
from desktop_dl.paths import resource


def _assert_centred(out):
    r, c = centre_of_mass(out)
    assert abs(r - CENTRE) <= 0.5 and abs(c - CENTRE) <= 0.5, (r, c)


def test_empty_input_gives_zeros():
    out = mnist_normalize(np.zeros((280, 280)))
    assert out.shape == (28, 28) and out.dtype == np.float32 and not out.any()


def test_vertical_bar_keeps_its_aspect_ratio():
    # A 200×20 bar (ink rows 40..239, columns 100..119): longest side 200 → 20, so the scale is
    # 1/10 and the width becomes exactly 2 px; area averaging of a full bar stays 1.0.
    gray = np.zeros((280, 280), np.float32)
    gray[40:240, 100:120] = 1.0
    out = mnist_normalize(gray)
    top, left, bottom, right = ink_bbox(out)
    assert (bottom - top, right - left) == (20, 2)
    # The bar's own centre of mass is (9.5, 0.5); MNIST's centre is (14, 14), so the whole-pixel
    # offset is (round(4.5), round(13.5)) = (5, 14) with halves rounded up: rows 5..24, cols 14..15.
    assert (top, left) == (5, 14)
    assert np.allclose(out[5:25, 14:16], 1.0)
    assert out.sum() == pytest.approx(40.0)
    _assert_centred(out)


def test_wide_rectangle_is_scaled_on_its_longest_side():
    # 30 rows × 120 columns → scale 20/120 → 5 × 20.
    gray = np.zeros((200, 300), np.float32)
    gray[50:80, 10:130] = 0.5          # faint ink is stretched to full white
    out = mnist_normalize(gray)
    top, left, bottom, right = ink_bbox(out)
    assert (bottom - top, right - left) == (5, 20)
    assert out.max() == pytest.approx(1.0)
    _assert_centred(out)


def test_area_resampling_gives_grey_levels():
    # A 40×40 square whose left half is ink: halving by area averaging gives 20 px of full ink
    # and, with a 1-px-wide ink column at an odd offset, a 0.5 grey edge.
    gray = np.zeros((100, 100), np.float32)
    gray[10:50, 10:50] = 0.0
    gray[10:50, 10:31] = 1.0       # 21 columns of ink
    gray[10, 49] = 1.0             # a speck stretches the box to 40×40
    out = mnist_normalize(gray)
    values = set(np.round(np.unique(out), 3))
    assert 0.5 in values and 1.0 in values


def test_centre_of_mass_is_moved_to_the_centre_for_a_lopsided_shape():
    # An "L": heavy vertical bar and a thin foot; the bounding-box centre is not the mass centre.
    gray = np.zeros((120, 120), np.float32)
    gray[10:110, 10:30] = 1.0
    gray[90:110, 30:90] = 1.0
    out = mnist_normalize(gray)
    _assert_centred(out)
    top, left, bottom, right = ink_bbox(out)
    assert bottom - top == 20 and right - left == 16    # 100×80 → 20×16


def test_0_255_input_is_accepted():
    gray = np.zeros((50, 50), np.float32)
    gray[10:40, 20:30] = 255
    out = mnist_normalize(gray)
    assert out.max() == pytest.approx(1.0)
    _assert_centred(out)


def test_bundled_mnist_digits_come_back_unchanged():
    data = np.load(resource("mnist_5k.npz"))
    x = data["x"][::250].astype(np.float32) / 255.0
    for image in x:
        out = mnist_normalize(image)
        # same recipe, same centre: an MNIST digit is already in this form
        top, left, bottom, right = ink_bbox(out)
        assert max(bottom - top, right - left) == 20
        _assert_centred(out)
        assert np.abs(out - image).max() < 0.02


@settings(max_examples=60, deadline=None)
@given(h=st.integers(1, 120), w=st.integers(1, 120), top=st.integers(0, 40), left=st.integers(0, 40),
       value=st.floats(0.05, 1.0))
def test_any_filled_rectangle_fits_20_px_and_is_centred(h, w, top, left, value):
    gray = np.zeros((200, 200), np.float32)
    gray[top:top + h, left:left + w] = value
    out = mnist_normalize(gray)
    assert out.shape == (28, 28) and out.dtype == np.float32
    assert 0.0 <= out.min() and out.max() <= 1.0 + 1e-6
    t, lft, b, r = ink_bbox(out)
    assert max(b - t, r - lft) == 20
    expected_short = max(1, round(min(h, w) * 20 / max(h, w)))
    assert abs(min(b - t, r - lft) - expected_short) <= 1
    _assert_centred(out)


def _save(array, path, mode="L"):
    Image.fromarray(array.astype(np.uint8), mode=None).convert(mode).save(path)
    return path


def test_dark_ink_on_white_paper_and_light_on_dark_give_the_same(tmp_path):
    ink = np.zeros((100, 80), np.uint8)
    ink[20:80, 35:45] = 255
    light_on_dark = load_digit_image(_save(ink, tmp_path / "a.png"))
    dark_on_light = load_digit_image(_save(255 - ink, tmp_path / "b.png"))
    assert np.abs(light_on_dark - dark_on_light).max() < 1e-6
    assert light_on_dark.max() == pytest.approx(1.0)
    # JPEG ringing may move a tie by a pixel, but the digit keeps its size and centre.
    photo = load_digit_image(_save(255 - ink, tmp_path / "c.jpg"))
    t, left, b, r = ink_bbox(photo)
    assert (b - t, r - left) == (20, 3)
    _assert_centred(photo)


def test_transparent_png_uses_its_alpha(tmp_path):
    rgba = np.zeros((60, 60, 4), np.uint8)
    rgba[10:50, 25:33] = (0, 0, 0, 255)          # black ink on transparency
    Image.fromarray(rgba).save(tmp_path / "t.png")
    out = load_digit_image(tmp_path / "t.png")
    assert out.max() == pytest.approx(1.0)
    t, left, b, r = ink_bbox(out)
    assert (b - t, r - left) == (20, 4)


def test_unreadable_files_give_a_clear_error(tmp_path):
    bad = tmp_path / "digit.png"
    bad.write_bytes(b"this is not a png")
    with pytest.raises(DatasetError, match="digit.png"):
        load_digit_image(bad)
    with pytest.raises(UserError, match="does not exist"):
        load_digit_image(tmp_path / "missing.png")
    blank = _save(np.full((30, 30), 255, np.uint8), tmp_path / "blank.png")
    with pytest.raises(DatasetError, match="blank"):
        load_digit_image(blank)
