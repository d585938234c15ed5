"""Run any ONNX image classifier with ONNX Runtime: our exports and other people's. No TensorFlow.

Our exports carry a `desktop_dl` metadata JSON (class names, NHWC layout, pixel scale, whether
the outputs are probabilities). Other files are read from their input signature alone:
(N, 1, 28, 28) is NCHW, (N, 28, 28, 1) NHWC, (N, 28, 28) a bare image and (N, 784) a flattened
one; when a row of outputs is not already a probability vector, softmax is applied.

Opening is all-or-nothing: `Recognizer.open(path)` either returns a recognizer that has already
run one input, or raises `ModelFileError` with a message naming the file and what is wrong. To
keep the previous model in use when the new file is bad, open the new one first and replace the
old one only on success:

    try:
        recognizer = Recognizer.open(path)     # the old one keeps working meanwhile
    except ModelFileError as exc:
        show(str(exc))
    else:
        self.recognizer = recognizer

Nothing on this module's import path imports TensorFlow or Keras (a test checks it), so the
canvas can recognise digits a fraction of a second after the window opens.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop_dl.core.errors import ModelFileError
from desktop_dl.engine import onnx_providers

METADATA_KEY = "desktop_dl"    # same key as engine/onnx_export.py (which imports TensorFlow lazily)
_CHANNEL_COUNTS = (1, 3, 4)
_DTYPES = {"tensor(float)": np.float32, "tensor(double)": np.float64, "tensor(float16)": np.float16,
           "tensor(uint8)": np.uint8, "tensor(int32)": np.int32, "tensor(int64)": np.int64}


@dataclass(frozen=True)
class Prediction:
    """One recognised image: the best class and every class's probability."""
    index: int
    label: str
    probabilities: np.ndarray          # (classes,), sums to 1
    class_names: tuple[str, ...]

    @property
    def confidence(self) -> float:
        return float(self.probabilities[self.index])

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        order = np.argsort(-self.probabilities, kind="stable")[:k]
        return [(self.class_names[i], float(self.probabilities[i])) for i in order]

    def to_json(self, k: int = 3) -> dict:
        return {"label": self.label, "index": self.index, "confidence": self.confidence,
                "top": [{"label": name, "probability": p} for name, p in self.top(k)]}


