"""The "declared size" mutator: inputs whose headers claim sizes the data does not back.

AFL-style byte mutations rarely produce a coherent header that lies; attackers write exactly
those. This mutator understands the containers desktop_dl reads and changes only what they
*declare*: zip local/central sizes and entry counts, .npy header shapes, IDX dimensions, the gzip
length trailer, PNG width/height, and numbers in JSON (layer units, shapes, build_config input
shapes) — also inside a zip member (a .keras config.json, an npz's .npy, a project's JSON), which
is re-zipped so the container stays valid and the lie reaches the reader.
"""
from __future__ import annotations

import gzip
import io
import json
import random
import re
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

HUGE = [0x7FFFFFFF, 0xFFFFFFFF, 0x80000000, 1 << 20, 1 << 24, 60000, 100_000, 20000, 30000, 0]
HUGE_DIMS = [20000, 30000, 100_000, 1 << 20, 1 << 31, 1 << 40, 0, 60000]


def _json_numbers(text: str, rng: random.Random) -> str:
    """Replace one to three integers in JSON text with huge ones (shapes, units, filters...)."""
    spots = [m.span() for m in re.finditer(r"(?<![\w.\"])\d+(?![\w.\"])", text)]
    for _ in range(min(len(spots), rng.choice((1, 1, 2, 3)))):
        start, end = rng.choice(spots)
        text = text[:start] + str(rng.choice(HUGE_DIMS)).rjust(end - start) + text[end:]
        spots = [m.span() for m in re.finditer(r"(?<![\w.\"])\d+(?![\w.\"])", text)]
    return text


def _npy_shape(data: bytes, rng: random.Random) -> bytes:
    """Declare another shape in a .npy header, keeping the header length when it fits."""
    if not data.startswith(b"\x93NUMPY") or len(data) < 12:
        return data
    hlen_size = 2 if data[6] == 1 else 4
    hlen = int.from_bytes(data[8:8 + hlen_size], "little")
    start = 8 + hlen_size
    header = data[start:start + hlen].decode("latin1", "replace")
    dims = tuple(rng.choice(HUGE_DIMS) for _ in range(rng.randrange(1, 4)))
    new = re.sub(r"'shape': \([^)]*\)", f"'shape': {dims!r}", header, count=1)
    new = new.rstrip(" \n")
    new = new + " " * max(0, hlen - len(new) - 1) + "\n"
    return data[:8] + len(new).to_bytes(hlen_size, "little") + new.encode("latin1") + data[start + hlen:]


def _idx_dims(data: bytes, rng: random.Random) -> bytes:
    if len(data) < 8 or data[0] or data[1]:
        return data
    ndim = data[3]
    buf = bytearray(data)
    for _ in range(rng.choice((1, 2))):
        i = rng.randrange(max(ndim, 1))
        if 4 + 4 * i + 4 <= len(buf):
            buf[4 + 4 * i:8 + 4 * i] = struct.pack(">I", rng.choice(HUGE) & 0xFFFFFFFF)
    return bytes(buf)


def _gzip(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5 and len(data) > 8:          # lie in the length trailer
        return data[:-4] + struct.pack("<I", rng.choice(HUGE) & 0xFFFFFFFF)
    try:
        inner = gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return data
    return gzip.compress(_idx_dims(inner, rng), mtime=0)


def _png(data: bytes, rng: random.Random) -> bytes:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 33:
        return data
    body = bytearray(data[16:29])
    which = rng.choice((0, 4))
    body[which:which + 4] = struct.pack(">I", rng.choice(HUGE) & 0x7FFFFFFF)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(body)))
    return data[:16] + bytes(body) + crc + data[33:]


def _zip_headers(data: bytes, rng: random.Random) -> bytes:
    """Change the sizes a zip's local or central headers declare (or its entry count)."""
    buf = bytearray(data)
    marks = [(m.start(), kind) for kind, sig in (("local", b"PK\x03\x04"), ("central", b"PK\x01\x02"),
                                                 ("end", b"PK\x05\x06"))
             for m in re.finditer(re.escape(sig), data)]
    if not marks:
        return data
    at, kind = rng.choice(marks)
    offsets = {"local": (18, 22), "central": (20, 24), "end": (8, 10)}[kind]
    off = at + rng.choice(offsets)
    width = 2 if kind == "end" else 4
    if off + width <= len(buf):
        buf[off:off + width] = (rng.choice(HUGE) & (0xFFFF if width == 2 else 0xFFFFFFFF)
                                ).to_bytes(width, "little")
    return bytes(buf)


