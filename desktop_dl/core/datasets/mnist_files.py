"""MNIST-format files: Keras `mnist.npz`, our `x`/`y` npz, and the original IDX files (gz or not).

Uncompressed arrays are memory-mapped (an IDX file, or an npz member stored without compression),
so a 60,000-image file opens at once and the grid reads only the images it shows.

Every size a file declares (an .npy header's shape, a zip member's unpacked size, an IDX header's
dimensions, a gzip's length) is checked against core/limits.py before anything is allocated,
inflated or memory-mapped.
"""
from __future__ import annotations

import gzip
import math
import re
import tokenize
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from desktop_dl.core.datasets.dataset import Dataset, ImageDataset, SequenceDataset
from desktop_dl.core import limits
from desktop_dl.core.limits import MAX_FILE_BYTES, check_file, human_size
from desktop_dl.core.datasets.streamed_array import InflateReader, StreamedArray
from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import _

STREAM_ABOVE = 4 * 1024 * 1024    # compressed arrays larger than this are decompressed in the background
IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
             0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


# -- npz ----------------------------------------------------------------------------------------
def _npz_member(path: Path, archive: zipfile.ZipFile, key: str) -> np.ndarray:
    """One array of an npz: memory-mapped when stored uncompressed, else read."""
    info = archive.getinfo(key + ".npy")
    if info.compress_type == zipfile.ZIP_STORED:
        with archive.open(info) as member:
            shape, fortran, dtype, header_len, expected = _npy_header(path, key, member,
                                                                      mapped=True)
        start = _member_data_offset(path, info) + header_len
        if start + expected > path.stat().st_size:
            raise DatasetError(_("'{name}' is truncated: the array {key!r} needs {human_size} "
                                 "but the file ends early. Copy or download it again.",
                                 name=path.name, key=key, human_size=human_size(expected)))
        return np.memmap(path, dtype=dtype, mode="r", offset=start, shape=shape,
                         order="F" if fortran else "C")
    limits.check_unpacked(f"'{path.name}'", info.filename, info.file_size, info.compress_size,
                          DatasetError)
    with archive.open(info) as member:
        shape, fortran, dtype, header_len, expected = _npy_header(path, key, member)
        if info.file_size != header_len + expected:
            raise DatasetError(_("'{name}' is damaged: the array {key!r} should hold "
                                 "{human_size} but its entry holds {human_size2}.",
                                 name=path.name, key=key, human_size=human_size(expected), human_size2=human_size(max(0, info.file_size - header_len))))
        if expected < STREAM_ABOVE or fortran:
            data = member.read(expected)
            if len(data) < expected:
                raise DatasetError(_("'{name}' is truncated inside the array {key!r}.",
                                     name=path.name, key=key))
            return np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    # Large and compressed: decompress in the background; the first images are ready at once.
    start = _member_data_offset(path, info)
    if info.compress_type == zipfile.ZIP_DEFLATED:
        def opener():
            return InflateReader(path, start, info.compress_size, gzip_format=False, skip=header_len)
    else:
        def opener():
            return _MemberStream(path, info.filename, header_len)
    return StreamedArray(opener, shape, dtype, path.name)


def _npy_header(path: Path, key: str, member, mapped: bool = False) -> tuple:
    """Read a .npy header: (shape, fortran order, dtype, header length, data bytes expected).

    Arrays of Python objects are refused: loading them would unpickle arbitrary code. The declared
    shape is checked against the element limit, and (unless the array will be memory-mapped, which
    allocates nothing) against the free memory, before any data is read."""
    version = np.lib.format.read_magic(member)
    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                   else np.lib.format.read_array_header_2_0)
    shape, fortran, dtype = read_header(member)
    header_len = member.tell()
    if dtype.hasobject:
        raise DatasetError(_("'{name}' holds Python objects in {key!r}; only plain number "
                             "arrays can be imported safely.", name=path.name, key=key))
    if mapped:
        limits.check_count(f"'{path.name}'", _("the array {key!r} {tuple}",
                                               key=key, tuple=tuple(shape)),
                           limits.array_elements(shape), limits.MAX_ARRAY_ELEMENTS,
                           _("Use a smaller part of the data."), DatasetError)
    else:
        limits.check_array(f"'{path.name}'", key, shape, dtype.itemsize, DatasetError)
    expected = math.prod(int(s) for s in shape) * dtype.itemsize
    return shape, fortran, dtype, header_len, expected


