"""The project file (.ddl): everything a user built, trained and chose, in one zip.

Layout (format "desktop_dl.project", version 2):

    manifest.json        format, version, app version, times, what the other parts hold
    spec.json            the model spec (core/spec.py JSON)
    dataset.json         the dataset reference: name, path, sha256 of the content, options
    dataset.npz          the data itself, only for small embedded datasets (personal digits)
    training.json        the training settings
    runs.json            run history: settings, curves and metrics of each run
    runs/<id>.keras      the trained model of each kept run, as .keras bytes
    panels/<name>.json   any other panel state; arrays as panels/<name>/<n>.npy, bytes as .bin

Version 1 (the pre-release layout) kept everything but the weights in one project.json; it is
migrated on reading. Files from a newer version are refused with a message. Saving goes through
core/atomic_write.py, so a crash or a full disk during a save never harms the previous file.
Reading checks every size before it inflates anything, so a hostile zip cannot exhaust memory
(limits in core/limits.py). A project file is untrusted input: its path fields (the dataset's
path, a run's folder) are only ever compared or hashed, never read as model weights (those come
from the project's own members), and a member named many times is read once.
"""
from __future__ import annotations

import copy
import datetime as _dt
import hashlib
import io
import json
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl import __version__
from desktop_dl.core import limits
from desktop_dl.core.errors import SpecError, UserError, os_error_text
from desktop_dl.core.spec import ModelSpec
from desktop_dl.core.i18n import _

PROJECT_FORMAT = "desktop_dl.project"
PROJECT_VERSION = 2
PROJECT_SUFFIX = ".ddl"

# Reading limits (core/limits.py): a project is small JSON plus arrays and model weights. These
# bound what a damaged or hostile file can make us allocate.
MAX_JSON_BYTES = limits.MAX_JSON_BYTES
MAX_MEMBER_BYTES = limits.MAX_FILE_BYTES
MAX_TOTAL_BYTES = 8 * 1024 ** 3
MAX_MEMBERS = limits.MAX_ARCHIVE_MEMBERS
EMBED_LIMIT_BYTES = 64 * 1024 * 1024   # datasets smaller than this may be embedded


class ProjectError(UserError):
    """A project file that cannot be read or written."""


# -- data -----------------------------------------------------------------------------------------
@dataclass
class DatasetRef:
    """Where the training data came from, so that reopening finds the same data.

    `name` is a built-in dataset name ("mnist-5k") or the title of an imported one. `path` is the
    file or folder it was imported from (None for built-ins) and `sha256` the hash of its content
    when saved (`content_sha256`). `embedded` holds the arrays themselves for small personal
    datasets, which live in the user's data folder and would otherwise not travel with the project.
    """
    name: str
    path: str | None = None
    sha256: str | None = None
    options: dict = field(default_factory=dict)
    embedded: dict[str, np.ndarray] | None = None
    state_keys: list[str] | None = None   # the keys the panel's state used (None: all)

    def to_dict(self) -> dict:
        return {"name": self.name, "path": self.path, "sha256": self.sha256,
                "options": copy.deepcopy(self.options), "embedded": bool(self.embedded),
                "state_keys": None if self.state_keys is None else list(self.state_keys)}


@dataclass
class RunRecord:
    """One training run: its settings, curves (`history`: name → per-epoch values) and final
    metrics; `weights` is the trained model as .keras bytes when the run is kept."""
    id: str
    name: str = ""
    created: str = ""
    spec: dict | None = None
    settings: dict = field(default_factory=dict)
    history: dict[str, list] = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    kept: bool = False
    weights: bytes | None = None
    extra: dict = field(default_factory=dict)   # anything else the training panel keeps
    # A .keras file (the run's folder) written into the project when `weights` is None: saving
    # streams it from disk, and fingerprints take its path, size and time, not its bytes.
    weights_path: str | None = None


