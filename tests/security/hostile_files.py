"""Small crafted files of every kind desktop_dl opens, each built to attack one reader.

Every builder writes into `folder` and returns the path. `MARKER` is the file a payload would
create if any code in it ran; the tests check it never appears. Nothing here needs a file from
outside the tests, Keras or TensorFlow: archives, h5 weights and ONNX graphs are written by hand.
"""
from __future__ import annotations

import gzip
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

from tiny_models import tiny_digit_onnx  # noqa: F401  (tests/: on sys.path via its conftest)

MARKER_NAME = "pwned-marker"


def marker(folder: Path) -> Path:
    return folder / MARKER_NAME


# -- .keras ----------------------------------------------------------------------------------------
def _layer(class_name: str, config: dict, module: str = "keras.layers", build=None) -> dict:
    node = {"module": module, "class_name": class_name,
            "config": {"name": config.pop("name", class_name.lower()), **config},
            "registered_name": None}
    if build is not None:
        node["build_config"] = {"input_shape": build}
    return node


def keras_config(*layers: dict) -> dict:
    return {"module": "keras", "class_name": "Sequential",
            "config": {"name": "sequential", "trainable": True,
                       "layers": [_layer("InputLayer", {"batch_shape": [None, 8]}), *layers]},
            "registered_name": None}


def _weights_h5(datasets: dict[str, tuple]) -> bytes:
    import h5py

    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for name, shape in datasets.items():
            f.create_dataset(name, shape=shape, dtype="f4")   # declared, never written
    return buf.getvalue()


def write_keras(path: Path, config, *, weights: bytes | None = None,
                extra: dict[str, bytes] | None = None, compress: bool = False) -> Path:
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", method) as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        zf.writestr("config.json", config if isinstance(config, (bytes, str)) else json.dumps(config))
        zf.writestr("model.weights.h5", weights if weights is not None else _weights_h5({}))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def small_dense() -> dict:
    return _layer("Dense", {"units": 4, "activation": "relu"}, build=[None, 8])


def keras_cases(folder: Path) -> dict[str, Path]:
    """name → a hostile .keras file; each must be refused before Keras builds anything."""
    cases = {}

    def add(name, *args, **kwargs):
        cases[name] = write_keras(folder / f"{name}.keras", *args, **kwargs)

    # config.json padded to 64 MB with spaces: 64 KB on disk (the reported one had 600 MB).
    padded = json.dumps(keras_config(small_dense())).encode() + b" " * (64 << 20)
    add("config_bomb", padded, compress=True)
    add("dense_20000", keras_config(_layer("Dense", {"units": 20000}, build=[None, 20000])))
    add("module_not_text", keras_config({**small_dense(), "module": ["keras"]}))
    add("class_not_text", keras_config({**small_dense(), "class_name": {"x": 1}}))
    deep = '{"class_name": "Dense", "module": "keras.layers", "config": ' * 5000 + "1" + "}" * 5000
    add("deep_nesting", json.dumps(keras_config(small_dense())).replace(
        '"registered_name": null}', '"registered_name": null, "x": ' + deep + "}", 1))
    lam = _layer("layers.Lambda", {"function": {"module": "builtins", "class_name": "function",
                                                "config": "exec"}}, module="keras")
    add("dotted_lambda", keras_config(lam))
    add("keras_evil_module", keras_config(_layer("system", {}, module="keras_evil.os")))
    add("tfsm_layer", keras_config(_layer("TFSMLayer", {"filepath": "/tmp/saved_model"})))
    add("lookup_vocabulary_file",
        keras_config(_layer("StringLookup", {"vocabulary": "/etc/passwd"})))
    add("h5_declared_huge", keras_config(small_dense()),
        weights=_weights_h5({"layers/dense/vars/0": (20000, 20000)}))
    add("zip_slip", keras_config(small_dense()), extra={"../../escaped.txt": b"x"})
    add("asset_bomb", keras_config(small_dense()), extra={"assets/big.bin": bytes(64 << 20)},
        compress=True)
    (folder / "not_a_zip.keras").write_bytes(b"%!PS\n" + b"x" * 100)
    cases["not_a_zip"] = folder / "not_a_zip.keras"
    return cases


# -- npz / IDX ---------------------------------------------------------------------------------------
def _npy_header(shape: tuple, descr: str = "|u1") -> bytes:
    header = repr({"descr": descr, "fortran_order": False, "shape": shape}).encode("latin1")
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header


