"""Every limit on what desktop_dl reads from a file, in one place, with the checks that enforce it.

Files come from anyone (a model a classmate sent, a dataset from a forum), and a file can *declare*
far more than it holds: a 300-byte IDX header can claim 4 GB of images, a zip directory can claim
any size for a member, a .keras config can declare a 20000×20000 Dense layer. Every reader checks
what a file declares against these limits BEFORE it allocates, inflates, extracts or parses it.
A breach raises `LimitError` (a `UserError`, or the reader's own error class) whose message names
the file, the limit and the value, so the user sees one line, never a traceback.

The limits, and the real work each must allow (docs/SECURITY.md has the same table):

==========================  ===========  ====================================================
limit                       value        sized for
==========================  ===========  ====================================================
MAX_FILE_BYTES              2 GiB        one data file on disk (full MNIST npz 11 MB, IDX
                                         55 MB, CIFAR-10 tar.gz 163 MB)
MAX_TABLE_BYTES             1.5 GiB      a 1 GB CSV
MAX_UNPACKED_BYTES          4 GiB        one array or archive member after decompression
                                         (CIFAR-10 unpacked: 180 MB)
MAX_COMPRESSION_RATIO       200          unpacked / packed; real arrays compress 2-50×, a zip
                                         bomb ~1000× (checked only above 16 MB unpacked)
MAX_ARRAY_ELEMENTS          2**31        values in one array (60k MNIST: 47 M; CIFAR-10:
                                         184 M)
MAX_ARCHIVE_MEMBERS         500,000      members of a zip (a zipped folder of 70k PNGs)
MAX_COLUMNS                 10,000       columns of a table (wide gene tables: ~20k are rare
                                         and too wide for this tool anyway)
MAX_FIELD_BYTES             16 MiB       one CSV cell (Python's csv module stops at 128 KB)
MAX_NESTING_DEPTH           100          JSON nesting (a Keras config nests ~6 deep)
MAX_CONFIG_BYTES            16 MiB       a .keras config.json (a ResNet-50 config: 0.3 MB)
MAX_JSON_BYTES              64 MiB       any other JSON part (project runs, curves)
MAX_MODEL_BYTES             4 GiB        a .keras or .onnx file
MAX_MODEL_WEIGHTS           200 M        weights a model config declares (VGG16: 138 M)
MAX_IMAGE_PIXELS            89.5 M       one picture (Pillow's default: a 9000×9000 photo)
MAX_FOLDER_FILES            500,000      files in an image folder
MAX_FOLDER_BYTES            4 GiB        an image folder (a 2 GB folder of photos)
MAX_HASH_BYTES              8 GiB        what is hashed to recognise a project's dataset
==========================  ===========  ====================================================

Memory: besides the fixed limits, `check_allocation` refuses anything larger than 85 % of the
memory that is free now, so a file that is within the limits still cannot exhaust a small machine.
"""
from __future__ import annotations

import json
import math
import os
import stat
import sys
from pathlib import Path
from typing import Any, Iterable

from desktop_dl.core.errors import DatasetError, UserError, os_error_text
from desktop_dl.core.i18n import _

GiB = 1024 ** 3
MiB = 1024 ** 2

MAX_FILE_BYTES = 2 * GiB
MAX_TABLE_BYTES = 3 * GiB // 2
MAX_UNPACKED_BYTES = 4 * GiB
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_ABOVE = 16 * MiB
MAX_ARRAY_ELEMENTS = 2 ** 31
MAX_ARCHIVE_MEMBERS = 500_000
MAX_COLUMNS = 10_000
MAX_FIELD_BYTES = 16 * MiB
MAX_NESTING_DEPTH = 100
MAX_CONFIG_BYTES = 16 * MiB
MAX_JSON_BYTES = 64 * MiB
MAX_MODEL_BYTES = 4 * GiB
MAX_MODEL_WEIGHTS = 200_000_000
# core/images.py honours Pillow's Image.MAX_IMAGE_PIXELS, whose default this is.
MAX_IMAGE_PIXELS = 89_478_485
MAX_FOLDER_FILES = 500_000
MAX_FOLDER_BYTES = 4 * GiB
MAX_HASH_BYTES = 8 * GiB
# Never plan to use all of what is free: the window, the plots and the OS need some too.
USABLE_FRACTION = 0.85


