"""The layer catalogue: each Keras layer the app offers, declared once as data.

The palette, the property panel, validation, shape inference, Keras building and Python export
are all driven by these declarations (see ../shared/STYLE.md §5). Adding a layer means adding one
entry here (and its test), not editing five files.

Parameter names are Keras keyword arguments, so `getattr(keras.layers, type)(**params)` builds the
layer (engine/keras_build.py turns JSON lists into tuples). Shapes here never include the batch
dimension; `None` is a free dimension (a sequence of any length).

"Input" is a pseudo-entry: the spec keeps the input in `ModelSpec.input_shape` / `input_dtype`,
never in `layers`. The editor shows it as a fixed first row whose `shape` and `dtype` params edit
those two fields (see `input_params` / `with_input_params`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Param:
    name: str                 # the Keras keyword argument, e.g. "units"
    kind: str                 # "int" | "float" | "bool" | "choice" | "shape" | "int_or_pair"
    default: Any
    help: str = ""
    minimum: float | None = None   # for "shape" / "int_or_pair": the bound of each element
    maximum: float | None = None
    choices: tuple = ()


class ShapeError(Exception):
    """A layer cannot take the shape it is given; the message is written for a learner."""


@dataclass(frozen=True)
class LayerOutput:
    shape: tuple              # without the batch dimension; None marks a free dimension
    trainable: int = 0
    non_trainable: int = 0


@dataclass(frozen=True)
class LayerType:
    name: str                 # the Keras class name, e.g. "Conv2D"
    group: str                # "core" | "convolution" | "pooling" | "recurrent" | "regularisation" | "augmentation"
    help: str
    params: tuple[Param, ...]
    # (input shape without batch, params[, source]) -> LayerOutput; raises ShapeError.
    # `source` names what feeds the layer ("Flatten", or None for the model input) so that the
    # message can say "Flatten gives a vector of 784"; it is optional.
    infer: Callable[..., LayerOutput] = field(compare=False, repr=False)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def complete(self, params: dict) -> dict:
        """The given params with defaults filled in for the missing ones (no checking)."""
        out = self.defaults()
        out.update(params)
        return out


GROUPS = ("core", "convolution", "pooling", "recurrent", "regularisation", "augmentation")
ACTIVATIONS = ("relu", "sigmoid", "softmax", "tanh", "elu", "gelu", "linear")
INPUT_DTYPES = ("float32", "int32")


# -- describing shapes in a learner's words ------------------------------------------------------
def _dim(d) -> str:
    return "any" if d is None else str(d)


def describe_shape(shape: tuple) -> str:
    """'a vector of 784', 'a sequence of 200 steps × 32 features', 'an image 28×28×1', ..."""
    if len(shape) == 0:
        return "a single number"
    if len(shape) == 1:
        if shape[0] is None:
            return "a sequence of any length (one number per step)"
        return f"a vector of {shape[0]}"
    if len(shape) == 2:
        steps = "any number of" if shape[0] is None else str(shape[0])
        return f"a sequence of {steps} steps × {_dim(shape[1])} features"
    if len(shape) == 3:
        return f"an image {'×'.join(_dim(d) for d in shape)}"
    return f"a {len(shape)}-D tensor ({', '.join(_dim(d) for d in shape)})"


def _gives(source: str | None, shape: tuple) -> str:
    if source is None:
        return f"the input is {describe_shape(shape)}"
    return f"{source} gives {describe_shape(shape)}"


def _prod(shape) -> int | None:
    n = 1
    for d in shape:
        if d is None:
            return None
        n *= d
    return n


def _square_image_guess(n: int) -> tuple | None:
    """A plausible (h, w, c) for a flat vector of n values: square grey or colour images."""
    for c in (1, 3):
        if n % c == 0:
            side = math.isqrt(n // c)
            if side > 1 and side * side * c == n:
                return (side, side, c)
    return None


def _fmt_shape(shape) -> str:
    return "(" + ", ".join(_dim(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _need_image(name: str, shape: tuple, source: str | None) -> None:
    if len(shape) == 3:
        return
    what = "an image (height, width, channels)"
    if len(shape) == 1 and shape[0] is not None:
        guess = _square_image_guess(shape[0])
        fix = f"add a Reshape to {_fmt_shape(guess)}" if guess else \
            "add a Reshape to (height, width, channels)"
        if source == "Flatten":
            fix += " or remove the Flatten"
    elif len(shape) == 2 and None not in shape:
        fix = f"add a Reshape to {_fmt_shape(shape + (1,))} to give it one channel"
    elif len(shape) > 3:
        fix = "add a Reshape to (height, width, channels)"
    else:
        fix = f"{name} works on images only; use Conv1D/pooling 1D layers for sequences"
    raise ShapeError(f"{name} needs {what}, but {_gives(source, shape)} — {fix}.")


def _need_sequence(name: str, shape: tuple, source: str | None) -> None:
    if len(shape) == 2:
        return
    what = "a sequence (steps, features)"
    if len(shape) == 1:
        fix = ("put an Embedding first to turn token ids into vectors, or add a Reshape to "
               f"{_fmt_shape((shape[0], 1))} for one number per step"
               if shape[0] is not None else "put an Embedding first to turn token ids into vectors")
    elif len(shape) == 3:
        fix = "add a Reshape to (steps, features), e.g. " \
              f"{_fmt_shape((shape[0], _prod(shape[1:])))}" if None not in shape else \
              "add a Reshape to (steps, features)"
    else:
        fix = "add a Reshape to (steps, features)"
    raise ShapeError(f"{name} needs {what}, but {_gives(source, shape)} — {fix}.")


def _pair(v) -> tuple[int, int]:
    if isinstance(v, (list, tuple)):
        return int(v[0]), int(v[1])
    return int(v), int(v)


def _conv_len(n, k, s, padding) -> int | None:
    if n is None:
        return None
    if padding in ("same", "causal"):
        return -(-n // s)
    return (n - k) // s + 1 if n >= k else 0


def _bias(p) -> bool:
    return bool(p.get("use_bias", True))


# -- shape rules ---------------------------------------------------------------------------------
def _input(shape, p, source=None):
    return LayerOutput(tuple(shape))


def _dense(shape, p, source=None):
    if len(shape) == 0:
        raise ShapeError("Dense needs at least a vector as input.")
    n = shape[-1]
    if n is None:
        raise ShapeError(f"Dense needs a fixed number of features, but {_gives(source, shape)} — "
                         "add a GlobalAveragePooling1D or a recurrent layer before it.")
    units = p["units"]
    return LayerOutput(tuple(shape[:-1]) + (units,), n * units + (units if _bias(p) else 0))


def _same_shape(shape, p, source=None):
    return LayerOutput(tuple(shape))


def _flatten(shape, p, source=None):
    n = _prod(shape)
    if n is None:
        raise ShapeError(f"Flatten needs a fixed size, but {_gives(source, shape)} — use "
                         "GlobalAveragePooling1D to summarise a sequence of any length.")
    return LayerOutput((n,))


def _reshape(shape, p, source=None):
    target = tuple(p["target_shape"])
    n = _prod(shape)
    if n is None:
        raise ShapeError(f"Reshape needs a fixed size, but {_gives(source, shape)}.")
    free = [i for i, d in enumerate(target) if d == -1]
    if len(free) > 1:
        raise ShapeError("Reshape's target_shape may contain at most one -1 (the dimension "
                         "to work out).")
    known = 1
    for d in target:
        if d != -1:
            known *= d
    if free:
        if known == 0 or n % known:
            raise ShapeError(f"Reshape cannot fit {n} values into {_fmt_shape(target)}: {n} is "
                             f"not a multiple of {known}.")
        target = tuple(n // known if d == -1 else d for d in target)
    elif known != n:
        raise ShapeError(f"Reshape to {_fmt_shape(target)} needs {known} values, but "
                         f"{_gives(source, shape)} ({n} values) — choose a target whose sizes "
                         f"multiply to {n}, or use -1 for one dimension.")
    return LayerOutput(target)


def _batchnorm(shape, p, source=None):
    c = shape[-1] if shape else None
    if c is None:
        raise ShapeError("BatchNormalization needs a fixed number of features in the last "
                         "dimension.")
    trainable = c * (int(bool(p.get("center", True))) + int(bool(p.get("scale", True))))
    return LayerOutput(tuple(shape), trainable, 2 * c)


def _conv1d(shape, p, source=None):
    _need_sequence("Conv1D", shape, source)
    steps, c = shape
    k, s, pad = int(p["kernel_size"]), int(p["strides"]), p["padding"]
    out = _conv_len(steps, k, s, pad)
    if out == 0:
        raise ShapeError(f"Conv1D's kernel of {k} steps is longer than its input of {steps} "
                         "steps — use a smaller kernel_size or padding \"same\".")
    f = p["filters"]
    return LayerOutput((out, f), k * c * f + (f if _bias(p) else 0))


def _conv2d_like(name, separable):
    def infer(shape, p, source=None):
        _need_image(name, shape, source)
        h, w, c = shape
        (kh, kw), (sh, sw), pad = _pair(p["kernel_size"]), _pair(p["strides"]), p["padding"]
        oh, ow = _conv_len(h, kh, sh, pad), _conv_len(w, kw, sw, pad)
        if oh == 0 or ow == 0:
            raise ShapeError(f"{name}'s {kh}×{kw} kernel is larger than its {_dim(h)}×{_dim(w)} "
                             "input — use a smaller kernel_size, padding \"same\", or fewer "
                             "pooling layers before it.")
        f = p["filters"]
        b = f if _bias(p) else 0
        if separable:
            dm = p["depth_multiplier"]
            params = kh * kw * c * dm + c * dm * f + b
        else:
            params = kh * kw * c * f + b
        return LayerOutput((oh, ow, f), params)
    return infer


def _pool1d(name):
    def infer(shape, p, source=None):
        _need_sequence(name, shape, source)
        k = int(p["pool_size"])
        out = _conv_len(shape[0], k, k, p["padding"])
        if out == 0:
            raise ShapeError(f"{name} with pool_size {k} would shrink {shape[0]} steps to "
                             "nothing — remove this pooling layer or use padding \"same\".")
        return LayerOutput((out, shape[1]))
    return infer


def _pool2d(name):
    def infer(shape, p, source=None):
        _need_image(name, shape, source)
        h, w, c = shape
        kh, kw = _pair(p["pool_size"])
        oh, ow = _conv_len(h, kh, kh, p["padding"]), _conv_len(w, kw, kw, p["padding"])
        if oh == 0 or ow == 0:
            raise ShapeError(f"{name} with pool_size {kh}×{kw} would shrink {_dim(h)}×{_dim(w)} "
                             "to nothing — remove this pooling layer (or an earlier one) or use "
                             "padding \"same\".")
        return LayerOutput((oh, ow, c))
    return infer


def _global_pool(name, rank):
    def infer(shape, p, source=None):
        (_need_sequence if rank == 2 else _need_image)(name, shape, source)
        return LayerOutput((shape[-1],))
    return infer


def _embedding(shape, p, source=None):
    if len(shape) != 1:
        raise ShapeError(f"Embedding needs a sequence of token ids (one whole number per step), "
                         f"but {_gives(source, shape)} — set the input to (sequence length,) "
                         "with dtype int32 and put Embedding first.")
    d = p["output_dim"]
    return LayerOutput((shape[0], d), p["input_dim"] * d)


def _recurrent(name, gates, extra_bias):
    def infer(shape, p, source=None):
        _need_sequence(name, shape, source)
        n = shape[1]
        if n is None:
            raise ShapeError(f"{name} needs a fixed number of features per step.")
        u = p["units"]
        params = gates * (u * n + u * u + u * (2 if extra_bias else 1))
        out = (shape[0], u) if p.get("return_sequences") else (u,)
        return LayerOutput(out, params)
    return infer


def _augment(name):
    def infer(shape, p, source=None):
        if len(shape) != 3:
            raise ShapeError(f"{name} works on images (height, width, channels), but "
                             f"{_gives(source, shape)} — put it right after the input of an "
                             "image model.")
        return LayerOutput(tuple(shape))
    return infer


# -- the declarations ----------------------------------------------------------------------------
def _activation(default="relu", help_="The function applied to each output value.") -> Param:
    return Param("activation", "choice", default, help_, choices=ACTIVATIONS)


_USE_BIAS = Param("use_bias", "bool", True, "Add a learned offset (bias) to each output.")
_FILL = Param("fill_mode", "choice", "reflect",
              "How to fill pixels that move in from outside the picture.",
              choices=("reflect", "wrap", "constant", "nearest"))
_PAD = Param("padding", "choice", "valid",
             "\"valid\": no padding, the output shrinks; \"same\": pad so the output keeps the "
             "size (when strides is 1).", choices=("valid", "same"))

_ENTRIES = [
    LayerType("Input", "core",
              "The shape of one sample that enters the network (without the batch). Always the "
              "first row; a dataset sets it for you.",
              (Param("shape", "shape", (28, 28, 1),
                     "Sizes of one sample, e.g. (28, 28, 1) for a grey 28×28 image or (10,) for 10 "
                     "features. Leave a size empty for a sequence of any length.",
                     minimum=1, maximum=1_000_000),
               Param("dtype", "choice", "float32",
                     "float32 for numbers; int32 for token ids that feed an Embedding.",
                     choices=INPUT_DTYPES)),
              _input),
    LayerType("Dense", "core",
              "Connects every input value to every output unit (a fully connected layer). Use it "
              "on vectors, e.g. after Flatten, and as the output layer.",
              (Param("units", "int", 64, "Number of output values (neurons).", 1, 100_000),
               _activation("relu"), _USE_BIAS),
              _dense),
    LayerType("Activation", "core",
              "Applies an activation function to every value; the shape does not change.",
              (_activation("relu"),), _same_shape),
    LayerType("Flatten", "core",
              "Unrolls an image or sequence into one long vector, e.g. 28×28×1 → 784, so that "
              "Dense layers can take it.", (), _flatten),
    LayerType("Reshape", "core",
              "Rearranges the values into a new shape with the same number of values, e.g. "
              "784 → (28, 28, 1) so that convolutions can see an image.",
              (Param("target_shape", "shape", (28, 28, 1),
                     "The new shape without the batch; one size may be -1 to be worked out.",
                     minimum=-1, maximum=1_000_000),),
              _reshape),
    LayerType("Conv1D", "convolution",
              "Slides small filters along a sequence to detect local patterns (e.g. in text or "
              "signals). Needs input shaped (steps, features).",
              (Param("filters", "int", 32, "Number of filters (output channels).", 1, 4096),
               Param("kernel_size", "int", 3, "Length of each filter in steps.", 1, 1024),
               Param("strides", "int", 1, "Step between filter positions.", 1, 64),
               Param("padding", "choice", "valid",
                     "\"valid\": no padding; \"same\": keep the length; \"causal\": only look at "
                     "past steps.", choices=("valid", "same", "causal")),
               _activation("relu"), _USE_BIAS),
              _conv1d),
    LayerType("Conv2D", "convolution",
              "Slides small filters over an image to detect local patterns such as edges and "
              "strokes. Needs input shaped (height, width, channels).",
              (Param("filters", "int", 32, "Number of filters (output channels).", 1, 4096),
               Param("kernel_size", "int_or_pair", 3,
                     "Filter size: one number for a square, or (height, width).", 1, 64),
               Param("strides", "int_or_pair", 1, "Step between filter positions.", 1, 16),
               _PAD, _activation("relu"), _USE_BIAS),
              _conv2d_like("Conv2D", False)),
    LayerType("SeparableConv2D", "convolution",
              "A cheaper Conv2D: filters each channel on its own, then mixes channels with 1×1 "
              "filters. Similar accuracy with far fewer parameters.",
              (Param("filters", "int", 32, "Number of filters (output channels).", 1, 4096),
               Param("kernel_size", "int_or_pair", 3,
                     "Filter size: one number for a square, or (height, width).", 1, 64),
               Param("strides", "int_or_pair", 1, "Step between filter positions.", 1, 16),
               _PAD,
               Param("depth_multiplier", "int", 1,
                     "Number of depthwise filters per input channel.", 1, 64),
               _activation("relu"), _USE_BIAS),
              _conv2d_like("SeparableConv2D", True)),
    LayerType("MaxPooling1D", "pooling",
              "Keeps the largest value in each window of steps, shortening a sequence.",
              (Param("pool_size", "int", 2, "Window length (also the step).", 1, 1024),
               _PAD),
              _pool1d("MaxPooling1D")),
    LayerType("MaxPooling2D", "pooling",
              "Keeps the largest value in each window, halving height and width with the default "
              "2×2. Usually follows Conv2D.",
              (Param("pool_size", "int_or_pair", 2, "Window size (also the step).", 1, 64),
               _PAD),
              _pool2d("MaxPooling2D")),
    LayerType("AveragePooling2D", "pooling",
              "Averages each window, shrinking height and width like MaxPooling2D but smoother.",
              (Param("pool_size", "int_or_pair", 2, "Window size (also the step).", 1, 64),
               _PAD),
              _pool2d("AveragePooling2D")),
    LayerType("GlobalAveragePooling1D", "pooling",
              "Averages over all steps of a sequence, giving one vector of features; works for "
              "sequences of any length.", (), _global_pool("GlobalAveragePooling1D", 2)),
    LayerType("GlobalAveragePooling2D", "pooling",
              "Averages each channel over the whole image, giving one value per channel; a light "
              "alternative to Flatten before the output layer.", (),
              _global_pool("GlobalAveragePooling2D", 3)),
    LayerType("Embedding", "core",
              "Turns token ids (whole numbers) into learned vectors. Put it first, on an int32 "
              "input of token ids, e.g. words of a review.",
              (Param("input_dim", "int", 10_000, "Vocabulary size: the largest token id + 1.",
                     1, 10_000_000),
               Param("output_dim", "int", 32, "Length of the vector for each token.", 1, 4096)),
              _embedding),
    LayerType("SimpleRNN", "recurrent",
              "A basic recurrent layer: reads a sequence step by step, keeping a memory. Needs "
              "(steps, features); forgets long-range context quickly.",
              (Param("units", "int", 32, "Size of the memory (output features).", 1, 4096),
               _activation("tanh"),
               Param("return_sequences", "bool", False,
                     "Output every step (to stack another recurrent layer) instead of only the "
                     "last.")),
              _recurrent("SimpleRNN", 1, False)),
    LayerType("LSTM", "recurrent",
              "Long short-term memory: reads a sequence step by step and learns what to remember, "
              "so it keeps long-range context. Needs (steps, features).",
              (Param("units", "int", 32, "Size of the memory (output features).", 1, 4096),
               _activation("tanh"),
               Param("return_sequences", "bool", False,
                     "Output every step (to stack another recurrent layer) instead of only the "
                     "last.")),
              _recurrent("LSTM", 4, False)),
    LayerType("GRU", "recurrent",
              "Gated recurrent unit: like LSTM with fewer parameters, often as accurate. Needs "
              "(steps, features).",
              (Param("units", "int", 32, "Size of the memory (output features).", 1, 4096),
               _activation("tanh"),
               Param("return_sequences", "bool", False,
                     "Output every step (to stack another recurrent layer) instead of only the "
                     "last.")),
              _recurrent("GRU", 3, True)),
    LayerType("Dropout", "regularisation",
              "During training, sets a random fraction of values to zero so the network cannot "
              "rely on any single one; reduces overfitting. Does nothing at prediction time.",
              (Param("rate", "float", 0.5, "Fraction of values dropped during training.",
                     0.0, 0.95),),
              _same_shape),
    LayerType("BatchNormalization", "regularisation",
              "Rescales values to mean 0 and spread 1 using batch statistics, which makes "
              "training faster and steadier. Often placed after Dense or Conv2D.",
              (Param("momentum", "float", 0.99,
                     "How slowly the running mean and variance follow new batches.", 0.0, 0.9999),
               Param("epsilon", "float", 0.001, "Small number that avoids dividing by zero.",
                     1e-7, 1.0),
               Param("center", "bool", True, "Learn an offset (beta)."),
               Param("scale", "bool", True, "Learn a scale factor (gamma).")),
              _batchnorm),
    LayerType("RandomFlip", "augmentation",
              "During training, mirrors images at random so the model learns that a flipped "
              "picture shows the same thing. Not for digits or text.",
              (Param("mode", "choice", "horizontal", "Which flips to apply.",
                     choices=("horizontal", "vertical", "horizontal_and_vertical")),),
              _augment("RandomFlip")),
    LayerType("RandomRotation", "augmentation",
              "During training, turns images by a random angle, so the model copes with tilted "
              "pictures.",
              (Param("factor", "float", 0.1,
                     "Largest turn as a fraction of a full circle (0.1 = ±36°).", 0.0, 1.0),
               _FILL),
              _augment("RandomRotation")),
    LayerType("RandomZoom", "augmentation",
              "During training, zooms images in or out at random, so the model copes with "
              "different sizes.",
              (Param("height_factor", "float", 0.1,
                     "Largest zoom as a fraction of the height (0.1 = ±10%).", 0.0, 0.9),
               _FILL),
              _augment("RandomZoom")),
    LayerType("RandomTranslation", "augmentation",
              "During training, shifts images up/down and left/right at random, so the model "
              "copes with off-centre pictures.",
              (Param("height_factor", "float", 0.1,
                     "Largest vertical shift as a fraction of the height.", 0.0, 1.0),
               Param("width_factor", "float", 0.1,
                     "Largest horizontal shift as a fraction of the width.", 0.0, 1.0),
               _FILL),
              _augment("RandomTranslation")),
    LayerType("Rescaling", "augmentation",
              "Multiplies every value by scale and adds offset, e.g. scale 1/255 turns pixels "
              "0..255 into 0..1. Skip it when the dataset is already scaled.",
              (Param("scale", "float", 1 / 255, "Factor every value is multiplied by.",
                     -1e6, 1e6),
               Param("offset", "float", 0.0, "Value added after scaling.", -1e6, 1e6)),
              _same_shape),
]

CATALOGUE: dict[str, LayerType] = {entry.name: entry for entry in _ENTRIES}

INPUT = "Input"


def palette_types() -> list[LayerType]:
    """The entries a user can add to the stack (everything but Input), in catalogue order."""
    return [t for t in CATALOGUE.values() if t.name != INPUT]


def input_params(spec) -> dict:
    """The Input row's params for a ModelSpec: {"shape": (...), "dtype": "float32"}."""
    return {"shape": tuple(spec.input_shape), "dtype": spec.input_dtype}


def with_input_params(spec, params: dict):
    """A copy of `spec` whose input takes the Input row's params (shape, dtype)."""
    out = spec.copy()
    if "shape" in params:
        out.input_shape = tuple(params["shape"])
    if "dtype" in params:
        out.input_dtype = str(params["dtype"])
    return out
