"""core.digit_photo via digit_preprocess.find_digits: clean pictures as before, photos, several digits."""
import importlib.util
import io
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from desktop_dl.core import digit_photo
from desktop_dl.core.digit_preprocess import find_digits, load_digit_image, load_picture_digits, mnist_normalize

_spec = importlib.util.spec_from_file_location("photo_synth", Path(__file__).with_name("photo_synth.py"))
synth = importlib.util.module_from_spec(_spec)
sys.modules["photo_synth"] = synth
_spec.loader.exec_module(synth)

X, Y = synth.held_out_digits()


def _legacy(arr: np.ndarray) -> np.ndarray:
    """digit_preprocess's reading of a picture before photos were handled (copied from it)."""
    border = np.concatenate([arr[0, :], arr[-1, :], arr[:, 0], arr[:, -1]])
    background = float(np.median(border))
    if background > 0.5:
        arr, background = 1.0 - arr, 1.0 - background
    arr = np.clip(arr - background, 0.0, None)
    peak = float(arr.max())
    if peak <= 1e-6:
        return mnist_normalize(np.zeros_like(arr))
    arr = arr / peak
    return mnist_normalize(np.clip((arr - 0.15) / 0.85, 0.0, 1.0))


def _gray(jpeg: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("L"), np.float32) / 255.0


def _drawing(digit: np.ndarray, size: int, dark_on_light: bool) -> np.ndarray:
    img = np.asarray(Image.fromarray(np.uint8(digit * 255)).resize((size, size), Image.BILINEAR), np.float32) / 255
    return 1.0 - img if dark_on_light else img


@pytest.mark.parametrize("size", [28, 112, 280])
def test_clean_single_digits_are_read_exactly_as_before(size):
    for i in range(0, 120, 3):
        for dark_on_light in (False, True):
            picture = _drawing(X[i], size, dark_on_light)
            found = find_digits(picture)
            assert found.route == "clean" and len(found.digits) == 1
            np.testing.assert_array_equal(found.digits[0].image, _legacy(picture))


def test_clean_files_through_the_loader_are_unchanged(tmp_path):
    for i in range(10):
        picture = _drawing(X[i], 112, dark_on_light=i % 2 == 0)
        path = tmp_path / f"d{i}.png"
        Image.fromarray(np.uint8(np.rint(picture * 255))).save(path)
        decoded = np.asarray(Image.open(path).convert("L"), np.float32) / 255.0
        np.testing.assert_array_equal(load_digit_image(path), _legacy(decoded))


def test_photos_take_the_photo_route_and_find_the_digit():
    for i in range(12):
        picture = _gray(synth.make_photo([X[i]], seed=i))
        assert digit_photo.is_clean(picture) is False
        # The border recipe reads the sheet as the ink: nothing like the digit.
        found = find_digits(picture)
        assert found.route == "photo" and len(found.digits) == 1 and found.notes
        seen = found.digits[0].image
        assert seen.shape == (28, 28) and seen.dtype == np.float32 and seen.max() == pytest.approx(1.0)
        reference = mnist_normalize(X[i])
        assert np.corrcoef(seen.ravel(), reference.ravel())[0, 1] > 0.5
        top, left, bottom, right = found.digits[0].box
        assert 0 <= top < bottom <= picture.shape[0] and 0 <= left < right <= picture.shape[1]
        assert np.corrcoef(_legacy(picture).ravel(), reference.ravel())[0, 1] < 0.5


def test_blank_paper_on_a_desk_has_no_digit(tmp_path):
    path = tmp_path / "blank.jpg"
    path.write_bytes(synth.make_photo([np.zeros((28, 28), np.float32)], seed=3))
    assert find_digits(_gray(path.read_bytes())).digits == []
    with pytest.raises(Exception, match="looks blank"):
        load_picture_digits(path)


def test_several_clean_digits_side_by_side_are_read_left_to_right():
    picture = np.zeros((60, 200), np.float32)
    lefts = [10, 75, 140]
    for left, i in zip(lefts, (0, 1, 2)):
        picture[10:50, left:left + 40] = _drawing(X[i], 40, dark_on_light=False)
    found = find_digits(1.0 - picture)         # dark ink on white paper
    assert found.route == "clean" and len(found.digits) == 3
    assert [d.box[1] for d in found.digits] == sorted(d.box[1] for d in found.digits)
    for digit, left, i in zip(found.digits, lefts, (0, 1, 2)):
        assert left - 1 <= digit.box[1] and digit.box[3] <= left + 41
        assert np.corrcoef(digit.image.ravel(), mnist_normalize(X[i]).ravel())[0, 1] > 0.8


def test_a_digit_in_two_strokes_stays_one_digit():
    picture = np.zeros((80, 80), np.float32)
    picture[10:14, 20:60] = 1.0          # the bar of a "5", not joined to its body
    picture[18:70, 22:27] = 1.0
    picture[40:44, 22:58] = 1.0
    found = find_digits(picture)
    assert len(found.digits) == 1 and found.digits[0].box == (10, 20, 70, 60)


def test_four_digit_photo_gives_four_boxes():
    pick = [5, 17, 23, 42]
    picture = _gray(synth.make_photo([X[i] for i in pick], seed=10_001))
    found = find_digits(picture)
    assert found.route == "photo" and len(found.digits) == 4
    lefts = [d.box[1] for d in found.digits]
    assert lefts == sorted(lefts)
    for digit, i in zip(found.digits, pick):
        assert np.corrcoef(digit.image.ravel(), mnist_normalize(X[i]).ravel())[0, 1] > 0.5


def test_ink_is_high_pictures_are_only_grouped():
    alpha = np.zeros((40, 90), np.float32)
    alpha[5:35, 5:35] = _drawing(X[3], 30, dark_on_light=False)
    alpha[5:35, 55:85] = _drawing(X[4], 30, dark_on_light=False)
    found = find_digits(alpha, ink_is_high=True)
    assert len(found.digits) == 2 and found.route == "clean"


def test_non_2d_input_is_refused():
    with pytest.raises(ValueError, match="2-D"):
        find_digits(np.zeros((4, 4, 3)))


def test_a_tightly_cropped_digit_whose_ink_touches_the_edge_is_read_not_called_blank(tmp_path):
    """An upscaled 8×8 UCI-style digit: ink reaches the border, so the border is uneven, yet no
    sheet of paper lies on a desk — the clean recipe reads it (the photo route alone found none)."""
    from PIL import Image

    from desktop_dl.core.digit_preprocess import load_digit_image, load_picture_digits

    eight = np.zeros((8, 8))
    eight[:, 3:5] = 16                     # a "1" from the top edge to the bottom edge
    eight[0, 2] = eight[7, 2:6] = 12
    paper = (255 - eight * (255 / 16)).astype(np.uint8)
    path = tmp_path / "uci_one.png"
    Image.fromarray(paper).resize((160, 160), Image.BILINEAR).save(path)
    image = load_digit_image(path)
    assert image.shape == (28, 28) and image.max() > 0.9
    found = load_picture_digits(path)
    assert len(found.digits) == 1 and found.route == "clean"