class LimitError(UserError):
    """A file (or a job) that declares more than desktop_dl accepts: names file, limit and value."""


class ResourceLimitError(LimitError):
    """An input or a job that needs more memory than this computer has free."""


# -- wording ------------------------------------------------------------------------------------
def human_size(n: float) -> str:
    """'1.5 GB', '312 bytes'; absurd sizes from damaged headers read 'more than a million TB'."""
    if n >= 1 << 60:          # (found by fuzzing: such sizes overflow float formatting)
        return _("more than a million TB")
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB":
            return f"{int(n):,} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TB"


human_bytes = human_size      # the name resource_limits used


def _count(n: int) -> str:
    return _("more than 10^18") if n >= 10 ** 18 else f"{n:,}"


def refuse(source: str, what: str, value: str, limit: str, advice: str = "",
           error: type[UserError] = LimitError) -> UserError:
    """The error for one breach: '<file>: <what> is <value>; desktop_dl accepts up to <limit>.'"""
    text = _("{source}: {what} is {value}; desktop_dl accepts up to {limit}.",
             source=source, what=what, value=value, limit=limit)
    return error(f"{text} {advice}".strip())


# -- files on disk ------------------------------------------------------------------------------
def regular_file_size(path: str | os.PathLike, error: type[UserError] = DatasetError) -> int:
    """The size of `path` if it is a regular file (not a folder, device, FIFO or socket).

    Reading /dev/zero or a FIFO never ends, so such paths are refused before they are opened.

    Raises `error` (DatasetError unless given) when the path does not exist, is a folder, is not a
    regular file, or cannot be read (OSError).
    """
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise error(_("Cannot read '{path}': it does not exist. Check the name, or pick the "
                      "file again.", path=path)) from None
    except OSError as exc:
        raise error(_("Cannot read '{path}': {value}.", path=path, value=os_error_text(exc))) from None
    if stat.S_ISDIR(st.st_mode):
        raise error(_("'{name}' is a folder, not a file.", name=path.name))
    if not stat.S_ISREG(st.st_mode):
        raise error(_("'{path}' is not a regular file (it is a device, a pipe or a socket), so "
                      "desktop_dl does not read it. Pick a file saved on disk.", path=path))
    return st.st_size


def check_file(path: str | os.PathLike, limit: int = MAX_FILE_BYTES, what: str = _("data files"),
               error: type[UserError] = DatasetError) -> Path:
    """The path as a Path if it is a readable, non-empty regular file under the size limit.

    Raises `error` (DatasetError unless given) when the file is missing, not a regular file, empty
    (0 bytes) or over `limit` bytes.
    """
    path = Path(path)
    size = regular_file_size(path, error)
    if size == 0:
        raise error(_("'{name}' is empty (0 bytes). Was it copied or downloaded completely?",
                      name=path.name))
    if size > limit:
        raise error(_("'{name}' is {human_size}; desktop_dl reads {what} up to {human_size2}. "
                      "Use a smaller sample of the data (for example the first rows of a "
                      "table, or fewer images).",
                      name=path.name, human_size=human_size(size), what=what, human_size2=human_size(limit)))
    return path