@dataclass
class Project:
    spec: ModelSpec | None = None
    dataset: DatasetRef | None = None
    training: dict = field(default_factory=dict)
    runs: list[RunRecord] = field(default_factory=list)
    panels: dict[str, dict] = field(default_factory=dict)
    app_version: str = __version__
    created: str = ""
    saved: str = ""
    migrated_from: int | None = None   # set when read from an older version


# -- hashing --------------------------------------------------------------------------------------
def content_sha256(path: str | Path, chunk: int = 1 << 20, cancelled=None,
                   limit: int = limits.MAX_HASH_BYTES) -> str:
    """sha256 of a file's bytes, or of a folder's regular files (relative names and contents,
    sorted), read in chunks so that large datasets never sit in memory.

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


# -- writing --------------------------------------------------------------------------------------
def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


_PLAIN = frozenset((float, int, str, bool, type(None)))


class _Archive:
    """Collects the members of a project zip; arrays and bytes get their own members."""

    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.count = 0

    def json(self, name: str, obj: Any) -> None:
        # No indent: that keeps json on its C encoder (long curves are 10x faster to write).
        text = json.dumps(obj, ensure_ascii=False, allow_nan=True, separators=(",", ":"))
        self.zf.writestr(name, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)

    def blob(self, name: str, data: bytes, compress: bool = False) -> None:
        self.zf.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED)

    def file(self, name: str, path: str) -> None:
        """A member copied from a file on disk (streamed by ZipFile.write, never held whole)."""
        self.zf.write(path, name, compress_type=zipfile.ZIP_STORED)

    def array(self, name: str, array: np.ndarray) -> None:
        if array.dtype.hasobject:
            raise ProjectError(_("Cannot save {name}: it holds Python objects, not numbers.",
                                 name=name))
        buf = io.BytesIO()
        np.save(buf, array, allow_pickle=False)
        self.blob(name, buf.getvalue(), compress=True)

    def encode(self, obj: Any, prefix: str) -> Any:
        """Turn a panel state into JSON, storing arrays and bytes as members under `prefix`."""
        if obj is None or isinstance(obj, (bool, str)):
            return obj
        if isinstance(obj, (int, float)):
            return obj
        if isinstance(obj, np.generic):
            return obj.item()
        if isinstance(obj, np.ndarray):
            self.count += 1
            name = f"{prefix}/{self.count}.npy"
            self.array(name, obj)
            return {"$array": name}
        if isinstance(obj, (bytes, bytearray, memoryview)):
            self.count += 1
            name = f"{prefix}/{self.count}.bin"
            self.blob(name, bytes(obj))
            return {"$bytes": name}
        if isinstance(obj, ModelSpec):
            return {"$spec": obj.to_dict()}
        if hasattr(obj, "__array__"):       # an array kept on disk (a run's mistakes), read
            return self.encode(np.asarray(obj), prefix)    # here, in the save job
        if isinstance(obj, tuple):
            return {"$tuple": [self.encode(v, prefix) for v in obj]}
        if isinstance(obj, list):
            types = {type(v) for v in obj}
            if types <= _PLAIN:                         # curves: thousands of plain numbers
                return obj
            if len(types) == 1 and issubclass(next(iter(types)), np.generic):
                return np.asarray(obj).tolist()         # numpy scalars of one type, at C speed
            return [self.encode(v, prefix) for v in obj]
        if isinstance(obj, dict):
            out = {}
            for key, value in obj.items():
                if not isinstance(key, str):
                    raise ProjectError(_("Cannot save the project: a setting is named {key!r}, "
                                         "not with text.", key=key))
                out[key] = self.encode(value, prefix)
            if any(k.startswith("$") for k in out):
                return {"$dict": out}
            return out
        raise ProjectError(_("Cannot save the project: a {error} in it has no file form.",
                             error=type(obj).__name__))


BLOB_BY_IDENTITY = 64 * 1024


class _HashSink:
    """Stands in for the zip when only a fingerprint of the content is wanted."""

    def __init__(self):
        self.h = hashlib.sha256()

    def write(self, path: str, name: str, compress_type=None) -> None:
        """A file member: its path, size and modification time stand for its content."""
        stat = Path(path).stat()
        self.writestr(name, f"{Path(path).resolve()}|{stat.st_size}|{stat.st_mtime_ns}")

    def writestr(self, name: str, data, compress_type=None) -> None:
        if name == "manifest.json":      # holds the save time, which is not content
            return
        data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        if len(data) >= BLOB_BY_IDENTITY:
            # Run weights are immutable bytes objects held by their runs: Python caches a bytes
            # object's hash in it, so the unsaved-changes check after every edit costs nothing
            # per kept run instead of re-reading megabytes (fingerprints never leave the process).
            data = hash(data).to_bytes(8, "little", signed=True)
        self.h.update(name.encode("utf-8") + b"\0" + len(data).to_bytes(8, "little") + data)


def project_fingerprint(project: Project) -> str:
    """A hash of everything a save would write except times: equal fingerprints mean the saved
    file already holds this state (used for the unsaved-changes mark)."""
    sink = _HashSink()
    _write_parts(_Archive(sink), project, saved="")
    return sink.h.hexdigest()


def project_bytes(project: Project) -> bytes:
    """The .ddl file's bytes for `project` (built in memory; see save_project for writing)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        _write_parts(_Archive(zf), project, now_iso())
    return buf.getvalue()


