"""Run any ONNX image classifier with ONNX Runtime: our exports and other people's. No TensorFlow.

Our exports carry a `desktop_dl` metadata JSON (class names, NHWC layout, pixel scale, whether
the outputs are probabilities). Other files are read from their signature: the input's shape
((N, 1, 28, 28) is NCHW, (N, 28, 28, 1) NHWC, (N, 28, 28) a bare image, (N, 784) a flattened
one; integer inputs get 0..255 pixels), the output that holds class scores
(engine/onnx_outputs.py: scikit-learn's label-first and ZipMap forms included) and class names
from the file's own metadata or classifier labels. Scores that are already probabilities are
used as they are, logits get a softmax, one sigmoid unit becomes (no, yes); `score_kind` /
`last_scores` say which.

Opening is all-or-nothing: `Recognizer.open(path)` either returns a recognizer that has already
run one input, or raises `ModelFileError` (a `ModelLoadError` with `details` when ONNX Runtime
refused the file, see engine/onnx_load_errors.py) naming the file and what is wrong. Declared
sizes are checked before anything is allocated (engine/onnx_inspect.py). To keep the previous
model in use when the new file is bad, open the new one first and replace the old one only on
success:

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

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from desktop_dl.core.display_text import shown_text
from desktop_dl.core.errors import ModelFileError, os_error_text
from desktop_dl.engine import onnx_inspect, onnx_load_errors, onnx_outputs, onnx_providers
from desktop_dl.engine.onnx_load_errors import ModelLoadError
from desktop_dl.core.i18n import _

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
        """The best class's probability, a fraction 0..1."""
        return float(self.probabilities[self.index])

    def top(self, k: int = 3) -> list[tuple[str, float]]:
        """The `k` most probable classes as (name, probability 0..1) pairs, highest first (ties
        keep class order)."""
        order = np.argsort(-self.probabilities, kind="stable")[:k]
        return [(self.class_names[i], float(self.probabilities[i])) for i in order]

    def to_json(self, k: int = 3) -> dict:
        """A JSON-ready dict: label, index, confidence (0..1) and top, the `k` best as [{"label",
        "probability"}]."""
        return {"label": self.label, "index": self.index, "confidence": self.confidence,
                "top": [{"label": name, "probability": p} for name, p in self.top(k)]}


