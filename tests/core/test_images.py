"""core.images.decode_image against hand-computed pixels, one test per kind of picture."""
import io

import numpy as np
import pytest
from PIL import Image

from desktop_dl.core.images import ImageFileError, decode_image, resize_image, to_channels
from desktop_dl.core.errors import UserError


def _png(image: Image.Image, fmt: str = "PNG", **save) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **save)
    return buf.getvalue()


BASE = np.array([[10, 20, 30], [40, 50, 60]], np.uint8)
# What a viewer shows for each EXIF orientation of BASE, written out by hand.
UPRIGHT = {
    1: [[10, 20, 30], [40, 50, 60]],
    2: [[30, 20, 10], [60, 50, 40]],          # mirrored left-right
    3: [[60, 50, 40], [30, 20, 10]],          # turned 180°
    4: [[40, 50, 60], [10, 20, 30]],          # mirrored top-bottom
    5: [[10, 40], [20, 50], [30, 60]],        # mirrored along the main diagonal
    6: [[40, 10], [50, 20], [60, 30]],        # turned 90° clockwise
    7: [[60, 30], [50, 20], [40, 10]],        # mirrored along the other diagonal
    8: [[30, 60], [20, 50], [10, 40]],        # turned 90° anticlockwise
}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientations_1_to_8(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    decoded = decode_image(_png(Image.fromarray(BASE), exif=exif.tobytes()), name="p.png")
    assert decoded.array.tolist() == UPRIGHT[orientation]
    assert ("EXIF orientation" in " ".join(decoded.notes)) == (orientation != 1)


def test_rgba_is_composited_on_white():
    rgba = np.array([[[200, 100, 0, 128], [0, 0, 255, 255], [10, 20, 30, 0]]], np.uint8)
    decoded = decode_image(_png(Image.fromarray(rgba, "RGBA")))
    # 200·128/255 + 255·127/255 = 227.4; 100·128/255 + 127 = 177.2; 0 + 127 = 127
    assert decoded.array.tolist() == [[[227, 177, 127], [0, 0, 255], [255, 255, 255]]]
    assert not decoded.alpha_as_ink and "white background" in decoded.notes[0]


def test_black_drawing_on_transparency_is_dark_ink_on_white():
    la = np.zeros((1, 3, 2), np.uint8)
    la[0, :, 1] = [0, 255, 128]
    decoded = decode_image(_png(Image.fromarray(la, "LA")))
    assert decoded.array.tolist() == [[255, 0, 127]] and decoded.alpha_as_ink


def test_white_drawing_on_transparency_is_light_ink_on_black():
    rgba = np.full((1, 2, 4), 255, np.uint8)
    rgba[0, 0, 3] = 0
    decoded = decode_image(_png(Image.fromarray(rgba, "RGBA")))
    assert decoded.array.tolist() == [[[0, 0, 0], [255, 255, 255]]]
    assert "shown on black" in decoded.notes[0]


def test_white_ink_with_black_transparent_pixels_is_still_the_drawing():
    rgba = np.zeros((1, 3, 4), np.uint8)                 # transparent pixels stored as black
    rgba[0, 1] = [255, 255, 255, 255]
    rgba[0, 2] = [255, 255, 255, 51]                     # anti-aliased edge, 20 % opaque
    decoded = decode_image(_png(Image.fromarray(rgba, "RGBA")))
    # on black: 255 · alpha → 0, 255, 51
    assert decoded.array[..., 0].tolist() == [[0, 255, 51]] and decoded.alpha_as_ink


def test_palette_with_and_without_transparency():
    img = Image.fromarray(np.array([[0, 1]], np.uint8), "P")
    img.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    assert decode_image(_png(img)).array.tolist() == [[[255, 0, 0], [0, 0, 255]]]
    decoded = decode_image(_png(img, transparency=0))
    assert decoded.array.tolist() == [[[255, 255, 255], [0, 0, 255]]]
    assert any("palette" in n for n in decoded.notes)


def test_cmyk_is_converted_to_rgb():
    cmyk = np.array([[[0, 0, 0, 0], [255, 0, 0, 0], [0, 0, 0, 255]]], np.uint8)
    decoded = decode_image(_png(Image.fromarray(cmyk, "CMYK"), "JPEG", quality=100))
    assert np.abs(decoded.array.astype(int) - [[[255, 255, 255], [0, 255, 255], [0, 0, 0]]]).max() <= 3
    assert "CMYK" in decoded.notes[0]


def test_16_bit_is_scaled_from_its_own_range():
    img = Image.fromarray(np.array([[1000, 1500, 3000]], np.uint16))
    decoded = decode_image(_png(img))
    # (v − 1000) · 255 / 2000: 0, 63.75, 255
    assert decoded.array.tolist() == [[0, 64, 255]] and "1000..3000" in decoded.notes[0]


def test_float_is_scaled_from_its_own_range():
    img = Image.fromarray(np.array([[-1.0, 0.5, 1.0]], np.float32), "F")
    decoded = decode_image(_png(img, "TIFF"))
    # (v + 1) · 127.5: 0, 191.25, 255
    assert decoded.array.tolist() == [[0, 191, 255]] and decoded.source_mode == "F"


def test_one_bit_and_constant_pictures():
    img = Image.fromarray(np.array([[0, 255]], np.uint8)).convert("1")
    assert decode_image(_png(img)).array.tolist() == [[0, 255]]
    assert decode_image(_png(Image.fromarray(np.full((3, 3), 7, np.uint8)))).constant


def test_multi_frame_gif_gives_frame_0_with_a_note():
    frames = [Image.fromarray(np.full((2, 2), v, np.uint8)) for v in (0, 255)]
    data = _png(frames[0], "GIF", save_all=True, append_images=frames[1:])
    decoded = decode_image(data, name="anim.gif")
    assert decoded.array.shape[:2] == (2, 2) and int(decoded.array.max()) == 0
    assert "2 frames" in decoded.notes[0]


def test_postscript_named_png_is_refused(tmp_path):
    path = tmp_path / "digit.png"
    path.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    with pytest.raises(ImageFileError, match="PostScript") as info:
        decode_image(path)
    assert isinstance(info.value, UserError) and "digit.png" in str(info.value)


def test_eps_with_a_leading_newline_and_pdf_are_refused():
    for data in (b"\n%!PS-Adobe-3.0\n", b"%PDF-1.4\n"):
        with pytest.raises(ImageFileError, match="not a picture"):
            decode_image(data)


def test_decompression_bomb_is_a_user_error(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ImageFileError, match="too many pixels"):
        decode_image(_png(Image.fromarray(np.zeros((40, 40), np.uint8))))
    with pytest.raises(ImageFileError, match="too many pixels"):
        decode_image(_png(Image.fromarray(np.zeros((10, 10), np.uint8))), max_pixels=50)


def test_damaged_and_unknown_files_are_user_errors(tmp_path):
    good = _png(Image.fromarray(BASE))
    for data in (good[:40], b"hello, not a picture", b""):
        path = tmp_path / "x.png"
        path.write_bytes(data)
        with pytest.raises(ImageFileError, match="x.png"):
            decode_image(path)


def test_channels_and_resize():
    rgb = np.zeros((2, 2, 3), np.uint8)
    rgb[..., 0] = 100
    assert to_channels(rgb, 1).tolist() == [[30, 30], [30, 30]]        # 0.299 · 100
    assert to_channels(np.eye(2, dtype=np.uint8), 3).shape == (2, 2, 3)
    assert resize_image(np.full((8, 8), 9, np.uint8), 4, 2).tolist() == [[9, 9]] * 4
