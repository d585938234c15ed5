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

from pathlib import Path

import numpy as np
from PIL import Image

from desktop_dl.core.errors import DatasetError

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
# After background removal, grey below this is paper texture or sensor noise, not ink.
_NOISE_FLOOR = 0.15


def load_digit_image(path) -> np.ndarray:
    """Read a PNG/JPEG/BMP/... of one digit and return it as `mnist_normalize` does.

    The picture is decoded by `core.images.decode_image` (the one decoder of the app: EXIF
    orientation, transparency, 16-bit and palette pictures). Polarity is detected: dark ink on
    light paper and light ink on a dark background both work; a drawing on transparency uses its
    alpha channel as the ink. Raises DatasetError with a message for the user when the file
    cannot be read or shows no digit.
    """
    from desktop_dl.core.images import decode_image

    path = Path(path)
    if not path.exists():
        raise DatasetError(f"The image file {path} does not exist. Check the path and try again.")
    if path.is_dir():
        raise DatasetError(f"{path} is a folder, not an image file. Give the path of one PNG or JPEG.")
    try:
        decoded = decode_image(path, max_pixels=_MAX_PIXELS, draft_side=_MAX_SIDE)
    except DatasetError as exc:
        if "too many pixels" in str(exc):
            raise DatasetError(f"{exc} Crop the picture to the digit (a few hundred pixels is "
                               f"plenty).") from None
        raise
    gray = _ink_from_pixels(decoded.array)
    if ink_bbox(gray) is None:
        raise DatasetError(
            f"{path.name} looks blank: no digit was found in it. Use an image with one digit, "
            "dark on light paper or light on a dark background.")
    return mnist_normalize(gray)


def _ink_from_pixels(pixels: np.ndarray) -> np.ndarray:
    """Ink-high float image in 0..1 with the background at 0, from decoded uint8 pixels."""
    from desktop_dl.core.images import resize_image, to_channels

    grey = to_channels(pixels, 1)
    h, w = grey.shape
    if max(h, w) > _MAX_SIDE:
        scale = _MAX_SIDE / max(h, w)
        grey = resize_image(grey, max(1, round(h * scale)), max(1, round(w * scale)))
    arr = grey.astype(np.float32) / 255.0
    border = np.concatenate([arr[0, :], arr[-1, :], arr[:, 0], arr[:, -1]])
    background = float(np.median(border))
    if background > 0.5:
        # Dark ink on light paper: flip so ink is high, as in MNIST.
        arr = 1.0 - arr
        background = 1.0 - background
    return _clean(arr, background)


def _clean(arr: np.ndarray, background: float = 0.0) -> np.ndarray:
    """Remove the background level and faint noise, stretch the ink to reach 1."""
    arr = np.clip(arr - background, 0.0, None)
    peak = float(arr.max())
    if peak <= 1e-6:
        return np.zeros_like(arr)
    arr /= peak
    return np.clip((arr - _NOISE_FLOOR) / (1.0 - _NOISE_FLOOR), 0.0, 1.0)