def _member_data_offset(path: Path, info: zipfile.ZipInfo) -> int:
    """Where a zip member's (compressed) bytes start: after the local header, name and extra."""
    with open(path, "rb") as f:
        f.seek(info.header_offset + 26)
        name_len, extra_len = np.frombuffer(f.read(4), dtype="<u2")
    return info.header_offset + 30 + int(name_len) + int(extra_len)


class _MemberStream:
    """A zip member opened for reading after its .npy header; closes the archive with it."""

    def __init__(self, path: Path, member: str, skip: int):
        self._archive = zipfile.ZipFile(path)
        self._member = self._archive.open(member)
        self._member.read(skip)

    def read(self, n: int) -> bytes:
        return self._member.read(n)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._member.close()
        self._archive.close()


def _read_npz(path: Path, progress=None) -> dict[str, np.ndarray]:
    """The arrays of an npz; `progress(fraction, message)` after each one (a TaskState raises
    Cancelled from it: a cancelled load stops between arrays)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError):  # found by fuzzing
        raise DatasetError(_("'{name}' is not a complete .npz file (it may be truncated or not "
                             "an npz at all). Copy or download it again.", name=path.name)) from None
    with archive:
        limits.check_members(f"'{path.name}'", len(archive.infolist()), DatasetError)
        keys = [n[:-4] for n in archive.namelist() if n.endswith(".npy")]
        arrays = {}
        for done, key in enumerate(keys):
            if progress is not None:
                progress(done / max(1, len(keys)), _("reading {key} of {name}", key=key, name=path.name))
            try:
                arrays[key] = _npz_member(path, archive, key)
            except DatasetError:
                raise
            except (zipfile.BadZipFile, EOFError, ValueError, OSError, zlib_error(),
                    NotImplementedError, RuntimeError, tokenize.TokenError, SyntaxError,
                    TypeError, KeyError, IndexError, OverflowError, MemoryError) as exc:
                # (unsupported/encrypted members, unparsable .npy headers: found by fuzzing)
                raise DatasetError(_("'{name}' is damaged: the array {key!r} cannot be read "
                                     "({exc}). Copy or download the file again.",
                                     name=path.name, key=key, exc=exc)) from None
    return arrays


def zlib_error():
    """zlib.error, imported on demand, for except clauses around gzip/zip decompression."""
    import zlib
    return zlib.error


def load_npz(path: str | Path, name: str | None = None, title: str | None = None,
             progress=None, **_options: Any) -> Dataset:
    """An npz of images (Keras's mnist.npz layout, or x and y); `progress` as in _read_npz.

    Raises DatasetError when the file holds no usable image/label arrays or only one of x_test and
    y_test (and as images_from_arrays).
    """
    path = check_file(path)
    arrays = _read_npz(path, progress)
    if {"x_train", "y_train"} <= arrays.keys():
        x, y = arrays["x_train"], arrays["y_train"]
        x_test, y_test = arrays.get("x_test"), arrays.get("y_test")
        if (x_test is None) != (y_test is None):
            raise DatasetError(_("'{name}' has only one of x_test and y_test.", name=path.name))
    elif {"x", "y"} <= arrays.keys():
        x, y, x_test, y_test = arrays["x"], arrays["y"], None, None
    else:
        raise DatasetError(_("'{name}' holds the arrays {value}; desktop_dl reads npz files "
                             "with x_train, y_train, x_test, y_test (Keras mnist.npz) or with "
                             "x and y.",
                             name=path.name, value=', '.join(sorted(arrays)) or 'none'))
    _check_counts(path.name, x, y, "x_train" if x_test is not None else "x")
    if x_test is not None:
        _check_counts(path.name, x_test, y_test, "x_test")
    return images_from_arrays(path, x, y, x_test, y_test, name, title)


def _check_counts(file: str, x, y, key: str) -> None:
    if len(x) != len(y):
        raise DatasetError(_("'{file}' has {count:,} images in {key} but {count2:,} labels. "
                             "Each image needs exactly one label.",
                             file=file, count=len(x), key=key, count2=len(y)))
    if len(x) == 0:
        raise DatasetError(_("'{file}' holds no samples in {key}.", file=file, key=key))


def images_from_arrays(path: Path, x, y, x_test, y_test, name, title) -> Dataset:
    """An ImageDataset from arrays; labels and pixels made model-ready with notes
    (core.datasets.array_labels).

    Raises DatasetError when the images are not (count, height, width) or (count, height, width, 1
    or 3), or every label is the same class.
    """
    from desktop_dl.core.datasets.array_labels import labels_to_indices, pixels_to_uint8

    if x.ndim not in (3, 4) or (x.ndim == 4 and x.shape[-1] not in (1, 3)):
        raise DatasetError(_("'{name}': images must be (count, height, width) or (count, "
                             "height, width, 1 or 3 channels); found shape {tuple}.",
                             name=path.name, tuple=tuple(x.shape)))
    grey_28 = tuple(x.shape[1:3]) == (28, 28) and (x.ndim == 3 or x.shape[-1] == 1)
    (y, y_test), names, notes = labels_to_indices([y, y_test], path.name, digit_images=grey_28)
    all_labels = y if y_test is None else np.concatenate([y, y_test])
    if len(np.unique(all_labels)) < 2:
        only = names[0] if names else int(all_labels[0])
        raise DatasetError(_("'{name}': every label is {only}; a classifier needs at least two "
                             "classes.", name=path.name, only=only))
    count = len(names) if names else int(all_labels.max()) + 1
    # MNIST-format images (28×28, labels 0..9) are digits: all ten classes, even when a small
    # file (a personal collection) holds only some of them, so models keep ten outputs.
    digits = grey_28 and count <= 10
    if digits and names is None:
        count = 10
    (x, x_test), pixel_notes = pixels_to_uint8([x, x_test], path.name)
    notes += pixel_notes
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
        x_test = None if x_test is None else x_test[..., 0]
    class_names = names if names else [str(i) for i in range(count)]
    return ImageDataset(name or path.stem, title or path.name, x, y, class_names, x_test=x_test,
                        y_test=y_test, digits=digits, source=str(path), notes=notes,
                        description=_("{count:,} images of {shape}×{shape2} from {name}.",
                                      count=len(all_labels), shape=x.shape[1], shape2=x.shape[2], name=path.name))


# -- IDX ----------------------------------------------------------------------------------------
def read_idx(path: str | Path) -> np.ndarray:
    """An IDX array (LeCun's MNIST format), gzipped or not; memory-mapped when not gzipped.

    Raises DatasetError when the file is not an IDX file, its header is truncated or declares 0 or
    more than 8 dimensions or more than MAX_FILE_BYTES of data, or the data is truncated or damaged.
    """
    path = check_file(path)
    gz = path.name.lower().endswith(".gz")
    try:
        with (gzip.open(path, "rb") if gz else open(path, "rb")) as f:
            head = f.read(4)
            if len(head) < 4 or head[0] != 0 or head[1] != 0 or head[2] not in IDX_TYPES:
                raise DatasetError(_("'{name}' is not an IDX file (MNIST format): its first "
                                     "bytes are not an IDX header.", name=path.name))
            dtype, ndim = np.dtype(IDX_TYPES[head[2]]), head[3]
            if not 1 <= ndim <= 8:      # MNIST-style files have 1 to 4 dimensions (found by fuzzing)
                raise DatasetError(_("'{name}' is not a usable IDX file: its header says the "
                                     "data has {ndim} dimensions.", name=path.name, ndim=ndim))
            dims_bytes = f.read(4 * ndim)
            if len(dims_bytes) < 4 * ndim:
                raise DatasetError(_("'{name}' is truncated inside its header.", name=path.name))
            shape = tuple(int(d) for d in np.frombuffer(dims_bytes, dtype=">u4"))
            expected = math.prod(shape) * dtype.itemsize   # Python ints: np.prod can overflow
            if expected > MAX_FILE_BYTES:
                raise DatasetError(_("'{name}' says it holds {human_size} of data; desktop_dl "
                                     "reads up to {human_size2}.",
                                     name=path.name, human_size=human_size(expected), human_size2=human_size(MAX_FILE_BYTES)))
            offset = 4 + 4 * ndim
            if gz:        # unpacked in memory: the declared size must fit, and not be a bomb
                limits.check_array(f"'{path.name}'", "data", shape, dtype.itemsize, DatasetError)
                limits.check_unpacked(f"'{path.name}'", "data", expected,
                                      path.stat().st_size, DatasetError)
            if not gz:
                actual = path.stat().st_size - offset
                if actual < expected:
                    raise _truncated(path, shape, expected, actual)
                return np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=shape)
            if expected >= STREAM_ABOVE:
                # gzip's last four bytes hold the uncompressed size: a cut file fails this check
                # now instead of part-way through the background decompression.
                with open(path, "rb") as raw:
                    raw.seek(-4, 2)
                    isize = int.from_bytes(raw.read(4), "little")
                if isize != (offset + expected) % 2 ** 32:
                    raise DatasetError(_("'{name}' is truncated or damaged: it should unpack "
                                         "to {human_size} ({shape:,} items). Copy or download "
                                         "it again.",
                                         name=path.name, human_size=human_size(offset + expected), shape=shape[0]))
                return StreamedArray(lambda: InflateReader(path, 0, None, gzip_format=True, skip=offset),
                                     shape, dtype, path.name)
            data = f.read(expected)
    except (EOFError, OSError, gzip.BadGzipFile, zlib_error(), ValueError, OverflowError,
            MemoryError) as exc:  # (fuzzing)
        raise DatasetError(_("'{name}' is damaged or truncated ({exc}). Copy or download it "
                             "again.", name=path.name, exc=exc)) from None
    if len(data) < expected:
        raise _truncated(path, shape, expected, len(data))
    return np.frombuffer(data, dtype=dtype).reshape(shape)


def _truncated(path: Path, shape, expected: int, actual: int) -> DatasetError:
    return DatasetError(_("'{name}' is truncated: its header promises {shape:,} items "
                          "({human_size}) but only {human_size2} are there. Copy or download "
                          "the file again.",
                          name=path.name, shape=shape[0], human_size=human_size(expected), human_size2=human_size(actual)))


_IDX_NAME = re.compile(r"^(train|t10k|test)[-_.](images|labels)[-_.]idx(\d)[-_.]ubyte(\.gz)?$",
                       re.IGNORECASE)


def find_idx_files(folder: Path) -> dict[tuple[str, str], Path]:
    """{("train"|"test", "images"|"labels"): path} for the IDX files in a folder."""
    found = {}
    for p in sorted(folder.iterdir()):
        m = _IDX_NAME.match(p.name)
        if m and p.is_file():
            split = "train" if m.group(1).lower() == "train" else "test"
            found.setdefault((split, m.group(2).lower()), p)
    return found


def load_idx_folder(folder: str | Path, name: str | None = None, title: str | None = None,
                    **_options: Any) -> Dataset:
    """A folder of MNIST IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz] and
    optionally the t10k-… test pair; LeCun et al.'s format) as an image dataset.

    Raises DatasetError when the training pair is missing, a file is malformed, image and label
    counts differ, or the test images' shape differs from the training images'.
    """
    folder = Path(folder)
    files = find_idx_files(folder)
    if ("train", "images") not in files or ("train", "labels") not in files:
        have = ", ".join(p.name for p in files.values()) or "none"
        raise DatasetError(_("'{name}' needs both train-images-idx3-ubyte[.gz] and "
                             "train-labels-idx1-ubyte[.gz]; found {have}.",
                             name=folder.name, have=have))
    x = read_idx(files["train", "images"])
    y = read_idx(files["train", "labels"])
    _check_idx_pair(files["train", "images"], files["train", "labels"], x, y)
    x_test = y_test = None
    if ("test", "images") in files and ("test", "labels") in files:
        x_test = read_idx(files["test", "images"])
        y_test = read_idx(files["test", "labels"])
        _check_idx_pair(files["test", "images"], files["test", "labels"], x_test, y_test)
        if x_test.shape[1:] != x.shape[1:]:
            raise DatasetError(_("The test images in '{name}' are {shape} but the training "
                                 "images are {shape2}.",
                                 name=folder.name, shape=x_test.shape[1:], shape2=x.shape[1:]))
    return images_from_arrays(folder, x, np.asarray(y), x_test, y_test, name or folder.name, title)


def load_idx_pair(path: str | Path, **options: Any) -> Dataset:
    """One IDX file picked by the user: read it with its partner (images <-> labels) beside it.

    It loads the whole folder beside it (load_idx_folder). Raises DatasetError when the name is not
    an MNIST IDX name, or as load_idx_folder does (the training pair missing, malformed files).
    """
    path = Path(path)
    if not _IDX_NAME.match(path.name):
        raise DatasetError(_("'{name}' is not named like an MNIST IDX file "
                             "(train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-…); "
                             "import the folder that holds the files instead.", name=path.name))
    return load_idx_folder(path.parent, **options)


def _check_idx_pair(images_path: Path, labels_path: Path, x: np.ndarray, y: np.ndarray) -> None:
    if x.ndim != 3:
        raise DatasetError(_("'{name}' should hold images (3 dimensions) but has {ndim}.",
                             name=images_path.name, ndim=x.ndim))
    if y.ndim != 1:
        raise DatasetError(_("'{name}' should hold one label per image but has {ndim} "
                             "dimensions.", name=labels_path.name, ndim=y.ndim))
    if len(x) != len(y):
        raise DatasetError(_("'{name}' holds {count:,} images but '{name2}' holds {count2:,} "
                             "labels. They must match: are they from the same set (train or "
                             "t10k)?",
                             name=images_path.name, count=len(x), name2=labels_path.name, count2=len(y)))


def write_idx(path: str | Path, array: np.ndarray) -> None:
    """Write an IDX file (gzipped when the name ends in .gz): used by tests and exports."""
    array = np.ascontiguousarray(array)
    code = {np.dtype(np.uint8): 0x08, np.dtype(np.int8): 0x09}[array.dtype]
    header = bytes([0, 0, code, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    if str(path).endswith(".gz"):
        with gzip.open(path, "wb", compresslevel=6) as f:
            f.write(header + array.tobytes())
    else:
        with open(path, "wb") as f:
            f.write(header + array.tobytes())


def imdb_from_arrays(x, y, x_test, y_test, maxlen: int, vocabulary: int, path: str) -> SequenceDataset:
    """IMDB reviews (lists of word ids) as a padded sequence dataset."""
    from desktop_dl.core.datasets.dataset import pad_sequences
    return SequenceDataset("imdb", _("IMDB movie reviews"), pad_sequences(x, maxlen), np.asarray(y),
                           ["negative", "positive"], vocabulary, pad_sequences(x_test, maxlen),
                           np.asarray(y_test), source=path,
                           description=_("50,000 movie reviews as word ids (top {vocabulary:,} "
                                         "words, {maxlen} per review); positive or negative.",
                                         vocabulary=vocabulary, maxlen=maxlen))
