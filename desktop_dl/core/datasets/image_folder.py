"""A folder (or a .zip of one) with one sub-folder of pictures per class, resized to one size.

Every picture goes through `core.images.decode_image`, the decoder `predict` uses too. What
file managers and zip tools leave behind (`__MACOSX/`, `._*`, `.DS_Store`, `Thumbs.db`,
`desktop.ini`, hidden folders) is ignored and named in the notes; a sub-folder without readable
pictures is not a class; a bad picture is left out and named, never the end of the import; links
that lead out of the folder are not followed. A .zip is read in place (no extraction), with the
size and zip-bomb limits the project reader uses.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from desktop_dl.core.datasets.dataset import ImageDataset
from desktop_dl.core.datasets.image_folder_listing import (LITTER_NAMES, MAX_ZIP_MEMBERS,  # noqa: F401
                                                           MAX_ZIP_RATIO, Entry, Listing, first_few,
                                                           is_litter, list_folder, list_zip,
                                                           listing_notes)
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import N_, _, ngettext
from desktop_dl.core.images import (FORMAT_LIST, ImageFileError, decode_image, resize_image,
                                    to_channels)

COLORS = ("grayscale", "rgb")
MAX_IMAGES = 200_000


def load_image_folder(folder: str | Path, size: int | tuple[int, int] = 28, color: str = "grayscale",
                      name: str | None = None, title: str | None = None,
                      progress: Callable[[float], None] | None = None,
                      cancelled: Callable[[], bool] | None = None, lazy: bool = False,
                      **_options: Any) -> ImageDataset:
    """Pictures of `folder` (a folder or a .zip) as uint8 (N, H, W) or (N, H, W, 3).

    `lazy=True` (a folder larger than memory) lists the pictures without decoding them: each is
    decoded, the same way, when training reads it (`LazyImageFiles`), so an unreadable picture
    is named when a run reaches it rather than left out at import.
    Raises DatasetError when there are not two classes with readable pictures."""
    folder = Path(folder)
    height, width = _checked_size(size, color)
    listing, files = _pictures_of(folder)
    notes = listing_notes(listing, folder)
    channels = 1 if color == "grayscale" else 3
    if lazy:
        return _lazy_dataset(folder, listing, files, notes, height, width, color, name, title)
    decoded = _decode_all(files, height, width, channels, progress, cancelled)
    warnings, classes = _decoded_messages(folder, listing, decoded, notes)
    kept = len(decoded.labels)
    lookup = {c: i for i, c in enumerate(classes)}
    y = np.array([lookup[c] for c in decoded.labels], dtype=np.int64)
    ds = ImageDataset(name or folder.stem, title or folder.name, decoded.x[:kept], y, classes,
                      source=str(folder), warnings=warnings, notes=notes,
                      options={"size": [height, width], "color": color},
                      description=_("{kept:,} images from {name}, resized to {height}×{width} "
                                    "{color}.",
                                    kept=kept, name=folder.name, height=height, width=width,
                                    color=_("grayscale") if color == "grayscale" else _("colour")))
    return ds


def _checked_size(size: int | tuple[int, int], color: str) -> tuple[int, int]:
    """(height, width) in pixels; DatasetError for an unknown colour or a size outside 4..512."""
    if color not in COLORS:
        raise DatasetError(_("Colour must be 'grayscale' or 'rgb', not {color!r}.", color=color))
    height, width = (size, size) if isinstance(size, int) else tuple(size)
    if not (4 <= height <= 512 and 4 <= width <= 512):
        raise DatasetError(_("Choose an image size between 4 and 512 pixels (got "
                             "{height}×{width}).", height=height, width=width))
    return height, width


def _pictures_of(folder: Path) -> tuple[Listing, list[Entry]]:
    """The listing of a folder or .zip and its pictures as (class, file name, reader), sorted by
    class; DatasetError when there are no class sub-folders, no pictures or too many."""
    if folder.is_file() and folder.suffix.lower() == ".zip":
        listing = list_zip(folder)
    elif folder.is_dir():
        listing = list_folder(folder)
    else:
        raise DatasetError(_("'{folder}' is not a folder (or a .zip of one).", folder=folder))
    files = [(cls, fname, reader) for cls in sorted(listing.entries)
             for fname, reader in listing.entries[cls]]
    if len(listing.entries) < 2 and not files:
        raise DatasetError(
            _("'{name}' needs one sub-folder per class (at least two), each holding that "
              "class's images, e.g. {stem}/cat/*.png and {stem}/dog/*.png. Found {count} "
              "sub-folder(s) with pictures.",
              name=folder.name, stem=folder.stem, count=len(listing.entries)))
    if not files:
        raise DatasetError(_("'{name}' holds no PNG, JPEG or BMP images ({FORMAT_LIST}) in its "
                             "class sub-folders.", name=folder.name, FORMAT_LIST=_(FORMAT_LIST)))
    if len(files) > MAX_IMAGES:
        raise DatasetError(_("'{name}' holds {count:,} images; desktop_dl imports up to "
                             "{MAX_IMAGES:,}. Use a subset.",
                             name=folder.name, count=len(files), MAX_IMAGES=MAX_IMAGES))
    return listing, files


@dataclass
class _Decoded:
    """The pictures decoded so far and what was seen on the way (for warnings and notes)."""
    x: np.ndarray
    labels: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)
    looks: dict[str, Counter] = field(default_factory=dict)       # class → (h, w, mode) counts
    decode_notes: dict[str, list[str]] = field(default_factory=dict)


def _decode_all(files: list[Entry], height: int, width: int, channels: int,
                progress: Callable[[float], None] | None,
                cancelled: Callable[[], bool] | None) -> _Decoded:
    """Decode and resize every picture to uint8 (N, H, W) or (N, H, W, 3); a picture that cannot
    be read is left out and named; DatasetError when `cancelled()` turns true."""
    d = _Decoded(np.empty((len(files), height, width) + (() if channels == 1 else (3,)), dtype=np.uint8))
    for n, (cls, fname, reader) in enumerate(files):
        if cancelled is not None and cancelled():
            raise DatasetError(_("Import cancelled."))
        shown = f"{cls}/{fname}"
        try:
            # A big JPEG decodes at a reduced scale no smaller than twice the target: the same
            # pictures after resizing, several times faster for phone photos.
            decoded = decode_image(reader(), name=shown, draft_side=2 * max(height, width))
        except ImageFileError as exc:
            d.unreadable.append(f"{shown} ({_reason(str(exc))})")
            continue
        for note in decoded.notes:
            key = note.replace(f"'{shown}': ", "", 1)
            # Scaled ranges differ per picture; one note for all of them.
            key = key.split(" (")[0] + " to 0..255." if _("own range") in key else key
            d.decode_notes.setdefault(key, []).append(shown)
        if decoded.constant:
            d.blank.append(shown)
        h0, w0 = decoded.source_size
        d.looks.setdefault(cls, Counter())[(h0, w0, decoded.source_mode)] += 1
        d.x[len(d.labels)] = resize_image(to_channels(decoded.array, channels), height, width)
        d.labels.append(cls)
        if progress is not None and n % 64 == 0:
            progress(n / len(files))
    return d


def _decoded_messages(folder: Path, listing: Listing, d: _Decoded,
                      notes: list[str]) -> tuple[list[str], list[str]]:
    """(warnings, classes) for the decoded pictures, adding to `notes`; DatasetError when fewer
    than two classes have readable pictures."""
    warnings = []
    if listing.other_files:
        warnings.append(_("{count} file(s) that are not pictures were ignored: {first}.",
                          count=len(listing.other_files), first=first_few(listing.other_files)))
    if d.unreadable:
        warnings.append(_("{count} picture(s) could not be read and were left out: {first}.",
                          count=len(d.unreadable), first=first_few(d.unreadable)))
    if not d.labels:
        raise DatasetError(_("None of the images in '{name}' could be read: {first}.",
                             name=folder.name, first=first_few(d.unreadable)))
    classes = sorted(set(d.labels))
    empty = sorted(set(listing.entries) - set(classes))
    if empty:
        notes.append(_("Sub-folder(s) {names} have no readable pictures, so they are not "
                       "classes.", names=', '.join((repr(c) for c in empty))))
    if len(classes) < 2:
        raise DatasetError(_("Only the class '{classes}' has readable images in '{name}'; a "
                             "classifier needs at least two classes.",
                             classes=classes[0], name=folder.name))
    if d.blank:
        warnings.append(_("{count} picture(s) are blank (one value everywhere): {first}. Check "
                          "them: a blank picture teaches nothing.",
                          count=len(d.blank), first=first_few(d.blank)))
    warnings += _mismatch_warnings(d.looks)
    for text, names in d.decode_notes.items():
        notes.append(ngettext("{text} ({n} picture: {names})", "{text} ({n} pictures: {names})",
                              len(names), text=text[0].upper() + text[1:], names=first_few(names, 3)))
    return warnings, classes


def _lazy_dataset(folder: Path, listing: Listing, files: list, notes: list[str], height: int,
                  width: int, color: str, name, title) -> ImageDataset:
    classes = sorted(listing.entries)
    if len(classes) < 2:
        raise DatasetError(_("'{name}' needs at least two class sub-folders with pictures.",
                             name=folder.name))
    lookup = {c: i for i, c in enumerate(classes)}
    labels = np.array([lookup[cls] for cls, _unused, _unused in files], dtype=np.int64)
    pictures = LazyImageFiles([(f"{cls}/{fname}", reader) for cls, fname, reader in files],
                              height, width, color)
    warnings = []
    if listing.other_files:
        warnings.append(_("{count} file(s) that are not pictures were ignored: {first}.",
                          count=len(listing.other_files), first=first_few(listing.other_files)))
    notes = [*notes, _("{count:,} pictures are decoded while training reads them (the folder "
                       "is not loaded into memory); an unreadable one stops the run and is "
                       "named.", count=len(files))]
    return ImageDataset(name or folder.stem, title or folder.name, pictures, labels, classes,
                        source=str(folder), warnings=warnings, notes=notes,
                        options={"size": [height, width], "color": color, "lazy": True},
                        description=_("{count:,} images from {name}, resized to "
                                      "{height}×{width} {color} as they are read.",
                                      count=len(files), name=folder.name, height=height, width=width,
                                      color=_("grayscale") if color == "grayscale" else _("colour")))


class LazyImageFiles:
    """Array-like (N, H, W) or (N, H, W, 3) uint8 over pictures, each decoded (decode_image, as
    the eager import does) and resized when indexed by an int, a slice or an index array."""

    def __init__(self, pictures: list[tuple[str, Callable[[], Any]]], height: int, width: int,
                 color: str):
        self.pictures = list(pictures)
        self.channels = 1 if color == "grayscale" else 3
        self.dtype = np.dtype(np.uint8)
        self.shape = (len(self.pictures), height, width) + (() if self.channels == 1 else (3,))
        self.ndim = len(self.shape)

    def __len__(self) -> int:
        return len(self.pictures)

    def __getitem__(self, key):
        if isinstance(key, (int, np.integer)):
            return self._decode(int(key))
        chosen = np.arange(len(self.pictures))[key]
        out = np.empty((len(chosen), *self.shape[1:]), dtype=np.uint8)
        for row, i in enumerate(chosen):
            out[row] = self._decode(int(i))
        return out

    def __array__(self, dtype=None, copy=None):
        out = self[:]
        return out if dtype is None else out.astype(dtype)

    def _decode(self, i: int) -> np.ndarray:
        shown, reader = self.pictures[i]
        height, width = self.shape[1], self.shape[2]
        try:
            decoded = decode_image(reader(), name=shown, draft_side=2 * max(height, width))
        except ImageFileError as exc:
            raise DatasetError(_("The picture '{shown}' cannot be read ({reason}). Remove it "
                                 "from the folder (or replace it) and train again.",
                                 shown=shown, reason=_reason(str(exc)))) from None
        return resize_image(to_channels(decoded.array, self.channels), height, width)


def list_classes(folder: str | Path) -> list[str]:
    """The class sub-folders of a folder or .zip (litter left out), without reading pictures."""
    folder = Path(folder)
    listing = list_zip(folder) if folder.is_file() else list_folder(folder)
    return sorted(listing.entries)


def _reason(message: str) -> str:
    """The short middle of a decode error, for a list of left-out files."""
    # The message is in the interface language: look for the same words in that language.
    for key, reason in (("PostScript", N_("a PostScript file")), ("PDF", N_("a PDF file")),
                        ("EPS", N_("an EPS file")), (_("not a"), N_("not a picture")),
                        (_("damaged"), N_("damaged")), (_("too many pixels"), N_("too many pixels")),
                        (_("empty"), N_("empty"))):
        if key in message:
            return _(reason)
    return _("unreadable")


def _mismatch_warnings(looks: dict[str, Counter]) -> list[str]:
    """Warn when one class's pictures have other sizes or modes than the rest's: a model can
    learn the size or colour instead of the content."""
    if len(looks) < 2:
        return []
    usual = {cls: counts.most_common(1)[0][0] for cls, counts in looks.items()}
    warnings = []
    for label, index in (("size", slice(0, 2)), ("mode", slice(2, 3))):
        kinds = {cls: key[index] for cls, key in usual.items()}
        if len(set(kinds.values())) > 1:
            def show(k):
                return f"{k[0]}×{k[1]}" if label == "size" else k[0]
            listed = "; ".join(f"{cls}: mostly {show(k)}" for cls, k in sorted(kinds.items()))
            warnings.append(_("The classes' pictures differ in {label} ({listed}). A model may "
                              "learn the {label} instead of the content; make them alike.",
                              label=label, listed=listed))
    return warnings
