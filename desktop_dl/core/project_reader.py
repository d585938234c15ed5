"""Reading a project file (.ddl, layout in core/project.py): size checks before anything is
inflated, version 1 migrated, every problem a ProjectError worded for the user."""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl import __version__
from desktop_dl.core import limits
from desktop_dl.core.errors import SpecError, os_error_text
from desktop_dl.core.i18n import _
from desktop_dl.core.project_model import (MAX_JSON_BYTES, MAX_MEMBER_BYTES, MAX_TOTAL_BYTES, PROJECT_FORMAT,
                                           PROJECT_VERSION, DatasetRef, Project, ProjectError, RunRecord)
from desktop_dl.core.spec import ModelSpec


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
    itself would allocate whatever shape a damaged header claims).

    Raises ProjectError when the bytes are not a valid .npy array (bad header, object dtype, data
    shorter than the header claims).
    """
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
    """The arrays of an .npz archive, with the same size checks as the project zip itself.

    Raises ProjectError when the archive is damaged or breaks the size limits.
    """
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
    """Read a .ddl file (members are read one at a time, never the whole file at once).

    Raises ProjectError when the path is a folder, cannot be read, is larger than MAX_TOTAL_BYTES,
    is not a desktop_dl project zip, or its content is damaged.
    """
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
