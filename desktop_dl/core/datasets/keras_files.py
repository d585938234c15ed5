"""The files behind Keras's built-in datasets, read without Keras: a download or a copy made by
hand on another computer gives the same Dataset (MNIST's mnist.npz and Fashion-MNIST's IDX files
are read by mnist_files; here: IMDB, Boston housing, CIFAR-10)."""
from __future__ import annotations

import io
import pickle
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop_dl.core.datasets.dataset import Dataset, ImageDataset, SequenceDataset, pad_sequences
from desktop_dl.core import limits
from desktop_dl.core.limits import check_file
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import N_, _

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
FASHION_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                 "Sneaker", "Bag", "Ankle boot"]
CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                 "truck"]
BOSTON_COLUMNS = ["CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM", "AGE", "DIS", "RAD", "TAX",
                  "PTRATIO", "B", "LSTAT"]


@dataclass(frozen=True)
class KerasFile:
    """One of the files keras.datasets downloads: where it comes from, its size (megabytes), its
    SHA-256 digests (FIPS 180-4; as Keras checks them), licence and how to import it by hand."""
    key: str                 # the name of keras.datasets.<key>
    title: str
    files: tuple[str, ...]   # file names, as Keras saves them
    origin: str              # folder URL (files are origin + name)
    megabytes: float
    sha256: tuple[str, ...]  # of each file (same order as `files`), as Keras checks them
    licence: str
    how_to_import: str       # which button imports the file(s) by hand


KERAS_FILES = {
    "mnist": KerasFile("mnist", N_("MNIST digits (70,000)"), ("mnist.npz",), KERAS_ORIGIN, 11.5,
                       ("731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",),
                       "CC BY-SA 3.0 (LeCun, Cortes, Burges)", "file"),
    "fashion_mnist": KerasFile(
        "fashion_mnist", N_("Fashion-MNIST (70,000)"),
        ("train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz"), KERAS_ORIGIN, 30.0,
        # keras-team/keras, keras/src/datasets/fashion_mnist.py FILE_HASHES (commit 75565fb8)
        ("a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
         "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
         "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
         "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
        "MIT (Zalando SE)", "folder"),
    "cifar10": KerasFile("cifar10", N_("CIFAR-10 (60,000 colour images)"), ("cifar-10-python.tar.gz",),
                         "https://www.cs.toronto.edu/~kriz/", 163.0,
                         ("6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",),
                         "Krizhevsky, Nair, Hinton; free for research and teaching", "file"),
    "imdb": KerasFile("imdb", N_("IMDB movie reviews (50,000)"), ("imdb.npz",), KERAS_ORIGIN, 17.5,
                      ("69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",),
                      "Maas et al. 2011, Large Movie Review Dataset", "file"),
    "boston_housing": KerasFile(
        "boston_housing", N_("Boston housing prices (506)"), ("boston_housing.npz",), KERAS_ORIGIN, 0.06,
        ("f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",),
        "StatLib (Harrison and Rubinfeld 1978); has an ethically problematic feature 'B'", "file"),
}


class _ArraysOnlyUnpickler(pickle.Unpickler):
    """Pickles inside IMDB/CIFAR files may rebuild numpy arrays and nothing else."""

    ALLOWED = frozenset({("numpy", "ndarray"), ("numpy", "dtype"),
                         ("numpy.core.multiarray", "_reconstruct"),
                         ("numpy._core.multiarray", "_reconstruct")})

    def find_class(self, module, name):
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing {module}.{name}")


def _npz_objects(path: Path) -> dict[str, np.ndarray]:
    """All arrays of an npz; object arrays through the restricted unpickler.

    Each member's declared size and compression ratio, each plain array's declared shape, and the
    number of values an object array (lists of word ids) unpickles to are checked against
    core/limits.py; any failure of a damaged or hostile file is a DatasetError."""
    source = f"'{path.name}'"
    out = {}
    try:
        with zipfile.ZipFile(path) as archive:
            limits.check_members(source, len(archive.infolist()), DatasetError)
            for member in archive.namelist():
                raw = limits.read_member(archive, member, source, limits.MAX_UNPACKED_BYTES,
                                         DatasetError)
                limits.check_allocation(len(raw), f"{source}: {member}", error=DatasetError)
                data = io.BytesIO(raw)
                version = np.lib.format.read_magic(data)
                header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                          else np.lib.format.read_array_header_2_0)
                shape, _unused, dtype = header(data)
                limits.check_array(source, member[:-4], shape, dtype.itemsize, DatasetError)
                data.seek(0)
                if dtype.hasobject:
                    version = np.lib.format.read_magic(data)
                    header(data)
                    array = _ArraysOnlyUnpickler(data).load()
                    _check_object_values(source, member[:-4], array)
                    out[member[:-4]] = array
                else:
                    out[member[:-4]] = np.lib.format.read_array(data, allow_pickle=False)
    except DatasetError:
        raise
    except Exception as exc:   # zip, .npy header and pickle damage raise a dozen kinds (fuzzing)
        raise DatasetError(_("'{name}' is damaged or not the Keras file ({name__}: {str}). "
                             "Download it again.",
                             name=path.name, name__=type(exc).__name__, str=str(exc)[:120])) from None
    return out