class Recognizer:
    """An opened ONNX model. Use `Recognizer.open(path)`; the constructor is internal."""

    def __init__(self, path: Path, session, provider: str, metadata: dict, facts=None, notes=()):
        self.path = path
        self.provider = provider               # "CPUExecutionProvider" or "CUDAExecutionProvider"
        self.metadata = metadata               # our export metadata; {} for other files
        self.notes: list[str] = list(notes)    # what was done to load it (an IR version lowered)
        self._session = session
        first = session.get_inputs()[0]
        self.input_name: str = first.name
        self.input_shape: tuple = tuple(first.shape)     # as declared: ints, names or None
        self.input_dtype = _DTYPES[first.type]
        self.scores = onnx_outputs.choose_scores(path, session.get_outputs(), facts)
        self.output_name: str = self.scores.name
        self.layout, self.image_shape = _interpret_input(path, self.input_shape, metadata)
        batch = self.input_shape[0] if self.input_shape else None
        if isinstance(batch, int) and batch > 1:
            raise ModelFileError(
                _("{name} only takes batches of exactly {batch} inputs (its input {name2!r} "
                  "has shape {shape_text}); the recognizer feeds one picture at a time. Export "
                  "it with a free batch dimension (or batch 1).",
                  name=path.name, batch=batch, name2=first.name, shape_text=_shape_text(self.input_shape)))
        self._one_at_a_time = batch == 1
        prep = metadata.get("preprocessing") or {}
        # Images come in as 0..1; a model trained on raw pixels × pixel_scale wants 255·scale × that.
        self._pixel_gain = float(255.0 * prep["pixel_scale"]) if prep.get("pixel_scale") else 1.0
        self.digit_normalisation = prep.get("digit_normalisation") or prep.get("digit_normalization")
        declared = (metadata.get("output") or {}).get("kind")
        self.score_kind: str = declared or onnx_outputs.score_kind_of(self.scores, facts)
        self.last_scores: str = self.score_kind   # what the last predict() found: never "auto" after one
        self.classes = 0
        self.class_names: list[str] = []

    # -- opening --------------------------------------------------------------------------------
    @classmethod
    def open(cls, path, *, preference: str | None = None, intra_threads: int | None = 1,
             allow_ir_downgrade: bool = False) -> "Recognizer":
        """Open and test-run an ONNX file, or raise ModelFileError (see the module docstring).

        `preference`: "auto" (CUDA when it loads, else CPU), "cpu" or "cuda".
        `intra_threads`: ONNX Runtime threads per run; 1 gives the lowest single-image latency
        for small models, None lets ORT use every core (large batches).
        `allow_ir_downgrade`: a file one IR version newer than this ONNX Runtime reads is loaded
        with its IR version lowered in memory (a note says so in `notes`); otherwise it is
        refused with a ModelLoadError whose `downgrade_ir_to` says this would be possible.
        """
        path = Path(path)
        size, head = _peek(path)
        not_onnx = onnx_load_errors.sniff_not_onnx(path, head)
        if not_onnx:
            raise not_onnx
        facts = onnx_inspect.read_facts(path, size)
        if facts is not None:
            onnx_inspect.check_declared_sizes(facts, path)
        options = onnx_providers.session_options(intra_threads)
        notes = []
        try:
            # From the path, not bytes, so models with external weight files load too.
            session, provider = onnx_providers.create_session(str(path), options, preference)
        except Exception as exc:  # ORT raises its own Fail/InvalidProtobuf/… types
            error = onnx_load_errors.explain(path, exc, size=size,
                                             opset=facts.opsets.get("ai.onnx") if facts else None)
            if not (allow_ir_downgrade and error.downgrade_ir_to and facts is not None):
                raise error from None
            session, provider = _open_downgraded(path, facts, error, options, preference)
            notes.append(_("{name} was saved with ONNX IR version {ir_version}; it was loaded "
                           "as IR version {downgrade_ir_to} (in memory, the file is unchanged).",
                           name=path.name, ir_version=facts.ir_version, downgrade_ir_to=error.downgrade_ir_to))
        inputs = session.get_inputs()
        if len(inputs) != 1:
            listed = "; ".join(f"{i.name} {_shape_text(i.shape)}" for i in inputs)
            raise ModelFileError(
                _("{name} takes {count} inputs ({listed}); the recognizer feeds one picture "
                  "and fills no other input, optional ones included. Export the model with the "
                  "image as its only input.", name=path.name, count=len(inputs), listed=listed))
        if inputs[0].type not in _DTYPES:
            raise ModelFileError(_("{name} takes {type} inputs; the recognizer needs numbers "
                                   "(float or integer tensors).",
                                   name=path.name, type=inputs[0].type))
        metadata = onnx_inspect.read_metadata(facts.metadata if facts else _session_props(session))
        recognizer = cls(path, session, provider, metadata, facts, notes)
        recognizer._dry_run(facts)
        return recognizer

    def _dry_run(self, facts) -> None:
        """Run the smallest input the model takes: proves the file works, tells the classes."""
        shapes = [self._sample_shape(free=1)]
        if not self.is_image_model and self._sample_shape(free=8) != shapes[0]:
            shapes.append(self._sample_shape(free=8))     # sequence models may need some length
        itemsize = np.dtype(self.input_dtype).itemsize
        for attempt, shape in enumerate(shapes):
            full = (1,) + shape
            side = self.image_shape[:2] if self.is_image_model else None
            onnx_inspect.check_input_size(self.path, full, itemsize, side)
            if facts is not None:
                onnx_inspect.check_trial_memory(facts, self.path, self.input_name, full)
            try:
                out = self._run(np.zeros(full, dtype=self.input_dtype))
                break
            except Exception as exc:
                if attempt + 1 < len(shapes):
                    continue
                raise ModelLoadError(_("{name} opens but fails on an input of shape {full}: "
                                       "{useful_line}",
                                       name=self.path.name, full=full, useful_line=onnx_load_errors.useful_line(str(exc))), cause="trial_run",
                                     details=f"{type(exc).__name__}: {exc}") from None
        self.classes = int(self._postprocess(out).shape[1])   # one sigmoid unit → 2 classes
        self.class_names = self._names(self.classes)

    def _names(self, count: int) -> list[str]:
        """The model's own class names when they fit, else 0..K-1; always safe to print."""
        for names in (self.metadata.get("class_names"), self.scores.labels, self._zipmap_keys):
            if names and len(names) == count:
                shown = [shown_text(n) for n in names]
                return [s if s else str(i) for i, s in enumerate(shown)]
        return [str(i) for i in range(count)]

    # -- inference ------------------------------------------------------------------------------
    @property
    def is_image_model(self) -> bool:
        """True when the model takes images (image_shape is known), so pictures can be fed to it."""
        return self.image_shape is not None

    def predict(self, batch: np.ndarray) -> np.ndarray:
        """Class probabilities (N, classes) for a batch the way the app holds it.

        Images: (N, H, W) or (N, H, W, C) floats in 0..1, ink/brightness high (the dataset's
        arrays); they are rearranged for the model's layout and scaled as its metadata says.
        Other models (tables, sequences): the array goes in as it is. Regression models give
        their raw outputs. `last_scores` tells what the model gave ("probabilities", "logits",
        "sigmoid" or "values").
        """
        x = np.asarray(batch)
        if self.is_image_model:
            x = self._to_model_layout(x)
        elif x.dtype != self.input_dtype:
            x = x.astype(self.input_dtype)
        return self._postprocess(self._run(x))

    def predict_digit(self, image: np.ndarray) -> Prediction:
        """Recognise one image (H×W, 0..1, ink high: `core.digit_preprocess.mnist_normalize`'s output).

        An (H, W, 1) image is accepted too. Raises ModelFileError when the model does not take
        images, ValueError (a programming error) for any other shape."""
        if not self.is_image_model:
            raise ModelFileError(_("{name} is not an image classifier (it takes inputs of "
                                   "shape {shape_text}); open a model trained on images.",
                                   name=self.path.name, shape_text=_shape_text(self.input_shape)))
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
        device = _("GPU (CUDA)") if self.provider == onnx_providers.CUDA else "CPU"
        return (_("{name}: {classes} classes, input {shape_text} {value}, ONNX Runtime on "
                  "{device}",
                  name=self.path.name, classes=self.classes, shape_text=_shape_text(self.input_shape), value=self.layout or '', device=device)).replace("  ", " ")

    # -- internals ------------------------------------------------------------------------------
    _zipmap_keys: tuple = ()

    def _sample_shape(self, free: int = 1) -> tuple:
        if self.is_image_model:
            h, w, c = self.image_shape
            return {"NHWC": (h, w, c), "NCHW": (c, h, w), "NHW": (h, w), "flat": (h * w * c,)}[self.layout]
        # Free dimensions (sequence length): the smallest the model accepts.
        return tuple(d if isinstance(d, int) and d > 0 else free for d in self.input_shape[1:])

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
        if not self._one_at_a_time or len(x) == 1:
            return self._run_once(x)
        # A file made for batch 1: feed it one input at a time.
        return np.concatenate([self._run_once(x[i:i + 1]) for i in range(len(x))])

    def _run_once(self, x: np.ndarray) -> np.ndarray:
        out = self._session.run([self.output_name], {self.input_name: x})[0]
        if self.scores.form == "zipmap":
            if not self._zipmap_keys:
                self._zipmap_keys = onnx_outputs.zipmap_labels(out, self.scores.labels)
            return onnx_outputs.zipmap_to_array(out, self._zipmap_keys)
        return np.asarray(out).reshape(len(x), -1)

    def _postprocess(self, out: np.ndarray) -> np.ndarray:
        out = out.astype(np.float32, copy=False)
        kind = self.score_kind
        if kind == "auto":   # the graph does not say: decide from the values
            inside = bool(np.all((out >= -1e-6) & (out <= 1 + 1e-6)))
            if out.shape[1] == 1:
                kind = "sigmoid" if inside else "sigmoid-logit"
            else:
                kind = "probabilities" if inside and _rows_sum_to_one(out) else "logits"
        if kind == "sigmoid-logit":          # one raw unit: a binary logit
            out, kind = 1.0 / (1.0 + np.exp(-out)), "sigmoid"
        self.last_scores = kind
        if kind in ("probabilities", "values"):
            return out
        if kind == "sigmoid":   # one unit: binary → two columns; several: multi-label, as they are
            return np.concatenate([1.0 - out, out], axis=1) if out.shape[1] == 1 else out
        return _softmax(out)


