"""Find a dataset by built-in name or by path: `load_dataset(name_or_path, **options)`.

Built in (no network): `mnist-5k` (resources/mnist_5k.npz), the classic tables in
resources/datasets/, and `my-digits` when the user has corrected the canvas at least once.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl.core.datasets.dataset import Dataset, ImageDataset
from desktop_dl.core.errors import DatasetError
from desktop_dl.paths import resource, user_data_dir
from desktop_dl.core.i18n import N_, _

DIGIT_NAMES = [str(d) for d in range(10)]


@dataclass(frozen=True)
class BuiltinInfo:
    """A built-in dataset as listed: name (id), title, kind ("image"/"table"), task, description."""
    name: str
    title: str
    kind: str
    task: str
    description: str


@dataclass(frozen=True)
class _TableInfo:
    name: str
    file: str
    target: str
    title: str
    task: str
    description: str


TABLES = (
    _TableInfo("breast-cancer", "breast_cancer.csv", "diagnosis", N_("Breast cancer (Wisconsin)"),
               "binary", N_("569 tumours, 30 measurements from cell images; malignant or benign.")),
    _TableInfo("wine", "wine.csv", "cultivar", N_("Wine"), "multiclass",
               N_("178 wines, 13 chemical measurements; which of three cultivars made it.")),
    _TableInfo("iris", "iris.csv", "species", N_("Iris flowers"), "multiclass",
               N_("150 flowers, 4 measurements; setosa, versicolor or virginica.")),
    _TableInfo("diabetes", "diabetes.csv", "progression", N_("Diabetes progression"), "regression",
               N_("442 patients, 10 baseline measurements; disease progression one year later.")),
)


def personal_digits_path() -> Path:
    """Where the user's corrected canvas digits are saved: <user data dir>/personal_digits.npz."""
    return user_data_dir() / "personal_digits.npz"


def list_builtin() -> list[BuiltinInfo]:
    """The built-in datasets: MNIST 5k, the bundled tables, and "my-digits" when the user has saved
    corrected digits."""
    items = [BuiltinInfo("mnist-5k", _("MNIST digits (5,000)"), "image", "multiclass",
                         _("5,000 handwritten digits from MNIST, 500 per class, 28×28 "
                           "grayscale."))]
    items += [BuiltinInfo(t.name, _(t.title), "table", t.task, _(t.description)) for t in TABLES]
    if personal_digits_path().is_file():
        items.append(BuiltinInfo("my-digits", _("My digits"), "image", "multiclass",
                                 _("Digits you corrected on the drawing canvas.")))
    return items


def builtin_names() -> list[str]:
    """The names (ids) of list_builtin(), in the same order."""
    return [item.name for item in list_builtin()]


def load_dataset(name_or_path: str | Path, **options: Any) -> Dataset:
    """A built-in dataset by name, or a file/folder to import (npz, IDX, CSV/TSV, image folder).

    Raises DatasetError with a message for the user when it cannot be read as asked.
    """
    text = str(name_or_path)
    if text == "mnist-5k":
        return load_mnist_5k()
    if text == "my-digits":
        return load_personal_digits()
    for table in TABLES:
        if text == table.name:
            from desktop_dl.core.datasets.csv_table import load_table
            options.setdefault("target", table.target)
            return load_table(resource("datasets", table.file), name=table.name,
                              title=_(table.title), description=_(table.description), builtin=True,
                              **options)
    path = Path(name_or_path).expanduser()
    if not path.exists():
        if any(sep in text for sep in ("/", "\\")) or path.suffix:
            raise DatasetError(_("'{name}' does not exist (it was looked for in {parent}). Was "
                                 "it moved, renamed or deleted? Import it again from where it "
                                 "is now.", name=path.name, parent=path.parent))
        known = ", ".join(builtin_names())
        raise DatasetError(_("'{text}' is neither a built-in dataset ({known}) nor an existing "
                             "file or folder.", text=text, known=known))
    return import_path(path, **options)


