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

DIGIT_NAMES = [str(d) for d in range(10)]


@dataclass(frozen=True)
class BuiltinInfo:
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
    _TableInfo("breast-cancer", "breast_cancer.csv", "diagnosis", "Breast cancer (Wisconsin)",
               "binary", "569 tumours, 30 measurements from cell images; malignant or benign."),
    _TableInfo("wine", "wine.csv", "cultivar", "Wine", "multiclass",
               "178 wines, 13 chemical measurements; which of three cultivars made it."),
    _TableInfo("iris", "iris.csv", "species", "Iris flowers", "multiclass",
               "150 flowers, 4 measurements; setosa, versicolor or virginica."),
    _TableInfo("diabetes", "diabetes.csv", "progression", "Diabetes progression", "regression",
               "442 patients, 10 baseline measurements; disease progression one year later."),
)


def personal_digits_path() -> Path:
    return user_data_dir() / "personal_digits.npz"


def list_builtin() -> list[BuiltinInfo]:
    items = [BuiltinInfo("mnist-5k", "MNIST digits (5,000)", "image", "multiclass",
                         "5,000 handwritten digits from MNIST, 500 per class, 28×28 grayscale.")]
    items += [BuiltinInfo(t.name, t.title, "table", t.task, t.description) for t in TABLES]
    if personal_digits_path().is_file():
        items.append(BuiltinInfo("my-digits", "My digits", "image", "multiclass",
                                 "Digits you corrected on the drawing canvas."))
    return items


def builtin_names() -> list[str]:
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
                              title=table.title, description=table.description, builtin=True,
                              **options)
    path = Path(name_or_path).expanduser()
    if not path.exists():
        if any(sep in text for sep in ("/", "\\")) or path.suffix:
            raise DatasetError(f"'{path.name}' does not exist (it was looked for in {path.parent}). "
                               f"Was it moved, renamed or deleted? Import it again from where it "
                               f"is now.")
        known = ", ".join(builtin_names())
        raise DatasetError(f"'{text}' is neither a built-in dataset ({known}) nor an existing "
                           f"file or folder.")
    return import_path(path, **options)


def import_path(path: Path, **options: Any) -> Dataset:
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
        f"desktop_dl does not know how to read '{path.name}'. It reads MNIST files (.npz, IDX "
        f"'…-ubyte[.gz]'), tables (.csv, .tsv, .txt) and folders (or .zip files) of images with "
        f"one sub-folder per class.")


def load_mnist_5k() -> ImageDataset:
    path = resource("mnist_5k.npz")
    with np.load(path) as data:
        x, y = data["x"], data["y"]
    return ImageDataset("mnist-5k", "MNIST digits (5,000)", x, y, DIGIT_NAMES, digits=True,
                        description="5,000 handwritten digits from the MNIST training set, 500 "
                                    "per class (CC BY-SA 3.0, LeCun, Cortes and Burges).",
                        source=str(path))


def load_personal_digits() -> ImageDataset:
    path = personal_digits_path()
    if not path.is_file():
        raise DatasetError("You have no personal digits yet. Correct a wrong prediction on the "
                           "Draw tab (\"That's wrong\") to start collecting them.")
    try:
        with np.load(path, allow_pickle=False) as data:
            x, y = np.asarray(data["x"], dtype=np.uint8), np.asarray(data["y"], dtype=np.uint8)
    except Exception as exc:
        raise DatasetError(f"Your personal digits file '{path}' cannot be read ({exc}).") from None
    if len(x) != len(y) or x.ndim != 3:
        raise DatasetError(f"Your personal digits file '{path}' is damaged: {len(x)} images but "
                           f"{len(y)} labels.")
    return ImageDataset("my-digits", "My digits", x, y, DIGIT_NAMES, digits=True,
                        description="Digits you drew and corrected on the canvas.",
                        source=str(path))


def describe_builtin_json() -> str:
    return json.dumps([asdict(item) for item in list_builtin()], indent=2)
