"""Fuzzing the file readers: seeds, mutations and the rule every reader must keep.

The rule: given any bytes, a reader either succeeds or raises a `UserError` subclass (a message
for the user). Any other exception is a bug; so is an input that takes more than a few seconds.
Used by tests/core/test_fuzz_*.py (a few thousand inputs) and benchmarks/fuzz_readers.py (many
more). Mutations follow AFL's classic set: bit flips, interesting values, deletions, insertions,
duplications, truncation and splicing with another seed.
"""
from __future__ import annotations

import gzip
import io
import json
import random
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from desktop_dl.core.errors import UserError

INTERESTING_8 = [0, 1, 0x7F, 0x80, 0xFF]
INTERESTING_32 = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFF, 0x10000, 60000, 28, 784]
SLOW_SECONDS = 5.0


# -- readers --------------------------------------------------------------------------------------
def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def read_spec(data: bytes, tmp: Path) -> None:
    from desktop_dl.core.spec import ModelSpec
    ModelSpec.load(_write(tmp, "model.json", data))


def read_project(data: bytes, tmp: Path) -> None:
    from desktop_dl.core.project import load_project
    load_project(_write(tmp, "fuzz.ddl", data))


def read_csv(data: bytes, tmp: Path) -> None:
    from desktop_dl.core.datasets.csv_table import load_table
    ds = load_table(_write(tmp, "table.csv", data))
    ds.splits(validation=0.2, test=0.2)


def read_npz(data: bytes, tmp: Path) -> None:
    from desktop_dl.core.datasets.mnist_files import load_npz
    ds = load_npz(_write(tmp, "digits.npz", data))
    ds.splits(validation=0.2, test=0.2)


def read_idx(data: bytes, tmp: Path) -> None:
    from desktop_dl.core.datasets.mnist_files import read_idx as read
    array = read(_write(tmp, "train-images-idx3-ubyte", data))
    with np.errstate(all="ignore"):
        np.asarray(array).sum()      # touch every value (memory maps read lazily)


def read_idx_gz(data: bytes, tmp: Path) -> None:
    from desktop_dl.core.datasets.mnist_files import read_idx as read
    with np.errstate(all="ignore"):
        np.asarray(read(_write(tmp, "train-labels-idx1-ubyte.gz", data))).sum()


def read_image(data: bytes, tmp: Path) -> None:
    from desktop_dl.core.digit_preprocess import load_digit_image
    load_digit_image(_write(tmp, "digit.png", data))


def read_image_folder(data: bytes, tmp: Path) -> None:
    from desktop_dl.core.datasets.image_folder import load_image_folder
    root = tmp / "folder"
    for label in ("a", "b"):
        (root / label).mkdir(parents=True, exist_ok=True)
    good = seed_png(3)
    (root / "a" / "1.png").write_bytes(good)
    (root / "b" / "1.png").write_bytes(good)
    (root / "b" / "2.png").write_bytes(data)
    ds = load_image_folder(root)
    ds.splits(validation=0.2, test=0.2)


def read_picture(data: bytes, tmp: Path) -> None:
    """core.images.decode_image, the one decoder every picture goes through."""
    from desktop_dl.core.images import decode_image, resize_image, to_channels
    decoded = decode_image(data, name="fuzz.png")
    resize_image(to_channels(decoded.array, 1), 8, 8)


def read_image_zip(data: bytes, tmp: Path) -> None:
    from desktop_dl.core.datasets.image_folder import load_image_folder
    ds = load_image_folder(_write(tmp, "pictures.zip", data), size=8)
    ds.splits(validation=0.2, test=0.2)


def read_onnx(data: bytes, tmp: Path) -> None:
    from desktop_dl.engine.recognizer import Recognizer
    Recognizer.open(_write(tmp, "model.onnx", data), preference="cpu")


# -- seeds ----------------------------------------------------------------------------------------
def seed_spec() -> list[bytes]:
    from desktop_dl.core.spec import CompileSpec, LayerSpec, ModelSpec
    dense = ModelSpec((28, 28, 1), [LayerSpec("Flatten", {}), LayerSpec("Dense", {"units": 64, "activation": "relu"}),
                                    LayerSpec("Dropout", {"rate": 0.5}), LayerSpec("Dense", {"units": 10})],
                      CompileSpec("rmsprop", 0.001))
    lstm = ModelSpec((None,), [LayerSpec("Embedding", {"input_dim": 1000, "output_dim": 16}),
                               LayerSpec("LSTM", {"units": 8}), LayerSpec("Dense", {"units": 1})],
                     input_dtype="int32")
    return [dense.to_json().encode(), lstm.to_json().encode()]


