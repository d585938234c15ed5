"""Digits in a picture: clean drawings and scans as before, photos of paper on a desk, several digits.

`find_digit_inks(gray)` takes a decoded picture as a 2-D grey array (0..1, brightness high, as
the image decoder gives it) and returns the ink of each digit it finds, left to right, with its
box in the picture; core/digit_preprocess.find_digits turns each into the 28×28 MNIST-style
image a model sees (mnist_normalize).

Two routes, chosen from the picture itself:
- **clean** (a drawing, a scan, an MNIST-like image): the background is one even level, seen
  all around the border and over most of the picture. Exactly the recipe used before this module
  existed: polarity from the border, background removed, noise floor, `mnist_normalize`. A single
  digit gives bit-for-bit the same 28×28 as before.
- **photo** (a sheet of paper on a darker desk, uneven light, pencil-grey ink, JPEG noise): the
  border test alone would take the paper for ink. Instead: Otsu's threshold separates paper from
  desk (the dark regions touching the border are desk); the paper's own brightness is estimated
  with a grey closing (a max/min filter wider than a pen stroke), and ink is how much darker a
  pixel is than its paper, relative to it, so a lighting gradient or a shadow cancels out; Otsu
  again on that ratio gives the ink pixels; connected components that look like pen strokes
  (thin for their size, not touching the paper's edge) are kept.

In both routes components that overlap left-to-right are one digit (a "5" whose bar is not
joined to its body stays one digit); separate groups of similar height are separate digits.
scikit-image and scipy are imported when a photo needs them.
"""
from __future__ import annotations
from desktop_dl.core.i18n import _

from dataclasses import dataclass, field

import numpy as np

# Clean route: the border's levels lie within this spread, and this share of the whole picture
# sits at the border's level (a drawing is mostly background).
CLEAN_BORDER_SPREAD = 0.12
CLEAN_BACKGROUND_SHARE = 0.5
# Photos are processed at this size (longest side): a digit of a few dozen pixels is plenty for 28×28.
PHOTO_SIDE = 320
# A group shorter than this fraction of the tallest group is a speck or a dot, not a digit.
MIN_DIGIT_HEIGHT = 0.35
MAX_DIGITS = 16
MIN_PHOTO_SIDE = 64          # pixels: smaller pictures are drawings or MNIST-style images


@dataclass(frozen=True)
class DigitInk:
    """One digit's ink cut from a picture: `ink` 2-D float32 0..1 (ink high, background 0) and its
    `box` (top, left, bottom, right) in the picture's pixels."""
    ink: np.ndarray                          # 2-D float32, 0..1, ink high, background 0
    box: tuple[int, int, int, int]           # (top, left, bottom, right) in the picture's pixels


@dataclass
class PictureInks:
    """The digits' ink found in a picture, left to right (empty when none), the route taken ("clean"
    or "photo") and notes on what was done."""
    digits: list[DigitInk]                   # left to right; empty when no ink was found
    route: str                               # "clean" or "photo"
    notes: list[str] = field(default_factory=list)


def find_digit_inks(gray: np.ndarray, *, ink_is_high: bool = False) -> PictureInks:
    """The ink of every digit in the picture `gray` (H×W float in 0..1, or 0..255), left to right.

    A single digit on the clean route gets the whole ink image (what mnist_normalize has always
    been given); otherwise each digit's ink is cropped to its box.

    `ink_is_high`: the array is already ink-high with background 0 (a drawing's alpha channel,
    the canvas); then only the grouping into digits is done. Raises ValueError for a non-2-D array.
    """
    gray = np.asarray(gray, dtype=np.float32)
    if gray.ndim != 2:
        raise ValueError(f"find_digit_inks needs a 2-D grey picture, got shape {gray.shape}")
    if gray.size == 0:
        return PictureInks([], "clean")
    high = float(gray.max())
    if not np.isfinite(high):                      # only then pay for a cleaned copy
        gray = np.nan_to_num(gray, nan=0.0, posinf=0.0, neginf=0.0)
        high = float(gray.max())
    if high > 1.0:
        gray, high = gray / 255.0, high / 255.0
    if ink_is_high:
        floor = _INK_FLOOR * max(high, 1e-6)
        return PictureInks(_split(gray, lambda: gray > floor), "clean")
    if is_clean(gray):
        ink = clean_ink(gray)
        return PictureInks(_split(ink, lambda: ink > 0), "clean")
    ink, mask, scale = photo_ink(gray)
    digits = _split(ink, lambda: mask, scale=scale)
    if not digits and not _sheet_on_desk(gray):
        # No sheet of paper with strokes on it: an uneven border came from ink touching the
        # picture's edge (a tightly cropped scan, an upscaled 8×8 digit), not from a desk.
        ink = clean_ink(gray)
        return PictureInks(_split(ink, lambda: ink > 0), "clean")
    notes = [_("Read as a photo of paper: paper and lighting removed, {count} digit(s) found.",
               count=len(digits))]
    return PictureInks(digits, "photo", notes)


