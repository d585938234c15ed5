"""Listing an image folder (or a .zip of one) for `image_folder.py`: which pictures belong to which
class, and what was left aside (file-manager litter, links out of the folder, loose pictures,
other files), without decoding any picture. A zip is listed in place, with size and zip-bomb
limits, and each of its pictures is read only when its reader is called.
"""
from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import _
from desktop_dl.core.images import IMAGE_SUFFIXES, ImageFileError
from desktop_dl.core.limits import MAX_FILE_BYTES, check_file, human_size

LITTER_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "__macosx", "ehthumbs.db",
                          "icon\r", ".spotlight-v100", ".trashes", ".fseventsd"})
MAX_ZIP_MEMBERS = 300_000
MAX_ZIP_RATIO = 1000          # uncompressed / compressed, beyond which a member is a zip bomb

Entry = tuple[str, str, Callable[[], Any]]      # (class, file name, what decode_image reads)


def is_litter(name: str) -> bool:
    """Files and folders that are no one's data: macOS/Windows metadata and hidden entries."""
    return name.lower() in LITTER_NAMES or name.startswith(".")


class Listing:
    """Pictures per class, and what was left aside (for the notes)."""

    def __init__(self):
        self.entries: dict[str, list[tuple[str, Callable[[], Any]]]] = {}
        self.litter: Counter = Counter()
        self.other_files: list[str] = []
        self.outside_links: list[str] = []
        self.loose: list[str] = []
        self.inner: str | None = None

    def add_litter(self, name: str) -> None:
        """Count one ignored file-manager or zip-tool leftover (__MACOSX/, '._' files, .DS_Store,
        other hidden entries) under a readable key for the notes."""
        key = "__MACOSX/" if name.lower() == "__macosx" else (
            _("'._' files") if name.startswith("._") else name if not name.startswith(".") or
            name.lower() == ".ds_store" else _("hidden entries"))
        self.litter[key] += 1


def list_folder(root: Path) -> Listing:
    """The pictures of a folder with one sub-folder per class (recursively), plus what was set
    aside.

    A folder holding only one folder is unwrapped; litter, loose pictures and links leading out
    of the folder are recorded in the Listing, not read. Raises OSError if the folder cannot be
    listed.
    """
    listing = Listing()
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


def _collect(folder: Path, cls: str, prefix: str, top: Path, pictures: list, listing: Listing,
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


def _unwrap_folder(root: Path, listing: Listing) -> Path:
    """A folder that holds only one folder (as unzipping often gives): use the inner one."""
    real = [p for p in root.iterdir() if not is_litter(p.name)]
    if len(real) == 1 and real[0].is_dir() and _inside(real[0], root.resolve()):
        inner = [p for p in real[0].iterdir() if p.is_dir() and not is_litter(p.name)]
        if len(inner) >= 2:
            listing.inner = real[0].name
            return real[0]
    return root


def list_zip(path: Path) -> Listing:
    """Like list_folder for a .zip file; each picture comes with a reader of its member's bytes.

    Raises DatasetError when the file is empty or over MAX_FILE_BYTES, is not a complete zip, or
    holds more than MAX_ZIP_MEMBERS entries. Unsafe (path-escaping) and oversized members are set
    aside in the listing.
    """
    check_file(path, MAX_FILE_BYTES, _("zip files"))
    listing = Listing()
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
    members = _zip_members(path, infos, listing)
    for parts, info in members:
        if len(parts) == 1:
            if parts[0].lower().endswith(IMAGE_SUFFIXES):
                listing.loose.append(parts[0])
            continue
        cls, fname = parts[0], "/".join(parts[1:])
        pictures = listing.entries.setdefault(cls, [])
        if fname.lower().endswith(IMAGE_SUFFIXES):
            pictures.append((fname, _zip_reader(archive, info)))
        else:
            listing.other_files.append(f"{cls}/{fname}")
    for cls in list(listing.entries):
        listing.entries[cls].sort(key=lambda e: e[0])
    return listing


def _zip_members(path: Path, infos: list[zipfile.ZipInfo],
                 listing: Listing) -> list[tuple[list[str], zipfile.ZipInfo]]:
    """(path parts, member) of the zip's files worth listing: litter and unsafe or oversized
    members are set aside in `listing`; one wrapping top folder is unwrapped."""
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
    return members


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    """What decode_image reads for one member: its bytes, read when called."""
    def read():
        try:
            with archive.open(info) as f:
                return f.read(MAX_FILE_BYTES + 1)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError,
                ValueError, zlib.error) as exc:
            raise ImageFileError(_("'{filename}' is damaged in the zip ({exc}).",
                                   filename=info.filename, exc=exc)) from None
    return read


def listing_notes(listing: Listing, folder: Path) -> list[str]:
    """Sentences for the dataset notes: the unwrapped inner folder, ignored litter, links not
    followed, and loose pictures ignored, as found in `listing`."""
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
                       name=folder.name, first=first_few(listing.outside_links)))
    if listing.loose:
        notes.append(_("Pictures directly in '{name}' (not in a class sub-folder) were "
                       "ignored: {first}.", name=folder.name, first=first_few(listing.loose)))
    return notes


def first_few(items: list[str], count: int = 5) -> str:
    """The first `count` items joined with ", ", plus " and N more" when there are more."""
    more = f" and {len(items) - count} more" if len(items) > count else ""
    return ", ".join(items[:count]) + more