def _write_parts(arc: "_Archive", project: Project, saved: str) -> None:
    parts = []
    if project.spec is not None:
        arc.json("spec.json", project.spec.to_dict())
        parts.append("spec")
    if project.dataset is not None:
        ds = project.dataset.to_dict()
        if project.dataset.embedded:
            arrays = {k: np.asarray(v) for k, v in project.dataset.embedded.items()}
            if any(a.dtype.hasobject for a in arrays.values()):
                raise ProjectError(_("Cannot embed the dataset: it holds Python objects, not "
                                     "numbers."))
            if isinstance(arc.zf, _HashSink):   # npz carries zip times; hash the arrays instead
                for k in sorted(arrays):
                    arc.array(f"dataset/{k}.npy", arrays[k])
            else:
                npz = io.BytesIO()
                np.savez_compressed(npz, **arrays)
                arc.blob("dataset.npz", npz.getvalue())
        ds["options"] = arc.encode(ds["options"], "dataset")
        arc.json("dataset.json", ds)
        parts.append("dataset")
    arc.json("training.json", arc.encode(project.training, "training"))
    runs = []
    used_ids: set[str] = set()
    for run in project.runs:
        run_id = _safe_id(run.id, used_ids)
        entry = {"id": run.id, "name": run.name, "created": run.created, "spec": run.spec,
                 "settings": arc.encode(run.settings, f"runs/{run_id}"),
                 "history": arc.encode(run.history, f"runs/{run_id}"),
                 "metrics": arc.encode(run.metrics, f"runs/{run_id}"),
                 "kept": bool(run.kept),
                 "extra": arc.encode(run.extra, f"runs/{run_id}"),
                 "weights": None}
        if run.weights is not None:
            entry["weights"] = f"runs/{run_id}.keras"
            arc.blob(entry["weights"], bytes(run.weights))
        elif run.weights_path and Path(run.weights_path).is_file():
            entry["weights"] = f"runs/{run_id}.keras"
            arc.file(entry["weights"], run.weights_path)
        runs.append(entry)
    arc.json("runs.json", runs)
    panels = []
    for name, state in project.panels.items():
        key = _safe_id(name, set(panels))
        arc.json(f"panels/{key}.json", {"name": name, "state": arc.encode(state, f"panels/{key}")})
        panels.append(key)
    manifest = {"format": PROJECT_FORMAT, "version": PROJECT_VERSION,
                "app_version": __version__, "created": project.created or saved, "saved": saved,
                "parts": parts, "runs": len(runs), "panels": panels}
    # The manifest goes last but is found by name; readers never depend on member order.
    arc.json("manifest.json", manifest)


