"""One way to read a picture, for every path that opens one (image folders, `predict`, digits).

    decoded = decode_image("photo.jpg")      # or bytes
    decoded.array    # uint8, (H, W) for grey pictures, (H, W, 3) for colour ones
    decoded.notes    # what was done to it: turned upright, alpha flattened, frame 0 of 12, …

What the array holds is the picture as a person sees it in an image viewer:
- only PNG, JPEG, BMP, GIF, TIFF and WebP are decoded (never PostScript/EPS/PDF, whose decoders
  run an interpreter), whatever the file is called;
- `PIL.Image.MAX_IMAGE_PIXELS` is honoured: larger pictures (decompression bombs) are refused;
- the EXIF orientation is applied (phones store photos sideways and set a flag);
- transparency is composited on white — except when the colour channels are constant (a black
  or white drawing on a transparent background), where the alpha channel is the ink and is
  composited on the background that contrasts with that colour;
- palette, CMYK, 1-bit and other modes are converted; 16-bit and float pictures are scaled from
  their own range (min..max) to 0..255, not clipped;
- animated or multi-frame files give their first frame, with a note.
Errors are `ImageFileError` (a UserError) naming the file and what to do.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from desktop_dl.core.errors import DatasetError, os_error_text
from desktop_dl.core.i18n import N_, _
from desktop_dl.core.limits import MAX_FILE_BYTES, human_size

ALLOWED_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
FORMAT_LIST = N_("PNG, JPEG, BMP, GIF, TIFF or WebP")
_EXIF_ORIENTATION = 0x0112
_REFUSED_MAGIC = ((b"%!PS", N_("a PostScript/EPS document")), (b"\xc5\xd0\xd3\xc6", N_("an EPS document")),
                  (b"%PDF", N_("a PDF document")))


class ImageFileError(DatasetError):
    """A picture that cannot (or must not) be decoded; the message names the file."""


@dataclass
class DecodedImage:
    """A picture file decoded for the digit reader: `array` uint8 (H, W) grey or (H, W, 3) RGB, the
    notes on what decoding changed, and what the file held (Pillow mode, format, (height, width) in
    pixels before reduced decoding or an EXIF turn, whether alpha was the ink)."""
    array: np.ndarray                       # uint8 (H, W) grey or (H, W, 3) RGB
    notes: list[str] = field(default_factory=list)
    source_mode: str = ""                   # Pillow's mode of the file: "RGBA", "I;16", "P", …
    source_format: str = ""                 # "PNG", "JPEG", …
    alpha_as_ink: bool = False              # True when the alpha channel was the drawing
    source_size: tuple[int, int] = (0, 0)   # (height, width) stored in the file, before any
                                            # reduced JPEG decoding or EXIF turn

    @property
    def grey(self) -> bool:
        """True when `array` is 2-D (one grey channel)."""
        return self.array.ndim == 2

    @property
    def constant(self) -> bool:
        """Every pixel has the same value (a blank picture)."""
        return self.array.size == 0 or int(self.array.min()) == int(self.array.max())


def decode_image(source: str | Path | bytes, name: str | None = None,
                 max_pixels: int | None = None, draft_side: int | None = None) -> DecodedImage:
    """The picture in `source` (a path or the file's bytes) as the viewer shows it.

    `name` is used in messages (default: the file name). `max_pixels` lowers the pixel limit
    below `PIL.Image.MAX_IMAGE_PIXELS`. `draft_side` lets a JPEG decode at a reduced size no
    smaller than that many pixels per side (fast for photos). Raises ImageFileError."""
    from PIL import Image, UnidentifiedImageError

    data, name = _read_source(source, name)
    limit = Image.MAX_IMAGE_PIXELS
    if max_pixels is not None:
        limit = max_pixels if limit is None else min(limit, max_pixels)
    for magic, what in _REFUSED_MAGIC:
        if data.lstrip()[:len(magic)] == magic:
            raise ImageFileError(_("'{name}' is {what}, not a picture; desktop_dl reads "
                                   "{FORMAT_LIST} files. Export it as PNG first.",
                                   name=name, what=_(what), FORMAT_LIST=_(FORMAT_LIST)))
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)         # damaged TIFF tags: skipped
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS)) as img:
                if limit is not None and img.width * img.height > limit:
                    raise Image.DecompressionBombError(f"{img.width * img.height} pixels")
                stored = (img.height, img.width)
                frames = getattr(img, "n_frames", 1)
                if frames > 1:
                    img.seek(0)
                    notes.append(_("'{name}': {frames} frames; the first is used.",
                                   name=name, frames=frames))
                if draft_side and img.format == "JPEG":
                    img.draft("RGB" if img.mode not in ("L", "1") else "L", (draft_side, draft_side))
                fmt = img.format or ""
                img.load()
                img, turned = _upright(img)
                if turned:
                    notes.append(_("'{name}': turned upright by its EXIF orientation "
                                   "({turned}).", name=name, turned=turned))
                mode = img.mode
                array, alpha_ink = _to_array(img, name, notes)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageFileError(_("'{name}' has too many pixels to decode safely (more than "
                               "{limit:,}); it may be a decompression bomb. Use a smaller "
                               "picture.", name=name, limit=limit)) from None
    except UnidentifiedImageError:
        raise ImageFileError(_("'{name}' is not a {FORMAT_LIST} picture (or it is damaged). "
                               "Save it in one of those formats.",
                               name=name, FORMAT_LIST=_(FORMAT_LIST))) from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, KeyError,
            ZeroDivisionError, MemoryError, RuntimeError) as exc:
        raise ImageFileError(_("'{name}' is damaged or truncated ({name__}: {str}). Save or "
                               "copy the picture again.",
                               name=name, name__=type(exc).__name__, str=str(exc)[:80])) from None
    return DecodedImage(array, notes, mode, fmt, alpha_ink, stored)


def _read_source(source, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), name or "picture"
    path = Path(source)
    name = name or path.name
    if not path.exists():
        raise ImageFileError(_("The picture '{path}' does not exist. Check the path.", path=path))
    if not path.is_file():
        raise ImageFileError(_("'{name}' is a folder, not a picture.", name=name))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImageFileError(_("'{name}' is {human_size}; desktop_dl reads pictures up to "
                               "{human_size2}.",
                               name=name, human_size=human_size(size), human_size2=human_size(MAX_FILE_BYTES)))
    if size == 0:
        raise ImageFileError(_("'{name}' is empty (0 bytes). Copy the picture again.", name=name))
    try:
        return path.read_bytes(), name
    except OSError as exc:
        raise ImageFileError(_("'{name}' cannot be opened ({value}). Check that you may read "
                               "it.", name=name, value=os_error_text(exc))) from None


def _upright(img):
    """(image turned by its EXIF orientation, the orientation value or 0 when none applied)."""
    from PIL import ImageOps

    try:
        orientation = int(img.getexif().get(_EXIF_ORIENTATION, 1) or 1)
    except (ValueError, TypeError, SyntaxError, OSError):    # a damaged EXIF block: ignore it
        return img, 0
    if orientation in (1, 0) or orientation > 8:
        return img, 0
    return ImageOps.exif_transpose(img), orientation


def _to_array(img, name: str, notes: list[str]) -> tuple[np.ndarray, bool]:
    mode = img.mode
    if mode == "1":
        return np.asarray(img.convert("L"), dtype=np.uint8), False
    if mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        with np.errstate(invalid="ignore", over="ignore"):
            return _scaled_from_range(np.asarray(img, dtype=np.float64), name, mode, notes), False
    if mode == "P":
        has_alpha = "transparency" in img.info
        img = img.convert("RGBA" if has_alpha else "RGB")
        notes.append(_("'{name}': a palette picture, converted to {value}.",
                       name=name, value='RGBA' if has_alpha else 'RGB'))
        mode = img.mode
    elif mode == "PA":
        img, mode = img.convert("RGBA"), "RGBA"
    elif mode == "CMYK":
        notes.append(_("'{name}': CMYK (print colours), converted to RGB.", name=name))
        img, mode = img.convert("RGB"), "RGB"
    elif mode not in ("L", "LA", "RGB", "RGBA"):
        img, mode = img.convert("RGBA" if "A" in mode or "a" in mode else "RGB"), None
        mode = img.mode
    if mode in ("LA", "RGBA"):
        return _flatten_alpha(np.asarray(img), name, notes)
    return np.array(img, dtype=np.uint8), False


def _scaled_from_range(values: np.ndarray, name: str, mode: str, notes: list[str]) -> np.ndarray:
    values = np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
    lo, hi = float(values.min()), float(values.max())
    kind = "float" if mode == "F" else ("16-bit" if mode.startswith("I;16") else "32-bit")
    if hi <= lo:
        notes.append(_("'{name}': a {kind} picture with one value everywhere.",
                       name=name, kind=kind))
        return np.zeros(values.shape, dtype=np.uint8)
    notes.append(_("'{name}': a {kind} picture, scaled from its own range ({lo:g}..{hi:g}) to "
                   "0..255.", name=name, kind=kind, lo=lo, hi=hi))
    return np.rint((values - lo) * (255.0 / (hi - lo))).astype(np.uint8)


def _flatten_alpha(pixels: np.ndarray, name: str, notes: list[str]) -> tuple[np.ndarray, bool]:
    """Grey+alpha or RGBA -> grey or RGB without alpha, as an image viewer shows it."""
    colour = pixels[..., :-1].astype(np.float32)
    alpha = pixels[..., -1].astype(np.float32) / 255.0
    grey_out = colour.shape[-1] == 1
    if alpha.min() >= 1.0:
        out = colour
        return (out[..., 0] if grey_out else out).astype(np.uint8), False
    # Only visible pixels count: editors store fully transparent ones as black or white.
    visible = colour[alpha > 0]
    constant = visible.size > 0 and bool(np.all(visible == visible[0]))
    if constant:
        # A drawing in one colour on transparency: the alpha channel is the drawing. Put it on
        # the background that contrasts with the ink (white under dark ink, black under light).
        ink = visible[0]
        background = 0.0 if float(ink.mean()) > 127.5 else 255.0
        notes.append(_("'{name}': a drawing in one colour on transparency; the transparency is "
                       "the ink, shown on {value}.",
                       name=name, value=_("black") if background == 0 else _("white")))
        alpha_ink = True
    else:
        background = 255.0
        notes.append(_("'{name}': transparent parts put on a white background.", name=name))
        alpha_ink = False
    out = colour * alpha[..., None] + background * (1.0 - alpha[..., None])
    out = np.clip(np.rint(out), 0, 255).astype(np.uint8)
    return (out[..., 0] if grey_out else out), alpha_ink


def to_channels(array: np.ndarray, channels: int) -> np.ndarray:
    """uint8 (H, W) or (H, W, 3) -> (H, W) when channels is 1 (ITU-R 601 luma, as Pillow's
    "L"), or (H, W, 3) when it is 3."""
    if channels == 1:
        if array.ndim == 2:
            return array
        rgb = array.astype(np.float32)
        luma = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
        return np.clip(np.rint(luma), 0, 255).astype(np.uint8)
    if array.ndim == 2:
        return np.repeat(array[..., None], 3, axis=2)
    return array


def resize_image(array: np.ndarray, height: int, width: int) -> np.ndarray:
    """uint8 picture resized with bilinear interpolation (area averaging when shrinking)."""
    from PIL import Image

    if array.shape[:2] == (height, width):
        return array
    shrinking = height <= array.shape[0] and width <= array.shape[1]
    method = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    return np.asarray(Image.fromarray(np.ascontiguousarray(array)).resize((width, height), method))