def seed_project() -> list[bytes]:
    from desktop_dl.core.project import DatasetRef, Project, RunRecord, project_bytes
    from desktop_dl.core.spec import ModelSpec
    spec = ModelSpec.from_json(seed_spec()[0].decode())
    run = RunRecord("r1", "Run 1", spec=spec.to_dict(), settings={"epochs": 2},
                    history={"loss": [1.0, 0.5]}, metrics={"acc": 0.9}, kept=True, weights=b"PK\x03\x04xx",
                    extra={"curve": np.arange(5, dtype=np.float32)})
    small = Project(spec=spec, dataset=DatasetRef("my-digits", embedded={
        "x": np.zeros((2, 28, 28), np.uint8), "y": np.array([1, 2], np.uint8)}),
        training={"epochs": 2}, runs=[run], panels={"canvas": {"pen": 12, "t": (1, 2)}})
    return [project_bytes(small), project_bytes(Project(spec=spec))]


def seed_csv() -> list[bytes]:
    iris = "sepal_length,sepal_width,species\n5.1,3.5,setosa\n4.9,3.0,setosa\n7.0,3.2,versicolor\n" \
           "6.4,3.2,versicolor\n6.3,3.3,virginica\n5.8,2.7,virginica\n5.0,3.6,setosa\n6.9,3.1,versicolor\n"
    wine = "alcohol;acidity;quality\n" + "".join(f"{9 + i * 0.3:.1f};{0.2 + i * 0.05:.2f};{5 + i % 3}\n"
                                               for i in range(12))
    return [iris.encode(), wine.encode("utf-8")] + seed_csv_field()


def seed_csv_field() -> list[bytes]:
    """The kinds issue 15 reads: decimal comma, UTF-16 with BOM, trailing delimiters, quoted
    newlines, CR line endings, header-less, thousands and percent cells."""
    import codecs
    german = "laenge;breite;klasse\r\n" + "".join(f"{4 + i / 7:.2f};{1 + i / 9:.2f};{'ab'[i % 2]}\r\n"
                                                 for i in range(10)).replace(".", ",")
    utf16 = codecs.BOM_UTF16_LE + "stadt\tgröße\tk\nKöln\t1,5\ta\nGenf\t2,5\tb\nWien\t3\ta\n".encode("utf-16-le")
    trailing = "age,bmi,outcome,\n" + "".join(f"{30 + i},{20 + i / 3:.1f},{i % 2},\n" for i in range(10))
    quoted = 'note,x,y\r"a\nb",1.5,p\r"c ""q""",2.5,q\rplain,3.5,p\r'
    headerless = "".join(f"{i}.5,{i * 3},{'xy'[i % 2]}\n" for i in range(10))
    numbers = "preis;anteil;k\n" + "".join(f"{1 + i}.{234 + i},5;{10 + i} %;{'ab'[i % 2]}\n"
                                          for i in range(8)) + "n/a;?;a\n"
    return [german.encode(), utf16, trailing.encode(), quoted.encode(), headerless.encode(),
            numbers.encode("cp1252")]


def _digits(n: int = 6) -> tuple[np.ndarray, np.ndarray]:
    from desktop_dl.paths import resource
    with np.load(resource("mnist_5k.npz")) as f:
        idx = np.arange(0, 5000, 5000 // n)[:n]
        return f["x"][idx], f["y"][idx]


def seed_npz() -> list[bytes]:
    x, y = _digits()
    out = []
    for saver in (np.savez, np.savez_compressed):
        buf = io.BytesIO()
        saver(buf, x=x, y=y)
        out.append(buf.getvalue())
    buf = io.BytesIO()
    np.savez(buf, x_train=x[:4], y_train=y[:4], x_test=x[4:], y_test=y[4:])
    out.append(buf.getvalue())
    return out


def idx_bytes(array: np.ndarray) -> bytes:
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">f4"): 0x0D}
    head = struct.pack(">BBBB", 0, 0, codes[array.dtype], array.ndim)
    return head + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def seed_idx() -> list[bytes]:
    x, y = _digits()
    return [idx_bytes(x), idx_bytes(y), idx_bytes(x[:2].astype(">f4"))]


def seed_idx_gz() -> list[bytes]:
    return [gzip.compress(b, mtime=0) for b in seed_idx()[:2]]


def seed_png(i: int = 0) -> bytes:
    from PIL import Image
    x, _ = _digits()
    buf = io.BytesIO()
    Image.fromarray(255 - x[i % len(x)]).save(buf, "PNG")
    return buf.getvalue()


def seed_images() -> list[bytes]:
    from PIL import Image
    x, _ = _digits()
    out = [seed_png(0)]
    for fmt in ("JPEG", "BMP", "GIF"):
        buf = io.BytesIO()
        Image.fromarray(x[1]).save(buf, fmt)
        out.append(buf.getvalue())
    buf = io.BytesIO()
    rgba = np.zeros((28, 28, 4), np.uint8)
    rgba[..., 3] = x[2]
    Image.fromarray(rgba, "RGBA").save(buf, "PNG")
    out.append(buf.getvalue())
    return out


