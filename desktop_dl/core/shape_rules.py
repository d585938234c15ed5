"""Shape rules: each layer's output shape and parameter counts, as Keras computes them.

A rule is `rule(input_shape, params, source=None) -> LayerOutput` (shapes without the batch;
None is a free dimension) and raises ShapeError with a message for a learner; `source` names the
layer that feeds this one, so the message can say "Flatten gives a vector of 784".
tests/engine/test_keras_parity.py checks every rule against Keras.
"""
from __future__ import annotations

import math

from desktop_dl.core.i18n import _
from desktop_dl.core.layer_types import LayerOutput, ShapeError


# -- describing shapes in a learner's words ------------------------------------------------------
def _dim(d) -> str:
    return _("any") if d is None else str(d)


def describe_shape(shape: tuple) -> str:
    """'a vector of 784', 'a sequence of 200 steps × 32 features', 'an image 28×28×1', ..."""
    if len(shape) == 0:
        return _("a single number")
    if len(shape) == 1:
        if shape[0] is None:
            return _("a sequence of any length (one number per step)")
        return _("a vector of {n}", n=shape[0])
    if len(shape) == 2:
        steps = _("any number of") if shape[0] is None else str(shape[0])
        return _("a sequence of {steps} steps × {features} features", steps=steps,
                 features=_dim(shape[1]))
    if len(shape) == 3:
        return _("an image {size}", size="×".join(_dim(d) for d in shape))
    return _("a {rank}-D tensor ({sizes})", rank=len(shape), sizes=", ".join(_dim(d) for d in shape))


def batch_shape(dims, free: str | None = None) -> str:
    """A sample's dims with the batch dimension in front, in words: "(batch, 28, 28, 1)" ("批"
    in Chinese). `free` names a None dim (default: "any")."""
    shown = [(free if free is not None else _dim(d)) if d is None else str(d) for d in dims]
    return "(" + ", ".join([_("batch")] + shown) + ")"


def _gives(source: str | None, shape: tuple) -> str:
    if source is None:
        return _("the input is {shape}", shape=describe_shape(shape))
    return _("{layer} gives {shape}", layer=source, shape=describe_shape(shape))


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
    what = _("an image (height, width, channels)")
    if len(shape) == 1 and shape[0] is not None:
        guess = _square_image_guess(shape[0])
        fix = _("add a Reshape to {shape}", shape=_fmt_shape(guess)) if guess else \
            _("add a Reshape to (height, width, channels)")
        if source == "Flatten":
            fix += _(" or remove the Flatten")
    elif len(shape) == 2 and None not in shape:
        fix = _("add a Reshape to {shape} to give it one channel", shape=_fmt_shape(shape + (1,)))
    elif len(shape) > 3:
        fix = _("add a Reshape to (height, width, channels)")
    else:
        fix = _("{layer} works on images only; use Conv1D/pooling 1D layers for sequences",
                layer=name)
    raise ShapeError(_("{layer} needs {what}, but {gives} — {fix}.", layer=name, what=what,
                       gives=_gives(source, shape), fix=fix))


def _need_sequence(name: str, shape: tuple, source: str | None) -> None:
    if len(shape) == 2:
        return
    what = _("a sequence (steps, features)")
    if len(shape) == 1:
        fix = (_("put an Embedding first to turn token ids into vectors, or add a Reshape to "
                 "{shape} for one number per step", shape=_fmt_shape((shape[0], 1)))
               if shape[0] is not None else
               _("put an Embedding first to turn token ids into vectors"))
    elif len(shape) == 3:
        fix = _("add a Reshape to (steps, features), e.g. {shape}",
                shape=_fmt_shape((shape[0], _prod(shape[1:])))) if None not in shape else \
            _("add a Reshape to (steps, features)")
    else:
        fix = _("add a Reshape to (steps, features)")
    raise ShapeError(_("{layer} needs {what}, but {gives} — {fix}.", layer=name, what=what,
                       gives=_gives(source, shape), fix=fix))


def _need_channels(name: str, channels, features: bool = False) -> None:
    if channels is None:
        raise ShapeError(
            _("{layer} needs a fixed number of features in the last dimension; only the other "
              "sizes may be left free.", layer=name) if features else
            _("{layer} needs a fixed number of channels in the last dimension; only the other "
              "sizes may be left free.", layer=name))


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


# -- the rules ------------------------------------------------------------------------------------
def input_rule(shape, p, source=None):
    """Input layer: the output shape is the given shape; no parameters."""
    return LayerOutput(tuple(shape))


