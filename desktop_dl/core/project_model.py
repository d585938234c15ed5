"""The parts of a project (core/project.py): the Project, its dataset reference and its runs,
the format's name and version, and the size limits that reading a project file enforces."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from desktop_dl import __version__
from desktop_dl.core import limits
from desktop_dl.core.errors import UserError
from desktop_dl.core.spec import ModelSpec

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
        """The reference as a JSON-ready dict (the embedded arrays are stored apart; here only
        whether there are any, and `state_keys`)."""
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
    """Everything a .dlproj file holds: the model spec, the dataset reference, training settings,
    the runs, the panels' state, the app version and creation / save times (ISO 8601), and the file
    format version it was migrated from (None when current)."""
    spec: ModelSpec | None = None
    dataset: DatasetRef | None = None
    training: dict = field(default_factory=dict)
    runs: list[RunRecord] = field(default_factory=list)
    panels: dict[str, dict] = field(default_factory=dict)
    app_version: str = __version__
    created: str = ""
    saved: str = ""
    migrated_from: int | None = None   # set when read from an older version