def _zip_members(data: bytes, rng: random.Random) -> bytes:
    """Re-zip with one member's declared sizes changed inside it (JSON numbers, .npy shape)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(i, zf.read(i.filename)) for i in zf.infolist()]
    except Exception:       # a damaged seed: nothing to restructure
        return _zip_headers(data, rng)
    if not members:
        return data
    pick = rng.randrange(len(members))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, (info, content) in enumerate(members):
            if n == pick:
                content = mutate_declared(content, rng, [])
            zf.writestr(info, content)
    return out.getvalue()


def mutate_declared(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """`data` with one declared size (header, zip size, shape) changed to a lie."""
    if data.startswith(b"PK\x03\x04"):
        return _zip_headers(data, rng) if rng.random() < 0.4 else _zip_members(data, rng)
    if data.startswith(b"\x93NUMPY"):
        return _npy_shape(data, rng)
    if data.startswith(b"\x1f\x8b"):
        return _gzip(data, rng)
    if data.startswith(b"\x89PNG"):
        return _png(data, rng)
    if data[:1] in (b"{", b"["):
        try:
            return _json_numbers(data.decode("utf-8"), rng).encode("utf-8")
        except UnicodeDecodeError:
            return data
    if data.startswith(b"\x89HDF"):
        return data                  # h5 weights change through the .keras config instead
    if len(data) >= 8 and data[:2] == b"\x00\x00":
        return _idx_dims(data, rng)
    return data


# -- the .keras pre-check as a fuzz target (registered in fuzz_harness.TARGETS) ---------------------
def read_keras(data: bytes, tmp: Path) -> None:
    """The .keras pre-check (what runs before Keras is imported; no model is built)."""
    from desktop_dl.engine.keras_file_check import check_keras_archive
    path = tmp / "model.keras"
    path.write_bytes(data)
    check_keras_archive(path)


def seed_keras() -> list[bytes]:
    """Small .keras archives as Keras 3 writes them (config.json, metadata, weights h5)."""
    import zipfile

    import h5py

    def layer(cls, config, build=None):
        node = {"module": "keras.layers", "class_name": cls, "config": {"name": cls.lower(), **config},
                "registered_name": None}
        if build:
            node["build_config"] = {"input_shape": build}
        return node

    models = [
        ([layer("InputLayer", {"batch_shape": [None, 28, 28, 1]}),
          layer("Conv2D", {"filters": 8, "kernel_size": [3, 3]}, [None, 28, 28, 1]),
          layer("Flatten", {}), layer("Dense", {"units": 10}, [None, 5408])],
         {"layers/conv2d/vars/0": (3, 3, 1, 8), "layers/conv2d/vars/1": (8,),
          "layers/dense/vars/0": (5408, 10), "layers/dense/vars/1": (10,)}),
        ([layer("InputLayer", {"batch_shape": [None, 20]}),
          layer("Embedding", {"input_dim": 100, "output_dim": 4}),
          layer("LSTM", {"units": 4}, [None, 20, 4]), layer("Dense", {"units": 1}, [None, 4])],
         {"layers/embedding/vars/0": (100, 4), "layers/lstm/cell/vars/0": (4, 16),
          "layers/dense/vars/0": (4, 1)}),
    ]
    out = []
    for layers, weights in models:
        config = {"module": "keras", "class_name": "Sequential",
                  "config": {"name": "sequential", "layers": layers}, "registered_name": None}
        h5 = io.BytesIO()
        with h5py.File(h5, "w") as f:
            for name, shape in weights.items():
                f.create_dataset(name, data=np.zeros(shape, np.float32))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
            zf.writestr("config.json", json.dumps(config))
            zf.writestr("model.weights.h5", h5.getvalue())
        out.append(buf.getvalue())
    return out


__all__ = ["mutate_declared", "read_keras", "seed_keras"]
