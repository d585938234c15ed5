"""An array filled from a decompressing stream in a background thread.

Compressed files (Keras's mnist.npz, gzipped IDX) cannot be memory-mapped. Rather than waiting
for all 47 MB of pixels, the browser shows the first images as soon as their bytes are
decompressed; reading item i waits only until item i is there (zlib releases the GIL, so the
fill runs beside the GUI).
"""
from __future__ import annotations

import math
import threading
from typing import BinaryIO, Callable

import numpy as np

from desktop_dl.core.errors import DatasetError
from desktop_dl.core.i18n import _

CHUNK = 1 << 20


class StreamedArray:
    """Read-only, numpy-like (shape, dtype, len, indexing, np.asarray) view of a stream's array."""

    def __init__(self, open_stream: Callable[[], BinaryIO], shape: tuple, dtype, source_name: str):
        self.shape = tuple(int(s) for s in shape)
        self.dtype = np.dtype(dtype)
        self.ndim = len(self.shape)
        self._source = source_name
        self._data = np.empty(self.shape, dtype=self.dtype)
        self._bytes = self._data.reshape(-1).view(np.uint8)
        self._item_bytes = math.prod(self.shape[1:]) * self.dtype.itemsize
        self._filled = 0
        self._error: str | None = None
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._fill, args=(open_stream,), daemon=True,
                                        name=f"decompress {source_name}")
        self._thread.start()

    def _fill(self, open_stream) -> None:
        total = self._bytes.size
        try:
            with open_stream() as stream:
                while self._filled < total:
                    chunk = stream.read(min(CHUNK, total - self._filled))
                    if not chunk:
                        raise EOFError(_("the file ends early"))
                    n = len(chunk)
                    self._bytes[self._filled:self._filled + n] = np.frombuffer(chunk, np.uint8)
                    with self._cond:
                        self._filled += n
                        self._cond.notify_all()
        except Exception as exc:            # reported to whoever reads the missing part
            with self._cond:
                self._error = (_("'{source}' is damaged or truncated ({exc}); only {value:,} "
                                 "of {shape:,} items could be read. Copy or download it again.",
                                 source=self._source, exc=exc, value=self._filled // max(1, self._item_bytes), shape=self.shape[0]))
                self._cond.notify_all()

    # -- waiting ----------------------------------------------------------------------------------
    def _wait_bytes(self, needed: int) -> None:
        if self._filled >= needed:
            return
        with self._cond:
            while self._filled < needed and self._error is None:
                self._cond.wait()
            if self._filled < needed:
                raise DatasetError(self._error)

    def _wait_items(self, count: int) -> None:
        self._wait_bytes(min(count, self.shape[0]) * self._item_bytes)

    def item_ready(self, i: int) -> bool:
        """Whether item i can be read without waiting (or its failure reported at once)."""
        return self._filled >= (i + 1) * self._item_bytes or self._error is not None

    def is_complete(self) -> bool:
        """True when every byte of the array has been read from the stream."""
        return self._filled >= self._bytes.size

    def fraction_ready(self) -> float:
        """How much of the array has been read, as a fraction 0..1 (1.0 for an empty array)."""
        return self._filled / self._bytes.size if self._bytes.size else 1.0

    def result(self) -> np.ndarray:
        """The whole array (waits for the rest)."""
        self._wait_bytes(self._bytes.size)
        return self._data

    # -- numpy-like -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, key):
        first = key[0] if isinstance(key, tuple) else key
        if isinstance(first, (int, np.integer)):
            i = int(first)
            self._wait_items((i if i >= 0 else self.shape[0] + i) + 1)
        elif isinstance(first, slice) and first.step in (None, 1) and \
                (first.stop is not None and first.stop >= 0):
            self._wait_items(first.stop)
        elif isinstance(first, np.ndarray) and first.dtype.kind in "iu" and first.size and first.min() >= 0:
            self._wait_items(int(first.max()) + 1)
        else:
            self.result()
        return self._data[key]

    def __array__(self, dtype=None, copy=None):
        data = self.result()
        return data if dtype is None else data.astype(dtype)


class InflateReader:
    """Decompresses a deflate (zip member) or gzip byte range in large steps.

    zipfile and gzip decompress in 4–8 KB steps from Python, taking the GIL thousands of times
    and starving the GUI thread; here each step inflates ~256 KB of input with the GIL released.
    """

    STEP = 256 * 1024

    def __init__(self, path, start: int, length: int | None, gzip_format: bool, skip: int = 0):
        import zlib

        self._file = open(path, "rb")
        self._file.seek(start)
        self._left = length if length is not None else -1
        self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS if gzip_format else -zlib.MAX_WBITS)
        self._buffer = bytearray()
        if skip:
            self.read(skip)

    def read(self, n: int) -> bytes:
        """Up to `n` decompressed bytes; fewer only at the end of the compressed data.

        zlib errors on damaged data propagate (zlib.error).
        """
        while len(self._buffer) < n:
            if self._inflate.unconsumed_tail:
                data = self._inflate.unconsumed_tail
            else:
                if self._left == 0:
                    break
                size = self.STEP if self._left < 0 else min(self.STEP, self._left)
                data = self._file.read(size)
                if not data:
                    break
                if self._left > 0:
                    self._left -= len(data)
            self._buffer += self._inflate.decompress(data, max(n - len(self._buffer), self.STEP * 8))
            if self._inflate.eof:
                break
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def close(self) -> None:
        """Close the underlying file."""
        self._file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()