def seed_pictures() -> list[bytes]:
    """One picture of each kind decode_image handles: modes, EXIF, frames, formats."""
    from PIL import Image
    x, _ = _digits()
    out = seed_images()

    def save(img, fmt="PNG", **kw):
        buf = io.BytesIO()
        img.save(buf, fmt, **kw)
        out.append(buf.getvalue())

    la = np.stack([np.zeros_like(x[0]), x[0]], axis=-1)
    save(Image.fromarray(la, "LA"))
    pal = Image.fromarray(x[1]).convert("P")
    save(pal, transparency=0)
    save(Image.fromarray(np.stack([x[2]] * 4, axis=-1), "CMYK"), "JPEG")
    save(Image.fromarray(x[3].astype(np.uint16) * 200))
    save(Image.fromarray(x[4].astype(np.float32) / 7 - 3, "F"), "TIFF")
    exif = Image.Exif()
    exif[0x0112] = 6
    save(Image.fromarray(x[5]), exif=exif.tobytes())
    frames = [Image.fromarray(x[i]) for i in range(3)]
    save(frames[0], "GIF", save_all=True, append_images=frames[1:])
    save(Image.fromarray(np.stack([x[0]] * 3, axis=-1)), "WEBP")
    out.append(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 8 8\nshowpage\n")
    return out


def seed_image_zip() -> list[bytes]:
    """A zip of a class folder as a Mac makes it (with __MACOSX litter), and a plain one."""
    import zipfile
    out = []
    for litter in (True, False):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if litter else zipfile.ZIP_STORED) as z:
            for i, cls in enumerate(("cat", "dog")):
                for k in range(2):
                    z.writestr(f"pets/{cls}/{k}.png", seed_png(i * 2 + k))
                    if litter:
                        z.writestr(f"__MACOSX/pets/{cls}/._{k}.png", b"\x00\x05\x16\x07mac")
            if litter:
                z.writestr("pets/.DS_Store", b"\x00\x00\x00\x01Bud1")
        out.append(buf.getvalue())
    return out


def seed_npz_labels() -> list[bytes]:
    """npz files whose labels or pixels need mapping: 1..10, strings, one-hot, uint16."""
    x, y = _digits()
    out = []
    for arrays in ({"x": x, "y": y + 1}, {"x": x, "y": np.array([str(v) for v in y])},
                   {"x": x, "y": np.eye(10, dtype=np.float32)[y]},
                   {"x": x.astype(np.uint16) * 250, "y": np.where(y % 2 == 0, -1, 1)}):
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        out.append(buf.getvalue())
    return out


def seed_onnx() -> list[bytes]:
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.normal(size=(784, 10)).astype(np.float32), "w")
    shape = numpy_helper.from_array(np.array([-1, 784], np.int64), "shape")
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["flat"]),
             helper.make_node("MatMul", ["flat", "w"], ["logits"]),
             helper.make_node("Softmax", ["logits"], ["probs"], axis=1)]
    graph = helper.make_graph(nodes, "digits",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 28, 28, 1])],
                              [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["n", 10])],
                              [w, shape])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    meta = model.metadata_props.add()
    meta.key, meta.value = "desktop_dl", json.dumps({"class_names": [str(i) for i in range(10)]})
    return [model.SerializeToString()]


@dataclass
class Target:
    name: str
    read: Callable[[bytes, Path], None]
    seeds: Callable[[], list[bytes]]
    max_size: int = 1 << 20


TARGETS = {
    "spec": Target("spec JSON", read_spec, seed_spec),
    "project": Target("project .ddl", read_project, seed_project),
    "csv": Target("CSV", read_csv, seed_csv),
    "npz": Target("npz", read_npz, seed_npz),
    "idx": Target("IDX", read_idx, seed_idx),
    "idx_gz": Target("IDX gz", read_idx_gz, seed_idx_gz),
    "image": Target("image", read_image, seed_images),
    "image_folder": Target("image folder", read_image_folder, lambda: [seed_png(1)]),
    "picture": Target("decode_image", read_picture, seed_pictures),
    "image_zip": Target("image zip", read_image_zip, seed_image_zip),
    "npz_labels": Target("npz labels", read_npz, seed_npz_labels),
    "onnx": Target("ONNX", read_onnx, seed_onnx),
    "keras": Target(".keras pre-check", lambda data, tmp: _declared().read_keras(data, tmp),
                    lambda: _declared().seed_keras()),
}


