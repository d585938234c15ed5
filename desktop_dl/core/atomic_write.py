"""Writes that never leave a half-written file behind: temp file in the same folder, fsync, rename."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half of it.

    The bytes go to a temporary file in the same folder, are flushed and fsynced, then moved over
    `path` with os.replace (atomic on POSIX and Windows). On any failure the temporary file is
    removed and the exception (usually OSError) propagates; `path` is left untouched.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """write_bytes_atomic for text, encoded as UTF-8 (no BOM). Raises what it raises (OSError)."""
    write_bytes_atomic(path, text.encode("utf-8"))