def _check_object_values(source: str, key: str, array) -> None:
    """An unpickled object array must be an array of number sequences within the element limit."""
    if not isinstance(array, np.ndarray):
        raise DatasetError(_("{source}: {key!r} is not an array.", source=source, key=key))
    total = 0
    for item in array.reshape(-1):
        total += len(item) if hasattr(item, "__len__") else 1
        if total > limits.MAX_ARRAY_ELEMENTS:
            raise limits.refuse(source, _("the values in {key!r}", key=key), _("more than the limit"),
                                f"{limits.MAX_ARRAY_ELEMENTS:,}", "", DatasetError)


def load_imdb(path: str | Path, num_words: int = 10000, maxlen: int = 200) -> SequenceDataset:
    """Keras's imdb.npz: word ids shifted like keras.datasets.imdb (1 = start, 2 = unknown).

    Raises DatasetError when the file is not Keras's imdb.npz (arrays missing), is damaged, or
    breaks the size limits.
    """
    path = check_file(path)
    arrays = _npz_objects(path)
    try:
        parts = [arrays[k] for k in ("x_train", "y_train", "x_test", "y_test")]
    except KeyError:
        raise DatasetError(_("'{name}' is not Keras's imdb.npz (x_train … y_test missing).",
                             name=path.name)) from None

    def encode(reviews):
        out = []
        for review in reviews:
            ids = np.asarray(review, dtype=np.int64) + 3            # index_from=3
            ids = np.where(ids < num_words, ids, 2)                 # 2 = out of vocabulary
            out.append(np.concatenate([[1], ids]))                  # 1 = start of review
        return pad_sequences(out, maxlen)

    return SequenceDataset(
        "imdb", _("IMDB movie reviews"), encode(parts[0]), np.asarray(parts[1], np.int64),
        ["negative", "positive"], num_words, encode(parts[2]), np.asarray(parts[3], np.int64),
        source=str(path), options={"num_words": num_words, "maxlen": maxlen},
        description=_("50,000 movie reviews as word ids (the {num_words:,} most common words, "
                      "{maxlen} per review, padded at the front); positive or negative.",
                      num_words=num_words, maxlen=maxlen))


def load_boston_housing(path: str | Path) -> Dataset:
    """Keras's boston_housing.npz as a regression table (test split: Keras's 20% with seed 113).

    Raises DatasetError when the file lacks the x and y arrays, is damaged, or breaks the size
    limits.
    """
    from desktop_dl.core.datasets.csv_table import Column, TableDataset

    path = check_file(path)
    arrays = _npz_objects(path)
    if "x" not in arrays or "y" not in arrays:
        raise DatasetError(_("'{name}' is not Keras's boston_housing.npz (x, y missing).",
                             name=path.name))
    x, y = np.asarray(arrays["x"], np.float64), np.asarray(arrays["y"], np.float64)
    names = BOSTON_COLUMNS if x.shape[1] == len(BOSTON_COLUMNS) else \
        [f"column_{i + 1}" for i in range(x.shape[1])]
    features = [Column(n, True, x[:, i]) for i, n in enumerate(names)]
    return TableDataset("boston-housing", _("Boston housing prices"), features,
                        Column("MEDV", True, y), "regression", source=str(path),
                        description=_("506 Boston suburbs (1970s), 13 features; median home "
                                      "value in $1000s."))