_INK_FLOOR = 0.02            # digit_preprocess.INK_THRESHOLD: fainter is background when cropping
_NOISE_FLOOR = 0.15          # after background removal, grey below this is paper texture or noise


def is_clean(gray: np.ndarray) -> bool:
    """True for a drawing or scan on an even background (see the module docstring): the border
    is even, most of the picture is at its level, and what differs from it is pen strokes, not
    a sheet of paper lying on a desk (a large filled region)."""
    if max(gray.shape) < MIN_PHOTO_SIDE:
        return True                    # an MNIST-sized image, an icon: never a photo of a sheet
    border = np.sort(np.concatenate([gray[0, :], gray[-1, :], gray[:, 0], gray[:, -1]]))
    n = border.size          # percentiles by index: np.percentile costs more than the rest here
    low, level, high = border[n // 20], border[n // 2], border[(n * 19) // 20]
    if high - low > CLEAN_BORDER_SPREAD:
        return False
    step = max(1, int(np.ceil(np.sqrt(gray.size / 4_000))))   # a sample is enough for a share
    sample = gray[::step, ::step]
    differs = np.abs(sample - level) > CLEAN_BORDER_SPREAD
    share = float(differs.mean())
    if share > 1.0 - CLEAN_BACKGROUND_SHARE:
        return False
    # Ink covers a small part of a drawing; above this share, make sure it is not a sheet.
    # Paper is lighter than the desk around it: dark ink on a light page is a drawing or a scan.
    # The shape test needs no detail: ~64 px across is plenty to tell a sheet from strokes.
    coarse = max(1, int(np.ceil(max(sample.shape) / 64)))
    return share <= 0.12 or not _looks_like_paper(sample[::coarse, ::coarse] - level > 0.2)


def _sheet_on_desk(gray: np.ndarray) -> bool:
    """A region lighter than the border that looks like a sheet of paper (see _looks_like_paper):
    a photo of paper on a desk, whether or not anything is written on it."""
    border = np.concatenate([gray[0, :], gray[-1, :], gray[:, 0], gray[:, -1]])
    step = max(1, int(np.ceil(max(gray.shape) / 64)))
    return _looks_like_paper(gray[::step, ::step] - float(np.median(border)) > 0.2)


def _looks_like_paper(mask: np.ndarray) -> bool:
    """The largest region lighter than the border is a sheet of paper with writing on it, not a
    light pen stroke: it is solid, fills most of its box, is deep for its size (a stroke is a
    few pen-widths deep however long it is), its holes, the writing, are thin (a bold "0" drawn
    light on dark has a round hole instead), and it is convex (a closed-up bold "8" is not)."""
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return False
    # Cheap first: pen strokes cover well under half of their box; a sheet covers most of it.
    if mask.sum() < 0.55 * (rows[-1] - rows[0] + 1) * (cols[-1] - cols[0] + 1):
        return False
    from scipy import ndimage

    mask = ndimage.binary_opening(mask)          # cut thin bridges to desk texture
    labels, count = ndimage.label(mask)
    if count == 0:
        return False
    sizes = ndimage.sum(mask, labels, range(1, count + 1))
    index = 1 + int(np.argmax(sizes))
    box = ndimage.find_objects(labels)[index - 1]
    region = labels[box] == index
    filled = ndimage.binary_fill_holes(region)
    side = max(filled.shape)
    holes = filled & ~region
    hole_share = float(holes.sum()) / float(filled.sum())
    fill = float(filled.sum()) / filled.size
    depth = float(ndimage.distance_transform_edt(np.pad(filled, 1)).max()) / side
    hole_depth = float(ndimage.distance_transform_edt(holes).max()) / side if holes.any() else 0.0
    # Measured on 140 synthetic photos and 300 bundled digits drawn light on dark (112 px):
    # sheets fill ≥ 0.77 of their box, depth ≥ 0.26, holes ≤ 6 %, and are convex (solidity
    # ≥ 0.92: a rectangle, where a closed-up bold "8" has its waist); no digit meets all five.
    if not (hole_share <= 0.12 and fill >= 0.75 and depth >= 0.24 and hole_depth <= 0.12):
        return False
    from skimage.morphology import convex_hull_image

    return float(filled.sum()) / float(convex_hull_image(filled).sum()) >= 0.9


def clean_ink(arr: np.ndarray) -> np.ndarray:
    """Ink-high 0..1 image of a clean picture: polarity from the border's median, background
    removed, stretched to reach 1, grey below the noise floor dropped (the recipe of
    digit_preprocess before photos were handled, unchanged)."""
    border = np.concatenate([arr[0, :], arr[-1, :], arr[:, 0], arr[:, -1]])
    background = float(np.median(border))
    if background > 0.5:
        arr = 1.0 - arr                      # dark ink on light paper: ink high, as in MNIST
        background = 1.0 - background
    arr = np.clip(arr - background, 0.0, None)
    peak = float(arr.max())
    if peak <= 1e-6:
        return np.zeros_like(arr)
    arr = arr / peak
    return np.clip((arr - _NOISE_FLOOR) / (1.0 - _NOISE_FLOOR), 0.0, 1.0)


def photo_ink(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(ink 0..1, stroke mask, scale) of a photo, at PHOTO_SIDE; `scale` maps back to the picture.

    The paper/desk and ink thresholds are Otsu's (Otsu 1979, skimage.filters.threshold_otsu;
    the three-class multi-Otsu of skimage for a desk around the sheet).
    """
    from scipy import ndimage
    from skimage.filters import threshold_otsu

    scale = max(gray.shape) / PHOTO_SIDE
    small = _shrink(gray, scale) if scale > 1 else gray
    scale = gray.shape[0] / small.shape[0]
    smooth = ndimage.uniform_filter(small, 3)
    paper = _paper_mask(smooth, threshold_otsu, ndimage)
    side = min(small.shape)
    # Wider than any pen stroke (a digit is at most the picture's height, a stroke ~1/6 of that).
    width = max(9, int(side * 0.12) | 1)
    filled = np.where(paper, smooth, np.median(smooth[paper]) if paper.any() else smooth.max())
    background = ndimage.grey_closing(filled, size=(width, width))
    background = ndimage.uniform_filter(background, width)
    ink = np.clip((background - smooth) / np.maximum(background, 0.05), 0.0, 1.0)
    inner = ndimage.binary_erosion(paper, iterations=max(2, side // 60))
    ink = np.where(inner, ink, 0.0)
    values = ink[inner]
    if values.size == 0 or float(values.max()) <= 0.04:
        return np.zeros_like(ink), np.zeros(ink.shape, bool), scale
    threshold = max(float(threshold_otsu(values)), 0.06)
    mask = _stroke_components(ink > threshold, inner, ndimage)
    if not mask.any():
        return np.zeros_like(ink), mask, scale
    # Saturate the stroke cores as MNIST's pen does; keep the soft edges around them.
    core = float(np.percentile(ink[mask], 90))
    near = ndimage.binary_dilation(mask, iterations=1)
    ink = np.where(near, np.clip(ink / max(core, 1e-3), 0.0, 1.0), 0.0).astype(np.float32)
    return ink, mask, scale


def _shrink(gray: np.ndarray, scale: float) -> np.ndarray:
    from PIL import Image

    h, w = gray.shape
    size = (max(1, int(round(w / scale))), max(1, int(round(h / scale))))
    return np.asarray(Image.fromarray(gray.astype(np.float32)).resize(size, Image.Resampling.BOX), np.float32)


def _paper_mask(smooth: np.ndarray, threshold_otsu, ndimage) -> np.ndarray:
    """The sheet: everything except the dark regions that touch the picture's border (the desk).
    When no such region is large, the whole picture is paper."""
    dark = smooth < _desk_threshold(smooth, threshold_otsu)
    labels, count = ndimage.label(dark)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    desk = np.isin(labels, edge[edge > 0])
    if desk.mean() < 0.03:
        return np.ones(smooth.shape, bool)
    paper = ndimage.binary_fill_holes(~desk)
    # Lighter streaks of wood grain reach into the desk; an opening wider than a streak
    # removes them and leaves the sheet.
    width = max(5, min(smooth.shape) // 20)
    paper = ndimage.maximum_filter(ndimage.minimum_filter(paper.view(np.uint8), width), width) > 0
    labels, count = ndimage.label(paper)
    if count > 1:                                       # the largest light region is the sheet
        sizes = ndimage.sum(paper, labels, range(1, count + 1))
        paper = labels == (1 + int(np.argmax(sizes)))
    return paper


def _desk_threshold(smooth: np.ndarray, threshold_otsu) -> float:
    """Between desk and paper. With uneven light the shadowed end of the sheet can be as dark as
    Otsu's two-class threshold; three classes (desk, shaded paper, lit paper) put the lower
    threshold under the shade."""
    from skimage.filters import threshold_multiotsu

    try:
        low = float(threshold_multiotsu(smooth, classes=3, nbins=64)[0])
    except ValueError:                  # too few grey levels for three classes
        return float(threshold_otsu(smooth))
    return low


def _stroke_components(mask: np.ndarray, inner: np.ndarray, ndimage) -> np.ndarray:
    """Components that look like pen strokes: not specks, not touching the paper's edge, and thin
    for their size (a smudge or a shadow is a filled blob)."""
    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    if count == 0:
        return mask
    edge = inner & ~ndimage.binary_erosion(inner, iterations=2)
    touching = set(np.unique(labels[edge]).tolist())
    areas = ndimage.sum(mask, labels, range(1, count + 1))
    inside = [a for i, a in enumerate(areas, start=1) if i not in touching]
    min_area = max(8.0, 0.04 * float(max(inside, default=0.0)))
    keep = np.zeros(count + 1, bool)
    for index, obj in enumerate(ndimage.find_objects(labels), start=1):
        area = areas[index - 1]
        if obj is None or area < min_area or index in touching:
            continue
        height, width = obj[0].stop - obj[0].start, obj[1].stop - obj[1].start
        if width >= 4 * height:
            continue                  # a long flat line: the sheet's edge, a fold, an underline
        region = labels[obj] == index
        thickness = _thickness(region, ndimage)
        if thickness <= 0.8 * max(height, width):
            keep[index] = True
    return keep[labels]


def _thickness(region: np.ndarray, ndimage) -> float:
    """Twice the largest distance from a stroke pixel to the background: the pen's width."""
    distance = ndimage.distance_transform_edt(np.pad(region, 1))
    return 2.0 * float(distance.max())


def _split(ink: np.ndarray, make_mask, *, scale: float = 1.0) -> list[DigitInk]:
    """Digits left to right: components of the ink mask (`make_mask()`, made only when needed)
    grouped by horizontal overlap."""
    if scale == 1.0:
        # The common case, a single clean digit, costs two reductions and no mask: the columns
        # holding any ink form one run, and the digit is the whole ink image, exactly as
        # mnist_normalize always received it.
        columns = ink.any(axis=0)
        if not columns.any():
            return []
        if _one_run(columns):
            rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(columns)
            return [DigitInk(ink, (int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1))]
    mask = make_mask()
    if not mask.any():
        return []
    from scipy import ndimage

    labels, count = ndimage.label(mask, structure=np.ones((3, 3)))
    spans = []
    for index, obj in enumerate(ndimage.find_objects(labels), start=1):
        if obj is not None:
            spans.append([obj[1].start, obj[1].stop, obj[0].start, obj[0].stop, [index]])
    spans.sort()
    groups: list[list] = []
    for left, right, top, bottom, members in spans:
        overlap = groups and left < groups[-1][1] - 0.2 * min(right - left, groups[-1][1] - groups[-1][0])
        # Strokes of one digit overlap left-to-right and are close vertically.
        if overlap and _vertical_gap(groups[-1], top, bottom) < 0.5 * max(bottom - top, groups[-1][3] - groups[-1][2]):
            group = groups[-1]
            group[1], group[2], group[3] = max(group[1], right), min(group[2], top), max(group[3], bottom)
            group[4].extend(members)
        else:
            groups.append([left, right, top, bottom, members])
    tallest = max(g[3] - g[2] for g in groups)
    groups = [g for g in groups if g[3] - g[2] >= MIN_DIGIT_HEIGHT * tallest][:MAX_DIGITS]
    if len(groups) == 1 and scale == 1.0:
        # One digit: the whole ink image, exactly as mnist_normalize always received it.
        rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        return [DigitInk(ink, (int(rows[0]), int(cols[0]), int(rows[-1]) + 1, int(cols[-1]) + 1))]
    digits = []
    for left, right, top, bottom, members in groups:
        own = ndimage.binary_dilation(np.isin(labels[top:bottom, left:right], members), iterations=2)
        crop = np.where(own, ink[top:bottom, left:right], 0.0)
        box = (int(top * scale), int(left * scale), int(np.ceil(bottom * scale)), int(np.ceil(right * scale)))
        digits.append(DigitInk(crop.astype(np.float32, copy=False), box))
    return digits


def _one_run(columns: np.ndarray) -> bool:
    """The True entries of `columns` form one unbroken run."""
    starts = np.flatnonzero(columns[1:] & ~columns[:-1])
    return starts.size == 0 or (starts.size == 1 and not columns[0])


def _vertical_gap(group: list, top: int, bottom: int) -> int:
    return max(0, top - group[3], group[2] - bottom)