# -- declared sizes ------------------------------------------------------------------------------
def check_unpacked(source: str, member: str, unpacked: int, packed: int,
                   error: type[UserError] = LimitError, limit: int = MAX_UNPACKED_BYTES) -> None:
    """An archive member (or gzip stream) that would unpack to `unpacked` bytes from `packed`.

    Raises `error` (LimitError unless given) when the total unpacked bytes pass the limit, or the
    compression ratio passes MAX_COMPRESSION_RATIO (a zip bomb).
    """
    if unpacked > limit:
        raise refuse(source, _("the part {member!r} unpacked", member=member), human_size(unpacked),
                     human_size(limit), _("The file is damaged or unsafe."), error)
    if unpacked > RATIO_CHECKED_ABOVE and unpacked > MAX_COMPRESSION_RATIO * max(packed, 1):
        raise refuse(source, _("the part {member!r} unpacks {value:,} times larger than it is "
                               "stored ({human_size}), which",
                               member=member, value=unpacked // max(packed, 1), human_size=human_size(unpacked)), _("a zip bomb"),
                     f"{MAX_COMPRESSION_RATIO}× compression",
                     _("The file is damaged or unsafe (built to exhaust memory)."), error)


def check_members(source: str, count: int, error: type[UserError] = LimitError) -> None:
    """Refuse an archive with more than MAX_ARCHIVE_MEMBERS (500,000) members.

    Raises `error` (LimitError unless given) naming `source` when `count` is over the limit.
    """
    if count > MAX_ARCHIVE_MEMBERS:
        raise refuse(source, _("the number of parts in the archive"), _count(count),
                     f"{MAX_ARCHIVE_MEMBERS:,}", "", error)


def array_elements(shape: Iterable) -> int:
    """Values in an array of `shape` (Python ints: numpy's product can overflow)."""
    return math.prod(int(d) for d in shape)


def check_array(source: str, name: str, shape: Iterable, itemsize: int,
                error: type[UserError] = LimitError) -> int:
    """Refuse an array a header declares before allocating it; returns its size in bytes.

    Raises `error` (LimitError unless given) for a negative dimension or more than
    MAX_ARRAY_ELEMENTS elements.
    """
    shape = tuple(int(d) for d in shape)
    if any(d < 0 for d in shape):
        raise error(_("{source}: the array {name!r} declares a negative size {shape}; the file "
                      "is damaged.", source=source, name=name, shape=shape))
    count = array_elements(shape)
    if count > MAX_ARRAY_ELEMENTS:
        raise refuse(source, _("the array {name!r} {shape}", name=name, shape=shape), f"{_count(count)} values",
                     _("{MAX_ARRAY_ELEMENTS:,} values in one array",
                       MAX_ARRAY_ELEMENTS=MAX_ARRAY_ELEMENTS),
                     _("Use a smaller part of the data."), error)
    nbytes = count * int(itemsize)
    check_allocation(nbytes, _("{source}: the array {name!r}", source=source, name=name), error=error)
    return nbytes


def check_count(source: str, what: str, value: int, limit: int, advice: str = "",
                error: type[UserError] = LimitError) -> None:
    """A generic count limit (columns, images, members): `what` is e.g. 'the number of columns'.

    Raises `error` (LimitError unless given) when `value` is over `limit`.
    """
    if value > limit:
        raise refuse(source, what, _count(value), f"{limit:,}", advice, error)


# -- JSON ----------------------------------------------------------------------------------------
def json_depth_exceeds(obj: Any, max_depth: int = MAX_NESTING_DEPTH) -> bool:
    """True when `obj` nests deeper than `max_depth` (checked without recursion)."""
    stack = [(obj, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return False


def parse_json(raw: bytes, source: str, *, max_bytes: int = MAX_JSON_BYTES,
               max_depth: int = MAX_NESTING_DEPTH, error: type[UserError] = LimitError) -> Any:
    """JSON from bytes with a size and a nesting cap; every failure is `error` naming `source`."""
    if len(raw) > max_bytes:
        raise refuse(source, _("the JSON part"), human_size(len(raw)), human_size(max_bytes),
                     _("The file is damaged or not meant for desktop_dl."), error)
    try:
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise refuse(source, _("the JSON nesting"), _("deeper than Python can follow"),
                     f"{max_depth} levels", "", error) from None
    except (UnicodeDecodeError, ValueError) as exc:
        where = _("line {line}, column {column}", line=exc.lineno, column=exc.colno) \
            if isinstance(exc, json.JSONDecodeError) else str(exc)[:120]
        raise error(_("{source} is damaged: it is not valid JSON ({str}).",
                      source=source, str=where)) from None
    if json_depth_exceeds(data, max_depth):
        raise refuse(source, _("the JSON nesting"), _("more than {max_depth} levels",
                                                   max_depth=max_depth),
                     f"{max_depth} levels", _("The file is damaged or not meant for desktop_dl."),
                     error)
    return data


def read_member(archive, name: str, source: str, limit: int,
                error: type[UserError] = LimitError) -> bytes:
    """One zip member read whole, after its declared size was checked, reading at most limit+1
    bytes (a directory entry can lie about the size).

    Raises `error` (LimitError unless given) when the member is missing, declares more than the
    limit, is larger than declared, or cannot be unpacked.
    """
    import zipfile
    import zlib

    try:
        info = archive.getinfo(name)
    except KeyError:
        raise error(_("{source} has no {name}.", source=source, name=name)) from None
    if info.file_size > limit:
        raise refuse(source, f"{name}", human_size(info.file_size), human_size(limit),
                     _("The file is damaged or not meant for desktop_dl."), error)
    check_unpacked(source, name, info.file_size, info.compress_size, error)
    try:
        with archive.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError) as exc:
        raise error(_("{source} is damaged: {name} cannot be unpacked ({str}).",
                      source=source, name=name, str=str(exc)[:120])) from None
    if len(data) > limit:
        raise error(_("{source} is damaged: {name} is larger than its archive says.",
                      source=source, name=name))
    return data


# -- memory --------------------------------------------------------------------------------------
def available_memory() -> int | None:
    """Bytes of memory available to this process now, or None when the OS will not say."""
    candidates = []
    meminfo = _read_text("/proc/meminfo")
    if meminfo:
        for line in meminfo.splitlines():
            if line.startswith("MemAvailable:"):
                candidates.append(int(line.split()[1]) * 1024)
                break
    # A container's limit (cgroup v2, then v1) may be far below the machine's memory.
    for limit_file, usage_file in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                                   ("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                                    "/sys/fs/cgroup/memory/memory.usage_in_bytes")):
        limit, usage = _read_int(limit_file), _read_int(usage_file)
        if limit is not None and limit < (1 << 60):
            candidates.append(max(limit - (usage or 0), 0))
            break
    address_space = _address_space_left()
    if address_space is not None:
        candidates.append(address_space)
    if not meminfo:
        candidates.append(_platform_available())
    known = [c for c in candidates if c is not None]
    return min(known) if known else None


def _address_space_left() -> int | None:
    """What an address-space limit (ulimit -v, RLIMIT_AS) still allows, on Unix."""
    try:
        import resource
    except ImportError:
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft in (resource.RLIM_INFINITY, -1) or soft <= 0:
        return None
    status = _read_text("/proc/self/status") or ""
    for line in status.splitlines():
        if line.startswith("VmSize:"):
            return max(soft - int(line.split()[1]) * 1024, 0)
    return soft


def _platform_available() -> int | None:
    if sys.platform == "win32":
        try:
            import ctypes

            class MemoryStatus(ctypes.Structure):
                _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                            ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                            ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                            ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                            ("sullAvailExtendedVirtual", ctypes.c_ulonglong)]
            status = MemoryStatus()
            status.dwLength = ctypes.sizeof(MemoryStatus)
            if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
                return int(status.ullAvailPhys)
        except (OSError, AttributeError):
            return None
        return None
    try:   # macOS and other Unixes: total physical memory is the best cheap answer
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def _read_text(path: str) -> str | None:
    try:
        return Path(path).read_text()
    except OSError:
        return None


def _read_int(path: str) -> int | None:
    text = _read_text(path)
    if text is None:
        return None
    text = text.strip()
    return int(text) if text.isdigit() else None


def check_allocation(nbytes: int, what: str, available: int | None = None,
                     error: type[UserError] = ResourceLimitError) -> None:
    """Refuse to load or allocate `nbytes` for `what` (e.g. "train-images.idx3-ubyte") when it
    cannot fit in the memory that is free.

    `nbytes` in bytes; fits when within USABLE_FRACTION of the free memory (unknown free memory
    always fits). Raises `error` (ResourceLimitError unless given) otherwise.
    """
    available = available_memory() if available is None else available
    if available is None or nbytes <= available * USABLE_FRACTION:
        return
    raise error(
        _("{what} needs {human_size} of memory, but only {human_size2} is free. Use a smaller "
          "part of the data (fewer samples or smaller images), or close other programs and try "
          "again.", what=what, human_size=human_size(nbytes), human_size2=human_size(available)))


def array_bytes(shape, itemsize: int) -> int:
    """Bytes of an array of `shape` (None dimensions count as 1)."""
    return int(math.prod(1 if d is None else int(d) for d in shape)) * int(itemsize)
