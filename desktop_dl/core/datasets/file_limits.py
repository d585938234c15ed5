"""Size limits checked before a file is read, so a huge file is refused instead of filling memory."""
from __future__ import annotations

import os
from pathlib import Path

from desktop_dl.core.errors import DatasetError

# Full MNIST is 11 MB as npz and 55 MB as IDX; CIFAR-10 is 170 MB. A single file above this is
# far more than a desktop tool should hold in memory at once.
MAX_FILE_BYTES = 1024 ** 3
# Tables: pandas holds numbers as float64 (~2.5× the file's size at the peak, measured by
# benchmarks/bench_csv_load.py) but text cells as Python strings, which can take far more.
MAX_TABLE_BYTES = 200 * 1024 ** 2


def human_size(n: int) -> str:
    if n >= 1 << 60:        # absurd sizes from damaged headers (found by fuzzing) overflow floats
        return "more than a million TB"
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:,} bytes" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def check_file(path: str | os.PathLike, limit: int = MAX_FILE_BYTES, what: str = "data files") -> Path:
    """The path as a Path if it is a readable, non-empty file under the size limit."""
    path = Path(path)
    if not path.exists():
        raise DatasetError(f"'{path}' does not exist. Check the name, or pick the file again.")
    if not path.is_file():
        raise DatasetError(f"'{path.name}' is a folder, not a file.")
    size = path.stat().st_size
    if size == 0:
        raise DatasetError(f"'{path.name}' is empty (0 bytes). Was it copied or downloaded completely?")
    if size > limit:
        raise DatasetError(
            f"'{path.name}' is {human_size(size)}; desktop_dl reads {what} up to "
            f"{human_size(limit)}. Use a smaller sample of the data (for example the first rows "
            f"of a table, or fewer images).")
    return path
