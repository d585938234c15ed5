"""Download the datasets of keras.datasets (MNIST, Fashion-MNIST, CIFAR-10, IMDB, Boston housing)
with progress and cancel, from the same addresses and with the same checksums as Keras.

Keras's own `load_data()` cannot report progress to a window or be cancelled, so the files are
fetched here with plain urllib (no Qt, no TensorFlow) and read by core.datasets.keras_files,
the same code that reads a file copied by hand. Files already in Keras's cache (~/.keras/datasets)
or in our downloads folder are used without downloading, but only after their sha256 matches the
one Keras checks (for all five sets, each Fashion-MNIST file included): a planted or damaged
cache file is never read as training data.
"""
from __future__ import annotations

import hashlib
import logging
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

from desktop_dl.core.datasets.dataset import Dataset
from desktop_dl.core.limits import human_size
from desktop_dl.core.datasets.keras_files import KERAS_FILES, KerasFile, load_keras_file
from desktop_dl.core.errors import DatasetError
from desktop_dl.paths import user_data_dir
from desktop_dl.core.i18n import _

CHUNK = 256 * 1024
log = logging.getLogger(__name__)


class DownloadCancelled(DatasetError):
    """The user stopped the download."""


def downloads_dir(key: str) -> Path:
    """Our downloads folder for keras.datasets set `key` (e.g. "mnist"):
    user_data_dir()/downloads/<key>, created when missing (OSError when it cannot be)."""
    path = user_data_dir() / "downloads" / key
    path.mkdir(parents=True, exist_ok=True)
    return path


def keras_cache_dirs(key: str) -> list[Path]:
    """The folders where Keras itself caches set `key`: $KERAS_HOME/datasets (default
    ~/.keras/datasets), its fashion-mnist subfolder for "fashion_mnist". Not checked for
    existence."""
    home = Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))
    sub = home / "datasets"
    return [sub / "fashion-mnist"] if key == "fashion_mnist" else [sub]


def find_cached(key: str, check_hash: bool = True) -> Path | None:
    """The file (or folder of files) already on this computer, if every file is there and has
    the checksum Keras expects (SHA-256, FIPS 180-4, hex digest as in keras.utils.get_file;
    skipped when `check_hash` is False). A wrong file in our own downloads folder is deleted (it is
    ours and will be fetched again); one in Keras's cache is left alone and skipped."""
    info = KERAS_FILES[key]
    ours = downloads_dir(key)
    for folder in [ours, *keras_cache_dirs(key)]:
        paths = [folder / name for name in info.files]
        if not all(p.is_file() for p in paths):
            continue
        bad = [p for p, want in zip(paths, info.sha256) if check_hash and not _matches(p, want)]
        if not bad:
            return folder if len(info.files) > 1 else paths[0]
        log.warning("cached %s ignored: checksum differs for %s", key, ", ".join(p.name for p in bad))
        if folder == ours:
            for p in bad:
                p.unlink(missing_ok=True)
    return None


# (path, size, mtime) -> sha256: a cached file is hashed once per session, not at every use.
_VERIFIED: dict[tuple, str] = {}


def _matches(path: Path, expected: str) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _VERIFIED:
        try:
            _VERIFIED[key] = _sha256(path)
        except OSError:
            return False
    return _VERIFIED[key] == expected


def offline_message(info: KerasFile, reason: str, origin: str) -> str:
    """The user message for a failed download of `info` from `origin` (`reason`: why, in words):
    the host that could not be reached, the file address(es) and size in MB, and how to import
    the files by hand ("Import file…" or "Import folder…" in the Data tab). The caller raises it
    as a DatasetError."""
    host = urlparse(origin).hostname or origin
    urls = "\n".join(f"  {origin}{name}" for name in info.files)
    if info.how_to_import == "folder":
        how = (_("download these {count} files on a computer that is online:\n{urls}\nput them "
                 "together in one folder, copy it here, and open the folder with \"Import "
                 "folder…\" in the Data tab.", count=len(info.files), urls=urls))
    else:
        how = (_("download\n{urls}\n({megabytes:g} MB) on a computer that is online, copy it "
                 "here, and open it with \"Import file…\" in the Data tab.",
                 urls=urls, megabytes=info.megabytes))
    return (_("Cannot download {title}: this computer could not reach {host} ({reason}). To "
              "use it without internet, {how}",
              title=_(info.title), host=host, reason=reason, how=how))


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "reason", exc)
    if isinstance(inner, socket.gaierror):
        return _("no internet connection, or the name cannot be looked up")
    if isinstance(inner, (socket.timeout, TimeoutError)):
        return _("the connection timed out")
    if isinstance(exc, urllib.error.HTTPError):
        return _("the server answered {code} {reason}", code=exc.code, reason=exc.reason)
    return str(inner) or type(inner).__name__