def dense(shape, p, source=None):
    """Raises ShapeError (naming the layer and the fix) when the input is a scalar or its last
    dimension is free.

    Dense: the last dimension becomes `units`; parameters n·units weights plus units biases (as
    Keras's Dense).
    """
    if len(shape) == 0:
        raise ShapeError(_("Dense needs at least a vector as input."))
    n = shape[-1]
    if n is None:
        raise ShapeError(_("Dense needs a fixed number of features, but {gives} — add a "
                           "GlobalAveragePooling1D or a recurrent layer before it.",
                           gives=_gives(source, shape)))
    units = p["units"]
    return LayerOutput(tuple(shape[:-1]) + (units,), n * units + (units if _bias(p) else 0))


def same_shape(shape, p, source=None):
    """Layers that keep the shape (activations, dropout, …): output = input; no parameters."""
    return LayerOutput(tuple(shape))


def flatten(shape, p, source=None):
    """Raises ShapeError (naming the layer and the fix) when a dimension is free.

    Flatten: one dimension holding the product of the input's dimensions; no parameters.
    """
    n = _prod(shape)
    if n is None:
        raise ShapeError(_("Flatten needs a fixed size, but {gives} — use GlobalAveragePooling1D "
                           "to summarise a sequence of any length.", gives=_gives(source, shape)))
    return LayerOutput((n,))