def load_cifar10(path: str | Path) -> ImageDataset:
    """Keras's cifar-10-python.tar.gz as an ImageDataset of (N, 32, 32, 3) uint8 RGB images.

    50,000 training images (data_batch_1..5) and the 10,000 of test_batch as the fixed test set
    (Krizhevsky 2009; the batches are pickled (3, 32, 32) rows, turned to channels-last). The tar is
    streamed with member-count and unpacked-size limits. Raises DatasetError when the file is empty,
    too large, damaged, not a CIFAR-10 archive, or its batches are malformed.
    """
    path = check_file(path)
    source = f"'{path.name}'"
    packed = path.stat().st_size
    batches: dict[str, dict] = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            unpacked = members = 0
            for member in tar:           # streamed: never a list of a million members
                members += 1
                limits.check_members(source, members, DatasetError)
                unpacked += max(member.size, 0)
                limits.check_unpacked(source, member.name, unpacked, packed, DatasetError)
                base = member.name.rsplit("/", 1)[-1]
                if member.isfile() and (base.startswith("data_batch_") or base == "test_batch"):
                    limits.check_allocation(member.size * 2, f"{source}: {member.name}",
                                            error=DatasetError)
                    raw = _ArraysOnlyUnpickler(tar.extractfile(member), encoding="bytes").load()
                    batches[base] = _cifar_batch(source, base, raw)
    except DatasetError:
        raise
    except Exception as exc:   # tar, gzip and pickle damage raise a dozen kinds
        raise DatasetError(_("'{name}' is not a complete CIFAR-10 archive ({name__}: {str}). "
                             "Download cifar-10-python.tar.gz again.",
                             name=path.name, name__=type(exc).__name__, str=str(exc)[:120])) from None
    train_keys = sorted(k for k in batches if k.startswith("data_batch_"))
    if not train_keys or "test_batch" not in batches:
        raise DatasetError(_("'{name}' lacks the CIFAR-10 batches (data_batch_1…5, test_batch).",
                             name=path.name))

    def images(keys):
        data = np.concatenate([np.asarray(batches[k]["data"], np.uint8) for k in keys])
        labels = np.concatenate([np.asarray(batches[k]["labels"], np.int64) for k in keys])
        return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1).copy(), labels

    x, y = images(train_keys)
    x_test, y_test = images(["test_batch"])
    return ImageDataset("cifar10", "CIFAR-10", x, y, CIFAR10_NAMES, x_test=x_test, y_test=y_test,
                        source=str(path), description=_("60,000 colour images of 32×32 in 10 "
                                                        "classes (Krizhevsky, 2009)."))


def _cifar_batch(source: str, name: str, raw) -> dict:
    """A CIFAR batch as {"data": (N, 3072) uint8, "labels": N ints}, or DatasetError."""
    if not isinstance(raw, dict):
        raise DatasetError(_("{source}: {name} is not a CIFAR-10 batch.", source=source, name=name))
    batch = {k.decode() if isinstance(k, bytes) else str(k): v for k, v in raw.items()}
    data, labels = batch.get("data"), batch.get("labels")
    if not isinstance(data, np.ndarray) or data.ndim != 2 or data.shape[1] != 3072 \
            or not isinstance(labels, (list, np.ndarray)) or len(labels) != len(data):
        raise DatasetError(_("{source}: {name} is not a CIFAR-10 batch (images of 3×32×32 with "
                             "one label each).", source=source, name=name))
    return batch


def load_keras_file(key: str, path: str | Path) -> Dataset:
    """The dataset of keras.datasets.<key> from its downloaded file (or folder of files).

    `dataset.options["keras"]` records the key, so that `load_dataset(path, keras=key)` (a
    project file, the recent list) reads it the same way again."""
    ds = _load_keras_file(key, Path(path))
    ds.options["keras"] = key
    return ds


def _load_keras_file(key: str, path: Path) -> Dataset:
    from desktop_dl.core.datasets.mnist_files import load_idx_folder, load_npz

    if key == "mnist":
        return load_npz(path, name="mnist", title=_("MNIST digits"))
    if key == "fashion_mnist":
        ds = load_idx_folder(path if path.is_dir() else path.parent, name="fashion-mnist",
                             title="Fashion-MNIST")
        ds.class_names = list(FASHION_NAMES)
        ds.digits = False
        ds._preprocessing = ds._describe_preprocessing()
        return ds
    if key == "cifar10":
        return load_cifar10(path)
    if key == "imdb":
        return load_imdb(path)
    if key == "boston_housing":
        return load_boston_housing(path)
    raise DatasetError(_("Unknown Keras dataset {key!r}; choose one of {value}.",
                         key=key, value=', '.join(KERAS_FILES)))


def keras_key_for_file(name: str) -> str | None:
    """Which Keras dataset a hand-copied file belongs to, by its file name."""
    lowered = name.lower()
    for key in ("imdb", "boston_housing", "cifar10"):
        if lowered == KERAS_FILES[key].files[0]:
            return key
    return None
