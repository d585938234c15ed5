"""A folder of images with one sub-folder per class (PNG/JPEG/BMP), resized to one size."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import numpy as np

from desktop_dl.core.datasets.dataset import ImageDataset
from desktop_dl.core.datasets.file_limits import MAX_FILE_BYTES, human_size
from desktop_dl.core.errors import DatasetError

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
COLORS = ("grayscale", "rgb")
MAX_IMAGES = 200_000


def load_image_folder(folder: str | Path, size: int | tuple[int, int] = 28, color: str = "grayscale",
                      name: str | None = None, title: str | None = None,
                      progress: Callable[[float], None] | None = None,
                      cancelled: Callable[[], bool] | None = None, **_options: Any) -> ImageDataset:
    from PIL import Image, UnidentifiedImageError

    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"'{folder}' is not a folder.")
    if color not in COLORS:
        raise DatasetError(f"Colour must be 'grayscale' or 'rgb', not {color!r}.")
    height, width = (size, size) if isinstance(size, int) else tuple(size)
    if not (4 <= height <= 512 and 4 <= width <= 512):
        raise DatasetError(f"Choose an image size between 4 and 512 pixels (got {height}×{width}).")
    classes = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(classes) < 2:
        raise DatasetError(
            f"'{folder.name}' needs one sub-folder per class (at least two), each holding that "
            f"class's images, e.g. {folder.name}/cat/*.png and {folder.name}/dog/*.png. "
            f"Found {len(classes)} sub-folder(s).")
    files: list[tuple[Path, int]] = []
    skipped: list[str] = []
    for label, cls in enumerate(classes):
        for p in sorted((folder / cls).iterdir()):
            if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES:
                files.append((p, label))
            elif p.is_file() and not p.name.startswith("."):
                skipped.append(f"{cls}/{p.name}")
    if not files:
        raise DatasetError(f"'{folder.name}' holds no PNG, JPEG or BMP images in its class "
                           f"sub-folders ({', '.join(classes)}).")
    if len(files) > MAX_IMAGES:
        raise DatasetError(f"'{folder.name}' holds {len(files):,} images; desktop_dl imports up "
                           f"to {MAX_IMAGES:,}. Use a subset.")
    channels = 1 if color == "grayscale" else 3
    x = np.empty((len(files), height, width) + (() if channels == 1 else (3,)), dtype=np.uint8)
    y = np.empty(len(files), dtype=np.int64)
    unreadable: list[str] = []
    kept = 0
    mode = "L" if channels == 1 else "RGB"
    for n, (p, label) in enumerate(files):
        if cancelled is not None and cancelled():
            raise DatasetError("Import cancelled.")
        if p.stat().st_size > MAX_FILE_BYTES:
            unreadable.append(f"{p.parent.name}/{p.name} ({human_size(p.stat().st_size)})")
            continue
        try:
            with Image.open(p) as im:
                im = im.convert(mode).resize((width, height), Image.Resampling.BILINEAR)
                x[kept] = np.asarray(im)
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            unreadable.append(f"{p.parent.name}/{p.name}")
            continue
        y[kept] = label
        kept += 1
        if progress is not None and n % 64 == 0:
            progress(n / len(files))
    warnings = []
    if skipped:
        warnings.append(f"{len(skipped)} file(s) that are not PNG, JPEG or BMP images were "
                        f"ignored: {_first(skipped)}.")
    if unreadable:
        warnings.append(f"{len(unreadable)} image file(s) could not be read and were left out: "
                        f"{_first(unreadable)}.")
    if kept == 0:
        raise DatasetError(f"None of the images in '{folder.name}' could be read: "
                           f"{_first(unreadable)}.")
    counts = np.bincount(y[:kept], minlength=len(classes))
    empty = [c for c, k in zip(classes, counts) if k == 0]
    if empty:
        warnings.append(f"The class folder(s) {', '.join(empty)} have no readable images.")
    if (counts > 0).sum() < 2:
        raise DatasetError(f"Only the class '{classes[int(np.argmax(counts))]}' has readable "
                           f"images in '{folder.name}'; a classifier needs at least two classes.")
    return ImageDataset(name or folder.name, title or folder.name, x[:kept], y[:kept], classes,
                        source=str(folder), warnings=warnings,
                        options={"size": [height, width], "color": color},
                        description=f"{kept:,} images from {folder.name}, resized to "
                                    f"{height}×{width} {color}.")


def _first(items: list[str], count: int = 5) -> str:
    more = f" and {len(items) - count} more" if len(items) > count else ""
    return ", ".join(items[:count]) + more
