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

import datetime as _dt
import hashlib
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl import __version__
from desktop_dl.core.errors import os_error_text
from desktop_dl.core.i18n import _
from desktop_dl.core.spec import ModelSpec
# The parts, the dataset check and the reader live in their own modules; their names stay
# importable from here, where every caller has always found them.
from desktop_dl.core.project_model import (EMBED_LIMIT_BYTES, MAX_JSON_BYTES, MAX_MEMBER_BYTES,  # noqa: F401
                                           MAX_MEMBERS, MAX_TOTAL_BYTES, PROJECT_FORMAT, PROJECT_SUFFIX,
                                           PROJECT_VERSION, DatasetRef, Project, ProjectError, RunRecord)
from desktop_dl.core.project_dataset_check import DatasetCheck, check_dataset, content_sha256  # noqa: F401
from desktop_dl.core.project_reader import (load_project, npy_from_bytes, npz_from_bytes,  # noqa: F401
                                            read_project_bytes)


# -- writing --------------------------------------------------------------------------------------
def now_iso() -> str:
    """The current UTC time as ISO 8601 text to the second, e.g. "2026-01-31T12:00:00+00:00"."""
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
    """Write `project` to `path` atomically: the old file stays whole until the new one is.

    Raises ProjectError when the file cannot be written (OSError); the previous file is then
    untouched.
    """
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


__all__ = ["PROJECT_FORMAT", "PROJECT_VERSION", "PROJECT_SUFFIX", "EMBED_LIMIT_BYTES",
           "ProjectError", "DatasetRef", "RunRecord", "Project", "DatasetCheck", "content_sha256",
           "check_dataset", "project_bytes", "save_project", "read_project_bytes", "load_project"]