def import_path(path: Path, **options: Any) -> Dataset:
    """Read a dataset from a file or folder the user chose, picking the reader from the name.

    Keras download files, folders of IDX files or of class sub-folders, .zip, .npz, IDX files,
    and tables (.csv, .tsv, .txt, .csv.gz, .tsv.gz, .data); `options` go to that reader (the "keras"
    option forces a Keras file key). Raises DatasetError for an unknown kind of file or whatever the
    chosen reader raises.
    """
    name = path.name.lower()
    if options.get("keras"):
        from desktop_dl.core.datasets.keras_files import load_keras_file
        return load_keras_file(options["keras"], path)
    if path.is_dir():
        from desktop_dl.core.datasets import image_folder, mnist_files
        if mnist_files.find_idx_files(path):
            return mnist_files.load_idx_folder(path, **options)
        return image_folder.load_image_folder(path, **options)
    from desktop_dl.core.datasets.keras_files import keras_key_for_file, load_keras_file
    if (key := keras_key_for_file(name)) is not None:
        return load_keras_file(key, path)
    if name.endswith(".zip"):
        from desktop_dl.core.datasets.image_folder import load_image_folder
        return load_image_folder(path, **options)
    if name.endswith(".npz"):
        from desktop_dl.core.datasets.mnist_files import load_npz
        return load_npz(path, **options)
    if "idx" in name or name.endswith("-ubyte") or name.endswith("-ubyte.gz"):
        from desktop_dl.core.datasets.mnist_files import load_idx_pair
        return load_idx_pair(path, **options)
    if name.endswith((".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz", ".data")):
        from desktop_dl.core.datasets.csv_table import load_table
        return load_table(path, **options)
    raise DatasetError(
        _("desktop_dl does not know how to read '{name}'. It reads MNIST files (.npz, IDX "
          "'…-ubyte[.gz]'), tables (.csv, .tsv, .txt) and folders (or .zip files) of images "
          "with one sub-folder per class.", name=path.name))


def load_mnist_5k() -> ImageDataset:
    """The bundled 5,000 MNIST training digits (500 per class): x (5000, 28, 28) uint8, ink high; y
    (5000,) class indices 0..9. MNIST: LeCun, Cortes and Burges, CC BY-SA 3.0."""
    path = resource("mnist_5k.npz")
    with np.load(path) as data:
        x, y = data["x"], data["y"]
    return ImageDataset("mnist-5k", _("MNIST digits (5,000)"), x, y, DIGIT_NAMES, digits=True,
                        description=_("5,000 handwritten digits from the MNIST training set, "
                                      "500 per class (CC BY-SA 3.0, LeCun, Cortes and Burges)."),
                        source=str(path))


def load_personal_digits() -> ImageDataset:
    """The user's corrected canvas digits: x (N, 28, 28) uint8, y (N,) uint8 digit labels.

    Raises DatasetError when none are saved yet, the file cannot be read, or it is damaged (not
    3-D images, or image and label counts differ).
    """
    path = personal_digits_path()
    if not path.is_file():
        raise DatasetError(_("You have no personal digits yet. Correct a wrong prediction on "
                             "the Draw tab (\"That's wrong\") to start collecting them."))
    try:
        with np.load(path, allow_pickle=False) as data:
            x, y = np.asarray(data["x"], dtype=np.uint8), np.asarray(data["y"], dtype=np.uint8)
    except Exception as exc:
        raise DatasetError(_("Your personal digits file '{path}' cannot be read ({exc}).",
                             path=path, exc=exc)) from None
    if len(x) != len(y) or x.ndim != 3:
        raise DatasetError(_("Your personal digits file '{path}' is damaged: {count} images "
                             "but {count2} labels.", path=path, count=len(x), count2=len(y)))
    return ImageDataset("my-digits", _("My digits"), x, y, DIGIT_NAMES, digits=True,
                        description=_("Digits you drew and corrected on the canvas."),
                        source=str(path))


def describe_builtin_json() -> str:
    """list_builtin() as indented JSON text (for the CLI)."""
    return json.dumps([asdict(item) for item in list_builtin()], indent=2)
