"""A folder (or a .zip of one) with one sub-folder of pictures per class, resized to one size.

Every picture goes through `core.images.decode_image`, the decoder `predict` uses too. What
file managers and zip tools leave behind (`__MACOSX/`, `._*`, `.DS_Store`, `Thumbs.db`,
`desktop.ini`, hidden folders) is ignored and named in the notes; a sub-folder without readable
pictures is not a class; a bad picture is left out and named, never the end of the import; links
that lead out of the folder are not followed. A .zip is read in place (no extraction), with the
size and zip-bomb limits the project reader uses.
"""
from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import numpy as np

from desktop_dl.core.datasets.dataset import ImageDataset
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import N_, _, ngettext
from desktop_dl.core.images import (FORMAT_LIST, IMAGE_SUFFIXES, ImageFileError, decode_image,
                                    resize_image, to_channels)
from desktop_dl.core.limits import MAX_FILE_BYTES, check_file, human_size

COLORS = ("grayscale", "rgb")
MAX_IMAGES = 200_000
LITTER_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "__macosx", "ehthumbs.db",
                          "icon\r", ".spotlight-v100", ".trashes", ".fseventsd"})
MAX_ZIP_MEMBERS = 300_000
MAX_ZIP_RATIO = 1000          # uncompressed / compressed, beyond which a member is a zip bomb

Entry = tuple[str, str, Callable[[], Any]]      # (class, file name, what decode_image reads)


def is_litter(name: str) -> bool:
    """Files and folders that are no one's data: macOS/Windows metadata and hidden entries."""
    return name.lower() in LITTER_NAMES or name.startswith(".")


class _Listing:
    """Pictures per class, and what was left aside (for the notes)."""

    def __init__(self):
        self.entries: dict[str, list[tuple[str, Callable[[], Any]]]] = {}
        self.litter: Counter = Counter()
        self.other_files: list[str] = []
        self.outside_links: list[str] = []
        self.loose: list[str] = []
        self.inner: str | None = None

    def add_litter(self, name: str) -> None:
        key = "__MACOSX/" if name.lower() == "__macosx" else (
            _("'._' files") if name.startswith("._") else name if not name.startswith(".") or
            name.lower() == ".ds_store" else _("hidden entries"))
        self.litter[key] += 1


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
    if color not in COLORS:
        raise DatasetError(_("Colour must be 'grayscale' or 'rgb', not {color!r}.", color=color))
    height, width = (size, size) if isinstance(size, int) else tuple(size)
    if not (4 <= height <= 512 and 4 <= width <= 512):
        raise DatasetError(_("Choose an image size between 4 and 512 pixels (got "
                             "{height}×{width}).", height=height, width=width))
    if folder.is_file() and folder.suffix.lower() == ".zip":
        listing = _list_zip(folder)
    elif folder.is_dir():
        listing = _list_folder(folder)
    else:
        raise DatasetError(_("'{folder}' is not a folder (or a .zip of one).", folder=folder))
    notes = _listing_notes(listing, folder)
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
    channels = 1 if color == "grayscale" else 3
    if lazy:
        return _lazy_dataset(folder, listing, files, notes, height, width, color, name, title)
    x = np.empty((len(files), height, width) + (() if channels == 1 else (3,)), dtype=np.uint8)
    labels: list[str] = []
    unreadable: list[str] = []
    blank: list[str] = []
    looks: dict[str, Counter] = {}
    decode_notes: dict[str, list[str]] = {}
    for n, (cls, fname, reader) in enumerate(files):
        if cancelled is not None and cancelled():
            raise DatasetError(_("Import cancelled."))
        shown = f"{cls}/{fname}"
        try:
            # A big JPEG decodes at a reduced scale no smaller than twice the target: the same
            # pictures after resizing, several times faster for phone photos.
            decoded = decode_image(reader(), name=shown, draft_side=2 * max(height, width))
        except ImageFileError as exc:
            unreadable.append(f"{shown} ({_reason(str(exc))})")
            continue
        for note in decoded.notes:
            key = note.replace(f"'{shown}': ", "", 1)
            # Scaled ranges differ per picture; one note for all of them.
            key = key.split(" (")[0] + " to 0..255." if _("own range") in key else key
            decode_notes.setdefault(key, []).append(shown)
        if decoded.constant:
            blank.append(shown)
        h0, w0 = decoded.source_size
        looks.setdefault(cls, Counter())[(h0, w0, decoded.source_mode)] += 1
        x[len(labels)] = resize_image(to_channels(decoded.array, channels), height, width)
        labels.append(cls)
        if progress is not None and n % 64 == 0:
            progress(n / len(files))
    warnings = []
    if listing.other_files:
        warnings.append(_("{count} file(s) that are not pictures were ignored: {first}.",
                          count=len(listing.other_files), first=_first(listing.other_files)))
    if unreadable:
        warnings.append(_("{count} picture(s) could not be read and were left out: {first}.",
                          count=len(unreadable), first=_first(unreadable)))
    if not labels:
        raise DatasetError(_("None of the images in '{name}' could be read: {first}.",
                             name=folder.name, first=_first(unreadable)))
    classes = sorted(set(labels))
    empty = sorted(set(listing.entries) - set(classes))
    if empty:
        notes.append(_("Sub-folder(s) {names} have no readable pictures, so they are not "
                       "classes.", names=', '.join((repr(c) for c in empty))))
    if len(classes) < 2:
        raise DatasetError(_("Only the class '{classes}' has readable images in '{name}'; a "
                             "classifier needs at least two classes.",
                             classes=classes[0], name=folder.name))
    if blank:
        warnings.append(_("{count} picture(s) are blank (one value everywhere): {first}. Check "
                          "them: a blank picture teaches nothing.",
                          count=len(blank), first=_first(blank)))
    warnings += _mismatch_warnings(looks)
    for text, names in decode_notes.items():
        notes.append(ngettext("{text} ({n} picture: {names})", "{text} ({n} pictures: {names})",
                              len(names), text=text[0].upper() + text[1:], names=_first(names, 3)))
    kept = len(labels)
    lookup = {c: i for i, c in enumerate(classes)}
    y = np.array([lookup[c] for c in labels], dtype=np.int64)
    ds = ImageDataset(name or folder.stem, title or folder.name, x[:kept], y, classes,
                      source=str(folder), warnings=warnings, notes=notes,
                      options={"size": [height, width], "color": color},
                      description=_("{kept:,} images from {name}, resized to {height}×{width} "
                                    "{color}.",
                                    kept=kept, name=folder.name, height=height, width=width,
                                    color=_("grayscale") if color == "grayscale" else _("colour")))
    return ds