class Recognizer:
    """An opened ONNX model. Use `Recognizer.open(path)`; the constructor is internal."""

    def __init__(self, path: Path, session, provider: str, metadata: dict):
        self.path = path
        self.provider = provider               # "CPUExecutionProvider" or "CUDAExecutionProvider"
        self.metadata = metadata               # our export metadata; {} for other files
        self._session = session
        first = session.get_inputs()[0]
        self.input_name: str = first.name
        self.input_shape: tuple = tuple(first.shape)     # as declared: ints, names or None
        self.input_dtype = _DTYPES[first.type]
        self.output_name: str = session.get_outputs()[0].name
        self.layout, self.image_shape = _interpret_input(path, self.input_shape, metadata)
        batch = self.input_shape[0]
        self._fixed_batch = batch if isinstance(batch, int) and batch > 0 else None
        prep = metadata.get("preprocessing") or {}
        # Images come in as 0..1; a model trained on raw pixels × pixel_scale wants 255·scale × that.
        self._pixel_gain = float(255.0 * prep["pixel_scale"]) if prep.get("pixel_scale") else 1.0
        self.digit_normalisation = prep.get("digit_normalisation") or prep.get("digit_normalization")
        self.output_kind: str = (metadata.get("output") or {}).get("kind", "auto")
        self.classes = 0
        self.class_names: list[str] = []

    # -- opening --------------------------------------------------------------------------------
    @classmethod
    def open(cls, path, *, preference: str | None = None, intra_threads: int | None = 1) -> "Recognizer":
        """Open and test-run an ONNX file, or raise ModelFileError (see the module docstring).

        `preference`: "auto" (CUDA when it loads, else CPU), "cpu" or "cuda".
        `intra_threads`: ONNX Runtime threads per run; 1 gives the lowest single-image latency
        for small models, None lets ORT use every core (large batches).
        """
        path = Path(path)
        size, head = _peek(path)
        try:
            # From the path, not bytes, so models with external weight files load too.
            session, provider = onnx_providers.create_session(
                str(path), onnx_providers.session_options(intra_threads), preference)
        except Exception as exc:  # ORT raises its own Fail/InvalidProtobuf/… types
            raise ModelFileError(_why_unreadable(path, size, head, exc)) from None
        inputs, outputs = session.get_inputs(), session.get_outputs()
        if len(inputs) != 1 or not outputs:
            raise ModelFileError(f"{path.name} takes {len(inputs)} inputs and gives {len(outputs)} "
                                 "outputs; the recognizer opens image classifiers with one input.")
        if inputs[0].type not in _DTYPES:
            raise ModelFileError(f"{path.name} takes {inputs[0].type} inputs; the recognizer needs "
                                 "numbers (float or integer tensors).")
        recognizer = cls(path, session, provider, _read_metadata(session))
        recognizer._dry_run()
        return recognizer

    def _dry_run(self) -> None:
        """Run one blank input: proves the file works and tells how many classes it has."""
        sample = np.zeros(self._sample_shape(), dtype=self.input_dtype)[None]
        try:
            out = self._run(sample)
        except Exception as exc:
            raise ModelFileError(f"{self.path.name} opens but fails on an input of shape "
                                 f"{sample.shape}: {_first_line(exc)}") from None
        self.classes = int(self._postprocess(out).shape[1])   # one sigmoid unit → 2 classes
        names = [str(n) for n in (self.metadata.get("class_names") or [])]
        self.class_names = names if len(names) == self.classes else [str(i) for i in range(self.classes)]

    # -- inference ------------------------------------------------------------------------------
    @property
    def is_image_model(self) -> bool:
        return self.image_shape is not None

    def predict(self, batch: np.ndarray) -> np.ndarray:
        """Class probabilities (N, classes) for a batch the way the app holds it.

        Images: (N, H, W) or (N, H, W, C) floats in 0..1, ink/brightness high (the dataset's
        arrays); they are rearranged for the model's layout and scaled as its metadata says.
        Other models (tables, sequences): the array goes in as it is. Regression models give
        their raw outputs.
        """
        x = np.asarray(batch)
        if self.is_image_model:
            x = self._to_model_layout(x)
        elif x.dtype != self.input_dtype:
            x = x.astype(self.input_dtype)
        return self._postprocess(self._run(x))

    def predict_digit(self, image: np.ndarray) -> Prediction:
        """Recognise one image (H×W, 0..1, ink high: `core.digit_preprocess.mnist_normalize`'s output)."""
        if not self.is_image_model:
            raise ModelFileError(f"{self.path.name} is not an image classifier (it takes inputs of "
                                 f"shape {_shape_text(self.input_shape)}); open a model trained on images.")
        image = np.asarray(image, dtype=np.float32)
        if image.ndim == 3 and image.shape[-1] == 1:
            image = image[..., 0]
        if image.ndim != 2:
            raise ValueError(f"predict_digit takes one H×W image, not an array of shape {image.shape}")
        probs = self.predict(image[None])[0]
        index = int(np.argmax(probs))
        return Prediction(index, self.class_names[index], probs, tuple(self.class_names))

    def describe(self) -> str:
        """A short line for a status bar: file, classes, input, provider."""
        device = "GPU (CUDA)" if self.provider == onnx_providers.CUDA else "CPU"
        return (f"{self.path.name}: {self.classes} classes, input {_shape_text(self.input_shape)} "
                f"{self.layout or ''}, ONNX Runtime on {device}").replace("  ", " ")

    # -- internals ------------------------------------------------------------------------------
    def _sample_shape(self) -> tuple:
        if self.is_image_model:
            h, w, c = self.image_shape
            return {"NHWC": (h, w, c), "NCHW": (c, h, w), "NHW": (h, w), "flat": (h * w * c,)}[self.layout]
        # Free dimensions (sequence length) get a short length for the dry run.
        return tuple(d if isinstance(d, int) and d > 0 else 8 for d in self.input_shape[1:])

    def _to_model_layout(self, x: np.ndarray) -> np.ndarray:
        h, w, c = self.image_shape
        if x.ndim == 3:
            x = x[..., None]
        if x.ndim != 4:
            raise ValueError(f"expected images (N, H, W) or (N, H, W, C), got shape {x.shape}")
        if x.shape[1:3] != (h, w):
            x = _resize(x, h, w)
        if x.shape[3] != c:
            x = np.repeat(x.mean(axis=3, keepdims=True), c, axis=3) if c in (1, 3, 4) else x
        if np.issubdtype(self.input_dtype, np.integer):   # a model fed raw 0..255 pixels
            x = np.clip(np.rint(x * 255.0), 0, 255).astype(self.input_dtype)
        else:
            x = x.astype(self.input_dtype, copy=False)
            if self._pixel_gain != 1.0:
                x = x * self.input_dtype(self._pixel_gain)
        if self.layout == "NCHW":
            return np.ascontiguousarray(x.transpose(0, 3, 1, 2))
        if self.layout == "NHW":
            return x[..., 0]
        if self.layout == "flat":
            return x.reshape(len(x), -1)
        return x

    def _run(self, x: np.ndarray) -> np.ndarray:
        size = self._fixed_batch
        if size is None or len(x) == size:
            out = self._session.run([self.output_name], {self.input_name: x})[0]
            return np.asarray(out).reshape(len(x), -1)
        # A file made for a fixed batch (often 1): feed it in slices of that size, padding the last.
        parts = []
        for start in range(0, len(x), size):
            chunk = x[start:start + size]
            if len(chunk) < size:
                chunk = np.concatenate([chunk, np.zeros((size - len(chunk),) + chunk.shape[1:], chunk.dtype)])
            out = self._session.run([self.output_name], {self.input_name: chunk})[0]
            parts.append(np.asarray(out).reshape(size, -1))
        return np.concatenate(parts)[:len(x)]

    def _postprocess(self, out: np.ndarray) -> np.ndarray:
        out = out.astype(np.float32, copy=False)
        kind = self.output_kind
        if kind == "probabilities" or kind == "values":
            return out
        if kind == "sigmoid":   # one unit: binary → two columns; several: multi-label, as they are
            return np.concatenate([1.0 - out, out], axis=1) if out.shape[1] == 1 else out
        if kind == "logits" or not _are_probabilities(out):
            return _softmax(out)
        return out


