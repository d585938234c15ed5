"""Turn a drawing or a photo of one digit into what an MNIST model expects.

MNIST's own recipe (LeCun et al.): crop to the ink, scale the longest side to 20 px keeping the
aspect ratio with anti-aliased grey levels, then place the result in a 28×28 field so that its
centre of mass sits at the centre. Resizing the whole canvas instead recognises far fewer drawn
digits (~59 % against ~98 % with this recipe on a CNN trained on the bundled subset), because
learners draw small, off-centre and with thinner or thicker pens than MNIST's writers.

Plain numpy + Pillow: used by the canvas (live, well under a millisecond for a 280×280 drawing)
and by `desktop-dl predict`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import _

SIZE = 28          # the field MNIST models see
BOX = 20           # the longest side of the digit inside it
# Where MNIST itself puts the centre of mass, in pixel-index coordinates (those of
# scipy.ndimage.center_of_mass): (14, 14) = SIZE / 2, measured on the bundled 5,000 digits (mean
# 13.99, 14.00; every digit within 13.5..14.5). Matching it exactly, not the geometric 13.5,
# means a digit already in MNIST form comes back unchanged.
CENTRE = SIZE / 2.0

# Below this fraction of the brightest ink a pixel counts as background when cropping; it only
# drops the faintest anti-aliasing fringe and sensor noise.
INK_THRESHOLD = 0.02


def ink_bbox(gray: np.ndarray, threshold: float = INK_THRESHOLD) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) of the pixels above `threshold` × max, bottom/right exclusive;
    None when there is no ink."""
    gray = np.asarray(gray)
    peak = float(gray.max()) if gray.size else 0.0
    if not np.isfinite(peak) or peak <= 0.0:
        return None
    mask = gray > threshold * peak
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return None
    return int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of the intensity-weighted centre, in pixel-centre coordinates."""
    image = np.asarray(image, dtype=np.float64)
    total = image.sum()
    if total <= 0:
        return (image.shape[0] - 1) / 2.0, (image.shape[1] - 1) / 2.0
    rows = np.arange(image.shape[0], dtype=np.float64)
    cols = np.arange(image.shape[1], dtype=np.float64)
    return (float(image.sum(axis=1) @ rows / total), float(image.sum(axis=0) @ cols / total))


def _resize_area(image: np.ndarray, height: int, width: int) -> np.ndarray:
    """Anti-aliased resize: area averaging when shrinking (each output pixel is the mean of the
    input area it covers), bilinear when growing a tiny drawing, where area sampling would make
    blocks."""
    src_h, src_w = image.shape
    shrinking = height <= src_h and width <= src_w
    method = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    resized = Image.fromarray(np.ascontiguousarray(image, dtype=np.float32))
    return np.asarray(resized.resize((width, height), resample=method), dtype=np.float32)


def mnist_normalize(gray: np.ndarray) -> np.ndarray:
    """A (28, 28) float32 image in 0..1, ink high, prepared the way MNIST digits were.

    `gray` is a 2-D array with ink high and background 0, in 0..1 (an array whose maximum is
    above 1 is read as 0..255). Steps: crop to the ink's bounding box; scale so the longest side
    is 20 px, keeping the aspect ratio, with area resampling; stretch so the brightest pixel is 1
    (MNIST strokes reach full white whatever the pen); place in 28×28 at the whole-pixel offset
    that puts the centre of mass nearest MNIST's centre (14, 14), within 0.5 px, unless that
    would push ink off the field, in which case the digit is kept whole against the border.
    An empty drawing gives all zeros.

    Source: LeCun, Bottou, Bengio and Haffner 1998 and the MNIST page (yann.lecun.com/exdb/mnist:
    digits size-normalised into a 20×20 box keeping their aspect ratio, then centred by centre of
    mass in a 28×28 field). Raises ValueError (a programming error) for an array that is not 2-D.
    """
    gray = np.asarray(gray, dtype=np.float32)
    if gray.ndim == 3 and gray.shape[-1] == 1:
        gray = gray[..., 0]
    if gray.ndim != 2:
        raise ValueError(f"mnist_normalize needs a 2-D grey image, got shape {gray.shape}")
    out = np.zeros((SIZE, SIZE), dtype=np.float32)
    if gray.size == 0:
        return out
    # One reduction each answers "any NaN/inf?", "0..255?" and "negatives?" (the canvas calls
    # this up to 125 times a second, so the common clean case does no extra pass).
    high, low = float(gray.max()), float(gray.min())
    if not (np.isfinite(high) and np.isfinite(low)):
        gray = np.nan_to_num(gray, nan=0.0, posinf=0.0, neginf=0.0)
        high, low = float(gray.max()), float(gray.min())
    if high > 1.0:
        gray = gray / 255.0
        high, low = high / 255.0, low / 255.0
    if low < 0.0 or high > 1.0:
        gray = np.clip(gray, 0.0, 1.0)
    box = ink_bbox(gray)
    if box is None:
        return out
    top, left, bottom, right = box
    ink = gray[top:bottom, left:right]
    h, w = ink.shape
    scale = BOX / max(h, w)
    new_h = max(1, min(BOX, int(round(h * scale))))
    new_w = max(1, min(BOX, int(round(w * scale))))
    digit = np.clip(_resize_area(ink, new_h, new_w), 0.0, None)
    peak = float(digit.max())
    if peak <= 0.0:
        return out
    digit /= peak
    com_r, com_c = centre_of_mass(digit)
    off_r = int(np.clip(np.floor(CENTRE - com_r + 0.5), 0, SIZE - new_h))
    off_c = int(np.clip(np.floor(CENTRE - com_c + 0.5), 0, SIZE - new_w))
    out[off_r:off_r + new_h, off_c:off_c + new_w] = digit
    return out


# Photos and scans are shrunk first: a phone picture has millions of pixels, MNIST 784.
_MAX_SIDE = 512
_MAX_PIXELS = 60_000_000       # a 60-megapixel photo is the most we decode for one digit


def load_digit_image(path) -> np.ndarray:
    """Read a PNG/JPEG/BMP/... of one digit and return it as `mnist_normalize` does.

    The picture is decoded by `core.images.decode_image` (the one decoder of the app: EXIF
    orientation, transparency, 16-bit and palette pictures). Polarity is detected: dark ink on
    light paper and light ink on a dark background both work; a drawing on transparency uses its
    alpha channel as the ink. A photo of paper on a desk is read by core/digit_photo's photo
    route (several digits in it are normalised together; `load_picture_digits` separates them).
    Raises DatasetError with a message for the user when the file cannot be read or shows no digit.
    """
    from desktop_dl.core import digit_photo

    path = Path(path)
    arr, _unused = _decode(path)
    if digit_photo.is_clean(arr):
        gray = digit_photo.clean_ink(arr)
    else:
        found = find_digits(arr)
        if len(found.digits) == 1:
            return found.digits[0].image
        gray = (digit_photo.photo_ink(arr)[0] if found.route == "photo"
                else digit_photo.clean_ink(arr))
    if ink_bbox(gray) is None:
        raise _blank(path)
    return mnist_normalize(gray)


@dataclass(frozen=True)
class FoundDigit:
    """One digit found in a picture, ready for the model: `image` (28, 28) float32 0..1, ink high
    (MNIST style: LeCun et al. 1998), and its `box` (top, left, bottom, right) in the picture's
    pixels."""
    image: np.ndarray                        # (28, 28) float32, 0..1, ink high (MNIST style)
    box: tuple[int, int, int, int]           # (top, left, bottom, right) in the picture's pixels


@dataclass
class PictureDigits:
    """The digits found in a picture, left to right (empty when no ink was found), the route taken
    ("clean": drawing or scan, "photo": paper on a desk) and notes on what was done."""
    digits: list[FoundDigit]                 # left to right; empty when no ink was found
    route: str                               # "clean" (drawing, scan) or "photo" (paper on a desk)
    notes: list[str] = field(default_factory=list)


def find_digits(gray: np.ndarray, *, ink_is_high: bool = False) -> PictureDigits:
    """Every digit in a decoded picture, left to right, as the (28, 28) image a model sees.

    `gray`: H×W float, 0..1 (or 0..255), brightness high; `ink_is_high`: already ink-high with
    background 0 (a canvas drawing, an alpha channel). Clean pictures holding one digit give
    exactly `mnist_normalize` of the recipe used before photos were handled; photos and
    several digits go through core/digit_photo.py. ValueError for a non-2-D array.
    """
    from desktop_dl.core import digit_photo

    inks = digit_photo.find_digit_inks(gray, ink_is_high=ink_is_high)
    return PictureDigits([FoundDigit(mnist_normalize(d.ink), d.box) for d in inks.digits],
                         inks.route, inks.notes)


def load_picture_digits(path) -> PictureDigits:
    """Every digit in a picture file, left to right: a `PictureDigits` whose `digits` each hold
    the (28, 28) image the model sees and the digit's box in the picture (top, left, bottom,
    right, in the decoded picture's pixels: a big photo is shrunk to at most 512 px first), and
    whose notes say what the decoder and the photo route did. Raises DatasetError when the file
    cannot be read or shows no digit."""
    path = Path(path)
    arr, notes = _decode(path)
    found = find_digits(arr)
    if not found.digits:
        raise _blank(path)
    found.notes[:0] = notes
    return found


def _blank(path: Path) -> DatasetError:
    return DatasetError(
        _("{name} looks blank: no digit was found in it. Use an image with one digit, dark on "
          "light paper or light on a dark background.", name=path.name))


def _decode(path: Path) -> tuple[np.ndarray, list[str]]:
    """(2-D float32 picture in 0..1, brightness high, at most _MAX_SIDE pixels a side; the
    decoder's notes). DatasetError when the file cannot be read."""
    from desktop_dl.core.images import decode_image, resize_image, to_channels

    if not path.exists():
        raise DatasetError(_("The image file {path} does not exist. Check the path and try "
                             "again.", path=path))
    if path.is_dir():
        raise DatasetError(_("{path} is a folder, not an image file. Give the path of one PNG "
                             "or JPEG.", path=path))
    try:
        decoded = decode_image(path, max_pixels=_MAX_PIXELS, draft_side=_MAX_SIDE)
    except DatasetError as exc:
        if _("too many pixels") in str(exc):
            raise DatasetError(_("{exc} Crop the picture to the digit (a few hundred pixels is "
                                 "plenty).", exc=exc)) from None
        raise
    grey = to_channels(decoded.array, 1)
    h, w = grey.shape
    if max(h, w) > _MAX_SIDE:
        scale = _MAX_SIDE / max(h, w)
        grey = resize_image(grey, max(1, round(h * scale)), max(1, round(w * scale)))
    return grey.astype(np.float32) / 255.0, list(decoded.notes)