def _lazy_dataset(folder: Path, listing: "_Listing", files: list, notes: list[str], height: int,
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
                          count=len(listing.other_files), first=_first(listing.other_files)))
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
    listing = _list_zip(folder) if folder.is_file() else _list_folder(folder)
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


def _list_folder(root: Path) -> _Listing:
    listing = _Listing()
    top = root.resolve()
    base = _unwrap_folder(root, listing)
    for sub in sorted(base.iterdir()):
        if is_litter(sub.name):
            listing.add_litter(sub.name)
        elif not _inside(sub, top):
            listing.outside_links.append(sub.name)
        elif sub.is_dir():
            pictures = listing.entries.setdefault(sub.name, [])
            _collect(sub, sub.name, "", top, pictures, listing, depth=0, seen=set())
        elif sub.is_file() and sub.suffix.lower() in IMAGE_SUFFIXES:
            listing.loose.append(sub.name)
    return listing


MAX_DEPTH = 8     # folders inside a class folder (a zip's listing has no loops; links may)


def _collect(folder: Path, cls: str, prefix: str, top: Path, pictures: list, listing: _Listing,
             depth: int, seen: set) -> None:
    """The pictures of one class folder, its own sub-folders included (as a zip lists them);
    a folder reached twice through links is read once."""
    try:
        real = folder.resolve()
    except (OSError, RuntimeError):
        return
    if real in seen:
        return
    seen.add(real)
    try:
        contents = sorted(folder.iterdir())
    except OSError:
        listing.other_files.append(_("{cls}/{prefix} (cannot be opened)", cls=cls, prefix=prefix))
        return
    for p in contents:
        shown = f"{cls}/{prefix}{p.name}"
        if is_litter(p.name):
            listing.add_litter(p.name)
        elif not _inside(p, top):
            listing.outside_links.append(shown)
        elif p.is_dir() and depth < MAX_DEPTH:
            _collect(p, cls, f"{prefix}{p.name}/", top, pictures, listing, depth + 1, seen)
        elif p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES:
            pictures.append((f"{prefix}{p.name}", lambda p=p: p))
        elif p.is_file():
            listing.other_files.append(shown)