def save_project(project: Project, path: str | Path) -> None:
    """Write `project` to `path` atomically: the old file stays whole until the new one is."""
    from desktop_dl.core.atomic_write import write_bytes_atomic
    path = Path(path)
    data = project_bytes(project)
    try:
        write_bytes_atomic(path, data)
    except OSError as exc:
        raise ProjectError(_("Could not save {name}: {value}. The previous version of the file "
                             "is unchanged.", name=path.name, value=os_error_text(exc))) from None
    if not project.created:
        project.created = now_iso()


def _safe_id(text: str, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_.-]", "_", str(text))[:40].strip(".") or "item"
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}-{n}"
    used.add(key)
    return key


# -- reading --------------------------------------------------------------------------------------
class _Reader:
    def __init__(self, zf: zipfile.ZipFile, source: str):
        self.zf = zf
        self.source = source
        infos = zf.infolist()
        limits.check_members(source, len(infos), ProjectError)
        self.infos = {}
        # A member named many times (runs sharing one weights file) is read once: a 10 MB part
        # referenced 200 times costs 10 MB, not 2 GB.
        self._cache: dict[str, Any] = {}
        total = 0
        for info in infos:
            limits.check_unpacked(source, info.filename, info.file_size, info.compress_size,
                                  ProjectError, limit=MAX_MEMBER_BYTES)
            total += info.file_size
            self.infos[info.filename] = info
        if total > MAX_TOTAL_BYTES:
            raise ProjectError(_("{source} would unpack to {value} GB, more than a project can "
                                 "hold.", source=source, value=total // (1 << 30)))
        limits.check_allocation(total, source, error=ProjectError)

    def has(self, name: str) -> bool:
        return name in self.infos

    def bytes(self, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
        key = ("bytes", name)
        if key not in self._cache:
            self._cache[key] = self._read(name, limit)
        return self._cache[key]

    def _read(self, name: str, limit: int) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise ProjectError(_("{source} is incomplete: it has no {name}.",
                                 source=self.source, name=name))
        if info.file_size > limit:
            raise ProjectError(_("{source}: {name} is too large ({value} MB).",
                                 source=self.source, name=name, value=info.file_size // (1 << 20)))
        try:
            with self.zf.open(info) as fh:
                data = fh.read(limit + 1)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError,
                OSError, ValueError, RuntimeError) as exc:
            # RuntimeError: an encrypted member; the others: damage of one kind or another
            raise ProjectError(_("{source} is damaged: {name} cannot be unpacked ({short}).",
                                 source=self.source, name=name, short=_short(exc))) from None
        if len(data) > limit:
            raise ProjectError(_("{source}: {name} is larger than it claims.",
                                 source=self.source, name=name))
        return data

    def json(self, name: str) -> Any:
        raw = self._read(name, MAX_JSON_BYTES)
        return limits.parse_json(raw, f"{self.source} ({name})", max_bytes=MAX_JSON_BYTES,
                                 max_depth=250, error=ProjectError)

    def array(self, name: str) -> np.ndarray:
        key = ("array", name)
        if key not in self._cache:
            self._cache[key] = npy_from_bytes(self.bytes(name), f"{self.source}: {name}")
        return self._cache[key]

    def decode(self, obj: Any, depth: int = 0) -> Any:
        if depth > 200:
            raise ProjectError(_("{source} is damaged: its settings nest too deeply.",
                                 source=self.source))
        if isinstance(obj, list):
            return [self.decode(v, depth + 1) for v in obj]
        if not isinstance(obj, dict):
            return obj
        if len(obj) == 1:
            (key, value), = obj.items()
            if key == "$array":
                return self.array(self._member(value))
            if key == "$bytes":
                return self.bytes(self._member(value))
            if key == "$tuple":
                if not isinstance(value, list):
                    raise ProjectError(_("{source} is damaged: a $tuple is not a list.",
                                         source=self.source))
                return tuple(self.decode(v, depth + 1) for v in value)
            if key == "$spec":
                try:
                    return ModelSpec.from_dict(value, source=_("the model in {source}",
                                                               source=self.source))
                except SpecError as exc:
                    raise ProjectError(str(exc)) from None
            if key == "$dict":
                if not isinstance(value, dict):
                    raise ProjectError(_("{source} is damaged: a $dict is not an object.",
                                         source=self.source))
                return {k: self.decode(v, depth + 1) for k, v in value.items()}
        return {k: self.decode(v, depth + 1) for k, v in obj.items()}

    def _member(self, value: Any) -> str:
        if not isinstance(value, str):
            raise ProjectError(_("{source} is damaged: a reference to a part is not a name.",
                                 source=self.source))
        return value


def npy_from_bytes(raw: bytes, source: str) -> np.ndarray:
    """An .npy array, checking its header against its size before allocating anything (numpy
    itself would allocate whatever shape a damaged header claims)."""
    fh = io.BytesIO(raw)
    try:
        major, _minor = np.lib.format.read_magic(fh)
        if major == 1:
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif major in (2, 3):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(_("unknown .npy version {major}", major=major))
        if dtype.hasobject:
            raise ValueError(_("it holds Python objects"))
        count = limits.array_elements(shape)
        if count * dtype.itemsize > len(raw) - fh.tell():
            raise ValueError(_("its header claims {count} values but the data is shorter",
                               count=count))
        fh.seek(0)
        return np.load(fh, allow_pickle=False)
    except (ValueError, OSError, EOFError, TypeError, SyntaxError, OverflowError, MemoryError) as exc:
        raise ProjectError(_("{source} is not a valid array ({short}).",
                             source=source, short=_short(exc))) from None


def npz_from_bytes(raw: bytes, source: str) -> dict[str, np.ndarray]:
    """The arrays of an .npz archive, with the same size checks as the project zip itself."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
            NotImplementedError, IndexError, UnicodeDecodeError, OverflowError) as exc:
        raise ProjectError(_("{source} is damaged ({short}).", source=source, short=_short(exc))) from None
    with zf:
        r = _Reader(zf, source)
        arrays = {}
        for name in r.infos:
            if name.endswith(".npy"):
                arrays[name[:-4]] = npy_from_bytes(r.bytes(name), f"{source}: {name}")
        return arrays


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."


def read_project_bytes(data: bytes, source: str | None = None) -> Project:
    """Parse a .ddl file's bytes. Every problem raises ProjectError with a message for the user."""
    return _read_archive(io.BytesIO(data), source or _("the project"))


def load_project(path: str | Path) -> Project:
    """Read a .ddl file (members are read one at a time, never the whole file at once)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TOTAL_BYTES:
            raise ProjectError(_("{name} is {value} GB, too large to be a project.",
                                 name=path.name, value=size // (1 << 30)))
        with open(path, "rb") as fh:
            return _read_archive(fh, path.name)
    except ProjectError:
        raise
    except IsADirectoryError:
        raise ProjectError(_("{path} is a folder, not a project file.", path=path)) from None
    except OSError as exc:
        raise ProjectError(_("Cannot read {path}: {value}.", path=path, value=os_error_text(exc))) from None


def _read_archive(fh, source: str) -> Project:
    if fh.read(2) != b"PK":
        raise ProjectError(_("{source} is not a desktop_dl project (it is not a zip archive).",
                             source=source))
    fh.seek(0)
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError,
            NotImplementedError, IndexError, UnicodeDecodeError, OverflowError) as exc:
        raise ProjectError(_("{source} is damaged and cannot be opened ({short}).",
                             source=source, short=_short(exc))) from None
    with zf:
        try:
            return _read(_Reader(zf, source), source)
        except ProjectError:
            raise
        except RecursionError:
            raise ProjectError(_("{source} is damaged: its data nests too deeply.", source=source)) from None
        except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as exc:
            raise ProjectError(_("{source} is damaged or was not written by desktop_dl "
                                 "({short}).", source=source, short=_short(exc))) from None
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError) as exc:
            raise ProjectError(_("{source} is damaged and cannot be opened ({short}).",
                                 source=source, short=_short(exc))) from None


def _read(r: _Reader, source: str) -> Project:
    if not r.has("manifest.json"):
        if r.has("project.json"):           # version 1 had no separate manifest
            return _migrate_v1(r, source)
        raise ProjectError(_("{source} is not a desktop_dl project (it has no manifest.json).",
                             source=source))
    manifest = r.json("manifest.json")
    version = _check_manifest(manifest, source)
    if version == 1:
        return _migrate_v1(r, source)
    return _read_v2(r, manifest, source)


def _check_manifest(manifest: Any, source: str) -> int:
    if not isinstance(manifest, dict) or manifest.get("format") != PROJECT_FORMAT:
        raise ProjectError(_("{source} is not a desktop_dl project (its manifest names another "
                             "format).", source=source))
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectError(_("{source} has no valid format version.", source=source))
    if version > PROJECT_VERSION:
        written_by = manifest.get("app_version")
        by = f" (desktop_dl {written_by})" if isinstance(written_by, str) else ""
        raise ProjectError(_("{source} was saved by a newer desktop_dl{by} in project format "
                             "{version}; this version ({app_version}) reads up to format "
                             "{newest}. Update desktop_dl to open it.",
                             source=source, by=by, version=version,
                             app_version=__version__, newest=PROJECT_VERSION))
    return version


def _spec_from(data: Any, source: str) -> ModelSpec | None:
    if data is None:
        return None
    try:
        return ModelSpec.from_dict(data, source=_("the model in {source}", source=source))
    except SpecError as exc:
        raise ProjectError(str(exc)) from None


def _dataset_from(d: Any, r: _Reader, source: str) -> DatasetRef | None:
    if d is None:
        return None
    if not isinstance(d, dict) or not isinstance(d.get("name"), str):
        raise ProjectError(_("{source} is damaged: the dataset reference has no name.",
                             source=source))
    path = d.get("path")
    sha = d.get("sha256")
    if path is not None and not isinstance(path, str) or sha is not None and not isinstance(sha, str):
        raise ProjectError(_("{source} is damaged: the dataset reference is malformed.",
                             source=source))
    options = r.decode(d.get("options") or {})
    if not isinstance(options, dict):
        raise ProjectError(_("{source} is damaged: the dataset options are not a table of "
                             "settings.", source=source))
    keys = d.get("state_keys")
    if keys is not None and not (isinstance(keys, list) and all(isinstance(k, str) for k in keys)):
        raise ProjectError(_("{source} is damaged: the dataset reference is malformed.",
                             source=source))
    embedded = None
    if d.get("embedded"):
        embedded = npz_from_bytes(r.bytes("dataset.npz"), _("the dataset embedded in {source}",
                                                            source=source))
    return DatasetRef(d["name"], path, sha, options, embedded, keys)


def _runs_from(entries: Any, r: _Reader, source: str, weights_in_zip: bool) -> list[RunRecord]:
    if not isinstance(entries, list):
        raise ProjectError(_("{source} is damaged: the run history is not a list.", source=source))
    runs = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise ProjectError(_("{source} is damaged: run {value} is malformed.",
                                 source=source, value=i + 1))
        weights = None
        if weights_in_zip and e.get("weights") is not None:
            weights = r.bytes(r._member(e["weights"]))
        spec = e.get("spec")
        if spec is not None:
            _spec_from(spec, source)   # validate now, keep as dict
        history = r.decode(e.get("history") or {})
        settings = r.decode(e.get("settings") or {})
        metrics = r.decode(e.get("metrics") or {})
        extra = r.decode(e.get("extra") or {})
        for what, value in ((_("curves"), history), (_("settings"), settings),
                            (_("metrics"), metrics), (_("details"), extra)):
            if not isinstance(value, dict):
                raise ProjectError(_("{source} is damaged: the {what} of run {value} are "
                                     "malformed.", source=source, what=what, value=i + 1))
        runs.append(RunRecord(id=str(e.get("id", i + 1)), name=str(e.get("name", "")),
                              created=str(e.get("created", "")), spec=spec, settings=settings,
                              history=history, metrics=metrics, kept=bool(e.get("kept", False)),
                              weights=weights, extra=extra))
    return runs


def _read_v2(r: _Reader, manifest: dict, source: str) -> Project:
    project = Project(app_version=str(manifest.get("app_version", "")),
                      created=str(manifest.get("created", "")), saved=str(manifest.get("saved", "")))
    if r.has("spec.json"):
        project.spec = _spec_from(r.json("spec.json"), source)
    if r.has("dataset.json"):
        project.dataset = _dataset_from(r.json("dataset.json"), r, source)
    if r.has("training.json"):
        training = r.decode(r.json("training.json"))
        if not isinstance(training, dict):
            raise ProjectError(_("{source} is damaged: the training settings are malformed.",
                                 source=source))
        project.training = training
    if r.has("runs.json"):
        project.runs = _runs_from(r.json("runs.json"), r, source, weights_in_zip=True)
    panel_keys = manifest.get("panels", [])
    if not isinstance(panel_keys, list):
        raise ProjectError(_("{source} is damaged: its manifest lists panels wrongly.",
                             source=source))
    for key in panel_keys:
        entry = r.json(f"panels/{r._member(key)}.json")
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ProjectError(_("{source} is damaged: panels/{key}.json is malformed.",
                                 source=source, key=key))
        state = r.decode(entry.get("state"))
        if not isinstance(state, dict):
            raise ProjectError(_("{source} is damaged: the state of {entry} is malformed.",
                                 source=source, entry=entry['name']))
        project.panels[entry["name"]] = state
    return project


def _migrate_v1(r: _Reader, source: str) -> Project:
    """Version 1: one project.json {format, version: 1, app_version, spec, dataset: {name, path,
    sha256}, training, runs: [{id, name, settings, curves, metrics}]}, no weights, no panels."""
    data = r.json("project.json")
    if not isinstance(data, dict):
        raise ProjectError(_("{source} is damaged: project.json is not an object.", source=source))
    _check_manifest(data, source)
    project = Project(app_version=str(data.get("app_version", "")), migrated_from=1)
    project.spec = _spec_from(data.get("spec"), source)
    ds = data.get("dataset")
    if ds is not None:
        if isinstance(ds, dict):
            ds = {**ds, "embedded": False}
        project.dataset = _dataset_from(ds, r, source)
    training = data.get("training") or {}
    if not isinstance(training, dict):
        raise ProjectError(_("{source} is damaged: the training settings are malformed.",
                             source=source))
    project.training = training
    runs = data.get("runs") or []
    if isinstance(runs, list):
        # v1 called the curves "curves"; v2 calls them "history" like Keras does.
        runs = [{**e, "history": e.get("curves", {})} if isinstance(e, dict) else e for e in runs]
    project.runs = _runs_from(runs, r, source, weights_in_zip=False)
    return project


__all__ = ["PROJECT_FORMAT", "PROJECT_VERSION", "PROJECT_SUFFIX", "EMBED_LIMIT_BYTES",
           "ProjectError", "DatasetRef", "RunRecord", "Project", "DatasetCheck", "content_sha256",
           "check_dataset", "project_bytes", "save_project", "read_project_bytes", "load_project"]