def npz_declared_huge(path: Path) -> Path:
    """An npz whose x member declares 2 GB (stored, 200 bytes of data)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("x.npy", _npy_header((100_000, 140, 150)) + bytes(200))
        zf.writestr("y.npy", _npy_header((100_000,)) + bytes(100))
    return path


def npz_zip_bomb(path: Path) -> Path:
    """An npz whose member deflates from ~200 KB to 200 MB of zeros, header included."""
    shape = (200 << 20,)
    payload = _npy_header(shape) + bytes(shape[0])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("x.npy", payload)
        zf.writestr("y.npy", _npy_header((10,)) + bytes(10))
    return path


def npz_object_pickle(path: Path, folder: Path) -> Path:
    """An npz with an object array whose pickle would create the marker file."""
    import pickle

    class Payload:
        def __reduce__(self):
            return (open, (str(marker(folder)), "w"))

    body = pickle.dumps(np.array([Payload()], dtype=object), protocol=2)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("x.npy", _npy_header((1,), "|O") + body)
        zf.writestr("y.npy", _npy_header((1,)) + bytes(1))
    return path


def idx_declared_huge(folder: Path) -> Path:
    """train-images-idx3-ubyte.gz declaring 60000×30000×30000 images in 100 bytes."""
    sub = folder / "idx_huge"
    sub.mkdir(exist_ok=True)
    header = bytes([0, 0, 0x08, 3]) + np.array([60000, 30000, 30000], ">u4").tobytes()
    with gzip.open(sub / "train-images-idx3-ubyte.gz", "wb") as f:
        f.write(header + bytes(100))
    with gzip.open(sub / "train-labels-idx1-ubyte.gz", "wb") as f:
        f.write(bytes([0, 0, 0x08, 1]) + np.array([60000], ">u4").tobytes() + bytes(100))
    return sub


def idx_gzip_bomb(folder: Path) -> Path:
    """IDX images whose header matches 300 MB of zeros packed into a 300 KB gzip."""
    sub = folder / "idx_bomb"
    sub.mkdir(exist_ok=True)
    n = 300 << 20
    header = bytes([0, 0, 0x08, 3]) + np.array([n // 784, 28, 28], ">u4").tobytes()
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(sub / "train-images-idx3-ubyte.gz", "wb") as f:
        f.write(comp.compress(header))
        zeros = bytes(1 << 20)
        for _ in range(n // (1 << 20)):
            f.write(comp.compress(zeros))
        f.write(comp.flush())
    with gzip.open(sub / "train-labels-idx1-ubyte.gz", "wb") as f:
        f.write(bytes([0, 0, 0x08, 1]) + np.array([n // 784], ">u4").tobytes() + bytes(n // 784))
    return sub


# -- Keras dataset files ------------------------------------------------------------------------------
def imdb_pickle_bomb(path: Path, folder: Path) -> Path:
    """imdb.npz whose object array's pickle calls open() (refused) — and one declaring 10^12
    reviews."""
    return npz_object_pickle(path, folder)


# -- projects ----------------------------------------------------------------------------------------
def project(path: Path, *, runs=None, dataset=None, extra: dict[str, bytes] | None = None) -> Path:
    manifest = {"format": "desktop_dl.project", "version": 2, "app_version": "0", "created": "",
                "saved": "", "parts": ["dataset"] if dataset else [], "runs": 0, "panels": []}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("training.json", "{}")
        zf.writestr("runs.json", json.dumps(runs or []))
        if dataset is not None:
            zf.writestr("dataset.json", json.dumps(dataset))
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def project_cases(folder: Path, secret: Path) -> dict[str, Path]:
    cases = {}
    cases["run_keras_path_outside"] = project(
        folder / "outside.ddl",
        runs=[{"id": "r1", "name": "r", "kept": True, "weights": None,
               "extra": {"keras_path": str(secret), "folder": str(secret.parent)},
               "settings": {}, "history": {}, "metrics": {}}])
    cases["dataset_dev_zero"] = project(
        folder / "devzero.ddl", dataset={"name": "zeros", "path": "/dev/zero",
                                         "sha256": "0" * 64, "options": {}})
    ten_mb = np.random.default_rng(0).bytes(10 << 20)     # incompressible: not a zip bomb
    cases["member_referenced_200_times"] = project(
        folder / "repeated.ddl",
        runs=[{"id": f"r{i}", "weights": "blob.bin", "settings": {}, "history": {}, "metrics": {},
               "extra": {"data": {"$bytes": "blob.bin"}}} for i in range(200)],
        extra={"blob.bin": ten_mb})
    deep = "[" * 100_000 + "]" * 100_000
    cases["deep_json"] = project(folder / "deep.ddl", extra={"panels/x.json": deep.encode()})
    return cases


# -- specs --------------------------------------------------------------------------------------------
def spec_deep(path: Path) -> Path:
    path.write_text('{"format": "desktop_dl.model_spec", "version": 1, "input": ' + "[" * 100_000
                    + "]" * 100_000 + "}")
    return path


# -- images -------------------------------------------------------------------------------------------
def postscript_png(path: Path, folder: Path) -> Path:
    """PostScript named .png: Pillow would pick EPS from the bytes and run Ghostscript."""
    path.write_bytes(
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 28 28\n"
        + f"({marker(folder)}) (w) file closefile\n".encode() + b"showpage\n")
    return path


def png_pixel_bomb(path: Path) -> Path:
    """A valid PNG header declaring 100000×100000 pixels (a few hundred bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    idat = zlib.compress(bytes(1000))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
                     + chunk(b"IEND", b""))
    return path


# -- ONNX ---------------------------------------------------------------------------------------------
# tiny_digit_onnx (a real, untrained digit classifier) lives in tests/tiny_models.py.