def _inside(path: Path, top: Path) -> bool:
    """False for a link that leads out of the imported folder (it is not followed)."""
    if not path.is_symlink():
        return True
    try:
        return path.resolve().is_relative_to(top)
    except (OSError, RuntimeError):
        return False


def _unwrap_folder(root: Path, listing: _Listing) -> Path:
    """A folder that holds only one folder (as unzipping often gives): use the inner one."""
    real = [p for p in root.iterdir() if not is_litter(p.name)]
    if len(real) == 1 and real[0].is_dir() and _inside(real[0], root.resolve()):
        inner = [p for p in real[0].iterdir() if p.is_dir() and not is_litter(p.name)]
        if len(inner) >= 2:
            listing.inner = real[0].name
            return real[0]
    return root


def _list_zip(path: Path) -> _Listing:
    check_file(path, MAX_FILE_BYTES, _("zip files"))
    listing = _Listing()
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise DatasetError(_("'{name}' is not a complete zip file ({exc}). Download or copy it "
                             "again.", name=path.name, exc=exc)) from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise DatasetError(_("'{name}' holds {count:,} entries; desktop_dl reads zips of up to "
                             "{MAX_ZIP_MEMBERS:,}.",
                             name=path.name, count=len(infos), MAX_ZIP_MEMBERS=MAX_ZIP_MEMBERS))
    total = 0
    members: list[tuple[list[str], zipfile.ZipInfo]] = []
    for info in infos:
        parts = [p for p in PurePosixPath(info.filename.replace("\\", "/")).parts if p not in ("", ".")]
        if not parts or info.is_dir():
            continue
        litter = next((p for p in parts if is_litter(p)), None)
        if litter is not None:
            listing.add_litter(litter)
            continue
        if ".." in parts or info.file_size > MAX_FILE_BYTES or (
                info.file_size > (1 << 20) and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1)):
            listing.other_files.append(_("{filename} (unsafe or too large)", filename=info.filename))
            continue
        total += info.file_size
        members.append((parts, info))
    if total > MAX_FILE_BYTES:
        raise DatasetError(_("'{name}' unpacks to {human_size}; desktop_dl reads up to "
                             "{human_size2} of pictures.",
                             name=path.name, human_size=human_size(total), human_size2=human_size(MAX_FILE_BYTES)))
    tops = {parts[0] for parts, _unused in members}
    if len(tops) == 1 and all(len(parts) >= 3 for parts, _unused in members):
        listing.inner = next(iter(tops))
        members = [(parts[1:], info) for parts, info in members]

    def reader(info: zipfile.ZipInfo):
        def read():
            try:
                with archive.open(info) as f:
                    return f.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError,
                    ValueError, zlib.error) as exc:
                raise ImageFileError(_("'{filename}' is damaged in the zip ({exc}).",
                                       filename=info.filename, exc=exc)) from None
        return read

    for parts, info in members:
        if len(parts) == 1:
            if parts[0].lower().endswith(IMAGE_SUFFIXES):
                listing.loose.append(parts[0])
            continue
        cls, fname = parts[0], "/".join(parts[1:])
        pictures = listing.entries.setdefault(cls, [])
        if fname.lower().endswith(IMAGE_SUFFIXES):
            pictures.append((fname, reader(info)))
        else:
            listing.other_files.append(f"{cls}/{fname}")
    for cls in list(listing.entries):
        listing.entries[cls].sort(key=lambda e: e[0])
    return listing


def _listing_notes(listing: _Listing, folder: Path) -> list[str]:
    notes = []
    if listing.inner:
        notes.append(_("The classes are the sub-folders of '{inner}' inside '{name}'.",
                       inner=listing.inner, name=folder.name))
    if listing.litter:
        listed = ", ".join(f"{k} ({n})" if n > 1 else k for k, n in sorted(listing.litter.items()))
        notes.append(_("Ignored what file managers and zip tools leave behind: {listed}.",
                       listed=listed))
    if listing.outside_links:
        notes.append(_("Links that lead out of '{name}' were not followed: {first}.",
                       name=folder.name, first=_first(listing.outside_links)))
    if listing.loose:
        notes.append(_("Pictures directly in '{name}' (not in a class sub-folder) were "
                       "ignored: {first}.", name=folder.name, first=_first(listing.loose)))
    return notes


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


def _first(items: list[str], count: int = 5) -> str:
    more = f" and {len(items) - count} more" if len(items) > count else ""
    return ", ".join(items[:count]) + more