def _open_downgraded(path: Path, facts, error: ModelLoadError, options, preference):
    """A session for the file with its IR version lowered, or the original error when it fails."""
    data = onnx_inspect.downgrade_ir(facts, error.downgrade_ir_to)
    # External weight files are looked up next to the model, as when loading from the path.
    options.add_session_config_entry("session.model_external_initializers_file_folder_path",
                                     str(path.resolve().parent))
    try:
        return onnx_providers.create_session(data, options, preference)
    except Exception as exc:
        second = onnx_load_errors.explain(path, exc, size=len(data))
        raise ModelLoadError(_("{error} Loading it as IR version {downgrade_ir_to} failed too: "
                               "{second}",
                               error=error, downgrade_ir_to=error.downgrade_ir_to, second=second), cause=error.cause,
                             details=error.details + _("\n\nAfter lowering the IR version:\n") + second.details) from None


def _session_props(session) -> dict:
    try:
        return dict(session.get_modelmeta().custom_metadata_map)
    except (UnicodeDecodeError, RuntimeError):    # metadata that is not UTF-8 (found by fuzzing)
        return {}


# -- helpers ------------------------------------------------------------------------------------
def _peek(path: Path) -> tuple[int, bytes]:
    """(size, first 512 bytes) of the file, or ModelFileError for what is plainly not a model."""
    if not path.exists():
        raise ModelFileError(_("{path} does not exist.", path=path))
    if path.is_dir():
        raise ModelFileError(_("{path} is a folder; choose an .onnx file.", path=path))
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise ModelFileError(_("Cannot read {path}: {value}.", path=path,
                               value=os_error_text(exc))) from None
    if size == 0:
        raise ModelFileError(_("{name} is empty (0 bytes): it is not a model. Export the model "
                               "again, or choose another file.", name=path.name))
    return size, head


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
                    _("{name} takes inputs of shape {shape_text}: neither axis 1 nor axis 3 "
                      "holds 1, 3 or 4 colour channels, so it is not an image classifier we "
                      "can feed.", name=path.name, shape_text=_shape_text(shape)))
        h, w, c = (dims[1], dims[2], dims[3]) if layout == "NHWC" else (dims[2], dims[3], dims[1])
        return layout, (h or 28, w or 28, c or 1)
    if rank == 3:
        return "NHW", (dims[1] or 28, dims[2] or 28, 1)
    if rank == 2 and dims[1]:
        side = math.isqrt(dims[1])
        if side * side == dims[1] and side >= 8:
            return "flat", (side, side, 1)
        raise ModelFileError(_("{name} takes rows of {dims} numbers, not images; the "
                               "recognizer opens image classifiers.",
                               name=path.name, dims=dims[1]))
    raise ModelFileError(
        _("{name} takes inputs of rank {rank} (shape {shape_text}); an image classifier takes "
          "(batch, height, width, channels), (batch, channels, height, width) or (batch, "
          "height, width).", name=path.name, rank=rank, shape_text=_shape_text(shape)))


def _shape_text(shape: tuple) -> str:
    return "(" + ", ".join(str(d) if isinstance(d, int) and d > 0 else "?" for d in shape) + ")"


def _rows_sum_to_one(out: np.ndarray) -> bool:
    return bool(np.allclose(out.sum(axis=1), 1.0, atol=1e-3))


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
