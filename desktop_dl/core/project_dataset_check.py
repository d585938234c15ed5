"""Is a project's dataset still the one it was saved with? Content hashes of files and folders.

A project's dataset path comes from an untrusted file: only regular files are read, links inside
a folder are not followed, and the bytes read are capped (core/limits.py), so a path can never
make this read forever or outside the folder. Hashing takes time: run it in a job.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from desktop_dl.core import limits
from desktop_dl.core.errors import os_error_text
from desktop_dl.core.i18n import _
from desktop_dl.core.project_model import DatasetRef, ProjectError


# -- hashing --------------------------------------------------------------------------------------
def content_sha256(path: str | Path, chunk: int = 1 << 20, cancelled=None,
                   limit: int = limits.MAX_HASH_BYTES) -> str:
    """SHA-256 (FIPS 180-4) hex digest, 64 characters, of a file's bytes or of a folder's regular
    files (relative names and contents, sorted), read in `chunk`-byte pieces so that large
    datasets never sit in memory.

    Only regular files are read: a device (/dev/zero), a FIFO or a socket is refused, and links
    inside a folder are not followed, so a path from a project file cannot make this read forever
    or outside the folder. Raises ProjectError past `limit` bytes, and when `cancelled()` is true.
    """
    path = Path(path)
    h = hashlib.sha256()
    budget = [limit]
    st = _stat(path)
    if stat.S_ISDIR(st.st_mode):
        for rel, full in _regular_files(path):
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            _hash_file(full, h, chunk, budget, cancelled, path)
            h.update(b"\0")
    elif stat.S_ISREG(st.st_mode):
        _hash_file(path, h, chunk, budget, cancelled, path)
    else:
        raise ProjectError(_("'{path}' is not a regular file or folder (a device, pipe or "
                             "socket), so it is not read.", path=path))
    return h.hexdigest()


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except OSError as exc:
        raise ProjectError(_("Cannot read '{path}': {value}.", path=path, value=os_error_text(exc))) from None


def _regular_files(folder: Path):
    """(relative posix name, path) of the regular files under `folder`, sorted, links skipped."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in files:
            full = Path(root) / name
            try:
                if stat.S_ISREG(full.lstat().st_mode):
                    found.append((full.relative_to(folder).as_posix(), full))
            except OSError:
                continue
    return sorted(found)


def _hash_file(path: Path, h, chunk: int, budget: list, cancelled, top: Path) -> None:
    with open(path, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):     # swapped after the check
            raise ProjectError(_("'{path}' is not a regular file, so it is not read.", path=path))
        while True:
            if cancelled is not None and cancelled():
                raise ProjectError(_("Checking the dataset was cancelled."))
            block = fh.read(chunk)
            if not block:
                break
            budget[0] -= len(block)
            if budget[0] < 0:
                raise limits.refuse(f"'{top}'", _("the data to check"), "larger",
                                    limits.human_size(limits.MAX_HASH_BYTES),
                                    _("It was not compared with the saved one."), ProjectError)
            h.update(block)


@dataclass
class DatasetCheck:
    """Whether a project's dataset can be found as it was: `status` is "ok", "builtin", "embedded",
    "missing", "changed" or "unchecked", with a message for the user."""
    status: str          # "ok", "builtin", "embedded", "missing", "changed", "unchecked"
    message: str = ""


def check_dataset(ref: DatasetRef, cancelled=None) -> DatasetCheck:
    """Is the referenced data still where it was, with the same content?

    Hashes the data (up to `limits.MAX_HASH_BYTES`, regular files only): run it in a job, never
    on the GUI thread. "unchecked" when it cannot be compared (too large, not a regular file)."""
    if ref.embedded:
        return DatasetCheck("embedded")
    if not ref.path:
        return DatasetCheck("builtin")
    path = Path(ref.path)
    if not path.exists():
        return DatasetCheck("missing", _("The dataset “{name}” is no longer at {path}. Locate "
                                         "it to train again; everything else in the project "
                                         "opened.", name=ref.name, path=path))
    if ref.sha256:
        try:
            actual = content_sha256(path, cancelled=cancelled)
        except ProjectError as exc:
            return DatasetCheck("unchecked", str(exc))
        except OSError as exc:
            return DatasetCheck("missing", _("Cannot read the dataset at {path}: {value}.",
                                             path=path, value=os_error_text(exc)))
        if actual != ref.sha256:
            return DatasetCheck("changed", _("The dataset at {path} has changed since the "
                                             "project was saved (its content hash differs). "
                                             "Results of new runs may not be comparable with "
                                             "the saved ones.", path=path))
    return DatasetCheck("ok")