# -- mutation -------------------------------------------------------------------------------------
def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 6))):
        op = rng.randrange(9)
        n = len(buf)
        if n == 0:
            buf += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
            continue
        pos = rng.randrange(n)
        if op == 0:                                   # flip bits
            buf[pos] ^= 1 << rng.randrange(8)
        elif op == 1:                                 # interesting byte
            buf[pos] = rng.choice(INTERESTING_8)
        elif op == 2 and n >= 4:                      # interesting 32-bit value, either endian
            pos = rng.randrange(n - 3)
            buf[pos:pos + 4] = struct.pack(rng.choice((">I", "<I")), rng.choice(INTERESTING_32))
        elif op == 3:                                 # delete a chunk
            del buf[pos:pos + rng.randrange(1, max(2, n // 8))]
        elif op == 4:                                 # insert random bytes
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 32)))
        elif op == 5:                                 # duplicate a chunk
            chunk = buf[pos:pos + rng.randrange(1, 64)]
            at = rng.randrange(n)
            buf[at:at] = chunk
        elif op == 6:                                 # truncate
            del buf[pos:]
        elif op == 7 and others:                      # splice with another seed
            other = rng.choice(others)
            cut = rng.randrange(len(other) + 1)
            buf = buf[:pos] + bytearray(other[cut:])
        else:                                         # random byte
            buf[pos] = rng.randrange(256)
    return bytes(buf)


# -- running --------------------------------------------------------------------------------------
@dataclass
class Outcome:
    tried: int = 0
    accepted: int = 0
    refused: int = 0
    failures: list = field(default_factory=list)     # (input bytes, exception text)
    slowest: float = 0.0
    seconds: float = 0.0


def check_one(target: Target, data: bytes, tmp: Path, outcome: Outcome) -> None:
    """Run one input through one reader and record what happened."""
    tmp.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        target.read(data, tmp)
    except UserError as exc:
        outcome.refused += 1
        if not str(exc).strip():
            outcome.failures.append((data, f"{type(exc).__name__} with an empty message"))
    except (RecursionError, MemoryError, Exception) as exc:   # noqa: BLE001 - any other is a bug
        outcome.failures.append((data, f"{type(exc).__name__}: {exc}"[:300]))
    else:
        outcome.accepted += 1
    elapsed = time.perf_counter() - start
    outcome.tried += 1
    outcome.seconds += elapsed
    outcome.slowest = max(outcome.slowest, elapsed)
    if elapsed > SLOW_SECONDS:
        outcome.failures.append((data, f"took {elapsed:.1f} s (a reader must not hang)"))


def fuzz(target: Target, tmp: Path, budget_s: float, seed: int = 0, max_inputs: int | None = None,
         declared: float = 0.0) -> Outcome:
    """Mutated seeds through `target` until the time budget (or max_inputs) is spent.

    `declared`: the share of inputs made by the "declared size" mutator
    (tests/core/fuzz_declared_sizes.py: headers, zip sizes, shapes that lie) instead of AFL's."""
    rng = random.Random(seed)
    mutate_declared = _declared().mutate_declared if declared else None
    seeds = target.seeds()
    outcome = Outcome()
    for s in seeds:                     # the seeds themselves must pass too
        check_one(target, s, tmp, outcome)
    deadline = time.perf_counter() + budget_s
    while time.perf_counter() < deadline and (max_inputs is None or outcome.tried < max_inputs):
        if mutate_declared is not None and rng.random() < declared:
            data = mutate_declared(rng.choice(seeds), rng, seeds)[: target.max_size]
        else:
            data = mutate(rng.choice(seeds), rng, seeds)[: target.max_size]
        check_one(target, data, tmp, outcome)
    return outcome


def _declared():
    """tests/core/fuzz_declared_sizes.py (loaded by path, like this module)."""
    import importlib.util
    import sys

    if "fuzz_declared_sizes" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "fuzz_declared_sizes", Path(__file__).with_name("fuzz_declared_sizes.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules["fuzz_declared_sizes"] = module
        spec.loader.exec_module(module)
    return sys.modules["fuzz_declared_sizes"]


def describe_failures(outcome: Outcome, limit: int = 5) -> str:
    """One line per distinct kind of failure (same exception type and message ending)."""
    kinds: dict[str, tuple[bytes, str]] = {}
    for data, text in outcome.failures:
        kinds.setdefault(text.split(":")[0] + text[-60:], (data, text))
    lines = [f"{len(outcome.failures)} bad outcomes of {outcome.tried} inputs; kinds:"]
    for data, text in list(kinds.values())[:limit]:
        lines.append(f"  {text}  (input {len(data)} bytes: {data[:60]!r}...)")
    return "\n".join(lines)


def save_failures(outcome: Outcome, folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, (data, text) in enumerate(outcome.failures[:50]):
        (folder / f"{name}-{i}.bin").write_bytes(data)
        (folder / f"{name}-{i}.txt").write_text(text)


__all__ = ["TARGETS", "Target", "Outcome", "fuzz", "check_one", "mutate", "describe_failures",
           "save_failures"]