def _fetch(url: str, dest: Path, report: Callable[[Any], None], cancelled: Callable[[], bool],
           done_before: int, total_hint: int, timeout: float) -> int:
    part = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, open(part, "wb") as out:
            size = int(response.headers.get("Content-Length") or 0)
            total = max(total_hint, done_before + size)
            got = 0
            while True:
                if cancelled():
                    raise DownloadCancelled(_("Download cancelled."))
                block = response.read(CHUNK)
                if not block:
                    break
                out.write(block)
                got += len(block)
                report({"fraction": (done_before + got) / total if total else 0.0,
                        "message": f"{dest.name}: {human_size(done_before + got)} of "
                                   f"{human_size(total) if total else '?'}"})
        if size and got != size:
            raise DatasetError(_("The download of {name} stopped early ({human_size} of "
                                 "{human_size2}). Try again.",
                                 name=dest.name, human_size=human_size(got), human_size2=human_size(size)))
        part.replace(dest)
        return got
    finally:
        part.unlink(missing_ok=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download_keras_dataset(key: str, report: Callable[[Any], None] | None = None,
                           cancelled: Callable[[], bool] | None = None, *,
                           origin: str | None = None, check_hash: bool = True,
                           timeout: float = 20.0) -> Dataset:
    """Fetch (or find in a cache) the files of keras.datasets.<key> and read them.

    `report` receives {"fraction", "message"}; `cancelled()` returning True stops the download
    (DownloadCancelled). Offline, raises DatasetError saying how to import the file by hand.
    Also DatasetError for an unknown `key` and for a download whose SHA-256 differs from Keras's
    (the file is deleted). `timeout`: seconds a connect or read may block. Runs in a worker thread
    (ui.jobs.Job)."""
    if key not in KERAS_FILES:
        raise DatasetError(_("Unknown Keras dataset {key!r}; choose one of {names}.",
                             key=key, names=', '.join(KERAS_FILES)))
    info = KERAS_FILES[key]
    report = report or (lambda _value: None)
    cancelled = cancelled or (lambda: False)
    origin = origin or info.origin
    cached = find_cached(key, check_hash) if origin == info.origin else None
    if cached is None:
        folder = downloads_dir(key)
        total_hint = int(info.megabytes * 1024 * 1024)
        done = 0
        for name, expected in zip(info.files, info.sha256):
            dest = folder / name
            if dest.is_file() and (not check_hash or _matches(dest, expected)):
                continue
            try:
                done += _fetch(origin + name, dest, report, cancelled, done, total_hint, timeout)
            except (urllib.error.URLError, OSError) as exc:
                raise DatasetError(offline_message(info, _reason(exc), origin)) from None
            if check_hash and not _matches(dest, expected):
                dest.unlink(missing_ok=True)
                raise DatasetError(_("The downloaded {name} is not the file Keras expects (its "
                                     "checksum differs). It was deleted; try again later.",
                                     name=name))
        cached = folder if len(info.files) > 1 else folder / info.files[0]
    report({"fraction": 1.0, "message": _("Reading {title}…", title=_(info.title))})
    return load_keras_file(key, cached)


def available_downloads() -> list[dict[str, Any]]:
    """For the download dialog: key, title, size, licence, and whether it is already here."""
    return [{"key": k, "title": _(v.title), "megabytes": v.megabytes, "licence": v.licence,
             "cached": find_cached(k) is not None} for k, v in KERAS_FILES.items()]