# -- helpers ------------------------------------------------------------------------------------
def _peek(path: Path) -> tuple[int, bytes]:
    """(size, first 512 bytes) of the file, or ModelFileError for what is plainly not a model."""
    if not path.exists():
        raise ModelFileError(f"{path} does not exist.")
    if path.is_dir():
        raise ModelFileError(f"{path} is a folder; choose an .onnx file.")
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise ModelFileError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    if size == 0:
        raise ModelFileError(f"{path.name} is empty (0 bytes): it is not a model. Export the model "
                             "again, or choose another file.")
    return size, head


def _why_unreadable(path: Path, size: int, head: bytes, exc: Exception) -> str:
    if head.startswith(b"PK"):
        return (f"{path.name} is a zip archive (perhaps a Keras .keras file), not an ONNX model. "
                "Export it to ONNX first (File > Export…, or `desktop-dl export --format onnx`).")
    if head.startswith(b"\x89HDF"):
        return f"{path.name} is an HDF5 file (perhaps a Keras .h5 model), not an ONNX model."
    if _looks_like_text(head):
        return (f"{path.name} is a text file, not an ONNX model (it starts with "
                f"{head[:40].decode('utf-8', 'replace')!r}). Choose a file exported as ONNX.")
    return (f"{path.name} is not a readable ONNX model: it may be truncated or damaged "
            f"({size:,} bytes). Export it again. Details: {_first_line(exc)}")


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return line[:300]