def reshape(shape, p, source=None):
    """Raises ShapeError (naming the layer and the fix) when the input size is free, target_shape
    has more than one -1, or the sizes do not match.

    Reshape: to `target_shape`, one -1 standing for the dimension worked out from the size.
    """
    target = tuple(p["target_shape"])
    n = _prod(shape)
    if n is None:
        raise ShapeError(_("Reshape needs a fixed size, but {gives}.", gives=_gives(source, shape)))
    free = [i for i, d in enumerate(target) if d == -1]
    if len(free) > 1:
        raise ShapeError(_("Reshape's target_shape may contain at most one -1 (the dimension "
                           "to work out)."))
    known = 1
    for d in target:
        if d != -1:
            known *= d
    if free:
        if known == 0 or n % known:
            raise ShapeError(_("Reshape cannot fit {n} values into {target}: {n} is not a "
                               "multiple of {known}.", n=n, target=_fmt_shape(target), known=known))
        target = tuple(n // known if d == -1 else d for d in target)
    elif known != n:
        raise ShapeError(_("Reshape to {target} needs {known} values, but {gives} ({n} values) — "
                           "choose a target whose sizes multiply to {n}, or use -1 for one "
                           "dimension.", target=_fmt_shape(target), known=known,
                           gives=_gives(source, shape), n=n))
    return LayerOutput(target)


def batchnorm(shape, p, source=None):
    """Raises ShapeError (naming the layer and the fix) when the last dimension is free or missing.

    BatchNormalization (Ioffe & Szegedy 2015): shape kept; c trainable parameters each for gamma
    (scale) and beta (center) when on, and 2c non-trainable (moving mean and variance).
    """
    c = shape[-1] if shape else None
    if c is None:
        raise ShapeError(_("BatchNormalization needs a fixed number of features in the last "
                           "dimension."))
    trainable = c * (int(bool(p.get("center", True))) + int(bool(p.get("scale", True))))
    return LayerOutput(tuple(shape), trainable, 2 * c)


def conv1d(shape, p, source=None):
    """Raises ShapeError (naming the layer and the fix) when the input is not (steps, channels) or
    the kernel is longer than the input with padding "valid".

    Conv1D: output (⌊(steps−k)/s⌋+1 for "valid", ⌈steps/s⌉ for "same"/"causal", filters);
    parameters k·c·filters plus filters biases (Keras's rules).
    """
    _need_sequence("Conv1D", shape, source)
    steps, c = shape
    _need_channels("Conv1D", c, features=True)
    k, s, pad = int(p["kernel_size"]), int(p["strides"]), p["padding"]
    out = _conv_len(steps, k, s, pad)
    if out == 0:
        raise ShapeError(_("Conv1D's kernel of {k} steps is longer than its input of {steps} "
                           "steps — use a smaller kernel_size or padding \"same\".", k=k,
                           steps=steps))
    f = p["filters"]
    return LayerOutput((out, f), k * c * f + (f if _bias(p) else 0))


def conv2d_like(name, separable):
    """The shape rule for Conv2D (`separable` False) or SeparableConv2D (True), named `name`.

    Output (oh, ow, filters), each side ⌊(n−k)/s⌋+1 for "valid" or ⌈n/s⌉ for "same"; parameters
    kh·kw·c·filters (+ biases), or for separable kh·kw·c·depth_multiplier + c·depth_multiplier·
    filters (+ biases), as Keras counts them. The rule raises ShapeError when the input is not an
    image (h, w, c) or the kernel is larger than the input.
    """
    def infer(shape, p, source=None):
        _need_image(name, shape, source)
        h, w, c = shape
        _need_channels(name, c)
        (kh, kw), (sh, sw), pad = _pair(p["kernel_size"]), _pair(p["strides"]), p["padding"]
        oh, ow = _conv_len(h, kh, sh, pad), _conv_len(w, kw, sw, pad)
        if oh == 0 or ow == 0:
            raise ShapeError(_("{layer}'s {kh}×{kw} kernel is larger than its {h}×{w} input — "
                               "use a smaller kernel_size, padding \"same\", or fewer pooling "
                               "layers before it.", layer=name, kh=kh, kw=kw, h=_dim(h), w=_dim(w)))
        f = p["filters"]
        b = f if _bias(p) else 0
        if separable:
            dm = p["depth_multiplier"]
            params = kh * kw * c * dm + c * dm * f + b
        else:
            params = kh * kw * c * f + b
        return LayerOutput((oh, ow, f), params)
    return infer


def pool1d(name):
    """The shape rule for a 1-D pooling layer `name`: steps shrink by pool_size (stride = pool_size;
    "same" rounds up), channels kept; no parameters. The rule raises ShapeError when the input is
    not a sequence or would shrink to nothing."""
    def infer(shape, p, source=None):
        _need_sequence(name, shape, source)
        k = int(p["pool_size"])
        out = _conv_len(shape[0], k, k, p["padding"])
        if out == 0:
            raise ShapeError(_("{layer} with pool_size {k} would shrink {steps} steps to nothing — "
                               "remove this pooling layer or use padding \"same\".", layer=name,
                               k=k, steps=shape[0]))
        return LayerOutput((out, shape[1]))
    return infer


def pool2d(name):
    """The shape rule for a 2-D pooling layer `name`: height and width shrink by pool_size (stride =
    pool_size; "same" rounds up), channels kept; no parameters. The rule raises ShapeError when the
    input is not an image or would shrink to nothing."""
    def infer(shape, p, source=None):
        _need_image(name, shape, source)
        h, w, c = shape
        kh, kw = _pair(p["pool_size"])
        oh, ow = _conv_len(h, kh, kh, p["padding"]), _conv_len(w, kw, kw, p["padding"])
        if oh == 0 or ow == 0:
            raise ShapeError(_("{layer} with pool_size {kh}×{kw} would shrink {h}×{w} to nothing "
                               "— remove this pooling layer (or an earlier one) or use padding "
                               "\"same\".", layer=name, kh=kh, kw=kw, h=_dim(h), w=_dim(w)))
        return LayerOutput((oh, ow, c))
    return infer


def global_pool(name, rank):
    """The shape rule for a global pooling layer `name` over rank-`rank` input (2: sequences, 3:
    images): output (channels,); no parameters. Raises ShapeError for input of the wrong rank."""
    def infer(shape, p, source=None):
        (_need_sequence if rank == 2 else _need_image)(name, shape, source)
        return LayerOutput((shape[-1],))
    return infer


def embedding(shape, p, source=None):
    """Raises ShapeError (naming the layer and the fix) when the input is not (sequence length,).

    Embedding: (steps,) token ids -> (steps, output_dim); input_dim·output_dim parameters.
    """
    if len(shape) != 1:
        raise ShapeError(_("Embedding needs a sequence of token ids (one whole number per step), "
                           "but {gives} — set the input to (sequence length,) with dtype int32 "
                           "and put Embedding first.", gives=_gives(source, shape)))
    d = p["output_dim"]
    return LayerOutput((shape[0], d), p["input_dim"] * d)


def recurrent(name, gates, extra_bias):
    """The shape rule for a recurrent layer `name` with `gates` gate blocks (SimpleRNN 1, LSTM 4 —
    Hochreiter & Schmidhuber 1997, GRU 3 — Cho et al. 2014).

    Parameters gates·(units·n + units² + units·b), b = 2 biases when `extra_bias` (Keras's GRU
    with reset_after) else 1; output (steps, units) with return_sequences, else (units,). The rule
    raises ShapeError when the input is not (steps, features) or features is free.
    """
    def infer(shape, p, source=None):
        _need_sequence(name, shape, source)
        n = shape[1]
        if n is None:
            raise ShapeError(_("{layer} needs a fixed number of features per step.", layer=name))
        u = p["units"]
        params = gates * (u * n + u * u + u * (2 if extra_bias else 1))
        out = (shape[0], u) if p.get("return_sequences") else (u,)
        return LayerOutput(out, params)
    return infer


def augment(name):
    """The shape rule for an image augmentation layer `name` (RandomFlip, RandomRotation, …): shape
    kept, no parameters; raises ShapeError unless the input is an image (height, width, channels).
    """
    def infer(shape, p, source=None):
        if len(shape) != 3:
            raise ShapeError(_("{layer} works on images (height, width, channels), but {gives} — "
                               "put it right after the input of an image model.", layer=name,
                               gives=_gives(source, shape)))
        return LayerOutput(tuple(shape))
    return infer