def _read_metadata(session) -> dict:
    """Our metadata JSON, or {} (for other files, or when it is unreadable: then we infer)."""
    try:
        props = session.get_modelmeta().custom_metadata_map
    except UnicodeDecodeError:          # metadata that is not UTF-8 (found by fuzzing)
        return {}
    raw = props.get(METADATA_KEY)
    if raw:
        try:
            meta = json.loads(raw)
            if isinstance(meta, dict):
                return meta
        except ValueError:
            pass
    names = props.get("class_names")    # other tools sometimes store just this
    if names:
        try:
            parsed = json.loads(names)
            if isinstance(parsed, list):
                return {"class_names": [str(n) for n in parsed]}
        except ValueError:
            return {"class_names": [n.strip() for n in names.split(",")]}
    return {}


def _interpret_input(path: Path, shape: tuple, metadata: dict) -> tuple[str | None, tuple | None]:
    """(layout, (height, width, channels)) for image models; (None, None) for our non-image ones."""
    dims = [d if isinstance(d, int) and d > 0 else None for d in shape]
    rank = len(dims)
    declared = (metadata.get("input") or {}).get("layout")
    kind = metadata.get("kind")
    if kind in ("table", "sequence"):
        return None, None
    if rank == 4:
        if declared in ("NHWC", "NCHW"):
            layout = declared
        else:
            last, first = dims[3] in _CHANNEL_COUNTS, dims[1] in _CHANNEL_COUNTS
            if first and not last:
                layout = "NCHW"
            elif last:
                layout = "NHWC"
            else:
                raise ModelFileError(
                    f"{path.name} takes inputs of shape {_shape_text(shape)}: neither axis 1 nor axis 3 "
                    "holds 1, 3 or 4 colour channels, so it is not an image classifier we can feed.")
        h, w, c = (dims[1], dims[2], dims[3]) if layout == "NHWC" else (dims[2], dims[3], dims[1])
        return layout, (h or 28, w or 28, c or 1)
    if rank == 3:
        return "NHW", (dims[1] or 28, dims[2] or 28, 1)
    if rank == 2 and dims[1]:
        side = math.isqrt(dims[1])
        if side * side == dims[1] and side >= 8:
            return "flat", (side, side, 1)
        raise ModelFileError(f"{path.name} takes rows of {dims[1]} numbers, not images; the "
                             "recognizer opens image classifiers.")
    raise ModelFileError(
        f"{path.name} takes inputs of rank {rank} (shape {_shape_text(shape)}); an image classifier "
        "takes (batch, height, width, channels), (batch, channels, height, width) or (batch, height, width).")


def _shape_text(shape: tuple) -> str:
    return "(" + ", ".join(str(d) if isinstance(d, int) and d > 0 else "?" for d in shape) + ")"


def _are_probabilities(out: np.ndarray) -> bool:
    if out.shape[1] < 2:
        return bool(np.all((out >= 0) & (out <= 1)))
    return bool(np.all(out >= -1e-6) and np.all(out <= 1 + 1e-6)
                and np.allclose(out.sum(axis=1), 1.0, atol=1e-3))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _resize(x: np.ndarray, h: int, w: int) -> np.ndarray:
    from PIL import Image

    out = np.empty((len(x), h, w, x.shape[3]), np.float32)
    for i, img in enumerate(x):
        for ch in range(img.shape[2]):
            out[i, :, :, ch] = np.asarray(Image.fromarray(np.ascontiguousarray(img[:, :, ch], np.float32))
                                          .resize((w, h), Image.BILINEAR))
    return out
